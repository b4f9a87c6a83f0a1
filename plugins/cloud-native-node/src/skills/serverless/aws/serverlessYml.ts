import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { EventSource, FunctionContext } from '../context';
import { awsCronExpressions } from '../cron';
import { camel, dnsName, sortedRecord } from '../names';
import { JsonObject, JsonValue } from '../types';
import {
  LOG_RETENTION_DAYS,
  bucketBaseName,
  deadLetterQueue,
  dynamoDbTable,
  functionIds,
  getAtt,
  isFifo,
  kinesisStream,
  lambdaRuntime,
  reservedConcurrency,
  secretArnPattern,
  secretEnvName,
  secretName,
  sourceIds,
  sourceQueue,
  streamKind,
  sub,
  tags,
} from './common';
import {
  LITERAL_DOLLAR,
  LITERAL_DOLLAR_CUSTOM,
  slsLiteral,
} from './slsLiteral';

/** Where the Serverless Framework configuration is written. */
export const SERVERLESS_YML_PATH = 'serverless/aws/serverless.yml';

/** Zip artifacts, relative to serverless/aws (the service directory). */
function artifactPath(fn: FunctionContext): string {
  return `../../dist/aws/${fn.name}.zip`;
}

const ECR_IMAGE = /^\d+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//;

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: JsonValue[];
}

function imageKey(fn: FunctionContext): string {
  const key = dnsName(fn.name, 32);
  return /^[a-z]/.test(key) ? key : `img-${key}`.slice(0, 32);
}

/** `${sls:stage}` is resolved by the framework offline. */
function bucketName(plan: DeploymentPlan, fn: FunctionContext): string {
  if (fn.source?.arn) return bucketBaseName(fn.source);
  return `${dnsName(plan.name, 20)}-${bucketBaseName(
    fn.source!,
  )}-\${sls:stage}`;
}

/** The configuration as it is built, function by function. */
interface SlsBuild {
  plan: DeploymentPlan;
  resources: Record<string, JsonObject>;
  statements: Statement[];
  buckets: Record<string, JsonObject>;
  images: Record<string, JsonObject>;
  /** Set when a literal `$` was escaped: the config then needs its variable */
  literalDollar: boolean;
}

/** One function's events, dead-letter queue and IAM statements. */
interface FunctionBuild {
  fn: FunctionContext;
  events: JsonObject[];
  dlq?: string;
  /** Async invocations (S3, schedule) retry and then go to the DLQ */
  asyncDestination: boolean;
}

/** Spec text as the framework must pass it on (`${` escaped). */
function literal(b: SlsBuild, text: string): string {
  const value = slsLiteral(text);
  if (value.includes(LITERAL_DOLLAR)) b.literalDollar = true;
  return value;
}

function allow(
  b: SlsBuild,
  f: FunctionBuild,
  sid: string,
  action: string[],
  resource: JsonValue[],
) {
  b.statements.push({
    Sid: `${f.fn.id}${sid}`,
    Effect: 'Allow',
    Action: action,
    Resource: resource,
  });
}

/** The function's own dead-letter queue; returns its logical id. */
function functionDlq(b: SlsBuild, f: FunctionBuild): string {
  const { dlq } = functionIds(f.fn);
  b.resources[dlq] = deadLetterQueue();
  f.dlq = dlq;
  return dlq;
}

function wireQueue(b: SlsBuild, f: FunctionBuild, source: EventSource) {
  let arn: JsonValue = literal(b, source.arn ?? '');
  if (!source.arn) {
    const sids = sourceIds(source);
    b.resources[sids.queue] = sourceQueue(f.fn, source, b.plan.tier);
    b.resources[sids.queueDlq] = deadLetterQueue(isFifo(source));
    arn = getAtt(sids.queue, 'Arn');
  }
  f.events.push({
    sqs: {
      arn,
      batchSize: 10,
      functionResponseType: 'ReportBatchItemFailures',
    },
  });
  allow(
    b,
    f,
    'ConsumeQueue',
    [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ],
    [arn],
  );
}

function wireStorage(b: SlsBuild, f: FunctionBuild, source: EventSource) {
  const name = bucketName(b.plan, f.fn);
  if (source.arn) {
    f.events.push({
      s3: { bucket: name, event: 's3:ObjectCreated:*', existing: true },
    });
  } else {
    const key = camel(source.name);
    b.buckets[key] = {
      name,
      bucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      publicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      ...(b.plan.tier === 'T3'
        ? { versioningConfiguration: { Status: 'Enabled' } }
        : {}),
    };
    f.events.push({ s3: { bucket: key, event: 's3:ObjectCreated:*' } });
  }
  allow(
    b,
    f,
    'ReadObjects',
    ['s3:GetObject', 's3:GetObjectVersion'],
    [sub(`arn:\${AWS::Partition}:s3:::${name}/*`)],
  );
  allow(
    b,
    f,
    'ListBucket',
    ['s3:ListBucket'],
    [sub(`arn:\${AWS::Partition}:s3:::${name}`)],
  );
  functionDlq(b, f);
  f.asyncDestination = true;
}

function wireStream(b: SlsBuild, f: FunctionBuild, source: EventSource) {
  const kind = streamKind(f.fn);
  const sids = sourceIds(source);
  let arn: JsonValue = literal(b, source.arn ?? '');
  if (!source.arn) {
    if (kind === 'Kinesis') {
      b.resources[sids.stream] = kinesisStream(source, b.plan.tier);
      arn = getAtt(sids.stream, 'Arn');
    } else {
      b.resources[sids.table] = dynamoDbTable(source, b.plan.tier);
      arn = getAtt(sids.table, 'StreamArn');
    }
  }
  const failures = functionDlq(b, f);
  f.events.push({
    stream: {
      type: kind === 'Kinesis' ? 'kinesis' : 'dynamodb',
      arn,
      startingPosition: 'LATEST',
      batchSize: 100,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      functionResponseType: 'ReportBatchItemFailures',
      destinations: {
        onFailure: { arn: getAtt(failures, 'Arn'), type: 'sqs' },
      },
    },
  });
  allow(
    b,
    f,
    'ReadStream',
    kind === 'Kinesis'
      ? [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
        ]
      : [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
    [arn],
  );
}

/** The function's trigger: its events, source resources and statements. */
function wireTrigger(b: SlsBuild, f: FunctionBuild) {
  const { fn } = f;
  const source = fn.source;
  switch (fn.trigger) {
    case 'http':
      f.events.push(
        { httpApi: { method: '*', path: `/${fn.name}` } },
        { httpApi: { method: '*', path: `/${fn.name}/{proxy+}` } },
      );
      break;
    case 'queue':
      if (source) wireQueue(b, f, source);
      break;
    case 'storage':
      if (source) wireStorage(b, f, source);
      break;
    case 'schedule':
      f.events.push({
        schedule: {
          method: 'scheduler',
          rate: awsCronExpressions(fn.schedule ?? '@daily'),
          timezone: 'UTC',
        },
      });
      functionDlq(b, f);
      f.asyncDestination = true;
      break;
    case 'stream':
      if (source) wireStream(b, f, source);
      break;
    default:
      break;
  }
}

/** Env values as literals, secrets as names (read at start-up). */
function environmentOf(b: SlsBuild, f: FunctionBuild): Record<string, string> {
  const { fn } = f;
  const environment: Record<string, string> = Object.fromEntries(
    Object.entries(fn.env).map(([name, value]) => [name, literal(b, value)]),
  );
  fn.secrets.forEach((secret, index) => {
    environment[secretEnvName(secret)] = secretName(b.plan, fn, secret);
    allow(
      b,
      f,
      `ReadSecret${index + 1}`,
      ['secretsmanager:GetSecretValue'],
      [secretArnPattern(b.plan, fn, secret)],
    );
  });
  return environment;
}

/** The function's code: an image (ECR or built from the Dockerfile) or a zip. */
function codeOf(b: SlsBuild, fn: FunctionContext): JsonObject {
  const runtime = lambdaRuntime(fn);
  if (runtime.packageType !== 'Image') {
    return {
      runtime: runtime.runtime!,
      handler: runtime.handler!,
      package: { artifact: artifactPath(fn) },
    };
  }
  if (ECR_IMAGE.test(fn.plan.image)) {
    return { image: { uri: literal(b, fn.plan.image) } };
  }
  const key = imageKey(fn);
  b.images[key] = {
    path: `../../services/${fn.name}`,
    file: `../../containers/${fn.name}/Dockerfile`,
    platform: 'linux/arm64',
  };
  return { image: { name: key } };
}

/** One entry of `functions:`. */
function functionDefinition(b: SlsBuild, fn: FunctionContext): JsonObject {
  const f: FunctionBuild = { fn, events: [], asyncDestination: false };
  wireTrigger(b, f);
  if (f.dlq) {
    allow(
      b,
      f,
      'SendToDeadLetterQueue',
      ['sqs:SendMessage'],
      [getAtt(f.dlq, 'Arn')],
    );
  }
  const environment = environmentOf(b, f);
  const definition: JsonObject = {
    description: `${fn.name}: ${fn.trigger} function of ${b.plan.name}`,
    ...codeOf(b, fn),
  };
  definition.memorySize = fn.memoryMB;
  definition.timeout = fn.timeoutSeconds;
  definition.logs = { logFormat: 'JSON' };
  if (Object.keys(environment).length > 0) {
    definition.environment = sortedRecord(environment);
  }
  const reserved = reservedConcurrency(b.plan);
  if (reserved !== undefined) definition.reservedConcurrency = reserved;
  if (f.asyncDestination && f.dlq) {
    definition.maximumRetryAttempts = 2;
    definition.destinations = {
      onFailure: { type: 'sqs', arn: getAtt(f.dlq, 'Arn') },
    };
  }
  definition.events = f.events;
  return definition;
}

/** `provider:` with the one role's statements, images and buckets. */
function providerOf(
  b: SlsBuild,
  fns: ReadonlyArray<FunctionContext>,
): JsonObject {
  const { plan } = b;
  const provider: JsonObject = {
    name: 'aws',
    region: plan.region,
    stage: `\${opt:stage, '${
      plan.environments.includes('prod') ? 'prod' : plan.environments[0]
    }'}`,
    architecture: 'arm64',
    logRetentionInDays: LOG_RETENTION_DAYS[plan.tier],
    tags: tags(plan),
  };
  if (plan.tier !== 'T1') {
    provider.tracing = { lambda: true };
    if (fns.some(fn => fn.trigger === 'http'))
      provider.logs = { httpApi: true };
  }
  if (Object.keys(b.images).length > 0) {
    provider.ecr = { images: sortedRecord(b.images) };
  }
  if (Object.keys(b.buckets).length > 0) provider.s3 = sortedRecord(b.buckets);
  if (b.statements.length > 0) {
    provider.iam = {
      role: { statements: b.statements as unknown as JsonValue[] },
    };
  }
  return provider;
}

/**
 * A Serverless Framework v3-compatible `serverless.yml` (runs with the
 * open-source `osls` fork): the same functions, events, queues and
 * dead-letter queues as the SAM template. The framework gives all functions
 * one role; its statements are scoped to the named resources.
 *
 * The framework resolves `${...}` in every string: text from the spec (env
 * values, trigger source ARNs) goes through `slsLiteral` so that it reaches
 * the function exactly as written; names are already restricted to
 * characters without `$` (DNS names, env var names, image references).
 */
export function buildServerlessYml(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): JsonObject {
  const b: SlsBuild = {
    plan,
    resources: {},
    statements: [],
    buckets: {},
    images: {},
    literalDollar: false,
  };
  const functions: Record<string, JsonObject> = {};
  for (const fn of fns) functions[fn.name] = functionDefinition(b, fn);

  const config: JsonObject = {
    service: plan.name,
    frameworkVersion: '>=3',
    configValidationMode: 'error',
    provider: providerOf(b, fns),
    package: { individually: true },
    functions,
  };
  if (b.literalDollar) config.custom = { ...LITERAL_DOLLAR_CUSTOM };
  if (Object.keys(b.resources).length > 0) {
    config.resources = { Resources: sortedRecord(b.resources) };
  }
  return config;
}
