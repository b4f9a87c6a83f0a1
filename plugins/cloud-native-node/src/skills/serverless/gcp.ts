import {
  DeploymentPlan,
  Language,
} from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import {
  CLOUD_FUNCTIONS_RUNTIMES,
  cloudRunCpu,
  GcpTarget,
  gcpTarget as planGcpTarget,
} from '../../plan/serverless';
import { toCompatYaml as toYaml } from './yaml';
import { FunctionContext } from './context';
import { standardCron } from './cron';
import { dnsName, shellQuote } from './names';
import { JsonObject, JsonValue } from './types';

const GCP_DIR = 'serverless/gcp';

/** Replaced by the deployer (see the README): no project id is guessed. */
const PROJECT_PLACEHOLDER = 'PROJECT_ID';

/** Cloud Functions (2nd gen) runtimes; others run on Cloud Run + Eventarc. */
const FUNCTION_RUNTIMES = CLOUD_FUNCTIONS_RUNTIMES;

const ENTRY_POINTS: Partial<Record<Language, string>> = {
  go: 'Handler',
  java: 'functions.Handler',
  dotnet: 'Function.Handler',
};

const EVENT_TYPES = {
  pubsub: 'google.cloud.pubsub.topic.v1.messagePublished',
  storage: 'google.cloud.storage.object.v1.finalized',
};

/** Roles a dedicated service account may get; never owner/editor. */
export interface GcpBinding {
  member: string;
  role: string;
  /** What the role is granted on */
  resource: { type: string; name: string };
  /** Why, in a few words */
  reason: string;
  command: string;
}

/** Service account id: 6-30 characters, lower-case letters, digits, `-`. */
function serviceAccountId(fn: FunctionContext): string {
  const id = dnsName(`fn-${fn.name}`, 30);
  return id.length >= 6 ? id : `${id}-sa`.padEnd(6, '0');
}

function serviceAccountEmail(fn: FunctionContext): string {
  return `${serviceAccountId(
    fn,
  )}@${PROJECT_PLACEHOLDER}.iam.gserviceaccount.com`;
}

/** Secret Manager secret id of one secret of a function. */
function secretId(plan: DeploymentPlan, fn: FunctionContext, name: string) {
  return `${dnsName(plan.name, 40)}-${fn.name}-${name}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 255);
}

/** How a function runs on Google Cloud (the plan decides, plan/serverless.ts). */
export type { GcpTarget } from '../../plan/serverless';

export function gcpTarget(fn: FunctionContext): GcpTarget {
  return planGcpTarget(fn.plan);
}

/** A bucket or a Pub/Sub topic a function's events come from. */
interface GcpEventSource {
  kind: 'pubsub' | 'storage';
  name: string;
}

/** The Pub/Sub topic or bucket an event function reads. */
function eventSource(fn: FunctionContext): GcpEventSource {
  if (fn.trigger === 'storage') {
    return { kind: 'storage', name: dnsName(fn.source?.name ?? fn.name, 63) };
  }
  if (fn.trigger === 'schedule') {
    return { kind: 'pubsub', name: dnsName(`${fn.name}-schedule`, 255) };
  }
  return {
    kind: 'pubsub',
    name: dnsName(fn.source?.name ?? `${fn.name}-events`, 255),
  };
}

function deadLetterTopic(fn: FunctionContext): string {
  return dnsName(`${fn.name}-dead-letter`, 255);
}

function cpuFor(memoryMB: number): string {
  return String(cloudRunCpu(memoryMB));
}

function envList(plan: DeploymentPlan, fn: FunctionContext): JsonObject[] {
  return [
    ...Object.entries(fn.env).map(([name, value]) => ({ name, value })),
    ...fn.secrets.map(name => ({
      name,
      valueFrom: {
        secretKeyRef: { name: secretId(plan, fn, name), key: 'latest' },
      },
    })),
  ];
}

/** A Cloud Run service (Knative serving API, as `gcloud run services replace` reads it). */
function cloudRunService(
  plan: DeploymentPlan,
  fn: FunctionContext,
): JsonObject {
  // the second generation execution environment needs 512 MiB at least
  const memory = Math.max(512, fn.memoryMB);
  const internal = !fn.public;
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: fn.name,
      labels: {
        'cloud.googleapis.com/location': plan.region,
        app: plan.name,
        tier: plan.tier.toLowerCase(),
      },
      annotations: {
        'run.googleapis.com/ingress': internal ? 'internal' : 'all',
      },
    },
    spec: {
      template: {
        metadata: {
          labels: { app: plan.name, function: fn.name },
          annotations: {
            'autoscaling.knative.dev/minScale': plan.tier === 'T3' ? '1' : '0',
            'autoscaling.knative.dev/maxScale':
              plan.tier === 'T1' ? '10' : '100',
            'run.googleapis.com/execution-environment': 'gen2',
            'run.googleapis.com/cpu-throttling': 'true',
            'run.googleapis.com/startup-cpu-boost': 'true',
          },
        },
        spec: {
          containerConcurrency: fn.trigger === 'http' ? 80 : 1,
          timeoutSeconds: fn.timeoutSeconds,
          serviceAccountName: serviceAccountEmail(fn),
          containers: [
            {
              name: 'function',
              image: fn.plan.image,
              ports: [
                { name: 'http1', containerPort: fn.plan.service.port ?? 8080 },
              ],
              env: envList(plan, fn),
              resources: {
                limits: { cpu: cpuFor(memory), memory: `${memory}Mi` },
              },
            },
          ],
        },
      },
      traffic: [{ percent: 100, latestRevision: true }],
    },
  };
}

function command(words: string[]): string {
  return words.map(shellQuote).join(' ');
}

/** Creates the bucket or topic, the scheduler job, the dead-letter topic. */
function setupCommands(
  plan: DeploymentPlan,
  fn: FunctionContext,
  source: GcpEventSource,
): string[] {
  const region = plan.region;
  const setup: string[] = [];
  if (source.kind === 'storage') {
    setup.push(
      command([
        'gcloud',
        'storage',
        'buckets',
        'create',
        `gs://${source.name}`,
        `--location=${region}`,
        '--uniform-bucket-level-access',
        '--public-access-prevention',
      ]),
    );
  } else {
    setup.push(command(['gcloud', 'pubsub', 'topics', 'create', source.name]));
  }
  if (fn.trigger === 'schedule') {
    setup.push(
      command([
        'gcloud',
        'scheduler',
        'jobs',
        'create',
        'pubsub',
        fn.name,
        `--location=${region}`,
        `--schedule=${standardCron(fn.schedule ?? '@daily')}`,
        '--time-zone=UTC',
        `--topic=${source.name}`,
        '--message-body={}',
      ]),
    );
  }
  setup.push(
    command(['gcloud', 'pubsub', 'topics', 'create', deadLetterTopic(fn)]),
  );
  return setup;
}

/** What the deploy commands need besides the plan and the function. */
interface EventDeployment {
  source: GcpEventSource;
  filters: JsonObject[];
  serviceAccount: string;
  env: boolean;
  secrets: string[];
}

/** `gcloud functions deploy` (2nd gen); returns the trigger's name. */
function deployCloudFunction(
  plan: DeploymentPlan,
  fn: FunctionContext,
  d: EventDeployment,
  deploy: string[],
): string {
  const region = plan.region;
  const words = [
    'gcloud',
    'functions',
    'deploy',
    fn.name,
    '--gen2',
    `--region=${region}`,
    `--runtime=${FUNCTION_RUNTIMES[fn.language!]}`,
    `--source=services/${fn.name}`,
    `--entry-point=${ENTRY_POINTS[fn.language!] ?? 'handler'}`,
    d.source.kind === 'storage'
      ? `--trigger-bucket=${d.source.name}`
      : `--trigger-topic=${d.source.name}`,
    `--trigger-location=${region}`,
    `--service-account=${d.serviceAccount}`,
    `--trigger-service-account=${d.serviceAccount}`,
    `--memory=${fn.memoryMB}Mi`,
    `--timeout=${fn.timeoutSeconds}s`,
    `--max-instances=${plan.tier === 'T1' ? 10 : 100}`,
    '--retry',
  ];
  if (plan.tier === 'T3') words.push('--min-instances=1');
  if (d.env) words.push(`--env-vars-file=${GCP_DIR}/env/${fn.name}.yaml`);
  if (d.secrets.length > 0) words.push(`--set-secrets=${d.secrets.join(',')}`);
  deploy.push(command(words));
  return `$(gcloud functions describe ${fn.name} --gen2 --region=${region} --format='value(eventTrigger.trigger)')`;
}

/** A Cloud Run service and its Eventarc trigger; returns the trigger's name. */
function deployRunService(
  plan: DeploymentPlan,
  fn: FunctionContext,
  d: EventDeployment,
  deploy: string[],
): string {
  const region = plan.region;
  deploy.push(
    command([
      'gcloud',
      'run',
      'services',
      'replace',
      `${GCP_DIR}/run/${fn.name}.yaml`,
      `--region=${region}`,
    ]),
  );
  const words = [
    'gcloud',
    'eventarc',
    'triggers',
    'create',
    `${fn.name}-trigger`,
    `--location=${region}`,
    `--destination-run-service=${fn.name}`,
    `--destination-run-region=${region}`,
    ...d.filters.map(f => `--event-filters=${f.attribute}=${f.value}`),
    `--service-account=${d.serviceAccount}`,
  ];
  if (d.source.kind === 'pubsub') {
    words.push(
      `--transport-topic=projects/${PROJECT_PLACEHOLDER}/topics/${d.source.name}`,
    );
  }
  deploy.push(command(words));
  return `${fn.name}-trigger`;
}

/** Deploys the function, then points its subscription at the dead letters. */
function deployCommands(
  plan: DeploymentPlan,
  fn: FunctionContext,
  d: EventDeployment,
): string[] {
  const deploy: string[] = [];
  const triggerName =
    gcpTarget(fn) === 'cloud-functions'
      ? deployCloudFunction(plan, fn, d, deploy)
      : deployRunService(plan, fn, d, deploy);
  // Failed deliveries go to a dead-letter topic on the trigger's subscription
  deploy.push(
    `SUBSCRIPTION="$(gcloud eventarc triggers describe ${triggerName} --location=${plan.region} --format='value(transport.pubsub.subscription)')"`,
    `gcloud pubsub subscriptions update "$SUBSCRIPTION" --dead-letter-topic=${deadLetterTopic(
      fn,
    )} --max-delivery-attempts=5`,
  );
  return deploy;
}

function eventFunction(plan: DeploymentPlan, fn: FunctionContext): JsonObject {
  const target = gcpTarget(fn);
  const source = eventSource(fn);
  const region = plan.region;
  const sa = serviceAccountEmail(fn);
  const eventType = EVENT_TYPES[source.kind];
  const filters: JsonObject[] = [{ attribute: 'type', value: eventType }];
  if (source.kind === 'storage') {
    filters.push({ attribute: 'bucket', value: source.name });
  }
  const env = Object.keys(fn.env).length > 0;
  const secrets = fn.secrets.map(
    name => `${name}=${secretId(plan, fn, name)}:latest`,
  );
  const setup = setupCommands(plan, fn, source);
  const deploy = deployCommands(plan, fn, {
    source,
    filters,
    serviceAccount: sa,
    env,
    secrets,
  });

  return {
    name: fn.name,
    target,
    ...(target === 'cloud-functions'
      ? {
          generation: 'gen2',
          runtime: FUNCTION_RUNTIMES[fn.language!]!,
          entryPoint: ENTRY_POINTS[fn.language!] ?? 'handler',
          source: `services/${fn.name}`,
        }
      : { image: fn.plan.image, service: `${GCP_DIR}/run/${fn.name}.yaml` }),
    region,
    memory: `${fn.memoryMB}Mi`,
    timeoutSeconds: fn.timeoutSeconds,
    serviceAccount: sa,
    ...(env ? { envVarsFile: `${GCP_DIR}/env/${fn.name}.yaml` } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    trigger: {
      type: fn.trigger,
      eventType,
      ...(source.kind === 'storage'
        ? { bucket: source.name }
        : { topic: source.name }),
      ...(fn.trigger === 'schedule'
        ? { schedule: standardCron(fn.schedule ?? '@daily'), timeZone: 'UTC' }
        : {}),
      retry: true,
      deadLetterTopic: deadLetterTopic(fn),
      maxDeliveryAttempts: 5,
    },
    eventarcTrigger: {
      location: region,
      eventFilters: filters,
      destination: { cloudRunService: { service: fn.name, region } },
      serviceAccount: sa,
      ...(source.kind === 'pubsub'
        ? {
            transport: {
              pubsub: {
                topic: `projects/${PROJECT_PLACEHOLDER}/topics/${source.name}`,
              },
            },
          }
        : {}),
    },
    commands: { setup, deploy },
  };
}

/** How `gcloud` addresses each kind of resource a binding is on. */
const BINDING_TARGETS = {
  'run.service': { group: ['run', 'services'], regional: true },
  project: { group: ['projects'], regional: false },
  'storage.bucket': { group: ['storage', 'buckets'], regional: false },
  'pubsub.topic': { group: ['pubsub', 'topics'], regional: false },
  'secretmanager.secret': { group: ['secrets'], regional: false },
};

/** A binding to make, on a resource `gcloud` knows how to address. */
type BindingRequest = Omit<GcpBinding, 'command' | 'resource'> & {
  resource: { type: keyof typeof BINDING_TARGETS; name: string };
};

/** A binding with the `gcloud ... add-iam-policy-binding` command that makes it. */
function withCommand(region: string, binding: BindingRequest): GcpBinding {
  const { member, role, resource, reason } = binding;
  const target = BINDING_TARGETS[resource.type];
  return {
    member,
    role,
    resource,
    reason,
    command: command([
      'gcloud',
      ...target.group,
      'add-iam-policy-binding',
      resource.type === 'storage.bucket'
        ? `gs://${resource.name}`
        : resource.name,
      ...(target.regional ? [`--region=${region}`] : []),
      `--member=${member}`,
      `--role=${role}`,
    ]),
  };
}

/** IAM bindings, each on the one resource it needs. */
export function gcpBindings(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): GcpBinding[] {
  const bindings: GcpBinding[] = [];
  const region = plan.region;
  const gcsAgent = `serviceAccount:service-PROJECT_NUMBER@gs-project-accounts.iam.gserviceaccount.com`;
  const pubsubAgent = `serviceAccount:service-PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com`;
  let storageAgentBound = false;
  const grant = (binding: BindingRequest) =>
    bindings.push(withCommand(region, binding));
  for (const fn of fns) {
    const member = `serviceAccount:${serviceAccountEmail(fn)}`;
    const run = (who: string, reason: string) =>
      grant({
        member: who,
        role: 'roles/run.invoker',
        resource: { type: 'run.service', name: fn.name },
        reason,
      });
    if (fn.trigger === 'http') {
      if (fn.public) run('allUsers', 'public HTTP function');
    } else {
      const source = eventSource(fn);
      run(member, 'Eventarc invokes the function as its trigger identity');
      grant({
        member,
        role: 'roles/eventarc.eventReceiver',
        resource: { type: 'project', name: PROJECT_PLACEHOLDER },
        reason:
          'Eventarc requires it on the project for the trigger identity (no narrower scope exists)',
      });
      if (source.kind === 'storage') {
        grant({
          member,
          role: 'roles/storage.objectViewer',
          resource: { type: 'storage.bucket', name: source.name },
          reason: 'read the uploaded objects',
        });
        if (!storageAgentBound) {
          storageAgentBound = true;
          grant({
            member: gcsAgent,
            role: 'roles/pubsub.publisher',
            resource: { type: 'project', name: PROJECT_PLACEHOLDER },
            reason:
              'Cloud Storage publishes object events for Eventarc (Google requirement)',
          });
        }
      }
      grant({
        member: pubsubAgent,
        role: 'roles/pubsub.publisher',
        resource: { type: 'pubsub.topic', name: deadLetterTopic(fn) },
        reason: 'forward undeliverable events to the dead-letter topic',
      });
    }
    for (const name of fn.secrets) {
      const id = secretId(plan, fn, name);
      grant({
        member,
        role: 'roles/secretmanager.secretAccessor',
        resource: { type: 'secretmanager.secret', name: id },
        reason: `read secret ${name}`,
      });
    }
  }
  return bindings;
}

/** Every file under serverless/gcp. */
export function gcpFiles(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): { files: GeneratedFile[]; bindings: GcpBinding[] } {
  const files: GeneratedFile[] = [];
  const events = fns.filter(fn => fn.trigger !== 'http');
  for (const fn of fns) {
    if (gcpTarget(fn) === 'cloud-run') {
      files.push({
        path: `${GCP_DIR}/run/${fn.name}.yaml`,
        content: toYaml(cloudRunService(plan, fn)),
      });
    }
    if (Object.keys(fn.env).length > 0 && gcpTarget(fn) === 'cloud-functions') {
      files.push({
        path: `${GCP_DIR}/env/${fn.name}.yaml`,
        content: toYaml(fn.env),
      });
    }
  }
  if (events.length > 0) {
    files.push({
      path: `${GCP_DIR}/functions.yaml`,
      content: toYaml({
        project: PROJECT_PLACEHOLDER,
        region: plan.region,
        functions: events.map(fn => eventFunction(plan, fn)),
      }),
    });
  }
  const bindings = gcpBindings(plan, fns);
  files.push({
    path: `${GCP_DIR}/iam.yaml`,
    content: toYaml({
      project: PROJECT_PLACEHOLDER,
      serviceAccounts: fns.map(fn => ({
        accountId: serviceAccountId(fn),
        email: serviceAccountEmail(fn),
        displayName: `${plan.name} ${fn.name}`,
        function: fn.name,
        create: command([
          'gcloud',
          'iam',
          'service-accounts',
          'create',
          serviceAccountId(fn),
          `--display-name=${plan.name} ${fn.name}`,
        ]),
      })),
      bindings: bindings as unknown as JsonValue[],
    }),
  });
  return { files, bindings };
}
