import {
  DeploymentPlan,
  Language,
  ServicePlan,
  TriggerType,
} from '@internal/backstage-plugin-cloud-native-common';
import { runsAsImage } from '../../plan/serverless';
import { byKey, pascal, sortedRecord, uniqueIds } from './names';

/**
 * Where events come from, parsed from the spec's `trigger.source`:
 * a plain name (`media-uploads`), a scheme-qualified name
 * (`dynamodb:orders`, `servicebus:claims`) or an ARN of an existing resource.
 */
export interface EventSource {
  /** The text from the spec (or the default when it named none) */
  raw: string;
  /** The resource name, without scheme or ARN prefix */
  name: string;
  /** `dynamodb`, `kinesis`, `servicebus`, ... when the source names one */
  scheme?: string;
  /** The full ARN when the source is an existing AWS resource */
  arn?: string;
  /** True when the spec named no source and a default name is used */
  defaulted: boolean;
}

/** Everything the generators need about one serverless function. */
export interface FunctionContext {
  plan: ServicePlan;
  name: string;
  /** Unique CloudFormation-safe id: `metadata-api` → `MetadataApi` */
  id: string;
  language?: Language;
  trigger: TriggerType;
  source?: EventSource;
  timeoutSeconds: number;
  memoryMB: number;
  /** Sorted */
  env: Record<string, string>;
  /** Sorted names */
  secrets: string[];
  /** 5-field schedule for schedule triggers */
  schedule?: string;
  public: boolean;
  /** Deployed as a container image (php, static, or a prebuilt image) */
  image: boolean;
  /** Async invocation: queue, storage, schedule, stream */
  async: boolean;
}

/** Parses a trigger source. */
function parseSource(raw: string, defaulted = false): EventSource {
  if (raw.startsWith('arn:')) {
    const parts = raw.split(':');
    const service = parts[2] ?? '';
    const resource = parts.slice(5).join(':');
    let name = resource;
    if (service === 'kinesis') name = resource.replace(/^stream\//, '');
    if (service === 'dynamodb') name = resource.split('/')[1] ?? resource;
    if (service === 's3') name = resource.split('/')[0];
    return { raw, name, scheme: service, arn: raw, defaulted };
  }
  const match = /^([a-z][a-z0-9-]*):(?!\/\/)(.+)$/i.exec(raw);
  if (match) {
    return { raw, name: match[2], scheme: match[1].toLowerCase(), defaulted };
  }
  return { raw, name: raw, defaulted };
}

const DEFAULT_SOURCE_SUFFIX: Partial<Record<TriggerType, string>> = {
  queue: 'queue',
  stream: 'stream',
  storage: 'objects',
  schedule: 'schedule',
};

/** The serverless functions of a plan, sorted by name. */
export function functionContexts(plan: DeploymentPlan): FunctionContext[] {
  const functions = plan.services
    .filter(s => s.runtime === 'serverless')
    .sort(byKey(s => s.name));
  const idOf = uniqueIds(
    functions.map(f => f.name),
    pascal,
  );
  return functions.map(servicePlan => {
    const { service } = servicePlan;
    const trigger = service.trigger?.type ?? 'http';
    const suffix = DEFAULT_SOURCE_SUFFIX[trigger];
    let source: EventSource | undefined;
    if (service.trigger?.source) {
      source = parseSource(service.trigger.source);
    } else if (suffix && trigger !== 'schedule') {
      source = parseSource(`${servicePlan.name}-${suffix}`, true);
    }
    return {
      plan: servicePlan,
      name: servicePlan.name,
      id: idOf(servicePlan.name),
      language: service.language,
      trigger,
      source,
      timeoutSeconds: service.timeoutSeconds ?? 30,
      memoryMB: service.memoryMB ?? 512,
      env: sortedRecord(service.env),
      secrets: [...service.secrets].sort(),
      schedule: trigger === 'schedule' ? service.schedule : undefined,
      public: trigger === 'http' && service.expose === 'public',
      image: runsAsImage(servicePlan),
      async: trigger !== 'http',
    };
  });
}

/** True for a stream source that is a DynamoDB stream. */
export function isDynamoDbStream(source: EventSource | undefined): boolean {
  if (!source) return false;
  return (
    source.scheme === 'dynamodb' ||
    source.scheme === 'ddb' ||
    /dynamodb/i.test(source.raw)
  );
}
