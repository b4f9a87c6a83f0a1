import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import { kubernetesServices } from '../../plan/workload';
import {
  type ManagedProvider,
  digest,
  secretStoreName,
  shorten,
} from '../../plan/names';

export type { ManagedProvider };

/** Label of every object this skill writes. */
export const MANAGED_BY_LABELS = {
  'app.kubernetes.io/managed-by': 'cloud-native-orchestrator',
} as const;

/** The namespaces Prometheus-compatible collectors scrape from, by provider. */
export const COLLECTOR_NAMESPACES: Record<ManagedProvider, string[]> = {
  // kube-prometheus-stack (remote-writing to Amazon Managed Prometheus)
  eks: ['monitoring'],
  // Managed Service for Prometheus collectors + an in-cluster Prometheus
  gke: ['gmp-system', 'monitoring'],
  // ama-metrics (Azure Monitor managed Prometheus) + an in-cluster Prometheus
  aks: ['kube-system', 'monitoring'],
};

/** The cloud account or project a plan deploys to, and where it came from. */
export interface RegistryOwner {
  id: string;
  /** `registry`: read from an image reference; `placeholder`: not found */
  source: 'registry' | 'placeholder';
}

/**
 * The account or project that one of `patterns` captures (group 1) in an
 * image reference of the plan (the registry first, then each service's
 * image), or the documented `placeholder` when none matches.
 */
export function registryOwner(
  plan: DeploymentPlan,
  patterns: RegExp[],
  placeholder: string,
): RegistryOwner {
  const candidates = [
    plan.architecture.spec.registry,
    ...kubernetesServices(plan).map(s => s.image),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const pattern of patterns) {
      const match = pattern.exec(candidate);
      if (match) return { id: match[1], source: 'registry' };
    }
  }
  return { id: placeholder, source: 'placeholder' };
}

/**
 * Placeholders, documented in every provider README. They are literal values
 * (valid where they appear, so every file parses and validates) rather than
 * shell variables: YAML never contains `${...}`.
 */
export const PLACEHOLDERS = {
  /** AWS's own documentation example account */
  awsAccountId: '123456789012',
  /** The example OIDC provider id of the EKS documentation */
  eksOidcId: 'EXAMPLED539D4633E53DE1B71EXAMPLE',
  gcpProject: 'example-project',
  azureSubscriptionId: '00000000-0000-0000-0000-000000000000',
  azureTenantId: '00000000-0000-0000-0000-000000000000',
} as const;

/**
 * A placeholder GUID for a value that exists only after a cloud resource is
 * created (an Azure managed identity's client id). All-zero prefix so it is
 * recognisably fake; the suffix keeps identities distinct, so annotations and
 * identity documents can be cross-checked.
 */
export function placeholderGuid(seed: string): string {
  return `00000000-0000-0000-0000-${digest(seed, 12)}`;
}

/** The cluster of one environment: one cluster per environment. */
export function clusterName(plan: DeploymentPlan, environment: string): string {
  return shorten(`${plan.name}-${environment}`, 63);
}

/** Services whose workloads read secrets: they get a cloud identity. */
export function servicesWithSecrets(plan: DeploymentPlan): ServicePlan[] {
  return kubernetesServices(plan).filter(s => s.service.secrets.length > 0);
}

export { scrapedServices } from '../../plan/metrics';

/** A cloud identity bound to one Kubernetes ServiceAccount. */
export interface CloudIdentity {
  /** The Kubernetes ServiceAccount */
  serviceAccount: string;
  namespace: string;
  /** The service it belongs to; undefined for the secret store's identity */
  service?: string;
  /** What it may read: `service/SECRET` pairs */
  secrets: Array<{ service: string; key: string }>;
  purpose: string;
}

/**
 * The ServiceAccount of the External Secrets Operator store: `<plan>-secret-store`,
 * unless a service already has that name.
 */
function secretStoreServiceAccount(plan: DeploymentPlan): string {
  const taken = new Set(kubernetesServices(plan).map(s => s.name));
  let name = shorten(`${plan.name}-secret-store`, 63);
  while (taken.has(name)) name = shorten(`${name}-eso`, 63);
  return name;
}

/**
 * Every identity of the plan: one per service with secrets, plus the
 * identity of the ClusterSecretStore `<plan>-secrets`, which reads the
 * secrets of all of them (and nothing else).
 */
export function cloudIdentities(plan: DeploymentPlan): CloudIdentity[] {
  const withSecrets = servicesWithSecrets(plan);
  if (withSecrets.length === 0) return [];
  const secretsOf = (s: ServicePlan) =>
    [...s.service.secrets].sort().map(key => ({ service: s.name, key }));
  return [
    ...withSecrets.map(s => ({
      serviceAccount: s.name,
      namespace: plan.namespace,
      service: s.name,
      secrets: secretsOf(s),
      purpose: `${s.name}: read its own secrets`,
    })),
    {
      serviceAccount: secretStoreServiceAccount(plan),
      namespace: plan.namespace,
      secrets: withSecrets.flatMap(secretsOf),
      purpose: `External Secrets Operator ClusterSecretStore '${secretStoreName(
        plan.name,
      )}': sync the secrets of ${withSecrets.map(s => s.name).join(', ')}`,
    },
  ];
}

/**
 * The short name of an identity in cloud resource names
 * (`<plan>-<env>-<key>`): the service name, or `secret-store` for the store
 * (its ServiceAccount without the plan prefix, unless a service has that
 * name).
 */
export function identityKey(
  plan: DeploymentPlan,
  identity: CloudIdentity,
): string {
  if (identity.service) return identity.service;
  const prefix = `${plan.name}-`;
  const short = identity.serviceAccount.startsWith(prefix)
    ? identity.serviceAccount.slice(prefix.length)
    : identity.serviceAccount;
  return kubernetesServices(plan).some(s => s.name === short)
    ? identity.serviceAccount
    : short;
}

/** `system:serviceaccount:<ns>:<sa>`, the token subject of every provider. */
export function serviceAccountSubject(identity: CloudIdentity): string {
  return `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`;
}

/** The key the base ExternalSecret reads (`<plan>/<svc>/<KEY>`). */
export function baseSecretKey(
  plan: DeploymentPlan,
  service: string,
  key: string,
): string {
  return `${plan.name}/${service}/${key}`;
}

/** A JSON document file, pretty-printed, newline-terminated. */
export function jsonFile(path: string, value: unknown): GeneratedFile {
  return { path, content: `${JSON.stringify(value, null, 2)}\n` };
}

/** A shell-quoted word ('...' with embedded quotes escaped). */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@=,+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
