import { parse, stringify } from 'yaml';
import {
  kubernetesManifestGenerator,
  generateKubernetesObjects,
} from './index';
import { selectorLabels } from '../../plan/labels';
import {
  Loose,
  planOf,
  podTemplateOf,
  SHOP_SPEC,
  shopObjects,
  spec,
  svc,
} from './__fixtures__/plans';

const run = (plan: ReturnType<typeof planOf>) =>
  kubernetesManifestGenerator.run({ plan, outputs: {} });

describe('kubernetesManifestGenerator', () => {
  const plan = planOf(SHOP_SPEC({ tier: 'T3' }));
  const output = run(plan);

  it('has the skill id of the plan', () => {
    expect(kubernetesManifestGenerator.id).toBe(
      'kubernetes-manifest-generator',
    );
  });

  it('writes namespace.yaml and one file per service for every environment, and the namespace alone in namespace/<env>', () => {
    const expected = ['dev', 'staging', 'prod'].flatMap(env => [
      `kubernetes/${env}/namespace.yaml`,
      ...plan.services.map(s => `kubernetes/${env}/${s.name}.yaml`),
      `namespace/${env}/namespace.yaml`,
    ]);
    expect(output.manifests.map(m => m.path)).toEqual(expected);
    for (const manifest of output.manifests) {
      expect(
        manifest.path.startsWith(`kubernetes/${manifest.environment}/`) ||
          manifest.path === `namespace/${manifest.environment}/namespace.yaml`,
      ).toBe(true);
      expect(manifest.objects.length).toBeGreaterThan(0);
    }
    // namespace/<env> holds exactly the Namespace of kubernetes/<env>
    for (const env of ['dev', 'staging', 'prod']) {
      const of = (path: string) =>
        output.manifests.find(m => m.path === path)!.objects;
      expect(of(`namespace/${env}/namespace.yaml`)).toEqual(
        of(`kubernetes/${env}/namespace.yaml`).filter(
          o => o.kind === 'Namespace',
        ),
      );
    }
  });

  it('each file holds only its own service’s objects', () => {
    for (const manifest of output.manifests) {
      const file = manifest.path.split('/').pop()!.replace('.yaml', '');
      for (const object of manifest.objects) {
        const name = object.metadata.labels!['app.kubernetes.io/name'];
        expect(name).toBe(file === 'namespace' ? plan.name : file);
      }
    }
  });

  it('kustomization.yaml lists exactly the files of its environment', () => {
    // per environment, in plan order: the workloads, then the namespace
    const expected = ['dev', 'staging', 'prod'].flatMap(env => [
      `kubernetes/${env}/kustomization.yaml`,
      `namespace/${env}/kustomization.yaml`,
    ]);
    expect(output.files.map(f => f.path)).toEqual(expected);
    for (const file of output.files) {
      const directory = file.path.replace('/kustomization.yaml', '');
      const kustomization = parse(file.content);
      expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
      expect(kustomization.kind).toBe('Kustomization');
      const listed = (kustomization.resources as string[]).map(
        r => `${directory}/${r}`,
      );
      const generated = output.manifests
        .filter(m => m.path.startsWith(`${directory}/`))
        .map(m => m.path);
      expect([...listed].sort()).toEqual([...generated].sort());
      expect(new Set(listed).size).toBe(listed.length);
    }
  });

  it('is deterministic: two runs are deep-equal and serialize identically', () => {
    const again = run(planOf(SHOP_SPEC({ tier: 'T3' })));
    expect(again).toEqual(output);
    expect(stringify(again.manifests)).toBe(stringify(output.manifests));
  });

  it('objects are plain data with no undefined values', () => {
    const text = JSON.stringify(output.manifests);
    expect(JSON.parse(text)).toEqual(output.manifests);
    const hasUndefined = (value: Loose): boolean =>
      value === undefined ||
      (typeof value === 'object' &&
        value !== null &&
        Object.values(value).some(hasUndefined));
    expect(hasUndefined(output.manifests)).toBe(false);
  });

  it('every namespaced object lives in the plan namespace with the standard labels', () => {
    for (const manifest of output.manifests) {
      for (const object of manifest.objects) {
        const { metadata } = object;
        const clusterScoped = ['Namespace', 'PriorityClass'].includes(
          object.kind,
        );
        expect(metadata.namespace).toBe(
          clusterScoped ? undefined : plan.namespace,
        );
        expect(metadata.labels).toMatchObject({
          'app.kubernetes.io/part-of': plan.name,
          'app.kubernetes.io/managed-by': 'cloud-native-orchestrator',
        });
        expect(metadata.labels!['app.kubernetes.io/name']).toBeDefined();
        expect(metadata.labels!['app.kubernetes.io/instance']).toBeDefined();
        expect(metadata.labels!['app.kubernetes.io/component']).toBeDefined();
        expect(Object.keys(metadata.labels!)).toEqual(
          Object.keys(metadata.labels!).sort(),
        );
      }
    }
  });

  it('selectors use only the stable labels; pod templates carry them', () => {
    const objects = generateKubernetesObjects(plan, 'prod');
    const selectors = objects
      .map(object => {
        const objectSpec = object.spec as Loose;
        if (object.kind === 'Service') return objectSpec.selector;
        if (object.kind === 'NetworkPolicy') {
          return objectSpec.podSelector.matchLabels;
        }
        return objectSpec?.selector?.matchLabels;
      })
      .filter(Boolean);
    expect(selectors.length).toBeGreaterThan(20);
    for (const selector of selectors) {
      expect(Object.keys(selector)).toEqual([
        'app.kubernetes.io/name',
        'app.kubernetes.io/part-of',
      ]);
    }
    const workloads = objects.filter(object => podTemplateOf(object));
    expect(workloads.length).toBe(plan.services.length);
    for (const workload of workloads) {
      expect(podTemplateOf(workload).metadata.labels).toMatchObject(
        // by the service's name label: a Job is named after its image
        selectorLabels(
          plan,
          workload.metadata.labels!['app.kubernetes.io/name'],
        ),
      );
    }
  });

  it('the version label is the image tag', () => {
    const db = generateKubernetesObjects(plan, 'prod').find(
      o => o.kind === 'StatefulSet',
    )!;
    expect(db.metadata.labels!['app.kubernetes.io/version']).toBe('16.4');
  });

  it('notes say what was generated per environment', () => {
    expect(output.notes[0]).toMatch(
      /^kubernetes\/dev: \d+ objects in 10 files \(development profile\)$/,
    );
    expect(
      output.notes.some(n => /kubernetes\/prod: .*production profile/.test(n)),
    ).toBe(true);
    expect(new Set(output.notes).size).toBe(output.notes.length);
  });
});

describe('which services get objects', () => {
  it('only Kubernetes services of a hybrid plan', () => {
    const plan = planOf(
      spec({}, [
        svc('api', 'service'),
        svc('thumb', 'function', { trigger: { type: 'queue' } }),
      ]),
    );
    expect(plan.platform).toBe('hybrid');
    const output = run(plan);
    expect(output.manifests.map(m => m.path)).toEqual([
      'kubernetes/prod/namespace.yaml',
      'kubernetes/prod/api.yaml',
      'namespace/prod/namespace.yaml',
    ]);
    const names = output.manifests.flatMap(m =>
      m.objects.map(o => o.metadata.name),
    );
    expect(names.some(n => n.startsWith('thumb'))).toBe(false);
  });

  it('nothing for a serverless plan', () => {
    const plan = planOf(
      spec({ type: 'event-driven', requirements: ['cost'] }, [
        svc('thumb', 'function', { trigger: { type: 'queue' } }),
      ]),
    );
    expect(plan.platform).toBe('serverless');
    const output = run(plan);
    expect(output.manifests).toEqual([]);
    expect(output.files).toEqual([]);
    expect(generateKubernetesObjects(plan, 'prod')).toEqual([]);
  });

  it('a service named like a reserved file gets its own file', () => {
    const output = run(
      planOf(
        spec({}, [svc('namespace', 'service'), svc('kustomization', 'worker')]),
      ),
    );
    expect(output.manifests.map(m => m.path)).toEqual([
      'kubernetes/prod/namespace.yaml',
      'kubernetes/prod/namespace-service.yaml',
      'kubernetes/prod/kustomization-service.yaml',
      'namespace/prod/namespace.yaml',
    ]);
    expect(parse(output.files[0].content).resources).toEqual([
      'namespace.yaml',
      'namespace-service.yaml',
      'kustomization-service.yaml',
    ]);
  });
});

describe('secrets and config', () => {
  const objects = shopObjects();

  it('ConfigMap <svc>-config with sorted data', () => {
    const config = objects.find(o => o.kind === 'ConfigMap')! as Loose;
    expect(config.metadata.name).toBe('api-config');
    expect(Object.keys(config.data)).toEqual(['FEATURE_X', 'LOG_LEVEL']);
    expect(config.data).toEqual({ FEATURE_X: 'on', LOG_LEVEL: 'info' });
  });

  it('ExternalSecret references names only, never values', () => {
    const external = objects.find(o => o.kind === 'ExternalSecret')! as Loose;
    expect(external.apiVersion).toBe('external-secrets.io/v1');
    expect(external.metadata.name).toBe('api-secrets');
    expect(external.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'shop-secrets',
    });
    expect(external.spec.target.name).toBe('api-secrets');
    expect(external.spec.data).toEqual([
      { secretKey: 'API_KEY', remoteRef: { key: 'shop/api/API_KEY' } },
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'shop/api/DB_PASSWORD' } },
    ]);
    expect(objects.some(o => o.kind === 'Secret')).toBe(false);
  });

  it('no ConfigMap or ExternalSecret for services without env or secrets', () => {
    const names = objects
      .filter(o => o.kind === 'ConfigMap' || o.kind === 'ExternalSecret')
      .map(o => o.metadata.name);
    expect(names).toEqual(['api-config', 'api-secrets']);
  });
});
