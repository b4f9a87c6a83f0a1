import { KubernetesObject } from '../../core/types';
import { find, Loose, PROTOCOLS_SPEC } from '../kubernetes/__fixtures__/plans';
import {
  meshRun,
  objectsOf,
  planOf,
  serviceObject,
} from './__fixtures__/plans';
import { isLinkerdObject, validateLinkerdObject } from './index';

jest.setTimeout(60_000);

/**
 * Mesh configuration by protocol: HTTP routes only where HTTP (or gRPC)
 * flows, TCP proxied opaquely with mTLS and authorization.
 */

const kindsOf = (objects: KubernetesObject[]) =>
  objects.map(o => `${o.kind}/${o.metadata.name}`);

describe('Istio by protocol', () => {
  const run = meshRun(() => planOf(PROTOCOLS_SPEC({ mesh: 'istio' })));

  it('every object passes the strict schema validator', () => {
    const findings = run.mesh.manifests.flatMap(m =>
      m.objects.flatMap(o =>
        run.validator
          .validate(o)
          .map(f => `${m.path} ${o.kind}/${o.metadata.name}: ${f.message}`),
      ),
    );
    expect(findings).toEqual([]);
  });

  it('tcp: no VirtualService, DestinationRules with the TCP pool and outlier detection only', () => {
    for (const name of ['cache', 'broker', 'ledger']) {
      const objects = objectsOf(run.mesh, `mesh/prod/${name}.yaml`);
      expect(
        kindsOf(objects).filter(k => k.startsWith('VirtualService')),
      ).toEqual([]);
      const rules = objects.filter(o => o.kind === 'DestinationRule');
      // ledger (blue-green) also has its preview; the broker canary has no
      // canary Service (weighted by replicas)
      expect(rules.map(r => r.metadata.name)).toEqual(
        name === 'ledger' ? ['ledger', 'ledger-preview'] : [name],
      );
      for (const rule of rules) {
        expect((rule.spec as Loose).trafficPolicy).toEqual({
          connectionPool: { tcp: { maxConnections: 1024 } },
          outlierDetection: {
            consecutive5xxErrors: 5,
            interval: '30s',
            baseEjectionTime: '30s',
            maxEjectionPercent: 50,
          },
          tls: { mode: 'ISTIO_MUTUAL' },
        });
      }
    }
  });

  it('tcp: the AuthorizationPolicy has only principals and ports (valid for TCP)', () => {
    const policy = serviceObject(run.mesh, 'AuthorizationPolicy', 'cache').spec;
    const operations = policy.rules.flatMap((rule: Loose) =>
      (rule.to ?? []).map((to: Loose) => to.operation),
    );
    expect(operations).toContainEqual({ ports: ['6379'] });
    for (const operation of operations) {
      expect(Object.keys(operation)).toEqual(['ports']);
    }
    for (const rule of policy.rules) {
      for (const from of rule.from ?? []) {
        expect(Object.keys(from.source)).toEqual(['principals']);
      }
    }
  });

  it('grpc: routes on its own port, retried on gRPC statuses, no timeouts (streams)', () => {
    const service = serviceObject(run.mesh, 'VirtualService', 'rpc').spec;
    expect(service.http).toEqual([
      {
        name: 'primary',
        route: [
          {
            destination: { host: 'rpc', port: { number: 9090 } },
            weight: 100,
          },
          {
            destination: { host: 'rpc-canary', port: { number: 9090 } },
            weight: 0,
          },
        ],
        retries: {
          attempts: 3,
          retryOn:
            'connect-failure,refused-stream,unavailable,cancelled,resource-exhausted',
        },
      },
    ]);
    // HTTP is unchanged: port 80, timeout and 5xx retries
    const web = serviceObject(run.mesh, 'VirtualService', 'web').spec;
    expect(web.http[0]).toMatchObject({
      route: [{ destination: { host: 'web', port: { number: 80 } } }],
      timeout: '15s',
      retries: { retryOn: '5xx,reset,connect-failure,refused-stream' },
    });
  });
});

describe('Linkerd by protocol', () => {
  const run = meshRun(() => planOf(PROTOCOLS_SPEC({ mesh: 'linkerd' })));

  it('every Linkerd object passes validateLinkerdObject', () => {
    const issues = run.mesh.manifests.flatMap(m =>
      m.objects
        .filter(o => isLinkerdObject(o))
        .flatMap(o =>
          validateLinkerdObject(o).map(
            i =>
              `${m.path} ${o.kind}/${o.metadata.name} ${i.path}: ${i.message}`,
          ),
        ),
    );
    expect(issues).toEqual([]);
  });

  it('tcp: an opaque Server and its authorization, no HTTPRoute or ServiceProfile', () => {
    for (const name of ['cache', 'broker', 'ledger']) {
      const objects = objectsOf(run.mesh, `mesh/prod/${name}.yaml`);
      expect(find(objects, 'Server', name).spec as Loose).toMatchObject({
        port: 'tcp',
        proxyProtocol: 'opaque',
      });
      expect(
        kindsOf(objects).filter(k => /^(HTTPRoute|ServiceProfile)\//.test(k)),
      ).toEqual([]);
      expect(kindsOf(objects)).toContain(`AuthorizationPolicy/${name}`);
    }
    expect(run.mesh.notes).toContainEqual(
      expect.stringMatching(
        /^cache: Server tcp \(opaque\) allows ServiceAccounts cache, web; no HTTPRoute or ServiceProfile \(opaque TCP\)$/,
      ),
    );
  });

  it('grpc: a gRPC Server with its HTTPRoute, no ServiceProfile (timeouts would cut streams)', () => {
    const objects = objectsOf(run.mesh, 'mesh/prod/rpc.yaml');
    expect(find(objects, 'Server', 'rpc').spec as Loose).toMatchObject({
      port: 'grpc',
      proxyProtocol: 'gRPC',
    });
    expect(kindsOf(objects)).toContain('HTTPRoute/rpc');
    expect(
      kindsOf(objects).filter(k => k.startsWith('ServiceProfile')),
    ).toEqual([]);
    const web = objectsOf(run.mesh, 'mesh/prod/web.yaml');
    expect((find(web, 'Server', 'web').spec as Loose).proxyProtocol).toBe(
      'HTTP/1',
    );
    expect(kindsOf(web)).toContain('ServiceProfile/web.shop.svc.cluster.local');
  });
});
