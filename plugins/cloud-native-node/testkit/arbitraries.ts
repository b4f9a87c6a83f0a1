/*
 * fast-check arbitraries for architecture specs: valid specs (every field
 * combination the spec validation accepts), invalid specs (a valid spec with
 * one mutation that the validation must reject, and where it must say so),
 * and hostile strings for injection and path-traversal tests.
 *
 * The valid arbitrary mirrors the rules of `parseArchitecture` in
 * `@internal/backstage-plugin-cloud-native-common` (spec/normalize.ts): when
 * that function rejects a value produced here, the arbitrary is wrong, not
 * the engine (the properties check it first).
 */
import fc from 'fast-check';
import {
  ARCHITECTURE_API_VERSION,
  ArchitectureSpecInput,
  ServiceSpecInput,
  WorkloadKind,
  architectureTypes,
  clouds,
  explainSecretLiteral,
  gitopsTools,
  languages,
  meshes,
  requirementKinds,
  tiers,
  triggerTypes,
  workloadKinds,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * The seed of the properties: `CNO_FUZZ_SEED` when set; random under the fuzz
 * command (`CNO_FUZZ_RUNS` set); else fixed, so the default test run is
 * reproducible. fast-check prints the seed and path of every failure.
 */
export function fuzzSeed(): number | undefined {
  const fromEnv = Number(process.env.CNO_FUZZ_SEED);
  if (process.env.CNO_FUZZ_SEED && Number.isInteger(fromEnv)) return fromEnv;
  return process.env.CNO_FUZZ_RUNS ? undefined : 20240601;
}

/** Number of runs: `CNO_FUZZ_RUNS` when set (the fuzz command), else `fallback`. */
export function fuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.CNO_FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/**
 * Runs of the engine-heavy properties (a generation per case, about 0.1 to
 * 1 s each): `CNO_FUZZ_ENGINE_RUNS`, else `CNO_FUZZ_RUNS`, else `fallback`.
 */
export function engineFuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.CNO_FUZZ_ENGINE_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0
    ? fromEnv
    : fuzzRuns(fallback);
}

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/**
 * RFC 1123 labels. Mostly short names, with a bias towards names that
 * collide with what the engine derives from a service name
 * (`<svc>-headless`, `<svc>-config`, ...) and, rarely, 63-character names.
 */
export const dnsLabelArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,6}){0,2}$/),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'api',
      'web',
      'db',
      'cache',
      'worker',
      'orders',
      'api-config',
      'api-secrets',
      'api-canary',
      'api-stable',
      'api-preview',
      'api-active',
      'web-db',
      'gateway',
      'prod',
      'default',
      'namespace',
      'kustomization',
      'shop',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9][a-z0-9]{0,5}$/) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 40, max: 63 })
      .map(length => `a${'b-'.repeat(32)}`.slice(0, length - 1).concat('z')),
  },
);

/** Environment names: 1-3 unique DNS labels. */
export const environmentsArb: fc.Arbitrary<string[]> = fc.uniqueArray(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('dev', 'staging', 'prod', 'qa') },
    {
      weight: 1,
      arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?$/),
    },
  ),
  { minLength: 1, maxLength: 3 },
);

/** A valid 5-field cron field value. */
function cronFieldArb(
  min: number,
  max: number,
  names: string[] = [],
): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  const range = fc
    .tuple(value, value)
    .map(([a, b]) => (a <= b ? `${a}-${b}` : `${b}-${a}`));
  const step = fc
    .tuple(
      fc.oneof(fc.constant('*'), range),
      fc.integer({ min: 1, max: Math.max(1, max) }),
    )
    .map(([base, n]) => `${base}/${n}`);
  const list = fc
    .uniqueArray(value, { minLength: 2, maxLength: 4 })
    .map(values => values.join(','));
  const named =
    names.length > 0
      ? [
          fc.constantFrom(...names),
          fc.constantFrom(...names.map(n => n.toUpperCase())),
        ]
      : [];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant('*') },
    { weight: 3, arbitrary: value.map(String) },
    { weight: 2, arbitrary: range },
    { weight: 2, arbitrary: step },
    { weight: 1, arbitrary: list },
    ...named.map(arbitrary => ({ weight: 1, arbitrary })),
  );
}

/** Cron schedules Kubernetes (and the engine's validation) accept. */
export const cronArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '@yearly',
      '@annually',
      '@monthly',
      '@weekly',
      '@daily',
      '@midnight',
      '@hourly',
    ),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        cronFieldArb(0, 59),
        cronFieldArb(0, 23),
        cronFieldArb(1, 31),
        cronFieldArb(1, 12, ['jan', 'jun', 'dec']),
        cronFieldArb(0, 7, ['mon', 'fri', 'sun']),
      )
      .map(fields => fields.join(' ')),
  },
);

export const timeZoneArb = fc.constantFrom(
  'UTC',
  'Europe/Istanbul',
  'Europe/Dublin',
  'America/New_York',
  'America/Argentina/Buenos_Aires',
  'Asia/Tokyo',
  'Etc/GMT+5',
);

export const cpuArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 4000 }).map(n => `${n}m`),
  fc.integer({ min: 1, max: 8 }).map(String),
  fc.constantFrom('0.5', '1.5', '2.25'),
);

export const memoryArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 16, max: 4096 }).map(n => `${n}Mi`),
  },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 16 }).map(n => `${n}Gi`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('512M', '1G', '0.5Gi', '1.5Gi', '65536Ki'),
  },
);

export const storageSizeArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 2000 }).map(n => `${n}Gi`),
  fc.constantFrom('500Mi', '1Ti', '10G', '1.5Ti'),
);

export const imageArb = fc.constantFrom(
  'postgres:16.4-bookworm',
  'redis:7.4-bookworm',
  'nginx',
  'ghcr.io/acme/api:1.2.3',
  'docker.io/library/busybox:1.36',
  'registry.example.com/team/app@sha256:0f5e4d3c2b1a',
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:2.0.0',
);

/** Env names that are not secret-looking (letters, digits, `_`). */
export const envKeyArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,14}$/)
  .filter(key => explainSecretLiteral(key, 'x') === undefined);

/** Characters with a meaning in YAML, shells, Helm/Go templates or JSON. */
const HOSTILE_PIECES = [
  '${HOME}',
  '${env:HOME}',
  '$(id)',
  '`id`',
  '"',
  "'",
  '\\',
  ': ',
  ' #',
  '#',
  '&anchor',
  '*alias',
  '{{ .Values.x }}',
  '{{- fail "x" }}',
  '[',
  ']',
  '{',
  '}',
  '- ',
  '? ',
  '| ',
  '> ',
  '%',
  '@',
  '!!binary ',
  '!',
  '---',
  '...',
  '\t',
  ' ',
  ',',
  ';',
  '<script>',
  'é',
  '日本',
  '🚀',
  '\u2028',
];

/** Scalars YAML 1.1 or 1.2 would read as something else than a string. */
const AMBIGUOUS_SCALARS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  '',
  '0777',
  '0x1F',
  '1e3',
  '.inf',
  '-.5',
  '1_000',
  '2024-01-01',
  '12:30',
  '=',
  '<<',
];

/**
 * Single-line strings full of YAML / template / shell syntax. May look like
 * anything except a credential (filtered by the caller when needed).
 */
export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...AMBIGUOUS_SCALARS) },
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom(...HOSTILE_PIECES),
          fc.stringMatching(/^[a-zA-Z0-9 ._/-]{0,6}$/),
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map(parts => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Env values the spec validation accepts: single line, not secret-looking. */
export function envValueArb(key: string): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'info',
          'debug',
          'true',
          '8080',
          'https://api.example.com/v1',
          'eu-west-1',
        ),
      },
      { weight: 2, arbitrary: hostileStringArb },
    )
    .filter(
      value =>
        !/[\n\r\0]/.test(value) &&
        explainSecretLiteral(key, value) === undefined,
    );
}

export const envArb: fc.Arbitrary<Record<string, string>> = fc
  .uniqueArray(envKeyArb, { maxLength: 4 })
  .chain(keys =>
    fc
      .tuple(...keys.map(key => envValueArb(key)))
      .map(values =>
        Object.fromEntries(keys.map((key, index) => [key, values[index]])),
      ),
  );

export const secretNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'DB_PASSWORD',
    'API_KEY',
    'STRIPE_SECRET',
    'TOKEN',
    'CONNECTION_STRING',
  ),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/),
);

/** Event sources of functions: names, scheme:name and ARNs (no wildcards). */
export const triggerSourceArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/),
  fc.constantFrom(
    'dynamodb:orders',
    'kinesis:clicks',
    'servicebus:claims',
    'eventhub:telemetry',
    'arn:aws:sqs:us-east-1:123456789012:orders',
    'arn:aws:s3:::media-uploads',
    'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
    'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
  ),
);

const REGIONS: Record<string, string[]> = {
  aws: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  azure: ['eastus', 'westeurope'],
  gcp: ['us-central1', 'europe-west1'],
  'multi-cloud': ['us-east-1'],
  'platform-agnostic': ['default', 'on-prem-1'],
};

/** What the services of a spec depend on: chosen before the services. */
interface SpecContext {
  platform: 'auto' | 'kubernetes' | 'serverless' | 'hybrid' | undefined;
  mesh: (typeof meshes)[number] | undefined;
}

const SERVING = new Set<WorkloadKind>(['service', 'stateful', 'function']);
const LONG_RUNNING = new Set<WorkloadKind>([
  'service',
  'worker',
  'stateful',
  'daemon',
]);
/** Unset (the default) counts twice: most specs name no protocol. */
const protocols = [undefined, undefined, 'http', 'grpc', 'tcp'] as const;

function strategyArb(
  workload: WorkloadKind,
  context: SpecContext,
): fc.Arbitrary<ServiceSpecInput['strategy'] | undefined> {
  if (workload === 'service' || workload === 'worker') {
    const choices: Array<NonNullable<ServiceSpecInput['strategy']>> = [
      'auto',
      'rolling',
      'recreate',
      'blue-green',
      'canary',
    ];
    if (context.mesh !== 'none') choices.push('ab-testing');
    return fc.option(fc.constantFrom(...choices), { nil: undefined });
  }
  return fc.option(fc.constantFrom('auto', 'rolling', 'recreate' as const), {
    nil: undefined,
  });
}

/** Drops the keys whose value is undefined (the spec has no nulls). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

function functionFieldsArb(
  context: SpecContext,
): fc.Arbitrary<Partial<ServiceSpecInput>> {
  const maxTimeout = context.platform === 'serverless' ? 900 : 3600;
  return fc
    .constantFrom(...triggerTypes)
    .chain(type =>
      fc.record(
        {
          trigger: fc.record(
            { type: fc.constant(type), source: triggerSourceArb },
            { requiredKeys: ['type'] },
          ),
          schedule:
            type === 'schedule'
              ? cronArb
              : fc.constant(undefined as string | undefined),
          timeoutSeconds: fc.integer({ min: 1, max: maxTimeout }),
          memoryMB: fc.integer({ min: 128, max: 10240 }),
        },
        {
          requiredKeys:
            type === 'schedule' ? ['trigger', 'schedule'] : ['trigger'],
        },
      ),
    )
    .map(fields => compact(fields));
}

/** The fields a workload kind allows (and requires). */
function workloadFieldsArb(
  workload: WorkloadKind,
  context: SpecContext,
): fc.Arbitrary<Partial<ServiceSpecInput>> {
  switch (workload) {
    case 'stateful':
      return fc.record(
        {
          storage: fc.record(
            {
              size: storageSizeArb,
              class: fc.constantFrom('gp3', 'standard-rwo', 'managed-csi'),
            },
            { requiredKeys: ['size'] },
          ),
        },
        { requiredKeys: [] },
      );
    case 'job':
      return fc.record(
        {
          completions: fc.integer({ min: 1, max: 20 }),
          parallelism: fc.integer({ min: 1, max: 5 }),
          timeoutSeconds: fc.integer({ min: 1, max: 86400 }),
        },
        { requiredKeys: [] },
      );
    case 'cronjob':
      return fc.record(
        {
          schedule: cronArb,
          timeZone: timeZoneArb,
          timeoutSeconds: fc.integer({ min: 1, max: 86400 }),
        },
        { requiredKeys: ['schedule'] },
      );
    case 'function':
      return functionFieldsArb(context);
    default:
      return fc.constant({});
  }
}

const healthArb = fc.record(
  {
    path: fc.oneof(
      fc.constantFrom('/healthz', '/ready', '/actuator/health'),
      fc.stringMatching(/^\/[a-z0-9_/-]{0,16}$/),
    ),
    startupSeconds: fc.integer({ min: 0, max: 600 }),
  },
  { requiredKeys: ['path'] },
);

const replicasArb = fc
  .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 12 }))
  .map(([min, extra]) => ({ min, max: Math.max(1, min) + extra - 1 }));

const resourcesArb = fc.record({ cpu: cpuArb, memory: memoryArb });

/** One valid service; `earlier` are the names it may depend on. */
export function serviceArb(
  name: string,
  earlier: string[],
  context: SpecContext,
): fc.Arbitrary<ServiceSpecInput> {
  const workloads: WorkloadKind[] =
    context.platform === 'serverless' ? ['function'] : [...workloadKinds];
  return fc.constantFrom(...workloads).chain(workload =>
    fc
      .record(
        {
          source: fc.constantFrom('language', 'image', 'both'),
          language: fc.constantFrom(...languages),
          image: imageArb,
          port: fc.option(fc.integer({ min: 1024, max: 65535 }), {
            nil: undefined,
          }),
          expose: fc.constantFrom('public', 'internal', 'none', undefined),
          replicas: replicasArb,
          resources: resourcesArb,
          scaling: fc.constantFrom('fixed', 'predictable', 'variable', 'burst'),
          strategy: strategyArb(workload, context),
          health: healthArb,
          protocol: fc.constantFrom(...protocols),
          dependsOn: earlier.length
            ? fc.subarray(earlier, { maxLength: Math.min(3, earlier.length) })
            : fc.constant<string[]>([]),
          env: envArb,
          secrets: fc.uniqueArray(secretNameArb, { maxLength: 3 }),
          extra: workloadFieldsArb(workload, context),
        },
        {
          requiredKeys: [
            'source',
            'language',
            'image',
            'port',
            'expose',
            'extra',
          ],
        },
      )
      .map(draft => {
        const {
          source,
          extra,
          env,
          secrets,
          expose,
          port,
          protocol: drawn,
          ...rest
        } = draft;
        // A non-serving workload that is exposed needs an explicit port
        const needsPort =
          !SERVING.has(workload) && expose !== undefined && expose !== 'none';
        const finalPort = needsPort ? port ?? 8080 : port;
        // gRPC and TCP need a long-running server with a port; TCP is never
        // public, has no HTTP health check on its port and no A/B test;
        // public gRPC is refused on gcp, which the services do not know
        const serves =
          LONG_RUNNING.has(workload) &&
          (finalPort !== undefined || SERVING.has(workload));
        let protocol = drawn;
        if (protocol !== 'http' && (!serves || expose === 'public')) {
          protocol = undefined;
        }
        if (protocol === 'tcp' && rest.strategy === 'ab-testing') {
          protocol = undefined;
        }
        const service: ServiceSpecInput = compact({
          name,
          workload,
          ...rest,
          health: protocol === 'tcp' ? undefined : rest.health,
          protocol,
          language: source === 'image' ? undefined : draft.language,
          image: source === 'language' ? undefined : draft.image,
          port: finalPort,
          expose,
          // env and secrets must not share a name
          env:
            env && secrets
              ? Object.fromEntries(
                  Object.entries(env).filter(([k]) => !secrets.includes(k)),
                )
              : env,
          secrets,
          dependsOn: rest.dependsOn?.length ? rest.dependsOn : undefined,
          ...extra,
        });
        return service;
      }),
  );
}

/** Strategies that may make a service or worker an Argo Rollout. */
const ROLLOUT_SERVICES: Record<string, string[]> = {
  auto: ['canary', 'preview'],
  canary: ['canary'],
  'blue-green': ['preview'],
  'ab-testing': ['canary', 'preview'],
};

/**
 * Why the spec validation rejects the names of a spec (spec/names.ts of the
 * common package), restated independently: a name the namespace or the
 * package already uses, a name another service's objects get
 * (`<svc>-headless`, `<svc>-canary`, `<svc>-preview`, Linkerd
 * `<svc>-ingress|probes|metrics`), or too long for what it names (CronJob
 * and StatefulSet 52, Job 54, `<svc>-canary|preview` Services 63). Undefined when
 * the names are fine.
 */
function derivedNameProblem(spec: ArchitectureSpecInput): string | undefined {
  const { services, mesh, platform } = spec.spec;
  const app = spec.metadata.name;
  const reserved = new Set([
    'default',
    'default-deny-all',
    'allow-dns-egress',
    'allow-mesh-control-plane-egress',
    'allow-metrics-scrape',
    `${app}-test-connection`,
    `${app}-test-connection-egress`,
    `${app}-test-connection-ingress`,
    ...(mesh === 'istio' ? ['allow-nothing'] : []),
    ...(mesh === 'linkerd' ? ['ingress-controller'] : []),
  ]);
  const names = new Set(services.map(s => s.name));
  for (const service of services) {
    const { name, workload } = service;
    if (reserved.has(name)) return `${name} is reserved`;
    const port =
      service.port ??
      (['service', 'stateful', 'function'].includes(workload)
        ? 8080
        : undefined);
    const derived: string[] = [];
    let max = 63;
    if (
      workload === 'cronjob' ||
      (workload === 'function' &&
        service.trigger?.type === 'schedule' &&
        platform !== 'serverless')
    ) {
      max = 52;
    }
    // a Job is named `<name>-<8-character image hash>`
    if (workload === 'job') max = 54;
    if (workload === 'stateful') {
      derived.push(`${name}-headless`);
      max = 52;
    }
    if ((workload === 'service' || workload === 'worker') && port) {
      for (const suffix of ROLLOUT_SERVICES[service.strategy ?? 'auto'] ?? []) {
        derived.push(`${name}-${suffix}`);
        max = Math.min(max, 63 - suffix.length - 1);
      }
    }
    if (mesh === 'linkerd' && port) {
      derived.push(`${name}-ingress`, `${name}-probes`, `${name}-metrics`);
    }
    if (name.length > max) return `${name} is longer than ${max}`;
    const taken = derived.find(d => names.has(d));
    if (taken) return `${taken} is derived from ${name}`;
  }
  return undefined;
}

/** Valid architecture specs (raw, as a user writes them). */
export const validSpecArb: fc.Arbitrary<ArchitectureSpecInput> = fc
  .record({
    name: dnsLabelArb,
    title: fc.option(fc.constantFrom('Shop', 'Claims processing'), {
      nil: undefined,
    }),
    type: fc.constantFrom(...architectureTypes),
    platform: fc.constantFrom(
      'auto',
      'kubernetes',
      'serverless',
      'hybrid',
      undefined,
    ),
    cloud: fc.constantFrom(...clouds),
    tier: fc.constantFrom(...tiers),
    environments: fc.option(environmentsArb, { nil: undefined }),
    requirements: fc.array(fc.constantFrom(...requirementKinds), {
      minLength: 1,
      maxLength: 4,
    }),
    mesh: fc.constantFrom(...meshes, undefined),
    gitops: fc.constantFrom(...gitopsTools, undefined),
    withRegion: fc.boolean(),
    regionIndex: fc.nat(),
    registry: fc.constantFrom(
      undefined,
      'registry.example.com/shop',
      'ghcr.io/acme',
    ),
    serviceNames: fc.uniqueArray(dnsLabelArb, {
      minLength: 1,
      maxLength: 5,
    }),
  })
  .chain(top => {
    const names = top.serviceNames;
    const context: SpecContext = { platform: top.platform, mesh: top.mesh };
    return fc
      .tuple(
        ...names.map((name, index) =>
          serviceArb(name, names.slice(0, index), context),
        ),
      )
      .map(generated => {
        const services = generated;
        const cloud = top.cloud;
        const regions = REGIONS[cloud];
        const spec: ArchitectureSpecInput = {
          apiVersion: ARCHITECTURE_API_VERSION,
          kind: 'Architecture',
          metadata: compact({ name: top.name, title: top.title }),
          spec: compact({
            type: top.type,
            platform: top.platform,
            cloud,
            region: top.withRegion
              ? regions[top.regionIndex % regions.length]
              : undefined,
            tier: top.tier,
            environments: top.environments,
            requirements: top.requirements,
            mesh: top.mesh,
            gitops: top.gitops,
            registry: top.registry,
            services,
          }),
        };
        return spec;
      });
  })
  // The names the engine derives must stay apart and within their limits
  .filter(spec => derivedNameProblem(spec) === undefined);

// ---------------------------------------------------------------------------
// Invalid specs
// ---------------------------------------------------------------------------

/** An invalid spec and where the validation must point at. */
export interface InvalidSpec {
  mutation: string;
  spec: unknown;
  /** An issue path must start with this */
  expectedPath: string;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const badNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'API',
    'my_service',
    '-api',
    'api-',
    'api.v2',
    'api service',
    'a'.repeat(64),
    'api\nkind: Secret',
    'api: x',
    'api #',
    '&anchor',
    '*alias',
    '{{ .Values.x }}',
    '${NAME}',
    '../etc',
    'ünïcode',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[a-z]{1,5}$/),
      fc.constantFrom(...HOSTILE_PIECES),
      fc.stringMatching(/^[a-z]{0,5}$/),
    )
    .map(parts => parts.join(''))
    .filter(s => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)),
);

export const badCronArb = fc.constantFrom(
  '',
  ' 0 2 * * *',
  '0 2 * *',
  '0 2 * * * *',
  '60 * * * *',
  '* 24 * * *',
  '* * 0 * *',
  '* * * 13 *',
  '* * * * 8',
  '*/0 * * * *',
  '5-1 * * * *',
  '1-2-3 * * * *',
  '@every 5m',
  '@reboot',
  'TZ=UTC 0 2 * * *',
  'a b c d e',
  '0 2 * * mon-funday',
);

export const badQuantityArb = fc.record({
  field: fc.constantFrom('cpu', 'memory', 'storage'),
  value: fc.constantFrom(
    '',
    'abc',
    '1GB',
    '-1',
    '1.5m',
    '10 Gi',
    '0x10',
    '1e3',
    'Infinity',
  ),
});

/** Values the secret scanner must recognise (built so no file holds one). */
export const secretValueArb: fc.Arbitrary<{ key: string; value: string }> =
  fc.oneof(
    fc
      .stringMatching(/^[0-9A-Z]{16}$/)
      .map(s => ({ key: 'AWS_ID', value: `AKIA${s}` })),
    fc
      .stringMatching(/^[A-Za-z0-9]{36}$/)
      .map(s => ({ key: 'GH', value: ['ghp', s].join('_') })),
    fc
      .stringMatching(/^[a-z]{3,8}$/)
      .map(p => ({ key: 'DB_URL', value: `postgres://admin:${p}@db:5432/x` })),
    fc
      .stringMatching(/^[a-zA-Z0-9]{6,12}$/)
      .map(p => ({ key: 'DB_PASSWORD', value: p }))
      .filter(({ key, value }) => !!explainSecretLiteral(key, value)),
    fc.constant({
      key: 'TLS',
      value: ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' '),
    }),
  );

/** A valid spec and one mutation that makes it invalid. */
export const invalidSpecArb: fc.Arbitrary<InvalidSpec> = fc
  .tuple(validSpecArb, fc.nat())
  .chain(([valid, a]) => {
    const services = valid.spec.services;
    const i = a % services.length;
    const at = `spec.services[${i}]`;
    /** `valid`, changed by `change`: invalid at `expectedPath`. */
    const mutated = (
      mutation: string,
      expectedPath: string,
      change: (spec: ArchitectureSpecInput) => void,
    ): InvalidSpec => {
      const spec = clone(valid);
      change(spec);
      return { mutation, spec, expectedPath };
    };
    /** `valid` with env `key` = `value` on service i, not declared a secret. */
    const withEnvValue = (
      mutation: string,
      key: string,
      value: string,
    ): InvalidSpec =>
      mutated(mutation, `${at}.env.${key}`, spec => {
        const service = spec.spec.services[i];
        service.env = { ...(service.env ?? {}), [key]: value };
        service.secrets = service.secrets?.filter(s => s !== key);
      });
    const mutations: Array<fc.Arbitrary<InvalidSpec>> = [
      badNameArb.map(name =>
        mutated('bad service name', at, spec => {
          spec.spec.services[i].name = name;
        }),
      ),
      badNameArb.map(name =>
        mutated('bad metadata.name', 'metadata.name', spec => {
          spec.metadata.name = name;
        }),
      ),
      badNameArb.map(name =>
        mutated('bad environment', 'spec.environments', spec => {
          spec.spec.environments = ['prod', name];
        }),
      ),
      fc.constant(null).map(() =>
        mutated(
          'duplicate service name',
          `spec.services[${services.length}].name`,
          spec => {
            const copy = clone(spec.spec.services[i]);
            delete copy.dependsOn;
            spec.spec.services.push(copy);
          },
        ),
      ),
      fc
        .constantFrom('default', 'default-deny-all', 'allow-dns-egress')
        .map(name =>
          mutated('reserved service name', `${at}.name`, spec => {
            spec.spec.services[i].name = name;
          }),
        ),
      fc.constant(null).map(() =>
        mutated(
          'service named like a derived object',
          `spec.services[${services.length + 1}].name`,
          spec => {
            const names = new Set(services.map(s => s.name));
            let db = 'dbx';
            while (names.has(db) || names.has(`${db}-headless`)) db += 'x';
            spec.spec.services.push(
              {
                name: db,
                workload: 'stateful',
                image: 'postgres:16',
                port: 5432,
              },
              { name: `${db}-headless`, workload: 'worker', image: 'nginx' },
            );
          },
        ),
      ),
      fc.constant(null).map(() =>
        mutated('duplicate environment', 'spec.environments', spec => {
          const env = spec.spec.environments?.[0] ?? 'prod';
          spec.spec.environments = [env, env];
        }),
      ),
      dnsLabelArb
        .filter(n => !services.some(s => s.name === n))
        .map(unknown =>
          mutated('unknown dependsOn', `${at}.dependsOn`, spec => {
            spec.spec.services[i].dependsOn = [unknown];
          }),
        ),
      fc.constant(null).map(() =>
        mutated('self dependency', `${at}.dependsOn`, spec => {
          spec.spec.services[i].dependsOn = [services[i].name];
        }),
      ),
      badCronArb.map(schedule =>
        mutated('invalid cron', `${at}.schedule`, spec => {
          const service = spec.spec.services[i];
          if (spec.spec.platform === 'serverless') {
            service.trigger = { type: 'schedule' };
          } else {
            service.workload = 'cronjob';
            delete service.trigger;
            delete service.memoryMB;
            delete service.completions;
            delete service.parallelism;
            delete service.storage;
            if (
              service.strategy &&
              !['auto', 'rolling', 'recreate'].includes(service.strategy)
            ) {
              delete service.strategy;
            }
          }
          service.schedule = schedule;
        }),
      ),
      badQuantityArb.map(({ field, value }) => {
        const spec = clone(valid);
        const service = spec.spec.services[i];
        if (field === 'storage') {
          service.storage = { size: value };
          return {
            mutation: 'bad storage size',
            spec,
            expectedPath: `${at}.storage`,
          };
        }
        service.resources = {
          cpu: '100m',
          memory: '128Mi',
          [field]: value,
        };
        return {
          mutation: `bad ${field} quantity`,
          spec,
          expectedPath: `${at}.resources.${field}`,
        };
      }),
      secretValueArb.map(({ key, value }) =>
        withEnvValue('secret-looking env value', key, value),
      ),
      fc
        .tuple(
          fc.constantFrom('single\nline', 'a\rb', 'nul\0byte', 'x\n'),
          envKeyArb,
        )
        .map(([value, key]) =>
          withEnvValue('multi-line env value', key, value),
        ),
      fc
        .tuple(
          fc.constantFrom('root', 'spec', 'metadata', 'service'),
          fc.constantFrom('extra', 'replica', 'Name', '__proto__x', 'lang'),
        )
        .map(([where, key]) => {
          const spec = clone(valid) as unknown as Record<string, any>;
          let expectedPath = '(root)';
          if (where === 'root') spec[key] = 1;
          else if (where === 'spec') {
            spec.spec[key] = 1;
            expectedPath = 'spec';
          } else if (where === 'metadata') {
            spec.metadata[key] = 1;
            expectedPath = 'metadata';
          } else {
            spec.spec.services[i][key] = 1;
            expectedPath = at;
          }
          return { mutation: `unknown field in ${where}`, spec, expectedPath };
        }),
      fc
        .constantFrom(
          ['port', '8080'],
          ['port', 0],
          ['port', 70000],
          ['port', 80.5],
          ['replicas', 3],
          ['replicas', { min: 5, max: 2 }],
          ['workload', 'lambda'],
          ['language', 'cobol'],
          ['env', ['A=1']],
          ['env', { A: 1 }],
          ['secrets', 'DB_PASSWORD'],
          ['secrets', ['db-password']],
          ['dependsOn', 'api'],
          ['health', { path: 'healthz' }],
          ['memoryMB', 64],
          ['image', 'Not An Image'],
        )
        .map(([field, value]) => {
          const spec = clone(valid) as unknown as Record<string, any>;
          spec.spec.services[i][field as string] = value;
          return {
            mutation: `wrong type of ${field}`,
            spec,
            expectedPath: `${at}.${field}`,
          };
        }),
      fc
        .constantFrom<[string, unknown, string]>(
          ['services', {}, 'spec.services'],
          ['services', [], 'spec.services'],
          ['tier', 'T4', 'spec.tier'],
          ['cloud', 'ibm', 'spec.cloud'],
          ['requirements', [], 'spec.requirements'],
          ['environments', [], 'spec.environments'],
          ['environments', 'prod', 'spec.environments'],
          ['region', 'US East', 'spec.region'],
          ['mesh', true, 'spec.mesh'],
        )
        .map(([field, value, expectedPath]) => {
          const spec = clone(valid) as unknown as Record<string, any>;
          spec.spec[field] = value;
          return { mutation: `wrong ${field}`, spec, expectedPath };
        }),
    ];
    return fc.constantFrom(...mutations).chain(m => m);
  });

/**
 * Raw YAML texts that are not a valid spec: broken syntax, aliases,
 * duplicate keys, tags, other documents, random bytes.
 */
export const hostileYamlArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '---',
    '- a\n- b',
    'a: &x [1, 2]\nb: *x',
    'apiVersion: x\napiVersion: y',
    'kind: !!binary aGVsbG8=',
    'a: !!js/function "function(){}"',
    '{{ .Values }}',
    'key: "unterminated',
    '\t- tab',
    '%YAML 1.2\n---\na: 1\n...\n---\nb: 2',
    'a: [1, 2',
    `a: ${'['.repeat(200)}`,
    '? complex\n: key',
    '<<: {a: 1}',
  ),
  // A valid spec with a hostile fragment spliced in
  fc
    .tuple(validSpecArb, fc.constantFrom(...HOSTILE_PIECES), fc.nat())
    .map(([spec, piece, at]) => {
      const text = JSON.stringify(spec, null, 1);
      const index = at % (text.length + 1);
      return `${text.slice(0, index)}${piece}${text.slice(index)}`;
    }),
  fc.string({ maxLength: 200 }),
);

// ---------------------------------------------------------------------------
// Injection
// ---------------------------------------------------------------------------

/** Env maps whose values are hostile (but single-line and not secrets). */
export const hostileEnvArb: fc.Arbitrary<Record<string, string>> = fc
  .uniqueArray(envKeyArb, { minLength: 1, maxLength: 4 })
  .chain(keys =>
    fc
      .tuple(
        ...keys.map(key =>
          hostileStringArb.filter(
            value =>
              !/[\n\r\0]/.test(value) &&
              explainSecretLiteral(key, value) === undefined,
          ),
        ),
      )
      .map(values =>
        Object.fromEntries(keys.map((key, index) => [key, values[index]])),
      ),
  );

/** Free text that may span lines (descriptions). */
export const hostileTextArb: fc.Arbitrary<string> = fc
  .array(hostileStringArb, { minLength: 1, maxLength: 3 })
  .map(lines => lines.join('\n'));

/**
 * A valid spec whose free-text fields (metadata, env values, trigger
 * sources, storage classes) are hostile strings the validation accepts.
 */
export const injectionSpecArb: fc.Arbitrary<ArchitectureSpecInput> =
  validSpecArb.chain(valid => {
    const count = valid.spec.services.length;
    return fc
      .record({
        title: hostileStringArb,
        description: hostileTextArb,
        owner: hostileStringArb,
        envs: fc.array(hostileEnvArb, { minLength: count, maxLength: count }),
        sources: fc.array(
          fc.option(
            hostileStringArb.filter(s => s.length > 0),
            { nil: undefined },
          ),
          { minLength: count, maxLength: count },
        ),
      })
      .map(hostile => {
        const spec = clone(valid);
        spec.metadata = {
          ...spec.metadata,
          title: hostile.title,
          description: hostile.description,
          owner: hostile.owner,
        };
        spec.spec.services = spec.spec.services.map((service, index) => {
          const secrets = service.secrets ?? [];
          const env = Object.fromEntries(
            Object.entries(hostile.envs[index]).filter(
              ([key]) => !secrets.includes(key),
            ),
          );
          const source = hostile.sources[index];
          return {
            ...service,
            env,
            ...(service.trigger && source !== undefined
              ? { trigger: { ...service.trigger, source } }
              : {}),
          };
        });
        return spec;
      });
  });
