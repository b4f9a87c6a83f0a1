import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import {
  GeneratedFile,
  Skill,
  SkillContext,
  SkillOutput,
} from '../../core/types';
import { awsOutput } from './aws';
import { azureOutput } from './azure';
import { kubernetesServices } from '../../plan/workload';
import { ManagedProvider } from '../../plan/names';
import { managedProviders } from '../../plan/install';
import { providerReadme } from './docs';
import { gcpOutput } from './gcp';
import { assemble } from './kustomize';
import { ProviderOutput } from './types';
import { cloudValidators } from './models';

/**
 * The cloud-kubernetes-integrator skill: what the kubernetes skill's
 * portable manifests need on a managed cluster.
 *
 * Output, per provider (`eks`, `gke`, `aks`; all three for multi-cloud):
 *
 * - `cloud/<provider>/<env>/*.yaml`: provider objects (StorageClass,
 *   ClusterSecretStore and its ServiceAccount, Karpenter on EKS from T2,
 *   monitoring from T3) with a `kustomization.yaml`;
 * - IAM documents: `cloud/eks/iam/<env>/`, `cloud/gke/iam/<env>/`,
 *   `cloud/aks/identity/<env>/`, each with a setup script;
 * - `cloud/<provider>/README.md`, `cloud/gke/cluster.md`,
 *   `cloud/aks/cluster-autoscaler-profile.json`;
 * - `kustomize/<env>/base` and `kustomize/<env>/overlays/<provider>`: the
 *   environment's manifests plus the provider's objects and patches
 *   (ServiceAccount identity annotations, storage classes, Workload ID pod
 *   labels, secret names), one `kubectl apply -k` per cluster.
 *
 * See ./kustomize.ts for the layout and ./README.md for the decisions.
 */

const PROVIDERS: Record<
  ManagedProvider,
  (plan: DeploymentPlan) => ProviderOutput
> = {
  eks: awsOutput,
  gke: gcpOutput,
  aks: azureOutput,
};

function kustomizeReadme(
  plan: DeploymentPlan,
  providers: ManagedProvider[],
): GeneratedFile {
  const lines = [
    `# Kustomize overlays of ${plan.name}`,
    '',
    '```',
    'kustomize/<env>/base                  → ../../../kubernetes/<env>',
    'kustomize/<env>/overlays/<provider>   → ../../base + ../../../../cloud/<provider>/<env> + patches/',
    '```',
    '',
    'Deploy one environment to one cluster:',
    '',
    '```sh',
    ...plan.environments.flatMap(env =>
      providers.map(p => `kubectl apply -k kustomize/${env}/overlays/${p}`),
    ),
    '```',
    '',
    'Preview with `kubectl kustomize <overlay>`. Patch files sit in the overlay folder because kustomize loads files only from inside a kustomization root.',
    '',
  ];
  return { path: 'kustomize/README.md', content: lines.join('\n') };
}

function run(
  plan: DeploymentPlan,
  outputs: SkillContext['outputs'],
): SkillOutput {
  const providers = managedProviders(plan);
  if (providers.length === 0 || kubernetesServices(plan).length === 0) {
    return {
      files: [],
      manifests: [],
      notes: [
        'No managed Kubernetes cluster in the plan: nothing to integrate',
      ],
    };
  }
  const providerOutputs = providers.map(provider => PROVIDERS[provider](plan));
  const meshFiles = new Set(
    (outputs['kubernetes-servicemesh-configurator']?.files ?? []).map(
      f => f.path,
    ),
  );
  const { manifests, files } = assemble(plan, providerOutputs, environment =>
    meshFiles.has(`mesh/${environment}/kustomization.yaml`),
  );
  files.push(...providerOutputs.map(output => providerReadme(plan, output)));
  files.push(kustomizeReadme(plan, providers));
  const notes = [
    `Kustomize overlays per environment for ${providers.join(
      ', ',
    )}: kubectl apply -k kustomize/<env>/overlays/<provider>`,
    ...providerOutputs.flatMap(output =>
      output.notes.map(note => `${output.provider}: ${note}`),
    ),
  ];
  if (plan.tierFeatures.observability && plan.mesh === 'istio') {
    notes.push(
      'Istio STRICT mTLS: PodMonitorings scrape the merged metrics endpoint (15020); give the Prometheus Operator Istio certificates to use the ServiceMonitors (cloud/<provider>/README.md)',
    );
  }
  return {
    files: [...files, ...providerOutputs.flatMap(o => o.files)],
    manifests,
    notes: [...new Set(notes)],
  };
}

/**
 * The cloud-kubernetes-integrator skill.
 */
export const cloudKubernetesIntegrator: Skill = {
  id: 'cloud-kubernetes-integrator',
  run: ({ plan, outputs }) => run(plan, outputs),
  validators: cloudValidators,
};

export type { ManagedProvider } from '../../plan/names';
export { cloudValidators, validateCloudCustomObject } from './models';
