import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { FunctionContext } from '../context';
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
export function artifactPath(fn: FunctionContext): string {
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
  const resources: Record<string, JsonObject> = {};
  const statements: Statement[] = [];
  const buckets: Record<string, JsonObject> = {};
  const images: Record<string, JsonObject> = {};
  const functions: Record<string, JsonObject> = {};
  const reserved = reservedConcurrency(plan);
  let literalDollar = false;
  const literal = (text: string): string => {
    const value = slsLiteral(text);
    if (value.includes(LITERAL_DOLLAR)) literalDollar = true;
    return value;
  };

  for (const fn of fns) {
    const ids = functionIds(fn);
    const runtime = lambdaRuntime(fn);
    const events: JsonObject[] = [];
    const source = fn.source;
    let dlq: string | undefined;
    let asyncDestination = false;
    const allow = (sid: string, action: string[], resource: JsonValue[]) =>
      statements.push({
        Sid: `${fn.id}${sid}`,
        Effect: 'Allow',
        Action: action,
        Resource: resource,
      });
    const functionDlq = () => {
      resources[ids.dlq] = deadLetterQueue();
      dlq = ids.dlq;
      return ids.dlq;
    };

    switch (fn.trigger) {
      case 'http':
        events.push(
          { httpApi: { method: '*', path: `/${fn.name}` } },
          { httpApi: { method: '*', path: `/${fn.name}/{proxy+}` } },
        );
        break;
      case 'queue': {
        if (!source) break;
        let arn: JsonValue = literal(source.arn ?? '');
        if (!source.arn) {
          const sids = sourceIds(source);
          resources[sids.queue] = sourceQueue(fn, source, plan.tier);
          resources[sids.queueDlq] = deadLetterQueue(isFifo(source));
          arn = getAtt(sids.queue, 'Arn');
        }
        events.push({
          sqs: {
            arn,
            batchSize: 10,
            functionResponseType: 'ReportBatchItemFailures',
          },
        });
        allow(
          'ConsumeQueue',
          [
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:ReceiveMessage',
          ],
          [arn],
        );
        break;
      }
      case 'storage': {
        if (!source) break;
        const name = bucketName(plan, fn);
        if (source.arn) {
          events.push({
            s3: { bucket: name, event: 's3:ObjectCreated:*', existing: true },
          });
        } else {
          const key = camel(source.name);
          buckets[key] = {
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
            ...(plan.tier === 'T3'
              ? { versioningConfiguration: { Status: 'Enabled' } }
              : {}),
          };
          events.push({ s3: { bucket: key, event: 's3:ObjectCreated:*' } });
        }
        allow(
          'ReadObjects',
          ['s3:GetObject', 's3:GetObjectVersion'],
          [sub(`arn:\${AWS::Partition}:s3:::${name}/*`)],
        );
        allow(
          'ListBucket',
          ['s3:ListBucket'],
          [sub(`arn:\${AWS::Partition}:s3:::${name}`)],
        );
        functionDlq();
        asyncDestination = true;
        break;
      }
      case 'schedule':
        events.push({
          schedule: {
            method: 'scheduler',
            rate: awsCronExpressions(fn.schedule ?? '@daily'),
            timezone: 'UTC',
          },
        });
        functionDlq();
        asyncDestination = true;
        break;
      case 'stream': {
        if (!source) break;
        const kind = streamKind(fn);
        const sids = sourceIds(source);
        let arn: JsonValue = literal(source.arn ?? '');
        if (!source.arn) {
          if (kind === 'Kinesis') {
            resources[sids.stream] = kinesisStream(source, plan.tier);
            arn = getAtt(sids.stream, 'Arn');
          } else {
            resources[sids.table] = dynamoDbTable(source, plan.tier);
            arn = getAtt(sids.table, 'StreamArn');
          }
        }
        const failures = functionDlq();
        events.push({
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
        break;
      }
      default:
        break;
    }
    if (dlq) {
      allow('SendToDeadLetterQueue', ['sqs:SendMessage'], [getAtt(dlq, 'Arn')]);
    }

    const environment: Record<string, string> = Object.fromEntries(
      Object.entries(fn.env).map(([name, value]) => [name, literal(value)]),
    );
    fn.secrets.forEach((secret, index) => {
      environment[secretEnvName(secret)] = secretName(plan, fn, secret);
      allow(
        `ReadSecret${index + 1}`,
        ['secretsmanager:GetSecretValue'],
        [secretArnPattern(plan, fn, secret)],
      );
    });

    const definition: JsonObject = {
      description: `${fn.name}: ${fn.trigger} function of ${plan.name}`,
    };
    if (runtime.packageType === 'Image') {
      if (ECR_IMAGE.test(fn.plan.image)) {
        definition.image = { uri: literal(fn.plan.image) };
      } else {
        const key = imageKey(fn);
        images[key] = {
          path: `../../services/${fn.name}`,
          file: `../../containers/${fn.name}/Dockerfile`,
          platform: 'linux/arm64',
        };
        definition.image = { name: key };
      }
    } else {
      definition.runtime = runtime.runtime!;
      definition.handler = runtime.handler!;
      definition.package = { artifact: artifactPath(fn) };
    }
    definition.memorySize = fn.memoryMB;
    definition.timeout = fn.timeoutSeconds;
    definition.logs = { logFormat: 'JSON' };
    if (Object.keys(environment).length > 0) {
      definition.environment = sortedRecord(environment);
    }
    if (reserved !== undefined) definition.reservedConcurrency = reserved;
    if (asyncDestination && dlq) {
      definition.maximumRetryAttempts = 2;
      definition.destinations = {
        onFailure: { type: 'sqs', arn: getAtt(dlq, 'Arn') },
      };
    }
    definition.events = events;
    functions[fn.name] = definition;
  }

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
  if (Object.keys(images).length > 0) {
    provider.ecr = { images: sortedRecord(images) };
  }
  if (Object.keys(buckets).length > 0) provider.s3 = sortedRecord(buckets);
  if (statements.length > 0) {
    provider.iam = {
      role: { statements: statements as unknown as JsonValue[] },
    };
  }

  const config: JsonObject = {
    service: plan.name,
    frameworkVersion: '>=3',
    configValidationMode: 'error',
    provider,
    package: { individually: true },
    functions,
  };
  if (literalDollar) config.custom = { ...LITERAL_DOLLAR_CUSTOM };
  if (Object.keys(resources).length > 0) {
    config.resources = { Resources: sortedRecord(resources) };
  }
  return config;
}
