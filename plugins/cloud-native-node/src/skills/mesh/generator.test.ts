import { parse } from 'yaml';
import { toYamlDocuments } from '../../core/serialize';
import { generatePackage } from '../../engine/orchestrate';
import { builtinSkills } from '../../engine/skills';
import { SkillOutput } from '../../core/types';
import { kubernetesManifestGenerator } from '../kubernetes';
import {
  LINKERD_SPEC,
  marketplacePlan,
  planOf,
  runSkills,
  spec,
  svc,
} from './__fixtures__/plans';
import {
  buildMeshEnvironment,
  kubernetesServicemeshConfigurator,
} from './index';

jest.setTimeout(60_000);

/** Everything the skill returns, as the engine would write it. */
function serialized(output: SkillOutput): string {
  return JSON.stringify({
    files: output.files,
    manifests: output.manifests.map(m => ({
      path: m.path,
      content: toYamlDocuments(m.objects),
    })),
    notes: output.notes,
  });
}

describe('kubernetesServicemeshConfigurator', () => {
  it('has the skill id of the plan', () => {
    expect(kubernetesServicemeshConfigurator.id).toBe(
      'kubernetes-servicemesh-configurator',
    );
  });

  it('mesh none: no files, no manifests', () => {
    for (const plan of [
      // explicitly, and by the rules (mesh auto, five services or fewer)
      planOf(LINKERD_SPEC({ mesh: 'none', tier: 'T3' })),
      planOf(
        spec({ mesh: 'auto' }, [
          svc('web', 'service', { port: 3000, dependsOn: ['api'] }),
          svc('api', 'service', { port: 8080 }),
        ]),
      ),
    ]) {
      expect(plan.mesh).toBe('none');
      const output = kubernetesServicemeshConfigurator.run({
        plan,
        outputs: {},
      });
      expect(output.files).toEqual([]);
      expect(output.manifests).toEqual([]);
      expect(buildMeshEnvironment(plan, plan.environments[0])).toEqual({
        environment: plan.environments[0],
        shared: [],
        services: [],
      });
    }
  });

  it('no Kubernetes services: no output', () => {
    const plan = planOf(
      spec({ cloud: 'aws', mesh: 'istio' }, [
        svc('thumb', 'function', { trigger: { type: 'queue' } }),
      ]),
    );
    const output = kubernetesServicemeshConfigurator.run({ plan, outputs: {} });
    expect(output.files).toEqual([]);
    expect(output.manifests).toEqual([]);
  });

  it.each([
    ['istio', () => marketplacePlan()],
    ['linkerd', async () => planOf(LINKERD_SPEC())],
  ])('%s output is deterministic', async (_, makePlan) => {
    const first = runSkills(await makePlan()).mesh;
    const second = runSkills(await makePlan()).mesh;
    expect(serialized(second)).toBe(serialized(first));
    expect(serialized(first)).not.toBe('');
  });

  it.each([
    ['istio', () => marketplacePlan()],
    ['linkerd', async () => planOf(LINKERD_SPEC())],
  ])(
    '%s: every environment has a kustomization listing exactly its files',
    async (_, makePlan) => {
      const plan = await makePlan();
      const { mesh } = runSkills(plan);
      expect(mesh.files.map(f => f.path)).toEqual(
        plan.environments.map(env => `mesh/${env}/kustomization.yaml`),
      );
      for (const environment of plan.environments) {
        const kustomization = parse(
          mesh.files.find(
            f => f.path === `mesh/${environment}/kustomization.yaml`,
          )!.content,
        );
        const manifests = mesh.manifests.filter(
          m => m.environment === environment,
        );
        expect(kustomization).toEqual({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: manifests.map(m =>
            m.path.replace(`mesh/${environment}/`, ''),
          ),
        });
        expect(kustomization.resources[0]).toBe('mesh.yaml');
        for (const manifest of manifests) {
          for (const object of manifest.objects) {
            expect(object.metadata.namespace).toBe(plan.namespace);
            expect(
              object.metadata.labels?.['cloud-native.backstage.io/environment'],
            ).toBe(environment);
          }
        }
      }
    },
  );

  it('a service named like a reserved file gets another file name', () => {
    const plan = planOf(
      spec({ mesh: 'istio' }, [
        svc('mesh', 'service', { port: 8080, dependsOn: ['kustomization'] }),
        svc('kustomization', 'service', { port: 8080 }),
      ]),
    );
    const output = kubernetesServicemeshConfigurator.run({ plan, outputs: {} });
    expect(output.manifests.map(m => m.path)).toEqual([
      'mesh/prod/mesh.yaml',
      'mesh/prod/mesh-service.yaml',
      'mesh/prod/kustomization-service.yaml',
    ]);
  });

  it('warns when the Namespace lacks the injection switch', async () => {
    const plan = await marketplacePlan();
    const kubernetes = kubernetesManifestGenerator.run({ plan, outputs: {} });
    const stripped = structuredClone(kubernetes);
    for (const object of stripped.manifests.flatMap(m => m.objects)) {
      if (object.kind === 'Namespace') {
        delete object.metadata.labels!['istio-injection'];
      }
    }
    const output = kubernetesServicemeshConfigurator.run({
      plan,
      outputs: { 'kubernetes-manifest-generator': stripped },
    });
    expect(output.notes).toContainEqual(
      expect.stringMatching(
        /^WARNING: Namespace marketplace lacks label istio-injection/,
      ),
    );
    // without the kubernetes output there is nothing to verify
    expect(
      kubernetesServicemeshConfigurator.run({ plan, outputs: {} }).notes,
    ).toContainEqual(expect.stringMatching(/was not available to check/));
  });

  it('in the engine: the Istio package is valid and mesh objects clash with nothing', async () => {
    const plan = await marketplacePlan();
    const pkg = await generatePackage(plan, {
      skills: {
        ...builtinSkills,
        'kubernetes-servicemesh-configurator':
          kubernetesServicemeshConfigurator,
      },
    });
    expect(pkg.findings.filter(f => f.file.startsWith('mesh/'))).toEqual([]);
    expect(pkg.findings.filter(f => f.severity === 'error')).toEqual([]);
    const entry = pkg.report;
    expect(JSON.stringify(entry)).toContain(
      'kubernetes-servicemesh-configurator',
    );
    expect(pkg.files.map(f => f.path)).toContain(
      'mesh/prod/kustomization.yaml',
    );
  });
});
