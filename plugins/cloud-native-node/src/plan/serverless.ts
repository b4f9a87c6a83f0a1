import {
  Cloud,
  DeploymentPlan,
  Language,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * Where each function of the plan runs, decided once: the serverless
 * skill writes the files of that platform and cost prices the same one.
 */

/** Which platforms a cloud's functions get files for. */
export interface ServerlessPlatforms {
  aws: boolean;
  azure: boolean;
  gcp: boolean;
  knative: boolean;
}

/** Which platforms each cloud gets (multi-cloud: AWS and Knative). */
export function serverlessPlatforms(cloud: Cloud): ServerlessPlatforms {
  return {
    aws: cloud === 'aws' || cloud === 'multi-cloud',
    azure: cloud === 'azure',
    gcp: cloud === 'gcp',
    knative: cloud === 'platform-agnostic' || cloud === 'multi-cloud',
  };
}

/** The serverless functions of a plan, in plan order. */
export function serverlessFunctions(plan: DeploymentPlan): ServicePlan[] {
  return plan.services.filter(s => s.runtime === 'serverless');
}

/** Languages no serverless platform runs from source here: they ship an image. */
const IMAGE_LANGUAGES = new Set<Language>(['php', 'static']);

/**
 * Whether a function is deployed as a container image: php and static
 * code, code in no language, or a prebuilt image this package does not
 * build.
 */
export function runsAsImage(servicePlan: ServicePlan): boolean {
  const { service } = servicePlan;
  return (
    !service.language ||
    IMAGE_LANGUAGES.has(service.language) ||
    (!!service.image && !servicePlan.buildsImage)
  );
}

/** The Cloud Functions (gen2) runtime of each language it runs from source. */
export const CLOUD_FUNCTIONS_RUNTIMES: Partial<Record<Language, string>> = {
  node: 'nodejs22',
  python: 'python312',
  go: 'go123',
  java: 'java21',
  dotnet: 'dotnet8',
  ruby: 'ruby33',
  php: 'php83',
};

/** Where a function runs on Google Cloud. */
export type GcpTarget = 'cloud-run' | 'cloud-functions';

/**
 * Cloud Run for HTTP functions and images; Cloud Functions (gen2) for
 * event functions whose language it runs from source.
 */
export function gcpTarget(servicePlan: ServicePlan): GcpTarget {
  const trigger = servicePlan.service.trigger?.type ?? 'http';
  if (trigger === 'http' || runsAsImage(servicePlan)) return 'cloud-run';
  const language = servicePlan.service.language;
  return language && CLOUD_FUNCTIONS_RUNTIMES[language]
    ? 'cloud-functions'
    : 'cloud-run';
}

/** The platform a function is priced on: the one its files deploy it to. */
export type ServerlessTarget =
  | 'lambda'
  | 'azure-functions'
  | 'cloud-run'
  | 'cloud-functions'
  | 'knative';

/**
 * The platform one function is deployed to (for multi-cloud, AWS Lambda:
 * its Knative alternative runs on the clusters).
 */
export function serverlessTarget(
  plan: Pick<DeploymentPlan, 'cloud'>,
  servicePlan: ServicePlan,
): ServerlessTarget {
  switch (plan.cloud) {
    case 'aws':
    case 'multi-cloud':
      return 'lambda';
    case 'azure':
      return 'azure-functions';
    case 'gcp':
      return gcpTarget(servicePlan);
    default:
      return 'knative';
  }
}

/**
 * The vCPUs of a Cloud Run service by its memory (what the package sets as
 * its CPU limit: Cloud Run needs 2 vCPU above 4 GiB, 4 above 8, 8 above 16).
 */
export function cloudRunCpu(memoryMB: number): number {
  if (memoryMB <= 4096) return 1;
  if (memoryMB <= 8192) return 2;
  return memoryMB <= 16384 ? 4 : 8;
}
