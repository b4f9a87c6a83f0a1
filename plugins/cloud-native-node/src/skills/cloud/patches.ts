import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { EXTERNAL_SECRET_API_VERSION } from '../../plan/platform';
import { asObject } from '../../core/serialize';
import { baseSecretKey, servicesWithSecrets } from './context';
import { sortedRecord } from '../../core/collections';
import { JsonPatchOperation, OverlayPatch, PatchTarget } from './types';

/**
 * Overlay patches shared by the providers. Every patch names its target
 * exactly (kind, name, namespace), so a patch that no longer matches the
 * base fails the build instead of being ignored.
 */

/** A strategic-merge patch adding annotations to the ServiceAccount `<svc>`. */
export function serviceAccountPatch(
  plan: DeploymentPlan,
  serviceAccount: string,
  annotations: Record<string, string>,
  reason: string,
): OverlayPatch {
  const object: IServiceAccount & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: serviceAccount,
      namespace: plan.namespace,
      annotations: sortedRecord(annotations),
    },
  };
  return {
    file: `patches/${serviceAccount}-service-account.yaml`,
    content: asObject(object),
    // No target: a strategic-merge patch without one must match an object
    // of the base by kind/name/namespace, or the build fails.
    reason,
  };
}

/** The kind/group/version of a service's workload object. */
export function workloadTarget(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
): PatchTarget | undefined {
  const name = servicePlan.name;
  const namespace = plan.namespace;
  switch (servicePlan.objectKind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return {
        group: 'apps',
        version: 'v1',
        kind: servicePlan.objectKind,
        name,
        namespace,
      };
    case 'Rollout':
      return {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        name,
        namespace,
      };
    case 'Job':
    case 'CronJob':
      return {
        group: 'batch',
        version: 'v1',
        kind: servicePlan.objectKind,
        name,
        namespace,
      };
    default:
      return undefined;
  }
}

/** JSON pointer of the pod template of a workload kind. */
export function podTemplatePointer(kind: string): string {
  return kind === 'CronJob'
    ? '/spec/jobTemplate/spec/template'
    : '/spec/template';
}

/** Escapes a key for a JSON pointer (RFC 6901). */
export function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Operations renaming the remote keys of the ExternalSecret `<svc>-secrets`
 * (the base uses `<plan>/<svc>/<KEY>`, an AWS Secrets Manager path; GCP
 * Secret Manager and Azure Key Vault names cannot contain `/`). Each key is
 * `test`ed first, so a changed base fails the build.
 */
export function externalSecretKeyPatch(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  rename: (service: string, key: string) => string,
  reason: string,
): OverlayPatch {
  const keys = [...servicePlan.service.secrets].sort();
  const operations: JsonPatchOperation[] = keys.flatMap((key, index) => [
    {
      op: 'test' as const,
      path: `/spec/data/${index}/remoteRef/key`,
      value: baseSecretKey(plan, servicePlan.name, key),
    },
    {
      op: 'replace' as const,
      path: `/spec/data/${index}/remoteRef/key`,
      value: rename(servicePlan.name, key),
    },
  ]);
  return {
    file: `patches/${servicePlan.name}-external-secret.yaml`,
    content: operations,
    target: {
      group: 'external-secrets.io',
      version: EXTERNAL_SECRET_API_VERSION.split('/')[1],
      kind: 'ExternalSecret',
      name: `${servicePlan.name}-secrets`,
      namespace: plan.namespace,
    },
    reason,
  };
}

/**
 * The ExternalSecret patches of every service with secrets: the provider's
 * secret manager names each key its own way (`reason` says how).
 */
export function externalSecretKeyPatches(
  plan: DeploymentPlan,
  rename: (service: string, key: string) => string,
  reason: string,
): OverlayPatch[] {
  return servicesWithSecrets(plan).map(servicePlan =>
    externalSecretKeyPatch(plan, servicePlan, rename, reason),
  );
}
