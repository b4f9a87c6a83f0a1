import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { parse } from 'yaml';
import { SkillOutput } from '../../core/types';
import {
  allTriggersSpec,
  exampleSpec,
  planOf,
  withSpec,
} from './__fixtures__/plans';
import { findIamWildcards } from '../../validation/iam';
import { cloudServerlessDesigner, validateSamTemplate } from './index';
import { fileOf } from '../../../testkit/skillOutput';

const EVENTS = 'events-serverless-aws';

function run(plan: DeploymentPlan): SkillOutput {
  return cloudServerlessDesigner.run({ plan, outputs: {} });
}

const file = fileOf;

function samOf(output: SkillOutput): any {
  return parse(file(output, 'serverless/aws/template.yaml'));
}

function functionsOf(template: any): Record<string, any> {
  return Object.fromEntries(
    Object.entries(template.Resources as Record<string, any>).filter(
      ([, r]) => r.Type === 'AWS::Serverless::Function',
    ),
  );
}

function eventsPlan(tier?: string): DeploymentPlan {
  const spec = exampleSpec(EVENTS);
  return planOf(tier ? withSpec(spec, { tier }) : spec);
}

describe('SAM template for the events-serverless-aws example', () => {
  const output = run(eventsPlan());
  const template = samOf(output);
  const fns = functionsOf(template);

  it('is a SAM template with one function per serverless service', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(template.Globals.Function).toBeDefined();
    expect(Object.keys(fns).sort()).toEqual([
      'DigestFunction',
      'IndexerFunction',
      'MetadataApiFunction',
      'ThumbnailerFunction',
    ]);
    expect(output.notes).toHaveLength(4);
    expect(output.notes[0]).toMatch(/^digest: schedule trigger/);
  });

  it('uses intrinsics in long form only (plain YAML parsers read it)', () => {
    const text = file(output, 'serverless/aws/template.yaml');
    expect(text).not.toMatch(/!(GetAtt|Ref|Sub)\b/);
    expect(text).toContain('Fn::GetAtt:');
  });

  it('maps runtimes per language, arm64, memory and timeout from the spec', () => {
    const api = fns.MetadataApiFunction.Properties;
    expect(api.Runtime).toBe('nodejs22.x');
    expect(api.Handler).toBe('index.handler');
    expect(api.MemorySize).toBe(256);
    expect(api.Timeout).toBe(10);
    expect(api.Environment.Variables).toEqual({ TABLE_NAME: 'media-metadata' });
    expect(fns.ThumbnailerFunction.Properties.Runtime).toBe('python3.12');
    expect(fns.IndexerFunction.Properties.Runtime).toBe('provided.al2023');
    expect(fns.IndexerFunction.Properties.Handler).toBe('bootstrap');
    expect(fns.IndexerFunction.Metadata).toEqual({ BuildMethod: 'go1.x' });
    for (const fn of Object.values(fns)) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('gives each trigger its event source', () => {
    const events = (id: string) =>
      Object.values(fns[id].Properties.Events as Record<string, any>);
    expect(events('MetadataApiFunction').map(e => e.Type)).toEqual([
      'HttpApi',
      'HttpApi',
    ]);
    expect(events('MetadataApiFunction')[0].Properties).toMatchObject({
      ApiId: { Ref: 'HttpApi' },
      Method: 'ANY',
      Path: '/metadata-api',
    });
    const [s3] = events('ThumbnailerFunction');
    expect(s3.Type).toBe('S3');
    expect(s3.Properties.Events).toEqual(['s3:ObjectCreated:*']);
    expect(template.Resources[s3.Properties.Bucket.Ref].Type).toBe(
      'AWS::S3::Bucket',
    );
    const [sqs] = events('IndexerFunction');
    expect(sqs.Type).toBe('SQS');
    const queueId = sqs.Properties.Queue['Fn::GetAtt'][0];
    expect(template.Resources[queueId].Properties.QueueName).toBe(
      'media-index-queue',
    );
    const [schedule] = events('DigestFunction');
    expect(schedule.Type).toBe('ScheduleV2');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 6 * * ? *)');
    expect(template.Outputs.MetadataApiUrl.Value['Fn::Sub']).toMatch(
      /execute-api.*\/metadata-api$/,
    );
  });

  it('sends failed async invocations to a dead-letter queue', () => {
    for (const id of [
      'DigestFunction',
      'IndexerFunction',
      'ThumbnailerFunction',
    ]) {
      const dlq = fns[id].Properties.DeadLetterQueue;
      expect(dlq.Type).toBe('SQS');
      const target = dlq.TargetArn['Fn::GetAtt'][0];
      expect(template.Resources[target].Type).toBe('AWS::SQS::Queue');
    }
    expect(fns.MetadataApiFunction.Properties.DeadLetterQueue).toBeUndefined();
    // the consumed queue redrives to its DLQ after 5 receives
    const queue = template.Resources.MediaIndexQueueQueue.Properties;
    expect(queue.RedrivePolicy.maxReceiveCount).toBe(5);
    expect(queue.VisibilityTimeout).toBe(360);
  });

  it('scopes IAM with SAM policy templates on the named resources', () => {
    const policies = (id: string) =>
      fns[id].Properties.Policies as Array<Record<string, any>>;
    expect(policies('IndexerFunction')[0]).toEqual({
      SQSPollerPolicy: {
        QueueName: { 'Fn::GetAtt': ['MediaIndexQueueQueue', 'QueueName'] },
      },
    });
    expect(policies('ThumbnailerFunction')[0]).toEqual({
      S3ReadPolicy: {
        BucketName: {
          'Fn::Sub': 'media-uploads-${AWS::AccountId}-${AWS::Region}',
        },
      },
    });
    expect(template.Resources.MediaUploadsBucket.Properties.BucketName).toEqual(
      { 'Fn::Sub': 'media-uploads-${AWS::AccountId}-${AWS::Region}' },
    );
    expect(
      policies('DigestFunction').some(p => 'SQSSendMessagePolicy' in p),
    ).toBe(true);
    expect(fns.MetadataApiFunction.Properties.Policies).toBeUndefined();
  });

  it('has a log group with retention per function and tracing at T2', () => {
    for (const [id, fn] of Object.entries(fns)) {
      const group = fn.Properties.LoggingConfig.LogGroup.Ref;
      expect(group).toBe(id.replace(/Function$/, 'LogGroup'));
      expect(template.Resources[group].Properties.RetentionInDays).toBe(30);
      expect(fn.Properties.Tracing).toBe('Active');
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('validates against @aws-cdk/aws-service-spec with no findings', () => {
    expect(validateSamTemplate(template)).toEqual([]);
  });

  it('grants no IAM wildcard', () => {
    expect(findIamWildcards(template)).toEqual([]);
    expect(
      findIamWildcards(
        parse(file(output, 'serverless/aws/serverless.yml')),
        'serverless/aws/serverless.yml',
      ),
    ).toEqual([]);
  });
});

describe('tiers', () => {
  it('T3 reserves concurrency and keeps tracing; T1 has neither', () => {
    const t3 = functionsOf(samOf(run(eventsPlan('T3'))));
    for (const fn of Object.values(t3)) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(
        10,
      );
      expect(fn.Properties.Tracing).toBe('Active');
    }
    const t1 = functionsOf(samOf(run(eventsPlan('T1'))));
    for (const fn of Object.values(t1)) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(fn.Properties.Tracing).toBeUndefined();
    }
  });

  it.each(['T1', 'T2', 'T3'])(
    '%s templates validate and grant no wildcard',
    tier => {
      const template = samOf(run(eventsPlan(tier)));
      expect(validateSamTemplate(template)).toEqual([]);
      expect(findIamWildcards(template)).toEqual([]);
    },
  );
});

describe('every trigger and language', () => {
  const output = run(planOf(allTriggersSpec('aws')));
  const template = samOf(output);
  const fns = functionsOf(template);

  it('validates and grants no wildcard', () => {
    expect(validateSamTemplate(template)).toEqual([]);
    expect(findIamWildcards(template)).toEqual([]);
  });

  it('reads Kinesis and DynamoDB streams from LATEST with an SQS on-failure destination', () => {
    const clicks = fns.ClicksFunction.Properties.Events.Stream;
    expect(clicks.Type).toBe('Kinesis');
    expect(clicks.Properties.StartingPosition).toBe('LATEST');
    expect(clicks.Properties.DestinationConfig.OnFailure.Type).toBe('SQS');
    expect(fns.ClicksFunction.Properties.Policies[0]).toHaveProperty(
      'KinesisStreamReadPolicy',
    );
    const changes = fns.ChangesFunction.Properties.Events.Stream;
    expect(changes.Type).toBe('DynamoDB');
    expect(changes.Properties.Stream).toEqual({
      'Fn::GetAtt': ['OrdersTableTable', 'StreamArn'],
    });
    expect(fns.ChangesFunction.Properties.Policies[0]).toHaveProperty(
      'DynamoDBStreamReadPolicy',
    );
    expect(fns.ChangesFunction.Properties.Runtime).toBe('java21');
    expect(fns.ClicksFunction.Properties.Runtime).toBe('dotnet8');
  });

  it('runs php as a container image and rust on provided.al2023', () => {
    const legacy = fns.LegacyFunction.Properties;
    expect(legacy.PackageType).toBe('Image');
    expect(legacy.ImageUri).toBe(
      'registry.example.com/events-lab/legacy:1.0.0',
    );
    expect(legacy.Runtime).toBeUndefined();
    expect(fns.LegacyFunction.Metadata.Dockerfile).toBe(
      '../../containers/legacy/Dockerfile',
    );
    expect(fns.ResizeFunction.Properties).toMatchObject({
      Runtime: 'provided.al2023',
      Handler: 'bootstrap',
    });
  });

  it('references secrets by name with a read policy on that secret only', () => {
    const api = fns.ApiFunction.Properties;
    expect(api.Environment.Variables).toEqual({
      API_KEY_SECRET_ID: 'events-lab/api/API_KEY',
      LOG_LEVEL: 'info',
    });
    expect(api.Policies).toEqual([
      {
        AWSSecretsManagerGetSecretValuePolicy: {
          SecretArn: {
            'Fn::Sub':
              'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events-lab/api/API_KEY-??????',
          },
        },
      },
    ]);
  });

  it('schedules weekday runs with the day of week and ? for the day of month', () => {
    expect(
      fns.NightlyFunction.Properties.Events.Schedule.Properties
        .ScheduleExpression,
    ).toBe('cron(30 2 ? * MON-FRI *)');
  });
});

describe('validateSamTemplate', () => {
  const base = () => samOf(run(eventsPlan()));

  it('reports a property typo with a suggestion', () => {
    const template = base();
    const props = template.Resources.MetadataApiFunction.Properties;
    props.MemorySzie = props.MemorySize;
    delete props.MemorySize;
    const findings = validateSamTemplate(template);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'aws/unknown-property',
      severity: 'error',
      file: 'serverless/aws/template.yaml',
      objectPath: 'Resources.MetadataApiFunction.Properties.MemorySzie',
    });
    expect(findings[0].message).toContain("did you mean 'MemorySize'");
    expect(findings[0].anchors).toEqual(['cfn-lint:E3002']);
  });

  it('reports an unknown resource type', () => {
    const template = base();
    template.Resources.Extra = { Type: 'AWS::SQS::Queu', Properties: {} };
    const findings = validateSamTemplate(template);
    expect(findings.map(f => f.ruleId)).toEqual(['aws/unknown-resource-type']);
    expect(findings[0].message).toContain("did you mean 'AWS::SQS::Queue'");
    template.Resources.Extra = { Type: 'AWS::Serverless::Functio' };
    expect(validateSamTemplate(template).map(f => f.ruleId)).toEqual([
      'aws/unknown-resource-type',
    ]);
  });

  it('checks CloudFormation properties recursively against the spec', () => {
    const template = base();
    const queue = template.Resources.MediaIndexQueueQueue.Properties;
    queue.VisibilityTimout = 30;
    template.Resources.DigestLogGroup.Properties.RetentionInDays = 31;
    template.Resources.MediaUploadsBucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcl =
      true;
    template.Resources.Table = {
      Type: 'AWS::DynamoDB::Table',
      Properties: { BillingMode: 'PAY_PER_REQUEST' },
    };
    template.Resources.HttpApiAccessLogs.Properties.RetentionInDays = 'thirty';
    const findings = validateSamTemplate(template);
    expect(findings.map(f => [f.ruleId, f.objectPath])).toEqual(
      expect.arrayContaining([
        [
          'aws/unknown-property',
          'Resources.MediaIndexQueueQueue.Properties.VisibilityTimout',
        ],
        [
          'aws/invalid-value',
          'Resources.DigestLogGroup.Properties.RetentionInDays',
        ],
        [
          'aws/unknown-property',
          'Resources.MediaUploadsBucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcl',
        ],
        [
          'aws/missing-required-property',
          'Resources.Table.Properties.KeySchema',
        ],
        [
          'aws/property-type',
          'Resources.HttpApiAccessLogs.Properties.RetentionInDays',
        ],
      ]),
    );
    expect(findings).toHaveLength(5);
  });

  it('checks SAM events, references and attributes', () => {
    const template = base();
    const digest = template.Resources.DigestFunction.Properties;
    digest.Events.Schedule.Type = 'ScheduleV3';
    digest.DeadLetterQueue.TargetArn = {
      'Fn::GetAtt': ['DigestDeadLetterQueue', 'QueueArn'],
    };
    template.Resources.MetadataApiFunction.Properties.Events.Api.Properties.ApiId =
      { Ref: 'MissingApi' };
    delete template.Resources.IndexerFunction.Properties.Runtime;
    const findings = validateSamTemplate(template);
    expect(findings.map(f => f.ruleId).sort()).toEqual([
      'aws/invalid-value',
      'aws/missing-required-property',
      'aws/unknown-attribute',
      'aws/unknown-reference',
    ]);
    expect(
      findings.find(f => f.ruleId === 'aws/invalid-value')!.message,
    ).toContain("did you mean 'ScheduleV2'");
  });

  it('requires the SAM transform and known template sections', () => {
    const template = base();
    delete template.Transform;
    template.Resource = {};
    expect(validateSamTemplate(template).map(f => f.objectPath)).toEqual([
      'Resource',
      'Transform',
    ]);
  });
});

describe('findIamWildcards', () => {
  const allow = (statement: Record<string, unknown>) => ({
    Resources: {
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Policies: [{ Statement: [{ Effect: 'Allow', ...statement }] }],
        },
      },
    },
  });

  it("catches Action '*' and service:*", () => {
    const findings = findIamWildcards(
      allow({ Action: '*', Resource: 'arn:aws:sqs:us-east-1:1:q' }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'aws/iam-wildcard-action',
      severity: 'error',
      objectPath: 'Resources.Fn.Properties.Policies[0].Statement[0].Action',
    });
    expect(
      findIamWildcards(
        allow({ Action: ['s3:*'], Resource: 'arn:aws:s3:::b' }),
      ).map(f => f.ruleId),
    ).toEqual(['aws/iam-wildcard-action']);
  });

  it("catches Resource '*' (a warning when the actions allow nothing narrower)", () => {
    expect(
      findIamWildcards(allow({ Action: ['sqs:SendMessage'], Resource: '*' })),
    ).toMatchObject([
      { ruleId: 'aws/iam-wildcard-resource', severity: 'error' },
    ]);
    expect(
      findIamWildcards(
        allow({ Action: ['xray:PutTraceSegments'], Resource: ['*'] }),
      ),
    ).toMatchObject([
      { ruleId: 'aws/iam-wildcard-resource', severity: 'warning' },
    ]);
    expect(
      findIamWildcards(
        allow({ Action: 's3:GetObject', Resource: { 'Fn::Sub': '*' } }),
      ),
    ).toHaveLength(1);
  });

  it('checks serverless.yml statements, templates, managed policies and trust policies', () => {
    const findings = findIamWildcards({
      provider: {
        iam: {
          role: {
            statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          },
        },
      },
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'sts:AssumeRole',
                  Principal: { AWS: '*' },
                },
              ],
            },
          },
        },
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: { Policies: [{ SQSPollerPolicy: { QueueName: '*' } }] },
        },
      },
    });
    expect(findings.map(f => f.ruleId).sort()).toEqual([
      'aws/iam-broad-managed-policy',
      'aws/iam-trust-principal',
      'aws/iam-wildcard-action',
      'aws/iam-wildcard-principal',
      'aws/iam-wildcard-resource',
      'aws/iam-wildcard-resource',
    ]);
  });

  /** A serverless.yml granting `sqs:ReceiveMessage` on the resources. */
  const yml = (...resources: unknown[]) => ({
    provider: {
      iam: {
        role: {
          statements: [
            {
              Effect: 'Allow',
              Action: ['sqs:ReceiveMessage'],
              Resource: resources,
            },
          ],
        },
      },
    },
  });

  it('catches a wildcard inside an ARN (serverless.yml and SAM), with its path', () => {
    expect(
      findIamWildcards(
        yml('arn:aws:sqs:us-east-1:123456789012:*'),
        'serverless/aws/serverless.yml',
      ),
    ).toEqual([
      {
        ruleId: 'aws/iam-wildcard-resource',
        severity: 'error',
        file: 'serverless/aws/serverless.yml',
        objectPath: 'provider.iam.role.statements[0].Resource[0]',
        message:
          "Allow on 'arn:aws:sqs:us-east-1:123456789012:*': the wildcard in the resource name matches every resource of that kind: name the resource",
        anchors: ['checkov:CKV_AWS_355'],
      },
    ]);
    for (const arn of [
      'arn:aws:sqs:*:123456789012:orders',
      'arn:aws:sqs:us-east-1:*:orders',
      'arn:*:sqs:us-east-1:123456789012:orders',
      'arn:aws:dynamodb:us-east-1:123456789012:table/*',
      'arn:aws:kinesis:us-east-1:123456789012:stream/*',
      'arn:aws:s3:::*',
      'arn:aws:s3:::*/uploads/*',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:*',
      'arn:aws:logs:us-east-1:123456789012:log-group:*',
      { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:*:orders' },
    ]) {
      expect(
        findIamWildcards(
          allow({ Action: 'sqs:ReceiveMessage', Resource: arn }),
        ),
      ).toMatchObject([
        {
          ruleId: 'aws/iam-wildcard-resource',
          severity: 'error',
          objectPath:
            'Resources.Fn.Properties.Policies[0].Statement[0].Resource',
        },
      ]);
    }
  });

  it('flags, in both templates, a wildcard source that got past the spec validation', () => {
    // the spec validation rejects it; the IAM check is the second line
    const plan = planOf(allTriggersSpec('aws'));
    const ingest = plan.services.find(s => s.name === 'ingest')!;
    ingest.service.trigger = {
      type: 'queue',
      source: 'arn:aws:sqs:us-east-1:123456789012:*',
    };
    const output = run(plan);
    expect(
      findIamWildcards(samOf(output)).map(f => [f.severity, f.objectPath]),
    ).toEqual([
      [
        'error',
        'Resources.IngestFunction.Properties.Policies[0].SQSPollerPolicy.QueueName',
      ],
    ]);
    expect(
      findIamWildcards(
        parse(file(output, 'serverless/aws/serverless.yml')),
        'serverless/aws/serverless.yml',
      ).map(f => [f.severity, f.objectPath, f.message]),
    ).toEqual([
      [
        'error',
        expect.stringMatching(
          /^provider\.iam\.role\.statements\[\d+\]\.Resource\[0\]$/,
        ),
        expect.stringContaining("'arn:aws:sqs:us-east-1:123456789012:*'"),
      ],
    ]);
  });

  it('reports a partial name wildcard as a warning', () => {
    expect(
      findIamWildcards(yml('arn:aws:sqs:us-east-1:123456789012:orders-*')),
    ).toMatchObject([
      {
        severity: 'warning',
        message: expect.stringContaining(
          "every resource whose name starts with 'orders-'",
        ),
      },
    ]);
  });

  it('accepts the least-privilege patterns the generators use', () => {
    expect(
      findIamWildcards(
        yml(
          // S3 object keys of a named bucket (object actions take these)
          'arn:aws:s3:::media-uploads/*',
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:s3:::media-pipeline-uploads-${sls:stage}/*',
          },
          { 'Fn::Sub': '${UploadsBucket.Arn}/*' },
          // the random suffix Secrets Manager appends to a named secret
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:shop/api/API_KEY-??????',
          },
          // the secrets of one service (IRSA policies of the cloud skill)
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api/*',
          // sub-resources of a named resource
          'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/*',
          'arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/*',
          'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*',
          'arn:aws:lambda:us-east-1:123456789012:function:fn:*',
        ),
      ),
    ).toEqual([]);
  });

  it('catches wildcard names and ARNs in SAM policy templates', () => {
    const template = (parameters: Record<string, unknown>) => ({
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: { Policies: [parameters] },
        },
      },
    });
    expect(
      findIamWildcards(
        template({ SQSPollerPolicy: { QueueName: 'orders-*' } }),
      ),
    ).toMatchObject([
      {
        severity: 'error',
        objectPath:
          'Resources.Fn.Properties.Policies[0].SQSPollerPolicy.QueueName',
      },
    ]);
    expect(
      findIamWildcards(
        template({
          AWSSecretsManagerGetSecretValuePolicy: {
            SecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:*',
          },
        }),
      ),
    ).toMatchObject([{ severity: 'error' }]);
    expect(
      findIamWildcards(
        template({
          AWSSecretsManagerGetSecretValuePolicy: {
            SecretArn: {
              'Fn::Sub':
                'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:shop/fn/KEY-??????',
            },
          },
        }),
      ),
    ).toEqual([]);
  });

  it('accepts a trust policy naming a service principal, and Deny guards', () => {
    expect(
      findIamWildcards({
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'lambda.amazonaws.com' },
            },
          ],
        },
        PolicyDocument: {
          Statement: [{ Effect: 'Deny', Action: '*', NotResource: ['arn:x'] }],
        },
      }),
    ).toEqual([]);
  });
});
