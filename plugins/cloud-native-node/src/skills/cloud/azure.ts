import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import {
  CloudIdentity,
  cloudIdentities,
  identityKey,
  clusterName,
  jsonFile,
  PLACEHOLDERS,
  placeholderGuid,
  serviceAccountSubject,
  shellQuote,
} from './context';
import { kubernetesServices } from '../../plan/workload';
import { shorten } from '../../plan/names';
import {
  externalSecretKeyPatches,
  podTemplatePointer,
  pointerKey,
  serviceAccountPatch,
  workloadTarget,
} from './patches';
import { monitoringResources } from './providerCommon';
import { secretStoreResources, storeServiceAccountRef } from './secretStore';
import { storageOutput } from './storage';
import { ProviderEnvironment, ProviderOutput } from './types';

/**
 * Azure / AKS.
 *
 * - Microsoft Entra Workload ID: a user-assigned managed identity per
 *   identity, a federated credential trusting exactly its ServiceAccount
 *   (`system:serviceaccount:<ns>:<sa>`, audience `api://AzureADTokenExchange`,
 *   the cluster's OIDC issuer), the ServiceAccount annotated with
 *   `azure.workload.identity/client-id`, and the pod template labelled
 *   `azure.workload.identity/use: "true"` (a kustomize patch per workload).
 * - `Key Vault Secrets User` assigned per secret (scope
 *   `<vault>/secrets/<name>`), never on the subscription or resource group.
 * - Key Vault secret names allow only letters, digits and `-`: the
 *   ExternalSecrets' keys become `<plan>-<svc>-<KEY with _ → ->`.
 * - Storage: AKS installs `managed-csi` / `managed-csi-premium` (Azure Disk
 *   CSI, WaitForFirstConsumer); they are referenced, never redefined.
 * - Cluster autoscaler profile; Azure Monitor managed Prometheus
 *   (`azmonitoring.coreos.com/v1` ServiceMonitors) from T3.
 */

/** `Key Vault Secrets User`, a built-in role. */
const KEY_VAULT_SECRETS_USER = {
  name: 'Key Vault Secrets User',
  id: '4633458b-17de-408a-b874-0445c86b69e6',
} as const;

const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';
const USE_LABEL = 'azure.workload.identity/use';
const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

export function resourceGroup(
  plan: DeploymentPlan,
  environment: string,
): string {
  return shorten(`rg-${plan.name}-${environment}`, 90);
}

/** Key Vault names: 3–24 letters, digits and single hyphens. */
export function vaultName(plan: DeploymentPlan, environment: string): string {
  return shorten(`kv-${plan.name}-${environment}`.replace(/-+/g, '-'), 24);
}

export function identityName(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  return shorten(
    `id-${plan.name}-${environment}-${identityKey(plan, identity)}`,
    128,
  );
}

/**
 * The identity's client id: unknown until the identity exists, so a
 * placeholder GUID (see `placeholderGuid`) that `setup.sh` replaces with the
 * real one in the overlay.
 */
export function clientIdPlaceholder(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  return placeholderGuid(
    `${resourceGroup(plan, environment)}/${identityName(
      plan,
      environment,
      identity,
    )}`,
  );
}

function oidcIssuerPlaceholder(
  plan: DeploymentPlan,
  environment: string,
): string {
  return `https://${plan.region}.oic.prod-aks.azure.com/${
    PLACEHOLDERS.azureTenantId
  }/${placeholderGuid(`oidc/${clusterName(plan, environment)}`)}/`;
}

/** Key Vault secret name: `[0-9a-zA-Z-]{1,127}`. */
export function keyVaultSecretName(
  plan: DeploymentPlan,
  service: string,
  key: string,
): string {
  return `${plan.name}-${service}-${key.replace(/_/g, '-')}`.slice(0, 127);
}

function vaultScope(plan: DeploymentPlan, environment: string): string {
  return `/subscriptions/${
    PLACEHOLDERS.azureSubscriptionId
  }/resourceGroups/${resourceGroup(
    plan,
    environment,
  )}/providers/Microsoft.KeyVault/vaults/${vaultName(plan, environment)}`;
}

export function federatedCredential(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
) {
  return {
    name: shorten(
      `${clusterName(plan, environment)}-${identity.namespace}-${
        identity.serviceAccount
      }`,
      120,
    ),
    identityName: identityName(plan, environment, identity),
    resourceGroup: resourceGroup(plan, environment),
    issuer: oidcIssuerPlaceholder(plan, environment),
    subject: serviceAccountSubject(identity),
    audiences: [WORKLOAD_IDENTITY_AUDIENCE],
  };
}

export function roleAssignments(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
) {
  return identity.secrets.map(secret => ({
    roleDefinitionName: KEY_VAULT_SECRETS_USER.name,
    roleDefinitionId: KEY_VAULT_SECRETS_USER.id,
    scope: `${vaultScope(plan, environment)}/secrets/${keyVaultSecretName(
      plan,
      secret.service,
      secret.key,
    )}`,
    assignee: identityName(plan, environment, identity),
    assigneeClientId: clientIdPlaceholder(plan, environment, identity),
    principalType: 'ServicePrincipal',
  }));
}

/** Cluster autoscaler profile by tier (`az aks update --cluster-autoscaler-profile`). */
function clusterAutoscalerProfile(
  plan: DeploymentPlan,
): Record<string, string> {
  const t3 = plan.tier === 'T3';
  const t1 = plan.tier === 'T1';
  return {
    'balance-similar-node-groups': t3 ? 'true' : 'false',
    expander: 'least-waste',
    'max-graceful-termination-sec': '600',
    'scale-down-delay-after-add': t3 ? '15m' : '10m',
    'scale-down-unneeded-time': t3 ? '15m' : '10m',
    'scale-down-utilization-threshold': t1 ? '0.5' : '0.6',
    'scan-interval': t1 ? '20s' : '10s',
    'skip-nodes-with-local-storage': 'false',
    'skip-nodes-with-system-pods': 'true',
  };
}

function setupScript(
  plan: DeploymentPlan,
  environment: string,
  identities: CloudIdentity[],
): string {
  const cluster = clusterName(plan, environment);
  const lines = [
    '#!/usr/bin/env bash',
    `# Workload identities of ${plan.name} (${environment}) on the AKS cluster ${cluster}.`,
    '# Needs az, a cluster created with --enable-oidc-issuer --enable-workload-identity,',
    `# and the Key Vault ${vaultName(
      plan,
      environment,
    )} (RBAC authorization) holding the secrets.`,
    '# Replaces the placeholder client ids of the overlay with the real ones.',
    'set -euo pipefail',
    'ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"',
    `RG=${shellQuote(resourceGroup(plan, environment))}`,
    `CLUSTER=${shellQuote(cluster)}`,
    '# Portable in-place substitution (GNU and BSD sed differ on -i).',
    'replace() { local tmp; tmp="$(mktemp)"; sed "s/$1/$2/g" "$3" > "$tmp" && cat "$tmp" > "$3" && rm -f "$tmp"; }',
    'ISSUER="$(az aks show -g "$RG" -n "$CLUSTER" --query oidcIssuerProfile.issuerUrl -o tsv)"',
    `VAULT_ID="$(az keyvault show -g "$RG" -n ${shellQuote(
      vaultName(plan, environment),
    )} --query id -o tsv)"`,
    '',
  ];
  for (const identity of identities) {
    const name = identityName(plan, environment, identity);
    const credential = federatedCredential(plan, environment, identity);
    const placeholder = clientIdPlaceholder(plan, environment, identity);
    const patched = identity.service
      ? `kustomize/${environment}/overlays/aks/patches/${identity.serviceAccount}-service-account.yaml`
      : `cloud/aks/${environment}/secret-store.yaml`;
    lines.push(
      `# ${identity.purpose}`,
      `az identity create -g "$RG" -n ${shellQuote(name)} --output none`,
      `CLIENT_ID="$(az identity show -g "$RG" -n ${shellQuote(
        name,
      )} --query clientId -o tsv)"`,
      `PRINCIPAL_ID="$(az identity show -g "$RG" -n ${shellQuote(
        name,
      )} --query principalId -o tsv)"`,
      `az identity federated-credential create -g "$RG" --identity-name ${shellQuote(
        name,
      )} --name ${shellQuote(
        credential.name,
      )} --issuer "$ISSUER" --subject ${shellQuote(
        credential.subject,
      )} --audiences ${WORKLOAD_IDENTITY_AUDIENCE} --output none`,
    );
    for (const secret of identity.secrets) {
      lines.push(
        `az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role ${shellQuote(
          KEY_VAULT_SECRETS_USER.name,
        )} --scope "$VAULT_ID/secrets/${keyVaultSecretName(
          plan,
          secret.service,
          secret.key,
        )}" --output none`,
      );
    }
    lines.push(`replace ${placeholder} "$CLIENT_ID" "$ROOT/${patched}"`, '');
  }
  return lines.join('\n');
}

export function azureOutput(plan: DeploymentPlan): ProviderOutput {
  const notes = new Set<string>();
  const identities = cloudIdentities(plan);
  const environments: ProviderEnvironment[] = [];
  const files: GeneratedFile[] = [];
  const byName = new Map(kubernetesServices(plan).map(s => [s.name, s]));

  for (const environment of plan.environments) {
    const { resources, patches } = storageOutput(plan, 'aks', notes);

    for (const identity of identities) {
      if (!identity.service) continue;
      const clientId = clientIdPlaceholder(plan, environment, identity);
      patches.push(
        serviceAccountPatch(
          plan,
          identity.serviceAccount,
          { [CLIENT_ID_ANNOTATION]: clientId },
          `Workload ID: managed identity ${identityName(
            plan,
            environment,
            identity,
          )}`,
        ),
      );
      const servicePlan = byName.get(identity.service)!;
      const target = workloadTarget(plan, servicePlan);
      if (target) {
        patches.push({
          file: `patches/${servicePlan.name}-workload-identity.yaml`,
          content: [
            {
              op: 'add',
              path: `${podTemplatePointer(
                target.kind,
              )}/metadata/labels/${pointerKey(USE_LABEL)}`,
              value: 'true',
            },
          ],
          target,
          reason: `pods use Workload ID (label ${USE_LABEL})`,
        });
      }
    }
    patches.push(
      ...externalSecretKeyPatches(
        plan,
        (service, key) => keyVaultSecretName(plan, service, key),
        'Key Vault secret names (letters, digits, "-")',
      ),
    );
    resources.push(
      ...secretStoreResources(plan, environment, identities, store => ({
        annotations: {
          [CLIENT_ID_ANNOTATION]: clientIdPlaceholder(plan, environment, store),
        },
        provider: {
          azurekv: {
            authType: 'WorkloadIdentity',
            vaultUrl: `https://${vaultName(plan, environment)}.vault.azure.net`,
            tenantId: PLACEHOLDERS.azureTenantId,
            serviceAccountRef: storeServiceAccountRef(store),
          },
        },
      })),
    );
    resources.push(...monitoringResources(plan, 'aks', environment));
    environments.push({ environment, resources, patches });

    if (identities.length > 0) {
      const directory = `cloud/aks/identity/${environment}`;
      for (const identity of identities) {
        files.push(
          jsonFile(
            `${directory}/${identity.serviceAccount}-federated-credential.json`,
            federatedCredential(plan, environment, identity),
          ),
          jsonFile(
            `${directory}/${identity.serviceAccount}-role-assignments.json`,
            roleAssignments(plan, environment, identity),
          ),
        );
      }
      files.push(
        jsonFile(
          `${directory}/identities.json`,
          identities.map(identity => ({
            name: identityName(plan, environment, identity),
            resourceGroup: resourceGroup(plan, environment),
            clientId: clientIdPlaceholder(plan, environment, identity),
            serviceAccount: {
              namespace: identity.namespace,
              name: identity.serviceAccount,
            },
            subject: serviceAccountSubject(identity),
            purpose: identity.purpose,
            federatedCredential: `${identity.serviceAccount}-federated-credential.json`,
            roleAssignments: `${identity.serviceAccount}-role-assignments.json`,
          })),
        ),
        {
          path: `${directory}/setup.sh`,
          content: setupScript(plan, environment, identities),
          mode: 0o755,
        },
      );
    }
  }
  files.push(
    jsonFile(
      'cloud/aks/cluster-autoscaler-profile.json',
      clusterAutoscalerProfile(plan),
    ),
  );

  if (identities.length > 0) {
    notes.add(
      'Workload ID: one managed identity per ServiceAccount that reads secrets, Key Vault Secrets User per secret (cloud/aks/identity/<env>); client ids are placeholders until setup.sh runs',
    );
  }
  notes.add(
    'Application routing ingress (webapprouting.kubernetes.azure.com) as emitted by the kubernetes skill',
  );
  return { provider: 'aks', environments, files, notes: [...notes] };
}
