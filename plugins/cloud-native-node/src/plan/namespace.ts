import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { asObject } from '../core/serialize';
import { KubernetesObject } from '../core/types';
import { sharedLabels, sortedRecord } from './labels';

/**
 * The Pod Security Admission labels of a namespace: the tier's level is
 * enforced; `audit`/`warn` are always `restricted`, so baseline namespaces
 * still report what restricted would reject.
 */
export function podSecurityLabels(
  plan: Pick<DeploymentPlan, 'tierFeatures'>,
): Record<string, string> {
  return {
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/enforce': plan.tierFeatures.podSecurity,
    'pod-security.kubernetes.io/warn': 'restricted',
  };
}

/**
 * The namespace of an environment, with its Pod Security Admission level
 * (the tier's `enforce`, `restricted` for `audit`/`warn` so baseline
 * namespaces still report what restricted would reject) and mesh injection
 * (Istio's label, Linkerd's annotation).
 *
 * The one definition of the namespace object: the manifests
 * (`kubernetes/<env>/namespace.yaml`), the namespace the Helm release is
 * installed into (`namespace/<env>`, applied before it: the chart does not
 * render it) and the labels Argo CD puts on the namespace it creates
 * (`managedNamespaceMetadata`) all come from here.
 *
 * @public
 */
export function namespaceObject(
  plan: DeploymentPlan,
  environment: string,
): KubernetesObject {
  const labels: Record<string, string> = {
    ...sharedLabels(plan, 'namespace', environment),
    ...podSecurityLabels(plan),
  };
  const annotations: Record<string, string> = {};
  if (plan.mesh === 'istio') labels['istio-injection'] = 'enabled';
  if (plan.mesh === 'linkerd') annotations['linkerd.io/inject'] = 'enabled';
  const object: INamespace & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: plan.namespace,
      labels: sortedRecord(labels),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  };
  return asObject(object);
}
