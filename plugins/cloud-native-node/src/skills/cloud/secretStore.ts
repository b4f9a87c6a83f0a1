import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { ISecretStoreProvider } from '@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStoreProvider';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { sharedLabels } from '../../plan/labels';
import { secretStoreName } from '../../plan/names';
import { asObject } from '../../core/serialize';
import { CloudIdentity } from './context';
import { ResourceFile } from './types';
import { sortedRecord } from '../../core/collections';

/**
 * The External Secrets Operator ClusterSecretStore `<plan>-secrets` that the
 * kubernetes skill's ExternalSecrets reference (one per cluster, so each
 * environment reads its own backend), and the ServiceAccount whose cloud
 * identity it uses. The store may only be used from the plan's namespace.
 */
export function secretStoreObjects(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
  annotations: Record<string, string>,
  provider: ISecretStoreProvider,
): KubernetesObject[] {
  const serviceAccount: IServiceAccount & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: identity.serviceAccount,
      namespace: identity.namespace,
      labels: sharedLabels(plan, 'secret-store', environment),
      annotations: sortedRecord(annotations),
    },
    // ESO requests this account's tokens through the TokenRequest API; no
    // pod mounts it.
    automountServiceAccountToken: false,
  };
  const store: IClusterSecretStore & { metadata: { name: string } } = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: {
      name: secretStoreName(plan.name),
      labels: sharedLabels(plan, 'secret-store', environment),
    },
    spec: {
      conditions: [{ namespaces: [plan.namespace] }],
      provider,
    },
  };
  return [asObject(serviceAccount), asObject(store)];
}

/** How one provider's store reaches its backend. */
export interface StoreBackend {
  /** On the store's ServiceAccount: the cloud identity it maps to */
  annotations: Record<string, string>;
  provider: ISecretStoreProvider;
}

/**
 * `secret-store.yaml` of one environment ({@link secretStoreObjects}) when
 * some service reads secrets, i.e. when the plan has the store identity
 * (the one of no service); nothing otherwise.
 */
export function secretStoreResources(
  plan: DeploymentPlan,
  environment: string,
  identities: CloudIdentity[],
  backend: (store: CloudIdentity) => StoreBackend,
): ResourceFile[] {
  const store = identities.find(i => i.service === undefined);
  if (!store) return [];
  const { annotations, provider } = backend(store);
  return [
    {
      file: 'secret-store.yaml',
      objects: secretStoreObjects(
        plan,
        environment,
        store,
        annotations,
        provider,
      ),
      validation: 'schema',
    },
  ];
}

/** The reference ESO uses to request the store identity's token. */
export function storeServiceAccountRef(identity: CloudIdentity) {
  return { name: identity.serviceAccount, namespace: identity.namespace };
}
