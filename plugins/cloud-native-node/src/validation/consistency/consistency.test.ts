import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createPlan } from '@internal/backstage-plugin-cloud-native-common';
import { parseSpecText } from '../../engine/loadSpec';
import { generatePackage } from '../../engine/orchestrate';
import { parseManifests } from '..';
import { checkConsistency } from '.';
import { EXAMPLES_DIR, EXAMPLE_NAMES } from '../../__fixtures__/examples';

const EXAMPLES = EXAMPLES_DIR;

async function load(name: string, edit: (spec: string) => string = t => t) {
  const text = await fs.readFile(
    path.join(EXAMPLES, name, 'architecture.yaml'),
    'utf8',
  );
  const plan = createPlan(parseSpecText(edit(text), name));
  const pkg = await generatePackage(plan, { validate: false });
  return { plan, files: pkg.files };
}

async function findingsOf(
  name: string,
  seed: (file: { path: string; content: string }) => string = f => f.content,
  edit?: (spec: string) => string,
) {
  const { plan, files } = await load(name, edit);
  const seeded = files.map(f => ({ ...f, content: seed(f) }));
  const { manifests } = parseManifests(plan, seeded);
  return checkConsistency(
    plan,
    manifests,
    seeded.map(f => f.path),
  );
}

/** A seed that replaces text in one file of the package. */
function replaceIn(file: string, from: string, to: string) {
  return (f: { path: string; content: string }) =>
    f.path === file ? f.content.replace(from, to) : f.content;
}

describe('cross-skill consistency', () => {
  it.each(EXAMPLE_NAMES)('passes on %s', async name => {
    const { plan, files } = await load(name);
    const { manifests } = parseManifests(plan, files);
    expect(
      checkConsistency(
        plan,
        manifests,
        files.map(f => f.path),
      ),
    ).toEqual([]);
  });

  it('catches seeded inconsistencies, naming the files involved', async () => {
    const findings = await findingsOf('marketplace-gke-t3', f => {
      // an image that is not the container skill's
      if (f.path === 'kubernetes/prod/cart.yaml') {
        return f.content.replace(
          /image: europe-west1-docker\.pkg\.dev\/acme\/marketplace\/cart:1\.0\.0/,
          'image: europe-west1-docker.pkg.dev/acme/marketplace/cart:9.9.9',
        );
      }
      // a mesh route to a Service that does not exist
      if (f.path === 'mesh/prod/cart.yaml') {
        return f.content.replace(/host: cart\b/, 'host: kart');
      }
      return f.content;
    });
    const ids = findings.map(f => f.ruleId).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        'consistency/image-mismatch',
        'consistency/mesh-unknown-service',
      ]),
    );
    const image = findings.find(
      f => f.ruleId === 'consistency/image-mismatch',
    )!;
    expect(image.message).toContain('containers/cart/Dockerfile');
    expect(image.message).toContain('kubernetes/prod/cart.yaml');
  });

  it('catches a storage class that is neither in the package nor a provider default', async () => {
    const findings = await findingsOf(
      'shop-eks-t2',
      replaceIn(
        'kubernetes/prod/postgres.yaml',
        'storageClassName: gp3',
        'storageClassName: super-fast',
      ),
    );
    expect(findings.map(f => f.ruleId)).toEqual(['consistency/storage-class']);
    expect(findings[0].message).toMatch(/super-fast/);
  });

  it('catches a ServiceAccount the workload names but the package lacks', async () => {
    const findings = await findingsOf(
      'web-app-t1',
      replaceIn(
        'kubernetes/dev/web.yaml',
        'serviceAccountName: web',
        'serviceAccountName: ghost',
      ),
    );
    expect(findings.map(f => f.ruleId)).toContain(
      'consistency/missing-service-account',
    );
  });

  describe('ports and protocols', () => {
    it('catches a Service on port 80 (http) in front of a tcp service, and the dependents told otherwise', async () => {
      const findings = await findingsOf('marketplace-gke-t3', f =>
        f.path === 'kubernetes/prod/sessions.yaml'
          ? f.content.replace(
              /- name: tcp\n {6}port: 6379\n {6}targetPort: tcp/,
              '- name: http\n      port: 80\n      targetPort: tcp',
            )
          : f.content,
      );
      expect(
        findings.map(f => `${f.ruleId} ${f.objectPath}: ${f.message}`),
      ).toEqual([
        'consistency/service-port Service/sessions: spec.ports: Service sessions listens on 80 (http), but sessions speaks tcp on its own port: expected 6379 named tcp',
        'consistency/dependency-port cart: init container wait-for-sessions: cart is told sessions listens on 6379 (init container wait-for-sessions), but the Service sessions listens on 80 (files: kubernetes/prod/cart.yaml, kubernetes/prod/sessions.yaml)',
      ]);
    });

    it('catches the portal\'s former POSTGRES_PORT: "80" and a URL with the wrong port', async () => {
      const findings = await findingsOf('../deploy', undefined, spec =>
        spec
          .replace("POSTGRES_PORT: '5432'", "POSTGRES_PORT: '80'")
          .replace(
            'POSTGRES_USER: backstage\n        NODE_OPTIONS',
            'POSTGRES_USER: backstage\n        PGURL: postgres://backstage@postgres.backstage-portal.svc:80/backstage\n        NODE_OPTIONS',
          ),
      );
      const ports = findings.filter(
        f => f.ruleId === 'consistency/dependency-port',
      );
      expect(ports.map(f => `${f.file} ${f.objectPath}`)).toEqual([
        'kubernetes/dev/backstage.yaml backstage: PGURL',
        'kubernetes/dev/backstage.yaml backstage: POSTGRES_PORT',
        'kubernetes/prod/backstage.yaml backstage: PGURL',
        'kubernetes/prod/backstage.yaml backstage: POSTGRES_PORT',
        'kubernetes/staging/backstage.yaml backstage: PGURL',
        'kubernetes/staging/backstage.yaml backstage: POSTGRES_PORT',
      ]);
      expect(ports[1].message).toBe(
        'backstage is told postgres listens on 80 (POSTGRES_PORT), but the Service postgres listens on 5432 (files: kubernetes/dev/backstage.yaml, kubernetes/dev/postgres.yaml)',
      );
      expect(findings.length).toBe(ports.length);
    });

    it('catches Istio HTTP routes to a tcp Service and routes to a port the Service lacks', async () => {
      const findings = await findingsOf('marketplace-gke-t3', f => {
        if (f.path === 'mesh/prod/sessions.yaml') {
          return `${f.content}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: sessions
  namespace: marketplace
  labels:
    app.kubernetes.io/part-of: marketplace
spec:
  hosts: [sessions]
  http:
    - route:
        - destination:
            host: sessions
            port:
              number: 6379
`;
        }
        if (f.path === 'mesh/prod/cart.yaml') {
          return f.content.replace(/number: 80\b/, 'number: 8080');
        }
        return f.content;
      });
      expect(findings.map(f => `${f.ruleId} ${f.objectPath}`)).toEqual([
        'consistency/mesh-unknown-port VirtualService/cart: spec.http',
        'consistency/mesh-protocol VirtualService/sessions: spec.http',
      ]);
    });

    it('catches a Linkerd Server whose port or protocol does not match the pods', async () => {
      const findings = await findingsOf('payments-linkerd-flux', f => {
        if (f.path === 'mesh/prod/ledger.yaml') {
          return f.content.replace(
            'proxyProtocol: HTTP/1',
            'proxyProtocol: opaque',
          );
        }
        if (f.path === 'mesh/prod/fraud.yaml') {
          return f.content.replace('port: http', 'port: grpc');
        }
        return f.content;
      });
      expect(findings.map(f => `${f.ruleId} ${f.objectPath}`).sort()).toEqual([
        'consistency/mesh-protocol HTTPRoute/ledger-probes: spec.parentRefs',
        'consistency/mesh-protocol HTTPRoute/ledger: spec.parentRefs',
        'consistency/mesh-protocol Server/ledger: spec.proxyProtocol',
        'consistency/mesh-unknown-port Server/fraud: spec.port',
      ]);
    });
  });
});
