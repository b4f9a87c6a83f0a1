import { SkillId } from '@internal/backstage-plugin-cloud-native-common';
import { containerImageOptimizer } from '../skills/container';
import { kubernetesManifestGenerator } from '../skills/kubernetes';
import { cloudServerlessDesigner } from '../skills/serverless';
import { kubernetesServicemeshConfigurator } from '../skills/mesh';
import { cloudKubernetesIntegrator } from '../skills/cloud';
import { kubernetesHelmBuilder } from '../skills/helm';
import { gitOpsGenerator } from '../skills/gitops';
import { Skill } from '../core/types';

/**
 * The skills this engine implements, by id. A plan may name a skill that is
 * not implemented yet; the engine records it in the trace as skipped.
 *
 * @public
 */
export const builtinSkills: Partial<Record<SkillId, Skill>> = {
  'container-image-optimizer': containerImageOptimizer,
  'kubernetes-manifest-generator': kubernetesManifestGenerator,
  'kubernetes-helm-builder': kubernetesHelmBuilder,
  'kubernetes-servicemesh-configurator': kubernetesServicemeshConfigurator,
  'cloud-serverless-designer': cloudServerlessDesigner,
  'cloud-kubernetes-integrator': cloudKubernetesIntegrator,
  'gitops-generator': gitOpsGenerator,
};
