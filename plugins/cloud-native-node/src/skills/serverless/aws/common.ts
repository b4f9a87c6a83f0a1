import {
  DeploymentPlan,
  Language,
  Tier,
} from '@internal/backstage-plugin-cloud-native-common';
import { EventSource, FunctionContext, isDynamoDbStream } from '../context';
import {
  awsResourceName,
  camel,
  dnsName,
  pascal,
  sqsQueueName,
} from '../names';
import { JsonObject, JsonValue } from '../types';

/** CloudFormation intrinsics, long form (plain YAML parsers read them). */
export const ref = (id: string): JsonObject => ({ Ref: id });
export const getAtt = (id: string, attribute: string): JsonObject => ({
  'Fn::GetAtt': [id, attribute],
});
export const sub = (text: string): JsonObject => ({ 'Fn::Sub': text });

/** How a function is packaged and started on Lambda. */
export interface LambdaRuntime {
  packageType: 'Zip' | 'Image';
  runtime?: string;
  handler?: string;
  /** `sam build` BuildMethod for compiled custom runtimes */
  buildMethod?: string;
}

const ZIP_RUNTIMES: Partial<
  Record<Language, { runtime: string; handler: (name: string) => string }>
> = {
  node: { runtime: 'nodejs22.x', handler: () => 'index.handler' },
  python: { runtime: 'python3.12', handler: () => 'app.handler' },
  java: {
    runtime: 'java21',
    handler: name => `${camel(name).toLowerCase()}.Handler::handleRequest`,
  },
  dotnet: {
    runtime: 'dotnet8',
    handler: name =>
      `${pascal(name)}::${pascal(name)}.Function::FunctionHandler`,
  },
  ruby: { runtime: 'ruby3.3', handler: () => 'app.handler' },
  go: { runtime: 'provided.al2023', handler: () => 'bootstrap' },
  rust: { runtime: 'provided.al2023', handler: () => 'bootstrap' },
};

const BUILD_METHODS: Partial<Record<Language, string>> = {
  go: 'go1.x',
  rust: 'rust-cargolambda',
};

export function lambdaRuntime(fn: FunctionContext): LambdaRuntime {
  const zip = fn.language && !fn.image ? ZIP_RUNTIMES[fn.language] : undefined;
  if (!zip) return { packageType: 'Image' };
  return {
    packageType: 'Zip',
    runtime: zip.runtime,
    handler: zip.handler(fn.name),
    buildMethod: fn.language ? BUILD_METHODS[fn.language] : undefined,
  };
}

/** CloudWatch Logs retention by tier (days; values CloudWatch accepts). */
export const LOG_RETENTION_DAYS: Record<Tier, number> = {
  T1: 7,
  T2: 30,
  T3: 365,
};

/** Seconds in a 30-day month. */
const MONTH_SECONDS = 30 * 24 * 3600;
/** Peak traffic assumed over the monthly average. */
const BURST_FACTOR = 10;

/**
 * Reserved concurrency (T3 only): twice the peak concurrency the usage
 * implies (requests per month at 10× the average rate, times the average
 * duration), between 10 and 100.
 */
export function reservedConcurrency(plan: DeploymentPlan): number | undefined {
  if (plan.tier !== 'T3') return undefined;
  const { requestsPerMonth, averageDurationMs } = plan.architecture.spec.usage;
  const peakRps = (requestsPerMonth / MONTH_SECONDS) * BURST_FACTOR;
  const concurrency = Math.ceil(peakRps * (averageDurationMs / 1000));
  return Math.min(100, Math.max(10, 2 * concurrency));
}

/** SQS visibility timeout for a queue a function consumes: 6× its timeout. */
export function visibilityTimeout(fn: FunctionContext): number {
  return Math.min(43200, Math.max(30, 6 * fn.timeoutSeconds));
}

/** 14 days, the SQS maximum: time to inspect and redrive failures. */
const DLQ_RETENTION_SECONDS = 1209600;

export function isFifo(source: EventSource): boolean {
  return sqsQueueName(source.name).endsWith('.fifo');
}

export function deadLetterQueue(fifo = false): JsonObject {
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
      SqsManagedSseEnabled: true,
      ...(fifo ? { FifoQueue: true } : {}),
    },
  };
}

/** Logical ids of the resources an event source becomes. */
export function sourceIds(source: EventSource) {
  const base = pascal(source.name);
  return {
    queue: `${base}Queue`,
    queueDlq: `${base}QueueDeadLetters`,
    bucket: `${base}Bucket`,
    bucketPolicy: `${base}BucketPolicy`,
    stream: `${base}Stream`,
    table: `${base}Table`,
  };
}

/** Logical ids of one function's resources. */
export function functionIds(fn: FunctionContext) {
  return {
    function: `${fn.id}Function`,
    logGroup: `${fn.id}LogGroup`,
    dlq: `${fn.id}DeadLetterQueue`,
  };
}

/** The queue a queue-triggered function consumes. */
export function sourceQueue(
  fn: FunctionContext,
  source: EventSource,
  tier: Tier,
): JsonObject {
  const ids = sourceIds(source);
  const fifo = isFifo(source);
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: sqsQueueName(source.name),
      VisibilityTimeout: visibilityTimeout(fn),
      MessageRetentionPeriod: tier === 'T1' ? 345600 : DLQ_RETENTION_SECONDS,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: getAtt(ids.queueDlq, 'Arn'),
        maxReceiveCount: 5,
      },
      ...(fifo ? { FifoQueue: true } : {}),
    },
  };
}

export function kinesisStream(source: EventSource, tier: Tier): JsonObject {
  return {
    Type: 'AWS::Kinesis::Stream',
    Properties: {
      Name: awsResourceName(source.name),
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: tier === 'T3' ? 168 : 24,
    },
  };
}

/**
 * A table with a stream for a `dynamodb:<table>` source. The key schema is
 * an assumption (a string `pk`): adjust it to the real table.
 */
export function dynamoDbTable(source: EventSource, tier: Tier): JsonObject {
  return {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: tier === 'T1' ? 'Delete' : 'Retain',
    UpdateReplacePolicy: tier === 'T1' ? 'Delete' : 'Retain',
    Properties: {
      TableName: awsResourceName(source.name, 255),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true },
      ...(tier === 'T3'
        ? {
            PointInTimeRecoverySpecification: {
              PointInTimeRecoveryEnabled: true,
            },
          }
        : {}),
    },
  };
}

/** S3 bucket name for a storage source, before any uniqueness suffix. */
export function bucketBaseName(source: EventSource): string {
  return dnsName(source.name, 35);
}

/** The bucket name in the SAM template: globally unique per account/region. */
export function samBucketName(source: EventSource): JsonValue {
  if (source.arn) return bucketBaseName(source);
  return sub(`${bucketBaseName(source)}-\${AWS::AccountId}-\${AWS::Region}`);
}

export function bucketProperties(tier: Tier): JsonObject {
  return {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
          BucketKeyEnabled: true,
        },
      ],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    ...(tier === 'T3'
      ? { VersioningConfiguration: { Status: 'Enabled' } }
      : {}),
  };
}

/** What a stream source is on AWS. */
export function streamKind(fn: FunctionContext): 'Kinesis' | 'DynamoDB' {
  return isDynamoDbStream(fn.source) ? 'DynamoDB' : 'Kinesis';
}

/** The Secrets Manager secret name of one secret of a function. */
export function secretName(
  plan: DeploymentPlan,
  fn: FunctionContext,
  name: string,
): string {
  return `${plan.name}/${fn.name}/${name}`;
}

/**
 * The ARN of that secret; Secrets Manager appends 6 random characters to
 * the name, matched by `-??????` (and nothing else).
 */
export function secretArnPattern(
  plan: DeploymentPlan,
  fn: FunctionContext,
  name: string,
): JsonObject {
  return sub(
    `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretName(
      plan,
      fn,
      name,
    )}-??????`,
  );
}

/** Environment variable that names a secret (never its value). */
export function secretEnvName(name: string): string {
  return `${name}_SECRET_ID`;
}

/** Tags on everything the templates create. */
export function tags(plan: DeploymentPlan): Record<string, string> {
  return {
    app: plan.name,
    'managed-by': 'cloud-native-orchestrator',
    tier: plan.tier,
  };
}
