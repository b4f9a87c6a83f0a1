import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { buildEnvironment, generateKubernetesObjects } from './generator';
import {
  find,
  Loose,
  planOf,
  podSpecOf,
  PROTOCOLS_SPEC,
  SHOP_SPEC,
} from './__fixtures__/plans';

/**
 * The protocol of a service (spec `protocol`, PROTO-*): port names, Service
 * ports, probes, what dependents are told, ingress and rollouts.
 */

const objectsOf = (plan: DeploymentPlan, environment = 'prod') =>
  generateKubernetesObjects(plan, environment);

const containerOf = (objects: KubernetesObject[], kind: string, name: string) =>
  podSpecOf(find(objects, kind, name)).containers[0] as Loose;

const portsOf = (objects: KubernetesObject[], name: string) =>
  (find(objects, 'Service', name).spec as Loose).ports;

/**
 * A gRPC or TCP server: its one container port is named after the protocol,
 * and both probes are TCP checks of it (no /healthz is assumed).
 */
function expectTcpProbedPort(
  container: Loose,
  portName: string,
  containerPort: number,
) {
  expect(container.ports).toEqual([
    { name: portName, containerPort, protocol: 'TCP' },
  ]);
  expect(container.readinessProbe.tcpSocket).toEqual({ port: portName });
  expect(container.livenessProbe.tcpSocket).toEqual({ port: portName });
}

describe('service protocols', () => {
  const plan = planOf(PROTOCOLS_SPEC());
  const objects = objectsOf(plan);

  it('keeps HTTP services on port 80 named http, without appProtocol', () => {
    expect(portsOf(objects, 'web')).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(containerOf(objects, 'Deployment', 'web').ports).toEqual([
      { name: 'http', containerPort: 3000, protocol: 'TCP' },
    ]);
  });

  it('puts gRPC on its own port, named grpc, with appProtocol kubernetes.io/h2c', () => {
    const grpc = {
      name: 'grpc',
      port: 9090,
      targetPort: 'grpc',
      protocol: 'TCP',
      appProtocol: 'kubernetes.io/h2c',
    };
    expect(portsOf(objects, 'rpc')).toEqual([grpc]);
    expect(portsOf(objects, 'rpc-canary')).toEqual([grpc]);
    // no /healthz is assumed for a gRPC server: TCP probes
    expectTcpProbedPort(containerOf(objects, 'Rollout', 'rpc'), 'grpc', 9090);
  });

  it('puts TCP on its own port, named tcp, without appProtocol (no standard value)', () => {
    for (const name of ['cache', 'cache-headless']) {
      expect(portsOf(objects, name)).toEqual([
        { name: 'tcp', port: 6379, targetPort: 'tcp', protocol: 'TCP' },
      ]);
    }
    expectTcpProbedPort(
      containerOf(objects, 'StatefulSet', 'cache'),
      'tcp',
      6379,
    );
  });

  it('tells dependents the Service port: wait-for init containers', () => {
    const waits = podSpecOf(find(objects, 'Deployment', 'web'))
      .initContainers.map((c: Loose) => c.command[2])
      .sort();
    expect(waits).toEqual([
      'until nc -z -w 2 broker 4222; do echo waiting for broker; sleep 2; done',
      'until nc -z -w 2 cache 6379; do echo waiting for cache; sleep 2; done',
      'until nc -z -w 2 ledger 7000; do echo waiting for ledger; sleep 2; done',
      'until nc -z -w 2 rpc 9090; do echo waiting for rpc; sleep 2; done',
    ]);
  });

  it('NetworkPolicies use the container ports; Prometheus scrapes HTTP pods only (T3)', () => {
    const web = find(objects, 'NetworkPolicy', 'web').spec as Loose;
    expect(
      web.egress.map((rule: Loose) => [
        rule.to[0].podSelector.matchLabels['app.kubernetes.io/name'],
        rule.ports[0].port,
      ]),
    ).toEqual([
      ['rpc', 9090],
      ['broker', 4222],
      ['ledger', 7000],
      ['cache', 6379],
    ]);
    const fromMonitoring = (name: string) =>
      (find(objects, 'NetworkPolicy', name).spec as Loose).ingress.some(
        (rule: Loose) =>
          rule.from?.some(
            (peer: Loose) =>
              peer.namespaceSelector?.matchLabels?.[
                'kubernetes.io/metadata.name'
              ] === 'monitoring',
          ),
      );
    const annotations = (kind: string, name: string) =>
      (find(objects, kind, name).spec as Loose).template.metadata.annotations ??
      {};
    expect(fromMonitoring('web')).toBe(true);
    expect(annotations('Deployment', 'web')['prometheus.io/scrape']).toBe(
      'true',
    );
    for (const [kind, name] of [
      ['Rollout', 'rpc'],
      ['Rollout', 'broker'],
      ['StatefulSet', 'cache'],
    ]) {
      expect({ name, monitoring: fromMonitoring(name) }).toEqual({
        name,
        monitoring: false,
      });
      expect(annotations(kind, name)).not.toHaveProperty(
        'prometheus.io/scrape',
      );
    }
  });

  it('routes public gRPC through the Ingress on its port, with the controller told it is gRPC', () => {
    const nginx = find(objects, 'Ingress', 'rpc') as Loose;
    expect(nginx.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC',
    });
    expect(nginx.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'rpc',
      port: { number: 9090 },
    });
    // ALB: the canary's weighted action forwards to the Service port
    const aws = objectsOf(planOf(PROTOCOLS_SPEC({ cloud: 'aws' })));
    const alb = find(aws, 'Ingress', 'rpc') as Loose;
    expect(
      alb.metadata.annotations[
        'alb.ingress.kubernetes.io/backend-protocol-version'
      ],
    ).toBe('GRPC');
    expect(
      (find(aws, 'Rollout', 'rpc').spec as Loose).strategy.canary
        .trafficRouting,
    ).toEqual({ alb: { ingress: 'rpc', servicePort: 9090 } });
    // HTTP Ingresses are unchanged
    expect(
      (find(aws, 'Ingress', 'web') as Loose).metadata.annotations,
    ).not.toHaveProperty('alb.ingress.kubernetes.io/backend-protocol-version');
  });

  it('a tcp canary is weighted by replicas behind the one Service, without HTTP analysis (PROTO-020)', () => {
    const canary = (find(objects, 'Rollout', 'broker').spec as Loose).strategy
      .canary;
    expect(canary).not.toHaveProperty('stableService');
    expect(canary).not.toHaveProperty('canaryService');
    expect(canary).not.toHaveProperty('trafficRouting');
    expect(canary).not.toHaveProperty('analysis');
    expect(canary.steps[0]).toEqual({ setWeight: 5 });
    expect(
      objects
        .filter(o => o.metadata.name.startsWith('broker'))
        .map(o => `${o.kind}/${o.metadata.name}`),
    ).not.toContainEqual(
      expect.stringMatching(/^(Service\/broker-canary|AnalysisTemplate)/),
    );
    expect(plan.services.find(s => s.name === 'broker')!.decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'PROTO-020' }),
      ]),
    );
  });

  it('a tcp blue-green switches the Service selector, without pre-promotion analysis', () => {
    const blueGreen = (find(objects, 'Rollout', 'ledger').spec as Loose)
      .strategy.blueGreen;
    expect(blueGreen).toMatchObject({
      activeService: 'ledger',
      previewService: 'ledger-preview',
    });
    expect(blueGreen).not.toHaveProperty('prePromotionAnalysis');
    expect(portsOf(objects, 'ledger-preview')).toEqual(
      portsOf(objects, 'ledger'),
    );
    expect(
      objects.some(
        o =>
          o.kind === 'AnalysisTemplate' &&
          o.metadata.name === 'ledger-success-rate',
      ),
    ).toBe(false);
    // gRPC ports serve no /metrics: nothing collects a success rate of the
    // gRPC canary either (plan/metrics.ts), so it has no analysis
    expect(
      (find(objects, 'Rollout', 'rpc').spec as Loose).strategy.canary.analysis,
    ).toBeUndefined();
    const notes = buildEnvironment(plan, 'prod').notes;
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^ledger: speaks tcp, so its blue-green has no HTTP success-rate analysis/,
      ),
    );
  });

  it('marks TCP ports opaque for Linkerd on the Services, and only with Linkerd', () => {
    const linkerd = objectsOf(planOf(PROTOCOLS_SPEC({ mesh: 'linkerd' })));
    for (const name of ['cache', 'cache-headless', 'broker', 'ledger']) {
      const port = (find(linkerd, 'Service', name).spec as Loose).ports[0].port;
      expect(find(linkerd, 'Service', name).metadata.annotations).toEqual({
        'config.linkerd.io/opaque-ports': String(port),
      });
    }
    expect(find(linkerd, 'Service', 'ledger-preview').metadata).toHaveProperty(
      'annotations',
    );
    for (const name of ['web', 'rpc']) {
      expect(find(linkerd, 'Service', name).metadata).not.toHaveProperty(
        'annotations',
      );
    }
    expect(find(objects, 'Service', 'cache').metadata).not.toHaveProperty(
      'annotations',
    );
  });

  it('the shop database (health on a separate port) is tcp, its callers wait on 5432', () => {
    const shop = objectsOf(planOf(SHOP_SPEC({ tier: 'T2' })));
    expect(portsOf(shop, 'db')).toEqual([
      { name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' },
    ]);
    // the HTTP health check is on its own port 8008, by number
    expect(
      containerOf(shop, 'StatefulSet', 'db').readinessProbe.httpGet,
    ).toEqual({ path: '/healthz', port: 8008 });
    expect(
      podSpecOf(find(shop, 'Deployment', 'catalog')).initContainers[0]
        .command[2],
    ).toBe('until nc -z -w 2 db 5432; do echo waiting for db; sleep 2; done');
  });
});
