import { parse, parseAllDocuments } from 'yaml';
import { SkillOutput } from '../../core/types';
import {
  allTriggersSpec,
  exampleSpec,
  planOf,
  withSpec,
} from './__fixtures__/plans';
import { AZURE_ROLES } from './azure';
import { cloudServerlessDesigner } from './index';
import { fileOf } from '../../../testkit/skillOutput';

function run(spec: unknown): SkillOutput {
  return cloudServerlessDesigner.run({ plan: planOf(spec), outputs: {} });
}

const file = fileOf;

const json = (output: SkillOutput, path: string) =>
  JSON.parse(file(output, path));

const docs = (output: SkillOutput, path: string): any[] =>
  parseAllDocuments(file(output, path)).map(d => d.toJS());

describe('azure: the hybrid-aks example', () => {
  const output = run(exampleSpec('hybrid-aks'));

  it('writes only the serverless functions (reprocess runs on Kubernetes)', () => {
    expect(output.files.map(f => f.path)).toEqual([
      'serverless/README.md',
      'serverless/azure/deploy.sh',
      'serverless/azure/host.json',
      'serverless/azure/main.json',
      'serverless/azure/notify/function.json',
      'serverless/azure/ocr/function.json',
    ]);
    expect(output.notes).toEqual([
      expect.stringMatching(/^notify: stream trigger.*eventHubTrigger/),
      expect.stringMatching(/^ocr: queue trigger.*queueTrigger/),
    ]);
    expect(output.files.find(f => f.path.endsWith('deploy.sh'))!.mode).toBe(
      0o755,
    );
  });

  it('host.json: version 2.0, extension bundle 4.x, timeout from the longest function', () => {
    expect(json(output, 'serverless/azure/host.json')).toMatchObject({
      version: '2.0',
      extensionBundle: {
        id: 'Microsoft.Azure.Functions.ExtensionBundle',
        version: '[4.*, 5.0.0)',
      },
      functionTimeout: '00:05:00',
    });
  });

  it('function.json binds the queue and the event hub', () => {
    expect(json(output, 'serverless/azure/ocr/function.json')).toEqual({
      scriptFile: '../app.py',
      entryPoint: 'handler',
      bindings: [
        {
          type: 'queueTrigger',
          direction: 'in',
          name: 'message',
          queueName: 'claim-documents',
          connection: 'EventsStorage',
        },
      ],
    });
    const notify = json(output, 'serverless/azure/notify/function.json');
    expect(notify.bindings[0]).toMatchObject({
      type: 'eventHubTrigger',
      eventHubName: 'claim-events',
      consumerGroup: 'notify',
      cardinality: 'many',
    });
    expect(notify.retry.strategy).toBe('exponentialBackoff');
  });

  it('main.json: Flex Consumption apps with managed identities and scoped roles', () => {
    const template = json(output, 'serverless/azure/main.json');
    const resources = template.resources as any[];
    const plans = resources.filter(r => r.type === 'Microsoft.Web/serverfarms');
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan.sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    }
    const sites = resources.filter(r => r.type === 'Microsoft.Web/sites');
    expect(sites).toHaveLength(2);
    for (const site of sites) {
      expect(site.identity).toEqual({ type: 'SystemAssigned' });
      expect(site.properties.httpsOnly).toBe(true);
      expect(site.properties.functionAppConfig.runtime.name).toMatch(
        /^(python|node)$/,
      );
      const settings = site.properties.siteConfig.appSettings.map(
        (s: any) => s.name,
      );
      expect(settings).toContain('AzureWebJobsStorage__accountName');
      // identity-based connections: no keys or connection strings
      expect(JSON.stringify(site)).not.toMatch(/AccountKey|SharedAccessKey/);
    }
    const ocr = sites.find(s => s.tags.function === 'ocr');
    expect(
      ocr.properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB,
    ).toBe(2048);

    const assignments = resources.filter(
      r => r.type === 'Microsoft.Authorization/roleAssignments',
    );
    const known = new Set(Object.values(AZURE_ROLES));
    for (const assignment of assignments) {
      const role = /'([0-9a-f-]{36})'\)\]$/.exec(
        assignment.properties.roleDefinitionId,
      )![1];
      expect(known.has(role as any)).toBe(true);
      // scoped to one resource: never a subscription or resource group
      expect(assignment.scope).toMatch(/^\[format\('Microsoft\.[A-Za-z]+\//);
      expect(assignment.scope).not.toMatch(
        /resourceGroup\(\)|subscription\(\)/,
      );
      expect(assignment.properties.principalId).toContain(
        'identity.principalId',
      );
    }
    const queueRole = assignments.find(
      a =>
        a.properties.roleDefinitionId.includes(
          AZURE_ROLES['Storage Queue Data Contributor'],
        ) && a.scope.includes("'claim-documents')"),
    );
    expect(queueRole.scope).toContain('queueServices/default/queues/{1}');
    const hubRole = assignments.find(a =>
      a.properties.roleDefinitionId.includes(
        AZURE_ROLES['Azure Event Hubs Data Receiver'],
      ),
    );
    expect(hubRole.scope).toContain("eventhubs/{1}'");
    expect(hubRole.scope).toContain("'claim-events'");
    // the host's Blob Data Owner role is on the host account, not on events
    const owners = assignments.filter(a =>
      a.properties.roleDefinitionId.includes(
        AZURE_ROLES['Storage Blob Data Owner'],
      ),
    );
    expect(owners).toHaveLength(2);
    for (const owner of owners) {
      expect(owner.scope).toBe(
        "[format('Microsoft.Storage/storageAccounts/{0}', variables('hostStorageName'))]",
      );
    }
  });
});

describe('azure: every trigger', () => {
  const spec = allTriggersSpec('azure');
  spec.spec.services[1].trigger.source = 'servicebus:orders';
  const output = run(spec);
  const binding = (fn: string) =>
    json(output, `serverless/azure/${fn}/function.json`).bindings[0];

  it('binds http, service bus, timer, event hubs and blobs', () => {
    expect(binding('api')).toMatchObject({
      type: 'httpTrigger',
      authLevel: 'anonymous',
      route: 'api/{*path}',
    });
    expect(binding('ingest')).toMatchObject({
      type: 'serviceBusTrigger',
      queueName: 'orders',
      connection: 'ServiceBus',
    });
    expect(binding('nightly')).toMatchObject({
      type: 'timerTrigger',
      schedule: '0 30 2 * * 1-5',
    });
    expect(binding('nightly').schedule.split(' ')).toHaveLength(6);
    expect(binding('clicks').type).toBe('eventHubTrigger');
    expect(binding('resize')).toMatchObject({
      type: 'blobTrigger',
      path: 'images/{name}',
      source: 'EventGrid',
    });
  });

  it('keeps secrets in Key Vault and custom runtimes on a custom handler', () => {
    const template = json(output, 'serverless/azure/main.json');
    const api = template.resources.find(
      (r: any) => r.type === 'Microsoft.Web/sites' && r.tags.function === 'api',
    );
    const secret = api.properties.siteConfig.appSettings.find(
      (s: any) => s.name === 'API_KEY',
    );
    expect(secret.value).toContain('@Microsoft.KeyVault(');
    expect(secret.value).toContain("'api-api-key'");
    expect(
      json(output, 'serverless/azure/host.custom.json').customHandler,
    ).toBeDefined();
    expect(file(output, 'serverless/azure/deploy.sh')).toContain(
      'publish nightly host.custom.json nightlyAppName',
    );
  });
});

describe('gcp', () => {
  const output = run(allTriggersSpec('gcp'));

  it('runs http functions as Cloud Run services with a dedicated service account', () => {
    const [service] = docs(output, 'serverless/gcp/run/api.yaml');
    expect(service.apiVersion).toBe('serving.knative.dev/v1');
    expect(service.kind).toBe('Service');
    expect(service.metadata.annotations['run.googleapis.com/ingress']).toBe(
      'all',
    );
    const template = service.spec.template;
    expect(template.metadata.annotations).toMatchObject({
      'run.googleapis.com/execution-environment': 'gen2',
      'autoscaling.knative.dev/maxScale': '100',
    });
    expect(template.spec.containerConcurrency).toBe(80);
    expect(template.spec.timeoutSeconds).toBe(30);
    expect(template.spec.serviceAccountName).toBe(
      'fn-api@PROJECT_ID.iam.gserviceaccount.com',
    );
    expect(template.spec.containers[0].resources.limits).toEqual({
      cpu: '1',
      memory: '512Mi',
    });
    expect(template.spec.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      {
        name: 'API_KEY',
        valueFrom: {
          secretKeyRef: { name: 'events-lab-api-API_KEY', key: 'latest' },
        },
      },
    ]);
  });

  it('deploys event functions as Cloud Functions gen2 with Eventarc triggers', () => {
    const { functions } = parse(file(output, 'serverless/gcp/functions.yaml'));
    const byName = Object.fromEntries(functions.map((f: any) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'changes',
      'clicks',
      'ingest',
      'nightly',
      'resize',
    ]);
    const ingest = byName.ingest;
    expect(ingest.target).toBe('cloud-functions');
    expect(ingest.commands.deploy[0]).toMatch(
      /^gcloud functions deploy ingest --gen2 .*--trigger-topic=orders/,
    );
    expect(ingest.eventarcTrigger.eventFilters).toEqual([
      {
        attribute: 'type',
        value: 'google.cloud.pubsub.topic.v1.messagePublished',
      },
    ]);
    expect(byName.nightly.commands.setup.join('\n')).toContain(
      "gcloud scheduler jobs create pubsub nightly --location=us-central1 '--schedule=30 2 * * 1-5'",
    );
    // rust has no Cloud Functions runtime: Cloud Run + an Eventarc trigger
    expect(byName.resize.target).toBe('cloud-run');
    expect(byName.resize.commands.deploy[1]).toMatch(
      /^gcloud eventarc triggers create resize-trigger .*--event-filters=bucket=images/,
    );
    expect(byName.resize.trigger.deadLetterTopic).toBe('resize-dead-letter');
    expect(output.files.map(f => f.path)).toContain(
      'serverless/gcp/run/resize.yaml',
    );
  });

  it('binds IAM roles to single resources, never owner or editor', () => {
    const iam = parse(file(output, 'serverless/gcp/iam.yaml'));
    expect(iam.serviceAccounts).toHaveLength(7);
    for (const binding of iam.bindings) {
      expect(binding.role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
      expect(binding.resource.name).toBeTruthy();
      expect(binding.command).toMatch(/^gcloud /);
    }
    expect(iam.bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          member: 'serviceAccount:fn-resize@PROJECT_ID.iam.gserviceaccount.com',
          role: 'roles/storage.objectViewer',
          resource: { type: 'storage.bucket', name: 'images' },
        }),
        expect.objectContaining({
          role: 'roles/secretmanager.secretAccessor',
          resource: {
            type: 'secretmanager.secret',
            name: 'events-lab-api-API_KEY',
          },
        }),
      ]),
    );
  });
});

describe('knative', () => {
  const output = run(allTriggersSpec('platform-agnostic'));

  it('writes a hardened Knative Service per function', () => {
    for (const fn of [
      'api',
      'changes',
      'clicks',
      'ingest',
      'legacy',
      'nightly',
      'resize',
    ]) {
      const [service] = docs(output, `serverless/knative/${fn}.yaml`);
      expect(service.apiVersion).toBe('serving.knative.dev/v1');
      expect(service.metadata).toMatchObject({
        name: fn,
        namespace: 'events-lab',
      });
      const spec = service.spec.template.spec;
      expect(spec.timeoutSeconds).toBeGreaterThan(0);
      expect(spec.containers[0].securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(service.spec.template.metadata.annotations).toMatchObject({
        'autoscaling.knative.dev/min-scale': '0',
        'autoscaling.knative.dev/max-scale': '50',
      });
    }
    const [api] = docs(output, 'serverless/knative/api.yaml');
    expect(
      api.metadata.labels['networking.knative.dev/visibility'],
    ).toBeUndefined();
    const [ingest] = docs(output, 'serverless/knative/ingest.yaml');
    expect(ingest.metadata.labels['networking.knative.dev/visibility']).toBe(
      'cluster-local',
    );
  });

  it('subscribes event functions with Eventing triggers', () => {
    const [, trigger] = docs(output, 'serverless/knative/ingest.yaml');
    expect(trigger).toMatchObject({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      spec: {
        broker: 'default',
        filter: {
          attributes: {
            type: 'io.cloudnative.queue.message',
            source: 'orders',
          },
        },
        subscriber: { ref: { kind: 'Service', name: 'ingest' } },
      },
    });
    expect(trigger.spec.delivery.deadLetterSink.ref.kind).toBe('Channel');
    const [, ping, pingTrigger] = docs(
      output,
      'serverless/knative/nightly.yaml',
    );
    expect(ping.kind).toBe('PingSource');
    expect(ping.spec.schedule).toBe('30 2 * * 1-5');
    expect(pingTrigger.spec.filter.attributes.source).toBe(
      '/apis/v1/namespaces/events-lab/pingsources/nightly-schedule',
    );
    expect(docs(output, 'serverless/knative/api.yaml')).toHaveLength(1);
    expect(
      docs(output, 'serverless/knative/_eventing.yaml').map(d => d.kind),
    ).toEqual(['Broker', 'Channel']);
  });

  it('creates the namespace first (00-namespace.yaml) when no Kubernetes workload does', () => {
    const paths = output.files
      .map(f => f.path)
      .filter(p => p.startsWith('serverless/knative/'));
    expect([...paths].sort()[0]).toBe('serverless/knative/00-namespace.yaml');
    const [ns] = docs(output, 'serverless/knative/00-namespace.yaml');
    expect(ns).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'events-lab',
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    const t1 = run(allTriggersSpec('platform-agnostic', 'T1'));
    expect(
      docs(t1, 'serverless/knative/00-namespace.yaml')[0].metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ],
    ).toBe('baseline');
  });

  it('env values reach the container literally: the kubelet does not expand $(NAME)', () => {
    const spec = allTriggersSpec('platform-agnostic');
    spec.spec.services[0].env = {
      GREETING: 'hi $(HOME) $$ $x',
      PLAIN: 'no dollars',
    };
    const fn = spec.spec.services[0].name;
    const [service] = docs(run(spec), `serverless/knative/${fn}.yaml`);
    const env = service.spec.template.spec.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'GREETING', value: 'hi $$(HOME) $$$$ $$x' },
        { name: 'PLAIN', value: 'no dollars' },
      ]),
    );
    // The kubelet's rule: $$ → $, $(NAME) → value; so the doubled text
    // decodes to exactly what the user wrote.
    const kubelet = (v: string) =>
      v.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, m =>
        m === '$$' ? '$' : 'EXPANDED',
      );
    expect(kubelet('hi $$(HOME) $$$$ $$x')).toBe('hi $(HOME) $$ $x');
  });

  it('multi-cloud gets AWS first and Knative as well', () => {
    const paths = run(allTriggersSpec('multi-cloud')).files.map(f => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'serverless/aws/template.yaml',
        'serverless/aws/serverless.yml',
        'serverless/knative/api.yaml',
        'serverless/README.md',
      ]),
    );
    expect(paths.some(p => p.startsWith('serverless/azure/'))).toBe(false);
  });
});

describe('the skill', () => {
  it.each(['aws', 'azure', 'gcp', 'platform-agnostic', 'multi-cloud'])(
    'is deterministic for %s (same plan, shuffled services)',
    cloud => {
      const spec = allTriggersSpec(cloud, 'T3');
      const first = run(spec);
      expect(run(spec)).toEqual(first);
      const shuffled = withSpec(spec, {
        services: [...spec.spec.services].reverse(),
      });
      expect(run(shuffled).files).toEqual(first.files);
      expect(first.notes).toHaveLength(7);
    },
  );

  it('writes a README with the deploy commands and the IAM summary', () => {
    const readme = file(
      run(allTriggersSpec('multi-cloud')),
      'serverless/README.md',
    );
    expect(readme).toContain('sam build && sam deploy --guided');
    expect(readme).toContain('osls deploy');
    expect(readme).toContain('kubectl apply -f serverless/knative');
    expect(readme).toContain('## IAM summary');
    expect(readme).toContain('SQSPollerPolicy');
    expect(
      file(run(allTriggersSpec('azure')), 'serverless/README.md'),
    ).toContain('func azure functionapp publish');
    expect(file(run(allTriggersSpec('gcp')), 'serverless/README.md')).toContain(
      'gcloud run services replace',
    );
  });

  it('generates nothing for a plan without serverless functions', () => {
    const output = run(exampleSpec('shop-eks-t2'));
    expect(output.files).toEqual([]);
    expect(output.notes).toHaveLength(1);
  });
});
