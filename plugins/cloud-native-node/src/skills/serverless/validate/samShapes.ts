import { StrictSchema } from '../../../core/strict';
import { cfn, eventSource } from './cfnSchema';

/**
 * Hand-written, strict property lists of the AWS SAM resource types the
 * skill writes (Function, Api, HttpApi, SimpleTable), after the SAM
 * specification (samtranslator `property_types`, the SAM developer guide),
 * declared on the package's strict-schema engine in its CloudFormation
 * vocabulary (./cfnSchema.ts). The SAM definitions shipped in
 * @aws-cdk/aws-service-spec lag behind SAM (no ScheduleV2 events,
 * `AccessLogSetting` on HttpApi), so they are not used for these types.
 */

/** A resource's or an object's properties by name. */
export type Properties = Record<string, StrictSchema>;

const str = (values?: ReadonlyArray<string>): StrictSchema =>
  cfn.string(values ? { oneOf: values } : {});
const int = cfn.number({ integer: true });
const bool = cfn.boolean();
const any = cfn.any();
const list = (element: StrictSchema) => cfn.array(element);
const map = (element: StrictSchema) => cfn.record(element);
const union = (...options: StrictSchema[]) => cfn.union(options);
const opt = cfn.optional;
const req = cfn.required;
const object = (name: string, properties: Properties) =>
  cfn.object(properties, { name });

/** Lambda managed runtimes SAM accepts (deprecated ones excluded). */
export const LAMBDA_RUNTIMES = [
  'dotnet8',
  'java8.al2',
  'java11',
  'java17',
  'java21',
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'provided.al2',
  'provided.al2023',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
];

/** SAM policy templates and their parameters. */
export const SAM_POLICY_TEMPLATES: Record<string, ReadonlyArray<string>> = {
  AWSSecretsManagerGetSecretValuePolicy: ['SecretArn'],
  CloudWatchPutMetricPolicy: [],
  DynamoDBCrudPolicy: ['TableName'],
  DynamoDBReadPolicy: ['TableName'],
  DynamoDBStreamReadPolicy: ['TableName', 'StreamName'],
  DynamoDBWritePolicy: ['TableName'],
  EventBridgePutEventsPolicy: ['EventBusName'],
  KinesisCrudPolicy: ['StreamName'],
  KinesisStreamReadPolicy: ['StreamName'],
  KMSDecryptPolicy: ['KeyId'],
  LambdaInvokePolicy: ['FunctionName'],
  S3CrudPolicy: ['BucketName'],
  S3ReadPolicy: ['BucketName'],
  S3WritePolicy: ['BucketName'],
  SNSPublishMessagePolicy: ['TopicName'],
  SQSPollerPolicy: ['QueueName'],
  SQSSendMessagePolicy: ['QueueName'],
  SSMParameterReadPolicy: ['ParameterName'],
  SSMParameterWithSlashPrefixReadPolicy: ['ParameterName'],
  StepFunctionsExecutionPolicy: ['StateMachineName'],
  VPCAccessPolicy: [],
};

const policyDocument = object('IAM policy document', {
  Version: opt(str(['2012-10-17', '2008-10-17'])),
  Id: opt(str()),
  Statement: req(union(list(any), any)),
});

const policyTemplate = cfn.object(
  () =>
    Object.fromEntries(
      Object.entries(SAM_POLICY_TEMPLATES).map(([name, parameters]) => [
        name,
        opt(
          object(
            name,
            Object.fromEntries(parameters.map(p => [p, req(str())])),
          ),
        ),
      ]),
    ),
  { name: 'SAM policy template' },
);

const policies = union(
  str(),
  policyDocument,
  list(union(str(), policyDocument, policyTemplate)),
);

const failureDestination = object('OnFailure', {
  Type: opt(str(['SQS', 'SNS', 'S3'])),
  Destination: opt(str()),
});

const streamEvent = (startingPositions: ReadonlyArray<string>) =>
  object('stream event', {
    Stream: req(str()),
    StartingPosition: req(str(startingPositions)),
    StartingPositionTimestamp: opt(int),
    BatchSize: opt(int),
    BisectBatchOnFunctionError: opt(bool),
    DestinationConfig: opt(
      object('DestinationConfig', { OnFailure: req(failureDestination) }),
    ),
    Enabled: opt(bool),
    FilterCriteria: opt(any),
    FunctionResponseTypes: opt(list(str(['ReportBatchItemFailures']))),
    KmsKeyArn: opt(str()),
    MaximumBatchingWindowInSeconds: opt(int),
    MaximumRecordAgeInSeconds: opt(int),
    MaximumRetryAttempts: opt(int),
    MetricsConfig: opt(any),
    ParallelizationFactor: opt(int),
    TumblingWindowInSeconds: opt(int),
  });

const deadLetterConfig = object('DeadLetterConfig', {
  Arn: opt(str()),
  QueueLogicalId: opt(str()),
  Type: opt(str(['SQS'])),
});

const retryPolicy = object('RetryPolicy', {
  MaximumEventAgeInSeconds: opt(int),
  MaximumRetryAttempts: opt(int),
});

/** Event source types of AWS::Serverless::Function and their properties. */
const EVENT_SOURCES: Record<string, StrictSchema> = {
  Api: object('Api event', {
    Path: req(str()),
    Method: req(str()),
    RestApiId: opt(str()),
    Auth: opt(any),
    RequestModel: opt(any),
    RequestParameters: opt(any),
    TimeoutInMillis: opt(int),
  }),
  HttpApi: object('HttpApi event', {
    ApiId: opt(str()),
    Auth: opt(any),
    Method: opt(str()),
    Path: opt(str()),
    PayloadFormatVersion: opt(str(['1.0', '2.0'])),
    RouteSettings: opt(any),
    TimeoutInMillis: opt(int),
  }),
  SQS: object('SQS event', {
    Queue: req(str()),
    BatchSize: opt(int),
    Enabled: opt(bool),
    FilterCriteria: opt(any),
    FunctionResponseTypes: opt(list(str(['ReportBatchItemFailures']))),
    KmsKeyArn: opt(str()),
    MaximumBatchingWindowInSeconds: opt(int),
    MetricsConfig: opt(any),
    ScalingConfig: opt(
      object('ScalingConfig', { MaximumConcurrency: opt(int) }),
    ),
  }),
  S3: object('S3 event', {
    Bucket: req(str()),
    Events: req(union(str(), list(str()))),
    Filter: opt(any),
  }),
  SNS: object('SNS event', {
    Topic: req(str()),
    FilterPolicy: opt(any),
    FilterPolicyScope: opt(str(['MessageAttributes', 'MessageBody'])),
    RedrivePolicy: opt(any),
    Region: opt(str()),
    SqsSubscription: opt(any),
  }),
  Kinesis: streamEvent(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']),
  DynamoDB: streamEvent(['TRIM_HORIZON', 'LATEST']),
  Schedule: object('Schedule event', {
    Schedule: req(str()),
    Name: opt(str()),
    Description: opt(str()),
    Enabled: opt(bool),
    State: opt(str(['ENABLED', 'DISABLED'])),
    Input: opt(str()),
    DeadLetterConfig: opt(deadLetterConfig),
    RetryPolicy: opt(retryPolicy),
  }),
  ScheduleV2: object('ScheduleV2 event', {
    ScheduleExpression: req(str()),
    ScheduleExpressionTimezone: opt(str()),
    Name: opt(str()),
    Description: opt(str()),
    State: opt(str(['ENABLED', 'DISABLED'])),
    StartDate: opt(str()),
    EndDate: opt(str()),
    FlexibleTimeWindow: opt(
      object('FlexibleTimeWindow', {
        Mode: req(str(['OFF', 'FLEXIBLE'])),
        MaximumWindowInMinutes: opt(int),
      }),
    ),
    GroupName: opt(str()),
    Input: opt(str()),
    KmsKeyArn: opt(str()),
    OmitName: opt(bool),
    PermissionsBoundary: opt(str()),
    RoleArn: opt(str()),
    RetryPolicy: opt(retryPolicy),
    DeadLetterConfig: opt(deadLetterConfig),
  }),
  EventBridgeRule: object('EventBridgeRule event', {
    Pattern: req(any),
    EventBusName: opt(str()),
    Input: opt(str()),
    InputPath: opt(str()),
    InputTransformer: opt(any),
    DeadLetterConfig: opt(deadLetterConfig),
    RetryPolicy: opt(retryPolicy),
    RuleName: opt(str()),
    State: opt(str(['ENABLED', 'DISABLED'])),
    Target: opt(any),
  }),
  CloudWatchLogs: object('CloudWatchLogs event', {
    LogGroupName: req(str()),
    FilterPattern: req(str()),
  }),
};

const FUNCTION_PROPERTIES: Properties = {
  Architectures: opt(list(str(['x86_64', 'arm64']))),
  AssumeRolePolicyDocument: opt(any),
  AutoPublishAlias: opt(str()),
  AutoPublishAliasAllProperties: opt(bool),
  AutoPublishCodeSha256: opt(str()),
  CodeSigningConfigArn: opt(str()),
  CodeUri: opt(
    union(
      str(),
      object('S3Location', {
        Bucket: req(str()),
        Key: req(str()),
        Version: opt(str()),
      }),
    ),
  ),
  DeadLetterQueue: opt(
    object('DeadLetterQueue', {
      Type: req(str(['SQS', 'SNS'])),
      TargetArn: req(str()),
    }),
  ),
  DeploymentPreference: opt(any),
  Description: opt(str()),
  Environment: opt(object('Environment', { Variables: opt(map(str())) })),
  EphemeralStorage: opt(object('EphemeralStorage', { Size: req(int) })),
  EventInvokeConfig: opt(
    object('EventInvokeConfig', {
      MaximumEventAgeInSeconds: opt(int),
      MaximumRetryAttempts: opt(int),
      DestinationConfig: opt(any),
    }),
  ),
  Events: opt(map(eventSource('event source', EVENT_SOURCES))),
  FileSystemConfigs: opt(list(any)),
  FunctionName: opt(str()),
  FunctionUrlConfig: opt(
    object('FunctionUrlConfig', {
      AuthType: req(str(['AWS_IAM', 'NONE'])),
      Cors: opt(any),
      InvokeMode: opt(str(['BUFFERED', 'RESPONSE_STREAM'])),
    }),
  ),
  Handler: opt(str()),
  ImageConfig: opt(
    object('ImageConfig', {
      Command: opt(list(str())),
      EntryPoint: opt(list(str())),
      WorkingDirectory: opt(str()),
    }),
  ),
  ImageUri: opt(str()),
  InlineCode: opt(str()),
  KmsKeyArn: opt(str()),
  Layers: opt(list(str())),
  LoggingConfig: opt(
    object('LoggingConfig', {
      ApplicationLogLevel: opt(
        str(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']),
      ),
      LogFormat: opt(str(['Text', 'JSON'])),
      LogGroup: opt(str()),
      SystemLogLevel: opt(str(['DEBUG', 'INFO', 'WARN'])),
    }),
  ),
  MemorySize: opt(int),
  PackageType: opt(str(['Zip', 'Image'])),
  PermissionsBoundary: opt(str()),
  Policies: opt(policies),
  PropagateTags: opt(bool),
  ProvisionedConcurrencyConfig: opt(
    object('ProvisionedConcurrencyConfig', {
      ProvisionedConcurrentExecutions: req(int),
    }),
  ),
  RecursiveLoop: opt(str(['Allow', 'Terminate'])),
  ReservedConcurrentExecutions: opt(int),
  Role: opt(str()),
  RolePath: opt(str()),
  Runtime: opt(str(LAMBDA_RUNTIMES)),
  RuntimeManagementConfig: opt(
    object('RuntimeManagementConfig', {
      UpdateRuntimeOn: req(str(['Auto', 'FunctionUpdate', 'Manual'])),
      RuntimeVersionArn: opt(str()),
    }),
  ),
  SnapStart: opt(
    object('SnapStart', { ApplyOn: req(str(['PublishedVersions', 'None'])) }),
  ),
  SourceKMSKeyArn: opt(str()),
  Tags: opt(map(str())),
  Timeout: opt(int),
  Tracing: opt(str(['Active', 'PassThrough', 'Disabled'])),
  VersionDescription: opt(str()),
  VpcConfig: opt(
    object('VpcConfig', {
      SecurityGroupIds: opt(list(str())),
      SubnetIds: opt(list(str())),
      Ipv6AllowedForDualStack: opt(bool),
    }),
  ),
};

const HTTP_API_PROPERTIES: Properties = {
  AccessLogSettings: opt(
    object('AccessLogSettings', {
      DestinationArn: req(str()),
      Format: req(str()),
    }),
  ),
  Auth: opt(any),
  CorsConfiguration: opt(union(bool, any)),
  DefaultRouteSettings: opt(
    object('RouteSettings', {
      DataTraceEnabled: opt(bool),
      DetailedMetricsEnabled: opt(bool),
      LoggingLevel: opt(str()),
      ThrottlingBurstLimit: opt(int),
      ThrottlingRateLimit: opt(cfn.number()),
    }),
  ),
  DefinitionBody: opt(any),
  DefinitionUri: opt(union(str(), any)),
  Description: opt(str()),
  DisableExecuteApiEndpoint: opt(bool),
  Domain: opt(any),
  FailOnWarnings: opt(bool),
  Name: opt(str()),
  PropagateTags: opt(bool),
  RouteSettings: opt(any),
  StageName: opt(str()),
  StageVariables: opt(map(str())),
  Tags: opt(map(str())),
};

const API_PROPERTIES: Properties = {
  AccessLogSetting: opt(
    object('AccessLogSetting', {
      DestinationArn: opt(str()),
      Format: opt(str()),
    }),
  ),
  AlwaysDeploy: opt(bool),
  ApiKeySourceType: opt(str(['HEADER', 'AUTHORIZER'])),
  Auth: opt(any),
  BinaryMediaTypes: opt(list(str())),
  CacheClusterEnabled: opt(bool),
  CacheClusterSize: opt(str()),
  CanarySetting: opt(any),
  Cors: opt(union(str(), any)),
  DefinitionBody: opt(any),
  DefinitionUri: opt(union(str(), any)),
  Description: opt(str()),
  DisableExecuteApiEndpoint: opt(bool),
  Domain: opt(any),
  EndpointConfiguration: opt(union(str(), any)),
  FailOnWarnings: opt(bool),
  GatewayResponses: opt(any),
  MergeDefinitions: opt(bool),
  MethodSettings: opt(list(any)),
  MinimumCompressionSize: opt(int),
  Mode: opt(str(['overwrite', 'merge'])),
  Models: opt(any),
  Name: opt(str()),
  OpenApiVersion: opt(str()),
  PropagateTags: opt(bool),
  StageName: req(str()),
  Tags: opt(map(str())),
  TracingEnabled: opt(bool),
  Variables: opt(map(str())),
};

const SIMPLE_TABLE_PROPERTIES: Properties = {
  PointInTimeRecoverySpecification: opt(any),
  PrimaryKey: opt(
    object('PrimaryKey', {
      Name: req(str()),
      Type: req(str(['String', 'Number', 'Binary'])),
    }),
  ),
  ProvisionedThroughput: opt(any),
  SSESpecification: opt(any),
  TableName: opt(str()),
  Tags: opt(map(str())),
};

/** Properties by SAM resource type. */
export const SAM_RESOURCE_PROPERTIES: Record<string, Properties> = {
  'AWS::Serverless::Api': API_PROPERTIES,
  'AWS::Serverless::Function': FUNCTION_PROPERTIES,
  'AWS::Serverless::HttpApi': HTTP_API_PROPERTIES,
  'AWS::Serverless::SimpleTable': SIMPLE_TABLE_PROPERTIES,
};

/** Properties each `Globals` section may set. */
export const SAM_GLOBALS: Record<string, ReadonlyArray<string>> = {
  Function: [
    'Architectures',
    'AssumeRolePolicyDocument',
    'AutoPublishAlias',
    'AutoPublishAliasAllProperties',
    'CodeSigningConfigArn',
    'CodeUri',
    'DeadLetterQueue',
    'DeploymentPreference',
    'Description',
    'Environment',
    'EphemeralStorage',
    'EventInvokeConfig',
    'FileSystemConfigs',
    'FunctionUrlConfig',
    'Handler',
    'KmsKeyArn',
    'Layers',
    'LoggingConfig',
    'MemorySize',
    'PermissionsBoundary',
    'PropagateTags',
    'ProvisionedConcurrencyConfig',
    'RecursiveLoop',
    'ReservedConcurrentExecutions',
    'RolePath',
    'Runtime',
    'RuntimeManagementConfig',
    'SnapStart',
    'SourceKMSKeyArn',
    'Tags',
    'Timeout',
    'Tracing',
    'VpcConfig',
  ],
  Api: [
    'AccessLogSetting',
    'AlwaysDeploy',
    'Auth',
    'BinaryMediaTypes',
    'CacheClusterEnabled',
    'CacheClusterSize',
    'CanarySetting',
    'Cors',
    'DefinitionUri',
    'Domain',
    'EndpointConfiguration',
    'GatewayResponses',
    'MergeDefinitions',
    'MethodSettings',
    'MinimumCompressionSize',
    'Name',
    'OpenApiVersion',
    'PropagateTags',
    'TracingEnabled',
    'Variables',
  ],
  HttpApi: [
    'AccessLogSettings',
    'Auth',
    'CorsConfiguration',
    'DefaultRouteSettings',
    'Domain',
    'FailOnWarnings',
    'PropagateTags',
    'RouteSettings',
    'StageVariables',
    'Tags',
  ],
  SimpleTable: ['SSESpecification'],
};
