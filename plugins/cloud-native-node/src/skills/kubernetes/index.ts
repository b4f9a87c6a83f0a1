/**
 * The kubernetes-manifest-generator skill.
 *
 * Output layout, per environment of the plan:
 *
 * - `kubernetes/<env>/namespace.yaml`: Namespace, PriorityClass (daemons),
 *   namespace-wide NetworkPolicies (T2+)
 * - `kubernetes/<env>/<service>.yaml`: every object of one service
 * - `kubernetes/<env>/kustomization.yaml`: a Kustomization listing them
 * - `namespace/<env>/namespace.yaml` (and its kustomization): the Namespace
 *   alone, which every install path applies first (see namespaceDirectory)
 */
export {
  kubernetesManifestGenerator,
  generateKubernetesObjects,
  buildEnvironment,
} from './generator';
export { manifestDirectory, namespaceDirectory } from '../../plan/names';
export { namespaceObject } from '../../plan/namespace';
export type { EnvironmentObjects } from '../../core/types';
export {
  environmentProfile,
  classifyEnvironment,
  resourceSettings,
} from '../../plan/profile';
export type {
  EnvironmentClass,
  EnvironmentProfile,
  ResourceSettings,
  ServiceProfile,
} from '../../plan/profile';
export { nativeSidecar, hardenedContainerSecurityContext } from './pod';
export { selectorLabels, serviceLabels } from '../../plan/labels';
export {
  analysisTemplateName,
  AB_HEADER,
  AB_ROUTE,
  ISTIO_PRIMARY_ROUTE,
} from '../../plan/rollout';
