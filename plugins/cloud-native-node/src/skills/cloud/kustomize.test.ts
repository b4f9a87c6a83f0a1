import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, KubernetesObject } from '../../core/types';
import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from '../../validation/schema';
import { validateCloudCustomObject } from '.';
import {
  examplePlan,
  kubectlPath,
  kustomizeBuild,
  MULTI_CLOUD_SPEC,
  packageFiles,
  planFromText,
  writeFiles,
} from './__fixtures__/helpers';
import { ManagedProvider } from '../../plan/names';
import { builtinStorageClasses } from './storage';

jest.setTimeout(300_000);

/**
 * Builds every overlay with the real `kubectl kustomize` (kubectl 1.35,
 * located like the package validation does) and checks the stream: every
 * object valid, the identities, labels, storage classes and secret names
 * as intended on each provider.
 */

const CASES: Array<[string, DeploymentPlan]> = [
  ['shop-eks-t2', examplePlan('shop-eks-t2')],
  ['marketplace-gke-t3', examplePlan('marketplace-gke-t3')],
  ['hybrid-aks', examplePlan('hybrid-aks')],
  ['multi-cloud', planFromText(MULTI_CLOUD_SPEC)],
];

const IDENTITY_ANNOTATION: Record<ManagedProvider, string> = {
  eks: 'eks.amazonaws.com/role-arn',
  gke: 'iam.gke.io/gcp-service-account',
  aks: 'azure.workload.identity/client-id',
};

describe('kustomize overlays build with kubectl', () => {
  let validator: KubernetesSchemaValidator;
  let kubectl: string;
  let root: string;
  const packages = new Map<string, { dir: string; files: GeneratedFile[] }>();

  beforeAll(async () => {
    validator = await createKubernetesSchemaValidator();
    kubectl = await kubectlPath();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-cloud-kustomize-'));
    for (const [name, plan] of CASES) {
      const { files } = await packageFiles(plan);
      const dir = path.join(root, name);
      await writeFiles(files, dir);
      packages.set(name, { dir, files });
    }
  });

  afterAll(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  function findings(object: KubernetesObject): string[] {
    const custom = validateCloudCustomObject(object);
    if (!custom[0]?.message.startsWith('Unknown kind')) {
      return custom.map(f => f.message);
    }
    return validator.validate(object).map(f => `${f.objectPath}: ${f.message}`);
  }

  const overlays = CASES.flatMap(([name, plan]) =>
    plan.environments.flatMap(environment =>
      plan.clusterProviders.map(
        provider =>
          [name, environment, provider as ManagedProvider, plan] as const,
      ),
    ),
  );

  it.each(overlays)(
    '%s: kustomize/%s/overlays/%s builds into a valid, consistent stream',
    (name, environment, provider, plan) => {
      const { dir, files } = packages.get(name)!;
      const objects = kustomizeBuild(
        kubectl,
        path.join(dir, `kustomize/${environment}/overlays/${provider}`),
      );
      expect(objects.length).toBeGreaterThan(10);

      // 1. every object passes the strict validators
      const problems = objects.flatMap(o =>
        findings(o).map(f => `${o.kind}/${o.metadata.name}: ${f}`),
      );
      expect(problems).toEqual([]);

      // 2. no object twice
      const ids = objects.map(
        o =>
          `${o.apiVersion.split('/')[0]}/${o.kind}/${
            o.metadata.namespace ?? ''
          }/${o.metadata.name}`,
      );
      expect(new Set(ids).size).toBe(ids.length);

      // 3. identity annotations: exactly the IAM documents' identities
      const byKind = (kind: string) => objects.filter(o => o.kind === kind);
      const annotated = byKind('ServiceAccount')
        .filter(o => o.metadata.annotations?.[IDENTITY_ANNOTATION[provider]])
        .map(o => [
          o.metadata.name,
          o.metadata.annotations![IDENTITY_ANNOTATION[provider]],
        ]);
      const documented = documentedIdentities(files, provider, environment);
      expect(annotated.sort()).toEqual(documented.sort());
      const withSecrets = plan.services.filter(
        s => s.runtime === 'kubernetes' && s.service.secrets.length > 0,
      );
      expect(annotated.length).toBe(withSecrets.length + 1);

      // 4. storage classes of StatefulSets exist in the stream or the provider
      const classes = new Set([
        ...byKind('StorageClass').map(o => o.metadata.name),
        ...builtinStorageClasses(provider),
      ]);
      for (const statefulSet of byKind('StatefulSet')) {
        for (const claim of (statefulSet.spec as any).volumeClaimTemplates) {
          expect(classes).toContain(claim.spec.storageClassName);
        }
      }

      // 5. secret names valid in the provider's backend
      const keys = byKind('ExternalSecret').flatMap(o =>
        (o.spec as any).data.map((d: any) => d.remoteRef.key as string),
      );
      expect(keys.length).toBeGreaterThan(0);
      const validKey = {
        eks: /^[a-z0-9-]+\/[a-z0-9-]+\/[A-Z0-9_]+$/,
        gke: /^[A-Za-z0-9_-]+$/,
        aks: /^[0-9A-Za-z-]+$/,
      }[provider];
      expect(keys.filter(key => !validKey.test(key))).toEqual([]);
      const store = byKind('ClusterSecretStore');
      expect(store.map(o => o.metadata.name)).toEqual([`${plan.name}-secrets`]);

      // 6. provider specifics
      const workloads = objects.filter(o =>
        [
          'Deployment',
          'StatefulSet',
          'Rollout',
          'CronJob',
          'DaemonSet',
          'Job',
        ].includes(o.kind),
      );
      const podLabels = (o: KubernetesObject) =>
        (o.kind === 'CronJob'
          ? (o.spec as any).jobTemplate.spec.template
          : (o.spec as any).template
        ).metadata.labels;
      const labelled = workloads
        .filter(o => podLabels(o)['azure.workload.identity/use'] === 'true')
        .map(o => o.metadata.name)
        .sort();
      expect(labelled).toEqual(
        provider === 'aks' ? withSecrets.map(s => s.name).sort() : [],
      );
      const karpenter =
        provider === 'eks' && plan.tierFeatures.costOptimization;
      expect(byKind('NodePool')).toHaveLength(karpenter ? 1 : 0);
      expect(
        byKind('StatefulSet').map(
          o => (o.spec as any).template.spec.nodeSelector,
        ),
      ).toEqual(
        byKind('StatefulSet').map(() =>
          karpenter ? { 'karpenter.sh/capacity-type': 'on-demand' } : undefined,
        ),
      );
      // the mesh skill's objects come through the base
      expect(byKind('PeerAuthentication').length > 0).toBe(
        plan.mesh === 'istio',
      );
      const monitors = byKind('ServiceMonitor').length;
      expect(monitors > 0).toBe(plan.tier === 'T3');
    },
  );

  it('a patch that no longer matches the base fails the build', async () => {
    const { dir } = packages.get('hybrid-aks')!;
    const copy = path.join(root, 'tampered');
    await fs.cp(dir, copy, { recursive: true });
    // the base ExternalSecret key changes: the patch's `test` op must fail
    const base = path.join(copy, 'kubernetes/prod/claims-api.yaml');
    await fs.writeFile(
      base,
      (
        await fs.readFile(base, 'utf8')
      ).replace(
        'key: claims/claims-api/CONNECTION_STRING',
        'key: claims/claims-api/RENAMED',
      ),
    );
    expect(() =>
      kustomizeBuild(kubectl, path.join(copy, 'kustomize/prod/overlays/aks')),
    ).toThrow(/test|testing value/i);
    // a ServiceAccount patch whose ServiceAccount is gone
    const sa = path.join(
      copy,
      'kustomize/staging/overlays/aks/patches/claims-api-service-account.yaml',
    );
    await fs.writeFile(
      sa,
      (
        await fs.readFile(sa, 'utf8')
      ).replace('name: claims-api', 'name: claims-gone'),
    );
    expect(() =>
      kustomizeBuild(
        kubectl,
        path.join(copy, 'kustomize/staging/overlays/aks'),
      ),
    ).toThrow();
  });
});

/** [serviceAccount, identity] pairs from the IAM documents of one cluster. */
function documentedIdentities(
  files: GeneratedFile[],
  provider: ManagedProvider,
  environment: string,
): string[][] {
  const get = (p: string) => files.find(f => f.path === p)?.content;
  if (provider === 'eks') {
    const roles = get(`cloud/eks/iam/${environment}/roles.json`);
    return (JSON.parse(roles ?? '[]') as any[]).map(r => [
      r.serviceAccount.name,
      r.roleArn,
    ]);
  }
  if (provider === 'gke') {
    return files
      .filter(
        f =>
          f.path.startsWith(`cloud/gke/iam/${environment}/`) &&
          f.path.endsWith('-binding.json'),
      )
      .map(f => JSON.parse(f.content))
      .map(d => [
        d.kubernetesServiceAccount.name,
        d.googleServiceAccount.email,
      ]);
  }
  const identities = get(`cloud/aks/identity/${environment}/identities.json`);
  return (JSON.parse(identities ?? '[]') as any[]).map(i => [
    i.serviceAccount.name,
    i.clientId,
  ]);
}
