import { KubernetesObject } from '../core/types';
import { cloudObjectValidators } from '../skills/cloud';
import { gitOpsObjectValidators } from '../skills/gitops';
import { knativeObjectValidators } from '../skills/serverless/knativeSchemas';

/**
 * Strict validators for object kinds the Kubernetes schema registry does not
 * cover (Argo CD, Flux, GKE PodMonitoring, Knative ...), contributed by the skills
 * that emit them.
 */
export interface ExtraObjectValidator {
  handles(object: KubernetesObject): boolean;
  validate(object: KubernetesObject): Array<{ path: string; message: string }>;
}

export const extraObjectValidators: ExtraObjectValidator[] = [
  ...cloudObjectValidators,
  ...gitOpsObjectValidators,
  ...knativeObjectValidators,
];
