import {
  DeploymentPlan,
  Language,
  TriggerType,
} from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import { FunctionContext } from './context';
import { ncrontab } from './cron';
import { camel, dnsName, shellQuote, sortedRecord } from './names';
import { JsonObject, JsonValue } from './types';

/** Root of the Azure Functions project. */
const AZURE_DIR = 'serverless/azure';

/** Built-in role definition ids (Azure RBAC). */
export const AZURE_ROLES = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

type RoleName = keyof typeof AZURE_ROLES;

/** Flex Consumption runtimes; `custom` runs a custom handler executable. */
const FLEX_RUNTIMES: Record<Language, { name: string; version: string }> = {
  node: { name: 'node', version: '22' },
  python: { name: 'python', version: '3.11' },
  java: { name: 'java', version: '21' },
  dotnet: { name: 'dotnet-isolated', version: '8.0' },
  go: { name: 'custom', version: '1.0' },
  rust: { name: 'custom', version: '1.0' },
  ruby: { name: 'custom', version: '1.0' },
  php: { name: 'custom', version: '1.0' },
  static: { name: 'custom', version: '1.0' },
};

/** Script entry points, matching the AWS handler conventions. */
const SCRIPT_FILES: Partial<Record<Language, { file: string; entry: string }>> =
  {
    node: { file: '../index.js', entry: 'handler' },
    python: { file: '../app.py', entry: 'handler' },
  };

const CONNECTIONS = {
  storage: 'EventsStorage',
  eventHub: 'EventHub',
  serviceBus: 'ServiceBus',
};

const HOST_STORAGE = "variables('hostStorageName')";
const EVENT_STORAGE = "variables('eventStorageName')";
const EVENT_HUBS = "variables('eventHubNamespace')";
const SERVICE_BUS = "variables('serviceBusNamespace')";
const KEY_VAULT = "variables('keyVaultName')";
const APP_INSIGHTS = "variables('appInsightsName')";

/** Azure storage queue / container names: lower-case, digits, `-`, 3-63. */
function storageName(text: string): string {
  const name = dnsName(text, 63);
  return name.length >= 3 ? name : `${name}-q`.padEnd(3, '0');
}

function runtimeOf(fn: FunctionContext) {
  return FLEX_RUNTIMES[fn.language ?? 'static'];
}

function isCustom(fn: FunctionContext): boolean {
  return runtimeOf(fn).name === 'custom';
}

/** What an Azure function listens to. */
export type AzureBinding =
  | 'httpTrigger'
  | 'queueTrigger'
  | 'serviceBusTrigger'
  | 'timerTrigger'
  | 'eventHubTrigger'
  | 'blobTrigger';

/** The binding of each trigger (queues: of Storage; Service Bus aside). */
const TRIGGER_BINDINGS: Record<TriggerType, AzureBinding> = {
  http: 'httpTrigger',
  queue: 'queueTrigger',
  schedule: 'timerTrigger',
  stream: 'eventHubTrigger',
  storage: 'blobTrigger',
};

export function azureBinding(fn: FunctionContext): AzureBinding {
  if (fn.trigger === 'queue' && fn.source?.scheme === 'servicebus') {
    return 'serviceBusTrigger';
  }
  return TRIGGER_BINDINGS[fn.trigger];
}

/** The queue, hub or container name a function's trigger reads. */
function sourceName(fn: FunctionContext): string {
  return storageName(fn.source?.name ?? `${fn.name}-events`);
}

/** `function.json` of one function. */
function functionJson(fn: FunctionContext): JsonObject {
  const binding = azureBinding(fn);
  const bindings: JsonObject[] = [];
  let retry: JsonObject | undefined;
  switch (binding) {
    case 'httpTrigger':
      bindings.push(
        {
          authLevel: fn.public ? 'anonymous' : 'function',
          type: 'httpTrigger',
          direction: 'in',
          name: 'req',
          methods: ['get', 'post', 'put', 'patch', 'delete'],
          route: `${fn.name}/{*path}`,
        },
        { type: 'http', direction: 'out', name: '$return' },
      );
      break;
    case 'queueTrigger':
      bindings.push({
        type: 'queueTrigger',
        direction: 'in',
        name: 'message',
        queueName: sourceName(fn),
        connection: CONNECTIONS.storage,
      });
      break;
    case 'serviceBusTrigger':
      bindings.push({
        type: 'serviceBusTrigger',
        direction: 'in',
        name: 'message',
        queueName: sourceName(fn),
        connection: CONNECTIONS.serviceBus,
      });
      break;
    case 'timerTrigger':
      bindings.push({
        type: 'timerTrigger',
        direction: 'in',
        name: 'timer',
        schedule: ncrontab(fn.schedule ?? '@daily'),
        runOnStartup: false,
        useMonitor: true,
      });
      retry = {
        strategy: 'exponentialBackoff',
        maxRetryCount: 3,
        minimumInterval: '00:00:10',
        maximumInterval: '00:15:00',
      };
      break;
    case 'eventHubTrigger':
      bindings.push({
        type: 'eventHubTrigger',
        direction: 'in',
        name: 'events',
        eventHubName: sourceName(fn),
        consumerGroup: storageName(fn.name),
        connection: CONNECTIONS.eventHub,
        cardinality: 'many',
      });
      retry = {
        strategy: 'exponentialBackoff',
        maxRetryCount: 5,
        minimumInterval: '00:00:05',
        maximumInterval: '00:05:00',
      };
      break;
    default:
      bindings.push({
        type: 'blobTrigger',
        direction: 'in',
        name: 'blob',
        path: `${sourceName(fn)}/{name}`,
        connection: CONNECTIONS.storage,
        // Flex Consumption has no polling blob trigger: Event Grid delivers
        source: 'EventGrid',
      });
      break;
  }
  const script = fn.language ? SCRIPT_FILES[fn.language] : undefined;
  return {
    ...(script ? { scriptFile: script.file, entryPoint: script.entry } : {}),
    bindings,
    ...(retry ? { retry } : {}),
  };
}

/** `hh:mm:ss` */
function duration(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(
    Math.floor((seconds % 3600) / 60),
  )}:${pad(seconds % 60)}`;
}

/** `host.json` shared by every function app of the package. */
function hostJson(
  fns: ReadonlyArray<FunctionContext>,
  custom = false,
): JsonObject {
  const maxTimeout = Math.max(30, ...fns.map(fn => fn.timeoutSeconds));
  const host: JsonObject = {
    version: '2.0',
    extensionBundle: {
      id: 'Microsoft.Azure.Functions.ExtensionBundle',
      version: '[4.*, 5.0.0)',
    },
    functionTimeout: duration(maxTimeout),
    logging: {
      applicationInsights: {
        samplingSettings: { isEnabled: true, excludedTypes: 'Request' },
      },
    },
    extensions: {
      queues: { maxDequeueCount: 5, visibilityTimeout: '00:00:30' },
      serviceBus: { maxAutoLockRenewalDuration: duration(maxTimeout) },
    },
  };
  if (custom) {
    host.customHandler = {
      description: { defaultExecutablePath: 'handler', workingDirectory: '' },
      enableForwardingHttpRequest: true,
    };
  }
  return host;
}

/** Log Analytics retention and Flex scale-out limit by tier. */
const TIER_SETTINGS = {
  T1: { logRetentionDays: 30, maximumInstances: 40 },
  T2: { logRetentionDays: 90, maximumInstances: 100 },
  T3: { logRetentionDays: 365, maximumInstances: 200 },
} as const;

const API_VERSIONS: Array<[string, string]> = [
  ['Microsoft.Storage', '2023-05-01'],
  ['Microsoft.EventHub', '2024-01-01'],
  ['Microsoft.ServiceBus', '2022-10-01-preview'],
];

function apiVersionOf(type: string): string {
  return (
    API_VERSIONS.find(([prefix]) => type.startsWith(prefix))?.[1] ??
    '2022-10-01-preview'
  );
}

function flexMemory(memoryMB: number): number {
  if (memoryMB <= 512) return 512;
  return memoryMB <= 2048 ? 2048 : 4096;
}

const expr = (text: string) => `[${text}]`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Names of the ARM variables of one function. */
function appVariable(fn: FunctionContext): string {
  return `app${fn.id}`;
}

interface Scope {
  /** Relative resource path for the role assignment's `scope` */
  scope: string;
  /** resourceId(...) of the target, for the name and dependsOn */
  id: string;
}

/** A top-level resource `<type>/<name>`. */
function resourceScope(type: string, name: string): Scope {
  return {
    scope: `format('${type}/{0}', ${name})`,
    id: `resourceId('${type}', ${name})`,
  };
}

/**
 * A child resource `<parent>/<path>/<childName>` of a `parentType` resource;
 * `path` alternates child types and the fixed names between them
 * (`queueServices/default/queues`), as ARM full names do.
 */
function childScope(
  parentType: string,
  parent: string,
  path: string,
  childName: string,
): Scope {
  const segments = path.split('/');
  const types = segments.filter((_, index) => index % 2 === 0);
  const fixedNames = segments.filter((_, index) => index % 2 === 1);
  const names = [parent, ...fixedNames.map(quote), quote(childName)];
  return {
    scope: `format('${parentType}/{0}/${path}/{1}', ${parent}, ${quote(
      childName,
    )})`,
    id: `resourceId('${[parentType, ...types].join('/')}', ${names.join(
      ', ',
    )})`,
  };
}

const STORAGE_ACCOUNTS = 'Microsoft.Storage/storageAccounts';

const scopes = {
  hostStorage: () => resourceScope(STORAGE_ACCOUNTS, HOST_STORAGE),
  queue: (account: string, queue: string) =>
    childScope(
      STORAGE_ACCOUNTS,
      account,
      'queueServices/default/queues',
      queue,
    ),
  container: (container: string) =>
    childScope(
      STORAGE_ACCOUNTS,
      EVENT_STORAGE,
      'blobServices/default/containers',
      container,
    ),
  eventHub: (hub: string) =>
    childScope('Microsoft.EventHub/namespaces', EVENT_HUBS, 'eventhubs', hub),
  serviceBusQueue: (queue: string) =>
    childScope('Microsoft.ServiceBus/namespaces', SERVICE_BUS, 'queues', queue),
  keyVault: () => resourceScope('Microsoft.KeyVault/vaults', KEY_VAULT),
  appInsights: () =>
    resourceScope('Microsoft.Insights/components', APP_INSIGHTS),
};

/** One role assignment, as the README's IAM summary lists it. */
export interface AzureRoleGrant {
  function: string;
  role: RoleName;
  /** Human-readable target, e.g. `queue claim-documents` */
  target: string;
}

function siteId(fn: FunctionContext): string {
  return `resourceId('Microsoft.Web/sites', variables('${appVariable(fn)}'))`;
}

function roleAssignment(
  fn: FunctionContext,
  role: RoleName,
  scope: Scope,
): JsonObject {
  const roleId = AZURE_ROLES[role];
  return {
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: '2022-04-01',
    name: expr(`guid(${scope.id}, ${siteId(fn)}, '${roleId}')`),
    scope: expr(scope.scope),
    properties: {
      roleDefinitionId: expr(
        `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${roleId}')`,
      ),
      principalId: expr(
        `reference(${siteId(fn)}, '2024-04-01', 'full').identity.principalId`,
      ),
      principalType: 'ServicePrincipal',
    },
    dependsOn: [expr(siteId(fn)), expr(scope.id)],
  };
}

function keyVaultSecretName(fn: FunctionContext, name: string): string {
  return `${fn.name}-${name.toLowerCase().replace(/_/g, '-')}`;
}

/** The template as it is built: resources in order, variables by name. */
interface ArmBuild {
  plan: DeploymentPlan;
  /** The app's DNS name, the prefix of every resource name */
  app: string;
  /** T3 plans are zone redundant and keep data longer */
  t3: boolean;
  variables: Record<string, JsonValue>;
  resources: JsonObject[];
  grants: AzureRoleGrant[];
}

const HOST_STORAGE_ID = `resourceId('Microsoft.Storage/storageAccounts', ${HOST_STORAGE})`;
const EVENT_STORAGE_ID = `resourceId('Microsoft.Storage/storageAccounts', ${EVENT_STORAGE})`;

function storageAccount(name: string, t3: boolean): JsonObject {
  return {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-05-01',
    name: expr(name),
    location: expr("parameters('location')"),
    sku: { name: t3 ? 'Standard_ZRS' : 'Standard_LRS' },
    kind: 'StorageV2',
    properties: {
      accessTier: 'Hot',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
    },
  };
}

/** A child resource (queue, container, hub...) that depends on its parent. */
function child(
  type: string,
  name: string,
  parentId: string,
  properties: JsonObject = {},
): JsonObject {
  return {
    type,
    apiVersion: apiVersionOf(type),
    name: expr(name),
    properties,
    dependsOn: [expr(parentId)],
  };
}

/** Log Analytics and the workspace-based Application Insights. */
function monitoringResources(plan: DeploymentPlan): JsonObject[] {
  const workspaceId =
    "resourceId('Microsoft.OperationalInsights/workspaces', variables('logAnalyticsName'))";
  return [
    {
      type: 'Microsoft.OperationalInsights/workspaces',
      apiVersion: '2023-09-01',
      name: expr("variables('logAnalyticsName')"),
      location: expr("parameters('location')"),
      properties: {
        sku: { name: 'PerGB2018' },
        retentionInDays: TIER_SETTINGS[plan.tier].logRetentionDays,
      },
    },
    {
      type: 'Microsoft.Insights/components',
      apiVersion: '2020-02-02',
      name: expr(APP_INSIGHTS),
      location: expr("parameters('location')"),
      kind: 'web',
      properties: {
        Application_Type: 'web',
        DisableLocalAuth: true,
        WorkspaceResourceId: expr(workspaceId),
      },
      dependsOn: [expr(workspaceId)],
    },
  ];
}

/** The queues, containers and hubs the functions' triggers read. */
interface EventSources {
  hubs: Set<string>;
  consumerGroups: Set<string>;
  storageQueues: Set<string>;
  containers: Set<string>;
  busQueues: Set<string>;
  hostQueues: Set<string>;
}

function eventSourcesOf(fns: ReadonlyArray<FunctionContext>): EventSources {
  const sources: EventSources = {
    hubs: new Set(),
    consumerGroups: new Set(),
    storageQueues: new Set(),
    containers: new Set(),
    busQueues: new Set(),
    hostQueues: new Set(),
  };
  for (const fn of fns) {
    const binding = azureBinding(fn);
    if (binding === 'queueTrigger') {
      sources.storageQueues.add(sourceName(fn));
      sources.storageQueues.add(`${sourceName(fn)}-poison`.slice(0, 63));
    }
    if (binding === 'blobTrigger') {
      sources.containers.add(sourceName(fn));
      sources.hostQueues.add('webjobs-blobtrigger-poison');
    }
    if (binding === 'serviceBusTrigger') sources.busQueues.add(sourceName(fn));
    if (binding === 'eventHubTrigger') {
      sources.hubs.add(sourceName(fn));
      sources.consumerGroups.add(`${sourceName(fn)}/${storageName(fn.name)}`);
    }
  }
  return sources;
}

/** The two storage-account services this template fills, by child kind. */
const STORAGE_SERVICES = {
  queues: { service: 'queueServices', properties: undefined },
  containers: {
    service: 'blobServices',
    // Private: only the identities granted a role read the blobs
    properties: { publicAccess: 'None' },
  },
} as const;

/**
 * A storage account's queue or blob service and its queues or containers,
 * sorted by name.
 */
function storageChildren(
  kind: keyof typeof STORAGE_SERVICES,
  account: string,
  accountId: string,
  names: Iterable<string>,
) {
  const { service, properties } = STORAGE_SERVICES[kind];
  const serviceType = `Microsoft.Storage/storageAccounts/${service}`;
  return [
    child(serviceType, `format('{0}/default', ${account})`, accountId),
    ...[...names]
      .sort()
      .map(name =>
        child(
          `${serviceType}/${kind}`,
          `format('{0}/default/{1}', ${account}, ${quote(name)})`,
          `resourceId('${serviceType}', ${account}, 'default')`,
          properties,
        ),
      ),
  ];
}

/** Host storage: one deployment container per function, the host's queues. */
function addHostStorage(
  arm: ArmBuild,
  fns: ReadonlyArray<FunctionContext>,
  sources: EventSources,
) {
  arm.resources.push(
    storageAccount(HOST_STORAGE, arm.t3),
    ...storageChildren(
      'containers',
      HOST_STORAGE,
      HOST_STORAGE_ID,
      fns.map(fn => dnsName(`deploy-${fn.name}`, 63)),
    ),
  );
  if (sources.hostQueues.size > 0) {
    arm.resources.push(
      ...storageChildren(
        'queues',
        HOST_STORAGE,
        HOST_STORAGE_ID,
        sources.hostQueues,
      ),
    );
  }
}

/** Event storage (queue and blob triggers), with its Event Grid topic. */
function addEventStorage(arm: ArmBuild, sources: EventSources) {
  arm.variables.eventStorageName = expr(
    `format('ste{0}', uniqueString(resourceGroup().id, ${quote(arm.app)}))`,
  );
  arm.resources.push(storageAccount(EVENT_STORAGE, arm.t3));
  if (sources.storageQueues.size > 0) {
    arm.resources.push(
      ...storageChildren(
        'queues',
        EVENT_STORAGE,
        EVENT_STORAGE_ID,
        sources.storageQueues,
      ),
    );
  }
  if (sources.containers.size === 0) return;
  arm.resources.push(
    ...storageChildren(
      'containers',
      EVENT_STORAGE,
      EVENT_STORAGE_ID,
      sources.containers,
    ),
  );
  arm.variables.eventGridTopicName = `evgt-${arm.app}-storage`;
  arm.resources.push({
    type: 'Microsoft.EventGrid/systemTopics',
    apiVersion: '2024-06-01-preview',
    name: expr("variables('eventGridTopicName')"),
    location: expr("parameters('location')"),
    properties: {
      source: expr(EVENT_STORAGE_ID),
      topicType: 'Microsoft.Storage.StorageAccounts',
    },
    dependsOn: [expr(EVENT_STORAGE_ID)],
  });
}

/** The Event Hubs namespace, its hubs and one consumer group per function. */
function addEventHubs(arm: ArmBuild, sources: EventSources) {
  arm.variables.eventHubNamespace = expr(
    `format('evh-${arm.app}-{0}', variables('suffix'))`,
  );
  const namespaceId = `resourceId('Microsoft.EventHub/namespaces', ${EVENT_HUBS})`;
  arm.resources.push({
    type: 'Microsoft.EventHub/namespaces',
    apiVersion: '2024-01-01',
    name: expr(EVENT_HUBS),
    location: expr("parameters('location')"),
    sku: { name: 'Standard', tier: 'Standard', capacity: 1 },
    properties: {
      disableLocalAuth: true,
      minimumTlsVersion: '1.2',
      zoneRedundant: arm.t3,
    },
  });
  for (const hub of [...sources.hubs].sort()) {
    arm.resources.push(
      child(
        'Microsoft.EventHub/namespaces/eventhubs',
        `format('{0}/{1}', ${EVENT_HUBS}, ${quote(hub)})`,
        namespaceId,
        { partitionCount: 4, messageRetentionInDays: arm.t3 ? 7 : 1 },
      ),
    );
  }
  for (const group of [...sources.consumerGroups].sort()) {
    const [hub, name] = group.split('/');
    arm.resources.push(
      child(
        'Microsoft.EventHub/namespaces/eventhubs/consumergroups',
        `format('{0}/{1}/{2}', ${EVENT_HUBS}, ${quote(hub)}, ${quote(name)})`,
        `resourceId('Microsoft.EventHub/namespaces/eventhubs', ${EVENT_HUBS}, ${quote(
          hub,
        )})`,
      ),
    );
  }
}

/** The Service Bus namespace and its queues, with dead-lettering. */
function addServiceBus(arm: ArmBuild, sources: EventSources) {
  arm.variables.serviceBusNamespace = expr(
    `format('sb-${arm.app}-{0}', variables('suffix'))`,
  );
  arm.resources.push({
    type: 'Microsoft.ServiceBus/namespaces',
    apiVersion: '2022-10-01-preview',
    name: expr(SERVICE_BUS),
    location: expr("parameters('location')"),
    sku: { name: 'Standard', tier: 'Standard' },
    properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' },
  });
  for (const queue of [...sources.busQueues].sort()) {
    arm.resources.push(
      child(
        'Microsoft.ServiceBus/namespaces/queues',
        `format('{0}/{1}', ${SERVICE_BUS}, ${quote(queue)})`,
        `resourceId('Microsoft.ServiceBus/namespaces', ${SERVICE_BUS})`,
        {
          maxDeliveryCount: 5,
          deadLetteringOnMessageExpiration: true,
          lockDuration: 'PT5M',
        },
      ),
    );
  }
}

/** The RBAC-only Key Vault the functions' secrets are read from. */
function addKeyVault(arm: ArmBuild) {
  arm.variables.keyVaultName = expr("format('kv{0}', variables('suffix'))");
  arm.resources.push({
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: '2023-07-01',
    name: expr(KEY_VAULT),
    location: expr("parameters('location')"),
    properties: {
      tenantId: expr('subscription().tenantId'),
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      ...(arm.t3 ? { enablePurgeProtection: true } : {}),
    },
  });
}

type AppSetting = { name: string; value: string };
type Grant = (role: RoleName, scope: Scope, target: string) => void;

/**
 * The settings and role assignments of a function's trigger: identity-based
 * connections, each role scoped to the one queue, container or hub.
 */
function triggerAccess(fn: FunctionContext, grant: Grant): AppSetting[] {
  const queueUri = `format('https://{0}.queue.{1}', ${EVENT_STORAGE}, environment().suffixes.storage)`;
  switch (azureBinding(fn)) {
    case 'queueTrigger': {
      const queue = sourceName(fn);
      grant(
        'Storage Queue Data Contributor',
        scopes.queue(EVENT_STORAGE, queue),
        `queue ${queue}`,
      );
      grant(
        'Storage Queue Data Contributor',
        scopes.queue(EVENT_STORAGE, `${queue}-poison`.slice(0, 63)),
        `queue ${queue}-poison`,
      );
      return [
        {
          name: `${CONNECTIONS.storage}__queueServiceUri`,
          value: expr(queueUri),
        },
      ];
    }
    case 'blobTrigger': {
      const container = sourceName(fn);
      grant(
        'Storage Blob Data Reader',
        scopes.container(container),
        `container ${container}`,
      );
      grant(
        'Storage Queue Data Contributor',
        scopes.queue(HOST_STORAGE, 'webjobs-blobtrigger-poison'),
        'host queue webjobs-blobtrigger-poison',
      );
      return [
        {
          name: `${CONNECTIONS.storage}__blobServiceUri`,
          value: expr(
            `format('https://{0}.blob.{1}', ${EVENT_STORAGE}, environment().suffixes.storage)`,
          ),
        },
        {
          name: `${CONNECTIONS.storage}__queueServiceUri`,
          value: expr(queueUri),
        },
      ];
    }
    case 'serviceBusTrigger': {
      const queue = sourceName(fn);
      grant(
        'Azure Service Bus Data Receiver',
        scopes.serviceBusQueue(queue),
        `Service Bus queue ${queue}`,
      );
      return [
        {
          name: `${CONNECTIONS.serviceBus}__fullyQualifiedNamespace`,
          value: expr(`format('{0}.servicebus.windows.net', ${SERVICE_BUS})`),
        },
      ];
    }
    case 'eventHubTrigger': {
      const hub = sourceName(fn);
      grant(
        'Azure Event Hubs Data Receiver',
        scopes.eventHub(hub),
        `event hub ${hub}`,
      );
      return [
        {
          name: `${CONNECTIONS.eventHub}__fullyQualifiedNamespace`,
          value: expr(`format('{0}.servicebus.windows.net', ${EVENT_HUBS})`),
        },
      ];
    }
    default:
      return [];
  }
}

/**
 * A function app's settings (host storage, Application Insights, trigger,
 * env, Key Vault references) and its role assignments, pushed in the order
 * the template lists them.
 */
function appSettings(arm: ArmBuild, fn: FunctionContext): AppSetting[] {
  const grant: Grant = (role, scope, target) => {
    arm.resources.push(roleAssignment(fn, role, scope));
    arm.grants.push({ function: fn.name, role, target });
  };
  grant('Storage Blob Data Owner', scopes.hostStorage(), 'host storage');
  grant(
    'Monitoring Metrics Publisher',
    scopes.appInsights(),
    'Application Insights',
  );
  const settings: AppSetting[] = [
    { name: 'AzureWebJobsStorage__accountName', value: expr(HOST_STORAGE) },
    {
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      value: expr(
        `reference(resourceId('Microsoft.Insights/components', ${APP_INSIGHTS}), '2020-02-02').ConnectionString`,
      ),
    },
    {
      name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      value: 'Authorization=AAD',
    },
    ...triggerAccess(fn, grant),
  ];
  for (const [name, value] of Object.entries(fn.env)) {
    settings.push({
      name,
      value: value.startsWith('[') ? `[${value}` : value,
    });
  }
  for (const secret of fn.secrets) {
    settings.push({
      name: secret,
      value: expr(
        `format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', ${KEY_VAULT}, ${quote(
          keyVaultSecretName(fn, secret),
        )})`,
      ),
    });
  }
  if (fn.secrets.length > 0) {
    grant('Key Vault Secrets User', scopes.keyVault(), 'key vault');
  }
  return settings;
}

/** One function's Flex Consumption plan and app; returns the app variable. */
function addFunctionApp(arm: ArmBuild, fn: FunctionContext): string {
  const { plan, t3 } = arm;
  const variable = appVariable(fn);
  const prefix = dnsName(`${arm.app}-${fn.name}`, 40);
  arm.variables[variable] = expr(
    `format('${prefix}-{0}', variables('suffix'))`,
  );
  const planName = `format('{0}-plan', variables('${variable}'))`;
  const planId = `resourceId('Microsoft.Web/serverfarms', ${planName})`;
  const settings = appSettings(arm, fn);
  const scale: JsonObject = {
    maximumInstanceCount: TIER_SETTINGS[plan.tier].maximumInstances,
    instanceMemoryMB: flexMemory(fn.memoryMB),
  };
  if (t3 && azureBinding(fn) === 'httpTrigger') {
    scale.alwaysReady = [{ name: 'http', instanceCount: 1 }];
  }
  const deployContainer = quote(dnsName(`deploy-${fn.name}`, 63));
  arm.resources.push(
    {
      type: 'Microsoft.Web/serverfarms',
      apiVersion: '2024-04-01',
      name: expr(planName),
      location: expr("parameters('location')"),
      kind: 'functionapp',
      sku: { name: 'FC1', tier: 'FlexConsumption' },
      properties: { reserved: true, zoneRedundant: t3 },
    },
    {
      type: 'Microsoft.Web/sites',
      apiVersion: '2024-04-01',
      name: expr(`variables('${variable}')`),
      location: expr("parameters('location')"),
      kind: 'functionapp,linux',
      identity: { type: 'SystemAssigned' },
      tags: { app: plan.name, function: fn.name, tier: plan.tier },
      properties: {
        serverFarmId: expr(planId),
        httpsOnly: true,
        siteConfig: {
          minTlsVersion: '1.2',
          ftpsState: 'Disabled',
          appSettings: settings as unknown as JsonValue[],
        },
        functionAppConfig: {
          deployment: {
            storage: {
              type: 'blobContainer',
              value: expr(
                `concat(reference(${HOST_STORAGE_ID}, '2023-05-01').primaryEndpoints.blob, ${deployContainer})`,
              ),
              authentication: { type: 'SystemAssignedIdentity' },
            },
          },
          scaleAndConcurrency: scale,
          runtime: runtimeOf(fn),
        },
      },
      dependsOn: [
        expr(planId),
        expr(HOST_STORAGE_ID),
        expr(
          `resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', ${HOST_STORAGE}, 'default', ${deployContainer})`,
        ),
        expr(`resourceId('Microsoft.Insights/components', ${APP_INSIGHTS})`),
      ],
    },
  );
  return variable;
}

/**
 * The ARM template (`main.json`): one Flex Consumption function app per
 * function, each with a system-assigned identity and role assignments
 * scoped to the one queue, hub or container it reads (never the
 * subscription or resource group). Host storage and event storage are
 * separate accounts, so the host's Blob Data Owner role grants nothing on
 * event data.
 */
function buildArmTemplate(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): { template: JsonObject; grants: AzureRoleGrant[] } {
  const app = dnsName(plan.name, 30);
  const arm: ArmBuild = {
    plan,
    app,
    t3: plan.tier === 'T3',
    variables: {
      suffix: expr('uniqueString(resourceGroup().id)'),
      hostStorageName: expr(
        `format('sth{0}', uniqueString(resourceGroup().id, ${quote(app)}))`,
      ),
      logAnalyticsName: `log-${app}`,
      appInsightsName: `appi-${app}`,
    },
    resources: monitoringResources(plan),
    grants: [],
  };
  const sources = eventSourcesOf(fns);
  addHostStorage(arm, fns, sources);
  if (
    fns.some(fn => ['queueTrigger', 'blobTrigger'].includes(azureBinding(fn)))
  ) {
    addEventStorage(arm, sources);
  }
  if (sources.hubs.size > 0) addEventHubs(arm, sources);
  if (sources.busQueues.size > 0) addServiceBus(arm, sources);
  if (fns.some(fn => fn.secrets.length > 0)) addKeyVault(arm);

  const outputs: Record<string, JsonObject> = {};
  for (const fn of fns) {
    outputs[`${camel(fn.name)}AppName`] = {
      type: 'string',
      value: expr(`variables('${addFunctionApp(arm, fn)}')`),
    };
  }
  if (arm.variables.eventGridTopicName) {
    outputs.eventGridTopicName = {
      type: 'string',
      value: expr("variables('eventGridTopicName')"),
    };
  }
  return {
    template: {
      $schema:
        'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      metadata: {
        description: `${plan.name}: Azure Functions (Flex Consumption), one app per function (cloud-serverless-designer)`,
      },
      parameters: {
        location: {
          type: 'string',
          defaultValue: expr('resourceGroup().location'),
        },
      },
      variables: sortedRecord(arm.variables),
      resources: arm.resources as unknown as JsonValue[],
      outputs: sortedRecord(outputs),
    },
    grants: arm.grants,
  };
}

function deployScript(
  fns: ReadonlyArray<FunctionContext>,
  hasCustom: boolean,
): string {
  const lines = [
    '#!/usr/bin/env bash',
    '# Deploys main.json, then publishes every function to its own Flex',
    '# Consumption app. Usage: serverless/azure/deploy.sh <resource-group>',
    'set -euo pipefail',
    'RG="${1:?usage: deploy.sh <resource-group>}"',
    'ROOT="$(cd "$(dirname "$0")/../.." && pwd)"',
    'STAGE="$ROOT/.build/azure"',
    'az deployment group create --resource-group "$RG" --name serverless \\',
    '  --template-file "$ROOT/serverless/azure/main.json"',
    'output() {',
    '  az deployment group show --resource-group "$RG" --name serverless \\',
    '    --query "properties.outputs.$1.value" --output tsv',
    '}',
    '# publish <function> <host file> <app name output>',
    'publish() {',
    '  local fn="$1" host="$2" app',
    '  app="$(output "$3")"',
    '  rm -rf "${STAGE:?}/$fn" && mkdir -p "$STAGE/$fn/$fn"',
    '  cp -R "$ROOT/services/$fn/." "$STAGE/$fn/"',
    '  cp "$ROOT/serverless/azure/$host" "$STAGE/$fn/host.json"',
    '  cp "$ROOT/serverless/azure/$fn/function.json" "$STAGE/$fn/$fn/function.json"',
    '  (cd "$STAGE/$fn" && func azure functionapp publish "$app")',
    '}',
  ];
  for (const fn of fns) {
    lines.push(
      `publish ${shellQuote(fn.name)} ${
        hasCustom && isCustom(fn) ? 'host.custom.json' : 'host.json'
      } ${camel(fn.name)}AppName`,
    );
  }
  const blobs = fns.filter(fn => azureBinding(fn) === 'blobTrigger');
  if (blobs.length > 0) {
    lines.push(
      '# Blob triggers on Flex Consumption are delivered by Event Grid: subscribe',
      '# each function (needs its blobs_extension system key, known after publish)',
      'TOPIC="$(output eventGridTopicName)"',
    );
    for (const fn of blobs) {
      const app = `${camel(fn.name)}AppName`;
      lines.push(
        `APP="$(output ${app})"`,
        'KEY="$(az functionapp keys list --resource-group "$RG" --name "$APP" --query systemKeys.blobs_extension --output tsv)"',
        `az eventgrid system-topic event-subscription create --resource-group "$RG" \\`,
        `  --system-topic-name "$TOPIC" --name ${shellQuote(fn.name)} \\`,
        '  --endpoint-type webhook \\',
        `  --endpoint "https://$APP.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.${fn.name}&code=$KEY" \\`,
        '  --included-event-types Microsoft.Storage.BlobCreated \\',
        `  --subject-begins-with ${shellQuote(
          `/blobServices/default/containers/${sourceName(fn)}/`,
        )}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Every file under serverless/azure. */
export function azureFiles(
  plan: DeploymentPlan,
  fns: ReadonlyArray<FunctionContext>,
): { files: GeneratedFile[]; grants: AzureRoleGrant[] } {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const hasCustom = fns.some(isCustom);
  const { template, grants } = buildArmTemplate(plan, fns);
  const files: GeneratedFile[] = [
    { path: `${AZURE_DIR}/host.json`, content: json(hostJson(fns)) },
    { path: `${AZURE_DIR}/main.json`, content: json(template) },
    {
      path: `${AZURE_DIR}/deploy.sh`,
      content: deployScript(fns, hasCustom),
      mode: 0o755,
    },
    ...fns.map(fn => ({
      path: `${AZURE_DIR}/${fn.name}/function.json`,
      content: json(functionJson(fn)),
    })),
  ];
  if (hasCustom) {
    files.push({
      path: `${AZURE_DIR}/host.custom.json`,
      content: json(hostJson(fns, true)),
    });
  }
  return { files, grants };
}
