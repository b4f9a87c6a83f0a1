import { z } from 'zod';

/**
 * The architecture spec, v1 (`cloud-native.backstage.io/v1alpha1`, kind
 * `Architecture`): the public contract of the CLI and the scaffolder actions.
 * Keep changes backwards compatible: add optional fields only.
 */

/** @public */
export const ARCHITECTURE_API_VERSION = 'cloud-native.backstage.io/v1alpha1';

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An RFC 1123 DNS label: what Kubernetes accepts as a Service name. */
const dnsLabel = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(63, `${what} must be at most 63 characters (RFC 1123 label)`)
    .regex(
      RFC1123_LABEL,
      `${what} must be lower-case letters, digits and '-', starting and ending with a letter or digit (RFC 1123 label)`,
    );

/** An absolute path inside a container, for a volume mount. */
const absolutePath = (what: string) =>
  z
    .string()
    .regex(
      /^\/[^:]*$/,
      `${what} must be an absolute path without ':' (e.g. /var/lib/app)`,
    )
    .refine(
      path => !path.split('/').includes('..'),
      `${what} must not contain '..'`,
    );

// Kubernetes resource quantities (a subset that covers what people write).
const CPU_QUANTITY = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY_QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const STORAGE_QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)$/;

/** @public */
export const workloadKinds = [
  'service',
  'worker',
  'stateful',
  'daemon',
  'job',
  'cronjob',
  'function',
] as const;
/** @public */
export const languages = [
  'node',
  'python',
  'go',
  'java',
  'dotnet',
  'rust',
  'ruby',
  'php',
  'static',
] as const;
/** @public */
export const strategies = [
  'auto',
  'rolling',
  'recreate',
  'blue-green',
  'canary',
  'ab-testing',
] as const;
/** @public */
export const clouds = [
  'aws',
  'azure',
  'gcp',
  'multi-cloud',
  'platform-agnostic',
] as const;
/** @public */
export const tiers = ['T1', 'T2', 'T3'] as const;
/** @public */
export const requirementKinds = [
  'performance',
  'security',
  'cost',
  'compliance',
] as const;
/** @public */
export const architectureTypes = [
  'microservices',
  'monolith',
  'event-driven',
  'batch',
] as const;
/** @public */
export const platforms = [
  'auto',
  'kubernetes',
  'serverless',
  'hybrid',
] as const;
/** @public */
export const meshes = ['auto', 'istio', 'linkerd', 'none'] as const;
/** @public */
export const gitopsTools = ['none', 'argocd', 'flux'] as const;
/** @public */
export const triggerTypes = [
  'http',
  'queue',
  'schedule',
  'stream',
  'storage',
] as const;

/**
 * The protocol a service speaks on its port: what meshes are told (the
 * Service port name) and how the port is probed and routed.
 *
 * @public
 */
export const protocols = ['http', 'grpc', 'tcp'] as const;

/** @public */
export const serviceSpecSchema = z
  .object({
    name: dnsLabel('service name'),
    workload: z.enum(workloadKinds),
    language: z.enum(languages).optional(),
    image: z
      .string()
      .regex(
        /^[a-z0-9]+([._\-/:@][a-zA-Z0-9_.\-]+)*$/,
        'image must be an image reference such as ghcr.io/acme/api:1.2.3',
      )
      .optional(),
    port: z.number().int().min(1).max(65535).optional(),
    protocol: z.enum(protocols).optional(),
    expose: z.enum(['public', 'internal', 'none']).optional(),
    replicas: z
      .object({
        min: z.number().int().min(0).max(1000),
        max: z.number().int().min(1).max(1000),
      })
      .strict()
      .refine(r => r.max >= r.min, {
        message: 'replicas.max must be at least replicas.min',
        path: ['max'],
      })
      .optional(),
    resources: z
      .object({
        cpu: z
          .string()
          .regex(CPU_QUANTITY, 'cpu must be a quantity such as 250m or 1'),
        memory: z
          .string()
          .regex(
            MEMORY_QUANTITY,
            'memory must be a quantity such as 256Mi or 1Gi',
          ),
      })
      .strict()
      .optional(),
    scaling: z.enum(['fixed', 'predictable', 'variable', 'burst']).optional(),
    strategy: z.enum(strategies).optional(),
    health: z
      .object({
        path: z.string().startsWith('/', 'health.path must start with /'),
        // a check that the process lives, without its dependencies
        livenessPath: z
          .string()
          .startsWith('/', 'health.livenessPath must start with /')
          .optional(),
        port: z.number().int().min(1).max(65535).optional(),
        startupSeconds: z.number().int().min(0).max(3600).optional(),
      })
      .strict()
      .optional(),
    storage: z
      .object({
        size: z
          .string()
          .regex(
            STORAGE_QUANTITY,
            'storage.size must be a quantity such as 20Gi',
          ),
        class: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    imageProfile: z
      .object({
        user: z.number().int().min(1).max(2147483647),
        group: z.number().int().min(0).max(2147483647).optional(),
        fsGroup: z.number().int().min(0).max(2147483647).optional(),
        dataPath: absolutePath('imageProfile.dataPath').optional(),
        writablePaths: z
          .array(absolutePath('imageProfile.writablePaths entry'))
          .optional(),
        readOnlyRootFilesystem: z.boolean().optional(),
        env: z.record(z.string(), z.string()).optional(),
        probeCommand: z.array(z.string().min(1)).min(1).optional(),
        clustered: z.boolean().optional(),
      })
      .strict()
      .optional(),
    schedule: z.string().optional(),
    timeZone: z.string().optional(),
    completions: z.number().int().min(1).max(100000).optional(),
    parallelism: z.number().int().min(1).max(10000).optional(),
    trigger: z
      .object({
        type: z.enum(triggerTypes),
        // A wildcard would become an IAM grant on every matching resource
        source: z
          .string()
          .min(1)
          .regex(
            /^[^*?]*$/,
            'trigger.source must name one resource: a wildcard (* or ?) would grant the function access to every matching queue, stream or bucket; name the resource (e.g. arn:aws:sqs:us-east-1:123456789012:orders)',
          )
          .optional(),
      })
      .strict()
      .optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(86400 * 7)
      .optional(),
    memoryMB: z.number().int().min(128).max(32768).optional(),
    dependsOn: z.array(dnsLabel('dependsOn entry')).optional(),
    env: z.record(z.string(), z.string()).optional(),
    secrets: z
      .array(
        z
          .string()
          .regex(
            /^[A-Z_][A-Z0-9_]*$/,
            'secret names must be environment variable names (A-Z, 0-9, _)',
          ),
      )
      .optional(),
  })
  .strict();

/** @public */
export const usageSchema = z
  .object({
    requestsPerMonth: z.number().int().min(0).optional(),
    averageDurationMs: z.number().int().min(1).optional(),
    egressGBPerMonth: z.number().min(0).optional(),
  })
  .strict();

/** @public */
export const architectureSpecSchema = z
  .object({
    apiVersion: z.literal(ARCHITECTURE_API_VERSION),
    kind: z.literal('Architecture'),
    metadata: z
      .object({
        name: dnsLabel('metadata.name'),
        title: z.string().optional(),
        description: z.string().optional(),
        owner: z.string().optional(),
      })
      .strict(),
    spec: z
      .object({
        type: z.enum(architectureTypes),
        platform: z.enum(platforms).optional(),
        cloud: z.enum(clouds),
        region: z
          .string()
          .regex(/^[a-z0-9-]+$/, 'region must look like us-east-1')
          .optional(),
        tier: z.enum(tiers),
        environments: z
          .array(dnsLabel('environment name'))
          .min(1, 'at least one environment')
          .optional(),
        requirements: z
          .array(z.enum(requirementKinds))
          .min(1, 'at least one requirement'),
        mesh: z.enum(meshes).optional(),
        gitops: z.enum(gitopsTools).optional(),
        registry: z
          .string()
          .regex(
            /^[a-z0-9]+([._\-/:][a-z0-9_.\-]+)*$/,
            'registry must be an image prefix such as registry.example.com/shop',
          )
          .optional(),
        usage: usageSchema.optional(),
        services: z.array(serviceSpecSchema).min(1, 'at least one service'),
      })
      .strict(),
  })
  .strict();

/**
 * An architecture spec as written by a user (optional fields may be absent).
 *
 * @public
 */
export type ArchitectureSpecInput = z.input<typeof architectureSpecSchema>;
/** @public */
export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;

/** @public */
export type WorkloadKind = (typeof workloadKinds)[number];
/** @public */
export type Language = (typeof languages)[number];
/** @public */
export type Strategy = (typeof strategies)[number];
/** @public */
export type Cloud = (typeof clouds)[number];
/** @public */
export type Tier = (typeof tiers)[number];
/** @public */
export type Requirement = (typeof requirementKinds)[number];
/** @public */
export type ArchitectureType = (typeof architectureTypes)[number];
/** @public */
export type Platform = (typeof platforms)[number];
/** @public */
export type MeshChoice = (typeof meshes)[number];
/** @public */
export type GitOpsTool = (typeof gitopsTools)[number];
/** @public */
export type TriggerType = (typeof triggerTypes)[number];
/** @public */
export type Protocol = (typeof protocols)[number];
