import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import {
  CloudIdentity,
  cloudIdentities,
  identityKey,
  clusterName,
  PLACEHOLDERS,
  RegistryOwner,
  registryOwner,
  shellQuote,
  jsonFile,
} from './context';
import { shorten } from '../../plan/names';
import { externalSecretKeyPatches, serviceAccountPatch } from './patches';
import { monitoringResources } from './providerCommon';
import { secretStoreResources, storeServiceAccountRef } from './secretStore';
import { storageOutput } from './storage';
import { ProviderEnvironment, ProviderOutput } from './types';

/**
 * GCP / GKE.
 *
 * - Workload Identity Federation for GKE with a Google service account per
 *   identity: the Kubernetes ServiceAccount is annotated with
 *   `iam.gke.io/gcp-service-account`; the GSA grants
 *   `roles/iam.workloadIdentityUser` to exactly that KSA
 *   (`serviceAccount:<project>.svc.id.goog[<ns>/<ksa>]`) and holds
 *   `roles/secretmanager.secretAccessor` on each of its secrets, bound on the
 *   secret resources themselves (tighter than a project-level binding with a
 *   resource-name condition, and needs no project number).
 * - Secret Manager names cannot contain `/`: the ExternalSecrets' keys become
 *   `<plan>-<svc>-<KEY>`.
 * - Ingress: the kubernetes skill's GKE Ingress is kept. BackendConfig
 *   (cloud.google.com/v1) is unknown to the schema validator, and GKE Ingress
 *   already derives each backend's health check from the pod's HTTP
 *   readinessProbe; a Gateway API path (gke-l7-global-external-managed) would
 *   need HealthCheckPolicy (also unknown) to do the same, so it is documented,
 *   not emitted.
 * - `pd-balanced` StorageClass; Autopilot (T1/T2) or Standard with node
 *   auto-provisioning (T3) in `cluster.md`; Managed Service for Prometheus
 *   PodMonitoring from T3.
 */

// The project segment as written (project ids are 6–30 characters; a
// shorter one is kept, since it is what the registry path says).
const ARTIFACT_REGISTRY =
  /^[a-z0-9-]+-docker\.pkg\.dev\/([a-z](?:[a-z0-9-]{0,28}[a-z0-9])?)(\/|$)/;
const CONTAINER_REGISTRY =
  /^(?:[a-z]+\.)?gcr\.io\/([a-z](?:[a-z0-9-]{0,28}[a-z0-9])?)(\/|$)/;

/** The GCP project: from an Artifact Registry / GCR reference when any. */
export function gcpProject(plan: DeploymentPlan): RegistryOwner {
  return registryOwner(
    plan,
    [ARTIFACT_REGISTRY, CONTAINER_REGISTRY],
    PLACEHOLDERS.gcpProject,
  );
}

/**
 * The GSA account id: `<plan>-<env>-<ksa>`, 6 to 30 characters, starting
 * with a letter (environments may share a project, so the environment is
 * part of it).
 */
function gsaAccountId(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  let id = `${plan.name}-${environment}-${identityKey(plan, identity)}`.replace(
    /-+/g,
    '-',
  );
  if (!/^[a-z]/.test(id)) id = `sa-${id}`;
  id = shorten(id, 30);
  while (id.length < 6) id = `${id}-sa`;
  return id;
}

export function gsaEmail(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  return `${gsaAccountId(plan, environment, identity)}@${
    gcpProject(plan).id
  }.iam.gserviceaccount.com`;
}

function workloadIdentityMember(
  plan: DeploymentPlan,
  identity: CloudIdentity,
): string {
  return `serviceAccount:${gcpProject(plan).id}.svc.id.goog[${
    identity.namespace
  }/${identity.serviceAccount}]`;
}

/** Secret Manager secret id: `[A-Za-z0-9_-]{1,255}`. */
export function gcpSecretName(
  plan: DeploymentPlan,
  service: string,
  key: string,
): string {
  return `${plan.name}-${service}-${key}`.slice(0, 255);
}

/** The IAM document of one identity (`cloud/gke/iam/<env>/<ksa>-binding.json`). */
export function gcpBindings(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
) {
  const { id: projectId } = gcpProject(plan);
  const email = gsaEmail(plan, environment, identity);
  return {
    googleServiceAccount: {
      accountId: gsaAccountId(plan, environment, identity),
      email,
      project: projectId,
      description: identity.purpose,
    },
    kubernetesServiceAccount: {
      namespace: identity.namespace,
      name: identity.serviceAccount,
    },
    bindings: [
      {
        resource: `projects/${projectId}/serviceAccounts/${email}`,
        role: 'roles/iam.workloadIdentityUser',
        members: [workloadIdentityMember(plan, identity)],
      },
      ...identity.secrets.map(secret => ({
        resource: `projects/${projectId}/secrets/${gcpSecretName(
          plan,
          secret.service,
          secret.key,
        )}`,
        role: 'roles/secretmanager.secretAccessor',
        members: [`serviceAccount:${email}`],
      })),
    ],
  };
}

function setupScript(
  plan: DeploymentPlan,
  environment: string,
  identities: CloudIdentity[],
): string {
  const { id: projectId } = gcpProject(plan);
  const lines = [
    '#!/usr/bin/env bash',
    `# Workload Identity of ${
      plan.name
    } (${environment}) on the GKE cluster ${clusterName(plan, environment)}.`,
    '# Needs gcloud, the secrets created in Secret Manager, and a cluster with',
    `# Workload Identity (Autopilot always; Standard: --workload-pool=${projectId}.svc.id.goog).`,
    'set -euo pipefail',
    `PROJECT=${shellQuote(projectId)}`,
    '',
  ];
  for (const identity of identities) {
    const bindings = gcpBindings(plan, environment, identity);
    const email = bindings.googleServiceAccount.email;
    lines.push(
      `# ${identity.purpose}`,
      `gcloud iam service-accounts create ${shellQuote(
        bindings.googleServiceAccount.accountId,
      )} --project "$PROJECT" --display-name ${shellQuote(
        `${identity.namespace}/${identity.serviceAccount} (${environment})`,
      )}`,
    );
    for (const binding of bindings.bindings) {
      const member = binding.members[0];
      if (binding.role === 'roles/iam.workloadIdentityUser') {
        lines.push(
          `gcloud iam service-accounts add-iam-policy-binding ${shellQuote(
            email,
          )} --project "$PROJECT" --role ${binding.role} --member ${shellQuote(
            member,
          )}`,
        );
      } else {
        const secret = binding.resource.split('/').pop()!;
        lines.push(
          `gcloud secrets add-iam-policy-binding ${shellQuote(
            secret,
          )} --project "$PROJECT" --role ${binding.role} --member ${shellQuote(
            member,
          )}`,
        );
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** `cloud/gke/cluster.md`: Autopilot or Standard, by tier. */
function clusterDocument(plan: DeploymentPlan): string {
  const { id: projectId } = gcpProject(plan);
  const standard = plan.tier === 'T3';
  const lines = [
    `# GKE clusters of ${plan.name}`,
    '',
    standard
      ? `**Standard** (tier ${plan.tier}): enterprise workloads need control of node pools, a multi-zone regional control plane and node auto-provisioning; Autopilot would also refuse privileged mesh init containers.`
      : `**Autopilot** (tier ${plan.tier}): Google manages nodes, scaling and security hardening, billing per pod request; nothing to size.`,
    '',
    'One regional cluster per environment:',
    '',
  ];
  for (const environment of plan.environments) {
    const cluster = clusterName(plan, environment);
    lines.push(`## ${environment}`, '', '```sh');
    if (standard) {
      lines.push(
        `gcloud container clusters create ${cluster} \\`,
        `  --project ${projectId} --region ${plan.region} --release-channel regular \\`,
        `  --workload-pool=${projectId}.svc.id.goog --workload-metadata=GKE_METADATA \\`,
        '  --enable-shielded-nodes --shielded-secure-boot --enable-network-policy \\',
        '  --enable-managed-prometheus --enable-ip-alias \\',
        '  --num-nodes 1 --enable-autoscaling --min-nodes 1 --max-nodes 5 \\',
        '  --autoscaling-profile optimize-utilization \\',
        '  --enable-autoprovisioning --min-cpu 4 --max-cpu 256 --min-memory 16 --max-memory 1024 \\',
        '  --autoprovisioning-scopes https://www.googleapis.com/auth/cloud-platform',
      );
    } else {
      lines.push(
        `gcloud container clusters create-auto ${cluster} \\`,
        `  --project ${projectId} --region ${plan.region} --release-channel regular`,
      );
    }
    lines.push(
      '```',
      '',
      'Then, for External Secrets and the workload identities:',
      '',
      '```sh',
      'helm repo add external-secrets https://charts.external-secrets.io',
      'helm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace',
      `bash cloud/gke/iam/${environment}/setup.sh`,
      `kubectl apply -k kustomize/${environment}/overlays/gke`,
      '```',
      '',
    );
  }
  lines.push(
    '## Cluster autoscaling',
    '',
    standard
      ? '- The default node pool autoscales (1–5 nodes per zone) with the `optimize-utilization` profile (scale down sooner); node auto-provisioning creates right-sized node pools for pods that fit none (limits: 4–256 vCPU, 16–1024 GiB).'
      : '- Autopilot provisions capacity per pod: no node pools, no cluster autoscaler settings.',
    '- Workload Identity: Autopilot always enables it; Standard clusters need `--workload-pool` (above).',
    '- Network policies: Autopilot (GKE Dataplane V2) enforces them; Standard needs `--enable-network-policy` or Dataplane V2.',
    '',
  );
  return lines.join('\n');
}

export function gcpOutput(plan: DeploymentPlan): ProviderOutput {
  const notes = new Set<string>();
  const identities = cloudIdentities(plan);
  const environments: ProviderEnvironment[] = [];
  const files: GeneratedFile[] = [];
  const project = gcpProject(plan);

  for (const environment of plan.environments) {
    const { resources, patches } = storageOutput(plan, 'gke', notes);

    for (const identity of identities) {
      if (!identity.service) continue;
      patches.push(
        serviceAccountPatch(
          plan,
          identity.serviceAccount,
          {
            'iam.gke.io/gcp-service-account': gsaEmail(
              plan,
              environment,
              identity,
            ),
          },
          `Workload Identity: Google service account ${gsaEmail(
            plan,
            environment,
            identity,
          )}`,
        ),
      );
    }
    patches.push(
      ...externalSecretKeyPatches(
        plan,
        (service, key) => gcpSecretName(plan, service, key),
        'Secret Manager secret names (no "/")',
      ),
    );
    resources.push(
      ...secretStoreResources(plan, environment, identities, store => ({
        annotations: {
          'iam.gke.io/gcp-service-account': gsaEmail(plan, environment, store),
        },
        provider: {
          gcpsm: {
            projectID: project.id,
            auth: {
              workloadIdentity: {
                clusterLocation: plan.region,
                clusterName: clusterName(plan, environment),
                clusterProjectID: project.id,
                serviceAccountRef: storeServiceAccountRef(store),
              },
            },
          },
        },
      })),
    );
    resources.push(...monitoringResources(plan, 'gke', environment));
    environments.push({ environment, resources, patches });

    if (identities.length > 0) {
      const directory = `cloud/gke/iam/${environment}`;
      for (const identity of identities) {
        // JSON, not YAML: every YAML file under cloud/ is read as a
        // Kubernetes object by the package validation.
        files.push(
          jsonFile(
            `${directory}/${identity.serviceAccount}-binding.json`,
            gcpBindings(plan, environment, identity),
          ),
        );
      }
      files.push({
        path: `${directory}/setup.sh`,
        content: setupScript(plan, environment, identities),
        mode: 0o755,
      });
    }
  }
  files.push({ path: 'cloud/gke/cluster.md', content: clusterDocument(plan) });

  notes.add(
    project.source === 'registry'
      ? `GCP project '${project.id}' taken from the registry`
      : `GCP project unknown (no Artifact Registry/GCR reference): placeholder '${project.id}'`,
  );
  notes.add(
    plan.tier === 'T3'
      ? 'GKE Standard with cluster autoscaler and node auto-provisioning (cloud/gke/cluster.md)'
      : 'GKE Autopilot (cloud/gke/cluster.md)',
  );
  notes.add(
    'GKE Ingress kept (health checks from readiness probes); BackendConfig not emitted: unknown to the schema validator',
  );
  if (identities.length > 0) {
    notes.add(
      'Workload Identity: one Google service account per ServiceAccount that reads secrets, secretAccessor bound per secret (cloud/gke/iam/<env>)',
    );
  }
  return { provider: 'gke', environments, files, notes: [...notes] };
}
