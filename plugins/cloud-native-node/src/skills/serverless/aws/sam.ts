import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { EventSource, FunctionContext } from '../context';
import { awsCronExpressions } from '../cron';
import { imageTag } from '../../../plan/names';
import { sortedRecord } from '../names';
import { JsonObject, JsonValue } from '../types';
import {
  LOG_RETENTION_DAYS,
  bucketProperties,
  deadLetterQueue,
  dynamoDbTable,
  functionIds,
  getAtt,
  isFifo,
  kinesisStream,
  lambdaRuntime,
  ref,
  reservedConcurrency,
  samBucketName,
  secretArnPattern,
  secretEnvName,
  secretName,
  sourceIds,
  sourceQueue,
  streamKind,
  sub,
  tags,
} from './common';

/** Where the SAM template is written. */
export const SAM_TEMPLATE_PATH = 'serverless/aws/template.yaml';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** What an event source adds to its function and to the template. */
interface EventWiring {
  events: Record<string, JsonObject>;
  policies: JsonValue[];
  /** Actions of the AWS managed pull-source policy SAM attaches */
  guard?: { actions: string[]; resources: JsonValue[] };
  resources: Record<string, JsonObject>;
  /** The SQS queue failed async invocations go to */
  deadLetterQueue?: string;
}

/**
 * SAM attaches an AWS managed policy (Resource '*') to the generated role of
 * a function with an SQS, Kinesis or DynamoDB event. An explicit Deny on
 * every other resource keeps those grants to the function's own source.
 */
const PULL_GUARD_ACTIONS = {
  SQS: [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:ReceiveMessage',
  ],
  Kinesis: [
    'kinesis:DescribeStream',
    'kinesis:DescribeStreamSummary',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:ListShards',
  ],
  DynamoDB: [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
  ],
};

/** The function's own dead-letter queue; returns its logical id. */
function functionDlq(fn: FunctionContext, wiring: EventWiring): string {
  const { dlq } = functionIds(fn);
  wiring.resources[dlq] = deadLetterQueue();
  wiring.deadLetterQueue = dlq;
  return dlq;
}

function httpEvent(path: string): JsonObject {
  return {
    Type: 'HttpApi',
    Properties: {
      ApiId: ref('HttpApi'),
      Method: 'ANY',
      Path: path,
      PayloadFormatVersion: '2.0',
    },
  };
}

function wireHttp(fn: FunctionContext, wiring: EventWiring) {
  wiring.events.Api = httpEvent(`/${fn.name}`);
  wiring.events.ApiProxy = httpEvent(`/${fn.name}/{proxy+}`);
}

function wireQueue(
  plan: DeploymentPlan,
  fn: FunctionContext,
  source: EventSource,
  wiring: EventWiring,
) {
  let queueArn: JsonValue;
  let queueName: JsonValue;
  if (source.arn) {
    queueArn = source.arn;
    queueName = source.name;
    functionDlq(fn, wiring);
  } else {
    const sids = sourceIds(source);
    wiring.resources[sids.queue] = sourceQueue(fn, source, plan.tier);
    wiring.resources[sids.queueDlq] = deadLetterQueue(isFifo(source));
    queueArn = getAtt(sids.queue, 'Arn');
    queueName = getAtt(sids.queue, 'QueueName');
    if (isFifo(source)) {
      // Lambda's async DLQ cannot be FIFO: keep a standard one
      functionDlq(fn, wiring);
    } else {
      wiring.deadLetterQueue = sids.queueDlq;
    }
  }
  wiring.events.Queue = {
    Type: 'SQS',
    Properties: {
      Queue: queueArn,
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    },
  };
  wiring.policies.push({ SQSPollerPolicy: { QueueName: queueName } });
  wiring.guard = { actions: PULL_GUARD_ACTIONS.SQS, resources: [queueArn] };
}

function wireStorage(
  plan: DeploymentPlan,
  fn: FunctionContext,
  source: EventSource,
  wiring: EventWiring,
) {
  const sids = sourceIds(source);
  const bucketName = samBucketName(source);
  wiring.resources[sids.bucket] = {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: plan.tier === 'T1' ? 'Delete' : 'Retain',
    UpdateReplacePolicy: plan.tier === 'T1' ? 'Delete' : 'Retain',
    Properties: {
      BucketName: bucketName,
      ...bucketProperties(plan.tier),
    },
  };
  wiring.resources[sids.bucketPolicy] = {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: ref(sids.bucket),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [
              getAtt(sids.bucket, 'Arn'),
              sub(`\${${sids.bucket}.Arn}/*`),
            ],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
  wiring.events.Upload = {
    Type: 'S3',
    Properties: {
      Bucket: ref(sids.bucket),
      Events: ['s3:ObjectCreated:*'],
    },
  };
  // The bucket name, not a Ref: a Ref from the role to the bucket would
  // close a dependency cycle through the bucket's notification.
  wiring.policies.push({ S3ReadPolicy: { BucketName: bucketName } });
  functionDlq(fn, wiring);
}

function wireSchedule(fn: FunctionContext, wiring: EventWiring) {
  const dlq = functionDlq(fn, wiring);
  const expressions = awsCronExpressions(fn.schedule ?? '@daily');
  expressions.forEach((expression, index) => {
    wiring.events[
      expressions.length > 1 ? `Schedule${index + 1}` : 'Schedule'
    ] = {
      Type: 'ScheduleV2',
      Properties: {
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'UTC',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        RetryPolicy: {
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 3600,
        },
        DeadLetterConfig: { Arn: getAtt(dlq, 'Arn') },
      },
    };
  });
}

/** A Kinesis stream (existing or new); returns its ARN. */
function kinesisSource(
  plan: DeploymentPlan,
  source: EventSource,
  wiring: EventWiring,
): JsonValue {
  const sids = sourceIds(source);
  let streamArn: JsonValue;
  let streamName: JsonValue;
  if (source.arn) {
    streamArn = source.arn;
    streamName = source.name;
  } else {
    wiring.resources[sids.stream] = kinesisStream(source, plan.tier);
    streamArn = getAtt(sids.stream, 'Arn');
    streamName = ref(sids.stream);
  }
  wiring.policies.push({
    KinesisStreamReadPolicy: { StreamName: streamName },
  });
  return streamArn;
}

/** A DynamoDB table's stream (existing or new); returns its ARN. */
function dynamoDbSource(
  plan: DeploymentPlan,
  source: EventSource,
  wiring: EventWiring,
): JsonValue {
  const sids = sourceIds(source);
  let streamArn: JsonValue;
  let tableName: JsonValue;
  let streamLabel: JsonValue;
  if (source.arn) {
    streamArn = source.arn;
    tableName = source.name;
    streamLabel = source.arn.split('/')[3] ?? '';
  } else {
    wiring.resources[sids.table] = dynamoDbTable(source, plan.tier);
    streamArn = getAtt(sids.table, 'StreamArn');
    tableName = ref(sids.table);
    // arn:...:table/<table>/stream/<label> → <label>
    streamLabel = {
      'Fn::Select': [3, { 'Fn::Split': ['/', streamArn] }],
    };
  }
  wiring.policies.push({
    DynamoDBStreamReadPolicy: {
      TableName: tableName,
      StreamName: streamLabel,
    },
  });
  return streamArn;
}

function wireStream(
  plan: DeploymentPlan,
  fn: FunctionContext,
  source: EventSource,
  wiring: EventWiring,
) {
  const dlq = functionDlq(fn, wiring);
  const kind = streamKind(fn);
  const streamArn =
    kind === 'Kinesis'
      ? kinesisSource(plan, source, wiring)
      : dynamoDbSource(plan, source, wiring);
  wiring.events.Stream = {
    Type: kind,
    Properties: {
      Stream: streamArn,
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Type: 'SQS', Destination: getAtt(dlq, 'Arn') },
      },
    },
  };
  wiring.guard = {
    actions: PULL_GUARD_ACTIONS[kind],
    resources: [streamArn],
  };
}

function wireEvents(plan: DeploymentPlan, fn: FunctionContext): EventWiring {
  const wiring: EventWiring = { events: {}, policies: [], resources: {} };
  const source = fn.source;
  switch (fn.trigger) {
    case 'http':
      wireHttp(fn, wiring);
      break;
    case 'queue':
      if (source) wireQueue(plan, fn, source, wiring);
      break;
    case 'storage':
      if (source) wireStorage(plan, fn, source, wiring);
      break;
    case 'schedule':
      wireSchedule(fn, wiring);
      break;
    case 'stream':
      if (source) wireStream(plan, fn, source, wiring);
      break;
    default:
      break;
  }
  if (wiring.deadLetterQueue) {
    wiring.policies.push({
      SQSSendMessagePolicy: {
        QueueName: getAtt(wiring.deadLetterQueue, 'QueueName'),
      },
    });
  }
  return wiring;
}

function functionResource(
  plan: DeploymentPlan,
  fn: FunctionContext,
  wiring: EventWiring,
): JsonObject {
  const ids = functionIds(fn);
  const runtime = lambdaRuntime(fn);
  const variables: Record<string, JsonValue> = { ...fn.env };
  const policies: JsonValue[] = [...wiring.policies];
  for (const secret of fn.secrets) {
    variables[secretEnvName(secret)] = secretName(plan, fn, secret);
    policies.push({
      AWSSecretsManagerGetSecretValuePolicy: {
        SecretArn: secretArnPattern(plan, fn, secret),
      },
    });
  }
  if (wiring.guard) {
    policies.push({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyOwnEventSource',
          Effect: 'Deny',
          Action: wiring.guard.actions,
          NotResource: wiring.guard.resources,
        },
      ],
    });
  }
  const reserved = reservedConcurrency(plan);
  const properties: JsonObject = {
    Description: `${fn.name}: ${fn.trigger} function of ${plan.name}`,
    ...(runtime.packageType === 'Image'
      ? { PackageType: 'Image', ImageUri: fn.plan.image }
      : {
          PackageType: 'Zip',
          CodeUri: `../../services/${fn.name}`,
          Runtime: runtime.runtime!,
          Handler: runtime.handler!,
        }),
    Architectures: ['arm64'],
    MemorySize: fn.memoryMB,
    Timeout: fn.timeoutSeconds,
    LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(ids.logGroup) },
  };
  if (Object.keys(variables).length > 0) {
    properties.Environment = { Variables: sortedRecord(variables) };
  }
  if (plan.tier !== 'T1') properties.Tracing = 'Active';
  if (reserved !== undefined) {
    properties.ReservedConcurrentExecutions = reserved;
  }
  if (wiring.deadLetterQueue) {
    properties.DeadLetterQueue = {
      Type: 'SQS',
      TargetArn: getAtt(wiring.deadLetterQueue, 'Arn'),
    };
  }
  if (policies.length > 0) properties.Policies = policies;
  properties.Events = wiring.events;
  const resource: JsonObject = {
    Type: 'AWS::Serverless::Function',
    Properties: properties,
  };
  if (runtime.packageType === 'Image' && fn.plan.buildsImage) {
    resource.Metadata = {
      DockerContext: `../../services/${fn.name}`,
      Dockerfile: `../../containers/${fn.name}/Dockerfile`,
      DockerTag: imageTag(fn.plan.image) ?? 'latest',
    };
  } else if (runtime.buildMethod) {
    resource.Metadata = { BuildMethod: runtime.buildMethod };
  }
  return resource;
}

/**
 * The AWS SAM template: one AWS::Serverless::Function per function, the
 * queues, buckets and streams their events come from (created here when the
 * spec names them), dead-letter queues for async triggers and a log group
 * per function. Intrinsics are in long form (`Ref`, `Fn::GetAtt`) so plain
 * YAML parsers read the file.
 */
export function buildSamTemplate(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): JsonObject {
  const resources: Record<string, JsonObject> = {};
  const outputs: Record<string, JsonObject> = {};
  const retention = LOG_RETENTION_DAYS[plan.tier];
  const hardened = plan.tier !== 'T1';
  const apiUrl =
    'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}';

  if (fns.some(fn => fn.trigger === 'http')) {
    const api: JsonObject = {
      Description: `HTTP API of ${plan.name}`,
      FailOnWarnings: true,
      Tags: tags(plan),
    };
    if (hardened) {
      api.DefaultRouteSettings = {
        ThrottlingBurstLimit: plan.tier === 'T3' ? 500 : 200,
        ThrottlingRateLimit: plan.tier === 'T3' ? 250 : 100,
      };
      api.AccessLogSettings = {
        DestinationArn: getAtt('HttpApiAccessLogs', 'Arn'),
        Format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          httpMethod: '$context.httpMethod',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          integrationError: '$context.integrationErrorMessage',
        }),
      };
      resources.HttpApiAccessLogs = {
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: retention },
      };
    }
    resources.HttpApi = { Type: 'AWS::Serverless::HttpApi', Properties: api };
    outputs.HttpApiUrl = {
      Description: 'Base URL of the HTTP API',
      Value: sub(apiUrl),
    };
  }

  for (const fn of fns) {
    const ids = functionIds(fn);
    const wiring = wireEvents(plan, fn);
    Object.assign(resources, wiring.resources);
    resources[ids.logGroup] = {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: sub(`/aws/lambda/\${AWS::StackName}/${fn.name}`),
        RetentionInDays: retention,
      },
    };
    resources[ids.function] = functionResource(plan, fn, wiring);
    if (fn.trigger === 'http') {
      outputs[`${fn.id}Url`] = {
        Description: `URL of ${fn.name}`,
        Value: sub(`${apiUrl}/${fn.name}`),
      };
    }
    if (wiring.deadLetterQueue) {
      outputs[`${fn.id}DeadLetterQueueUrl`] = {
        Description: `Dead-letter queue of ${fn.name}`,
        Value: ref(wiring.deadLetterQueue),
      };
    }
  }

  const template: JsonObject = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: SAM_TRANSFORM,
    Description: `${plan.name}: ${fns.length} serverless function(s), tier ${plan.tier} (cloud-serverless-designer)`,
    Globals: {
      Function: {
        Tags: tags(plan),
        PropagateTags: true,
      },
    },
    Resources: sortedRecord(resources),
  };
  if (Object.keys(outputs).length > 0) {
    template.Outputs = sortedRecord(outputs);
  }
  return template;
}
