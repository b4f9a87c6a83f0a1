import { parse } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, SkillOutput } from '../../core/types';
import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from '../../validation/schema';
import { cloudKubernetesIntegrator } from '.';
import { cloudTargets } from '../../plan/install';
import {
  aksProblems,
  eksProblems,
  gkeProblems,
} from './__fixtures__/consistency';
import {
  examplePlan,
  exampleText,
  fileMap,
  MULTI_CLOUD_SPEC,
  packageFiles,
  parseYamlObjects,
  planFromText,
  withSpec,
} from './__fixtures__/helpers';
import { validateCloudCustomObject } from './models';
import { AZURE_MONITOR_API_VERSION } from './monitoring';
import { builtinStorageClasses, STORAGE_CATALOGS } from './storage';

jest.setTimeout(120_000);

const run = (plan: DeploymentPlan): SkillOutput =>
  cloudKubernetesIntegrator.run({ plan, outputs: {} });

const SHOP = examplePlan('shop-eks-t2');
const MARKETPLACE = examplePlan('marketplace-gke-t3');
const CLAIMS = examplePlan('hybrid-aks');
const MULTI = planFromText(MULTI_CLOUD_SPEC);
const EXAMPLES: Array<[string, DeploymentPlan]> = [
  ['shop-eks-t2', SHOP],
  ['marketplace-gke-t3', MARKETPLACE],
  ['hybrid-aks', CLAIMS],
  ['multi-cloud', MULTI],
];

/** Every Kubernetes object the skill writes, with where it came from. */
function allObjects(
  output: SkillOutput,
): Array<{ file: string; object: KubernetesObject; custom: boolean }> {
  const out: Array<{
    file: string;
    object: KubernetesObject;
    custom: boolean;
  }> = [];
  for (const manifest of output.manifests) {
    for (const object of manifest.objects) {
      out.push({ file: manifest.path, object, custom: false });
    }
  }
  for (const file of output.files) {
    const isObjectFile =
      file.path.endsWith('.yaml') &&
      !file.path.endsWith('kustomization.yaml') &&
      !file.path.includes('/iam/') &&
      (file.path.startsWith('cloud/') || file.path.includes('/patches/'));
    if (!isObjectFile) continue;
    for (const object of parseYamlObjects(file.content)) {
      // JSON 6902 patches are operation lists, not objects
      if (Array.isArray(object)) continue;
      out.push({ file: file.path, object, custom: true });
    }
  }
  return out;
}

function kinds(output: SkillOutput): string[] {
  return [
    ...new Set(
      allObjects(output).map(o => `${o.object.apiVersion}/${o.object.kind}`),
    ),
  ].sort();
}

describe('cloud-kubernetes-integrator', () => {
  let validator: KubernetesSchemaValidator;

  beforeAll(async () => {
    validator = await createKubernetesSchemaValidator();
  });

  /** Schema findings of any emitted object, custom kinds included. */
  function findingsOf(object: KubernetesObject): string[] {
    if (object.apiVersion === 'monitoring.googleapis.com/v1') {
      return validateCloudCustomObject(object).map(
        f => `${f.path}: ${f.message}`,
      );
    }
    if (object.apiVersion === AZURE_MONITOR_API_VERSION) {
      // Same CRD schema as monitoring.coreos.com/v1, another group (Azure
      // Monitor docs): validate it as the Prometheus Operator kind.
      return validator
        .validate({ ...object, apiVersion: 'monitoring.coreos.com/v1' })
        .map(f => `${f.objectPath}: ${f.message}`);
    }
    return validator.validate(object).map(f => `${f.objectPath}: ${f.message}`);
  }

  it.each(EXAMPLES)(
    '%s: every emitted object passes the strict schema validator',
    (_, plan) => {
      const output = run(plan);
      const findings = allObjects(output).flatMap(({ file, object }) =>
        findingsOf(object).map(
          f => `${file} ${object.kind}/${object.metadata.name}: ${f}`,
        ),
      );
      expect(findings).toEqual([]);
      expect(allObjects(output).length).toBeGreaterThan(3);
    },
  );

  it('the validators do reject broken objects (the test can fail)', () => {
    const output = run(MARKETPLACE);
    const objects = allObjects(output).map(o => o.object);
    const pick = (kind: string) =>
      structuredClone(objects.find(o => o.kind === kind)) as any;
    const storage = pick('StorageClass');
    storage.volumeBindingMode = 'Later';
    expect(findingsOf(storage).length).toBeGreaterThan(0);
    const monitor = pick('ServiceMonitor');
    monitor.spec.endpoints[0].scrapeTimout = '5s';
    expect(findingsOf(monitor).length).toBeGreaterThan(0);
    const podMonitoring = pick('PodMonitoring');
    podMonitoring.spec.endpoints[0].timeout = '1m';
    expect(findingsOf(podMonitoring)).toEqual([
      'spec.endpoints[0].timeout: spec.endpoints[0].timeout must not be greater than the scrape interval',
    ]);
    delete podMonitoring.spec.endpoints[0].interval;
    expect(findingsOf(podMonitoring)).toContain(
      'spec.endpoints[0].interval: required field is missing',
    );
    const store = pick('ClusterSecretStore');
    store.spec.provider.gcpsm.auth.workloadIdentity.clusterNmae = 'x';
    expect(findingsOf(store).length).toBeGreaterThan(0);
  });

  it('the package validation finds nothing in cloud/ and kustomize/ (schema, consistency, IAM, kubectl kustomize)', async () => {
    for (const plan of [SHOP, MARKETPLACE, CLAIMS]) {
      const { findings } = await packageFiles(plan);
      expect(
        findings.filter(
          f => f.file.startsWith('cloud/') || f.file.startsWith('kustomize/'),
        ),
      ).toEqual([]);
    }
  });

  it('multi-cloud: objects of different clusters are not duplicates; the package validates', async () => {
    // cloud/eks/prod and cloud/gke/prod are different clusters
    const { findings } = await packageFiles(MULTI);
    const own = findings.filter(
      f =>
        f.severity === 'error' &&
        (f.file.startsWith('cloud/') || f.file.startsWith('kustomize/')),
    );
    expect(own).toEqual([]);
  });

  describe('identities match the IAM documents', () => {
    it('EKS: IRSA role ARNs, trust subjects, least-privilege policies', () => {
      const files = fileMap(run(SHOP));
      expect(eksProblems(SHOP, files)).toEqual([]);
      const roles = JSON.parse(files.get('cloud/eks/iam/prod/roles.json')!);
      expect(roles.map((r: { roleArn: string }) => r.roleArn)).toEqual([
        'arn:aws:iam::123456789012:role/shop-prod-api',
        'arn:aws:iam::123456789012:role/shop-prod-orders',
        'arn:aws:iam::123456789012:role/shop-prod-postgres',
        'arn:aws:iam::123456789012:role/shop-prod-secret-store',
      ]);
      const policy = JSON.parse(
        files.get('cloud/eks/iam/prod/api-policy.json')!,
      );
      expect(policy.Statement).toEqual([
        {
          Sid: 'ReadOwnSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: [
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api/*',
          ],
        },
      ]);
      const trust = JSON.parse(
        files.get('cloud/eks/iam/prod/orders-trust-policy.json')!,
      );
      expect(
        trust.Statement[0].Condition.StringEquals[
          'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub'
        ],
      ).toBe('system:serviceaccount:shop:orders');
    });

    it('EKS: the checks catch a mismatched annotation and a wildcard', () => {
      const files = fileMap(run(SHOP));
      const patch =
        'kustomize/prod/overlays/eks/patches/api-service-account.yaml';
      const tampered = new Map(files);
      tampered.set(
        patch,
        files.get(patch)!.replace('shop-prod-api', 'shop-dev-api'),
      );
      expect(eksProblems(SHOP, tampered).join()).toMatch(
        /prod api: annotation/,
      );
      const policyPath = 'cloud/eks/iam/prod/api-policy.json';
      const wide = new Map(files);
      wide.set(
        policyPath,
        files
          .get(policyPath)!
          .replace('secretsmanager:GetSecretValue', 'secretsmanager:*'),
      );
      expect(eksProblems(SHOP, wide).join()).toMatch(/wildcard action/);
      const trustPath = 'cloud/eks/iam/prod/api-trust-policy.json';
      const trust = new Map(files);
      trust.set(
        trustPath,
        files.get(trustPath)!.replace('shop:api', 'shop:orders'),
      );
      expect(eksProblems(SHOP, trust).join()).toMatch(/trust subject/);
    });

    it('EKS: the account comes from the ECR registry', () => {
      const plan = planFromText(
        exampleText('shop-eks-t2').replace(
          '123456789012.dkr.ecr.eu-west-1',
          '210987654321.dkr.ecr.eu-west-1',
        ),
      );
      const files = fileMap(run(plan));
      expect(eksProblems(plan, files)).toEqual([]);
      expect(files.get('cloud/eks/iam/prod/roles.json')).toContain(
        'arn:aws:iam::210987654321:role/shop-prod-api',
      );
      expect(files.get('cloud/eks/iam/prod/roles.json')).not.toContain(
        '123456789012',
      );
    });

    it('GKE: Workload Identity annotations, bindings and members', () => {
      const files = fileMap(run(MARKETPLACE));
      expect(gkeProblems(MARKETPLACE, files)).toEqual([]);
      const binding = JSON.parse(
        files.get('cloud/gke/iam/prod/checkout-binding.json')!,
      );
      expect(binding.googleServiceAccount.email).toBe(
        'marketplace-prod-checkout@acme.iam.gserviceaccount.com',
      );
      expect(binding.bindings).toEqual([
        {
          resource:
            'projects/acme/serviceAccounts/marketplace-prod-checkout@acme.iam.gserviceaccount.com',
          role: 'roles/iam.workloadIdentityUser',
          members: ['serviceAccount:acme.svc.id.goog[marketplace/checkout]'],
        },
        {
          resource:
            'projects/acme/secrets/marketplace-checkout-PAYMENT_API_KEY',
          role: 'roles/secretmanager.secretAccessor',
          members: [
            'serviceAccount:marketplace-prod-checkout@acme.iam.gserviceaccount.com',
          ],
        },
      ]);
      const tampered = new Map(files);
      const path = 'cloud/gke/iam/prod/checkout-binding.json';
      tampered.set(
        path,
        files
          .get(path)!
          .replace('[marketplace/checkout]', '[marketplace/cart]'),
      );
      expect(gkeProblems(MARKETPLACE, tampered).join()).toMatch(
        /workloadIdentityUser/,
      );
    });

    it('AKS: client ids, federated credentials and Key Vault role scopes', () => {
      const files = fileMap(run(CLAIMS));
      expect(aksProblems(CLAIMS, files)).toEqual([]);
      const credential = JSON.parse(
        files.get(
          'cloud/aks/identity/prod/claims-api-federated-credential.json',
        )!,
      );
      expect(credential).toMatchObject({
        subject: 'system:serviceaccount:claims:claims-api',
        audiences: ['api://AzureADTokenExchange'],
      });
      const assignments = JSON.parse(
        files.get('cloud/aks/identity/prod/claims-api-role-assignments.json')!,
      );
      expect(assignments).toHaveLength(1);
      expect(assignments[0].scope).toMatch(
        /\/vaults\/kv-claims-prod\/secrets\/claims-claims-api-CONNECTION-STRING$/,
      );
      const tampered = new Map(files);
      const path = 'cloud/aks/identity/prod/claims-api-role-assignments.json';
      tampered.set(
        path,
        files.get(path)!.replace(/\/resourceGroups\/[^"]+"/, '"'),
      );
      expect(aksProblems(CLAIMS, tampered).join()).toMatch(/role assignment/);
    });

    it('multi-cloud: every provider is consistent', () => {
      const files = fileMap(run(MULTI));
      expect(eksProblems(MULTI, files)).toEqual([]);
      expect(gkeProblems(MULTI, files)).toEqual([]);
      expect(aksProblems(MULTI, files)).toEqual([]);
    });
  });

  describe('storage classes', () => {
    /** Class each StatefulSet uses after the overlay, from the files. */
    function effectiveClasses(
      plan: DeploymentPlan,
      output: SkillOutput,
      provider: 'eks' | 'gke' | 'aks',
      environment: string,
    ): string[] {
      const files = fileMap(output.files);
      return plan.services
        .filter(s => s.objectKind === 'StatefulSet')
        .map(s => {
          const patch = files.get(
            `kustomize/${environment}/overlays/${provider}/patches/${s.name}-statefulset.yaml`,
          );
          const op = (patch ? (parse(patch) as any[]) : []).find(
            o =>
              o.path === '/spec/volumeClaimTemplates/0/spec/storageClassName',
          );
          return op?.value ?? s.service.storage?.class ?? '(cluster default)';
        });
    }

    it.each([
      ['shop-eks-t2', SHOP, 'eks', ['gp3']],
      [
        'marketplace-gke-t3',
        MARKETPLACE,
        'gke',
        ['pd-balanced', 'pd-balanced'],
      ],
      ['hybrid-aks', CLAIMS, 'aks', ['managed-csi-premium']],
      ['multi-cloud eks', MULTI, 'eks', ['gp3']],
      ['multi-cloud gke', MULTI, 'gke', ['pd-balanced']],
      ['multi-cloud aks', MULTI, 'aks', ['managed-csi']],
    ] as const)(
      '%s: referenced classes exist',
      (_, plan, provider, expected) => {
        const output = run(plan);
        for (const environment of plan.environments) {
          const written = output.manifests
            .filter(m => m.path.startsWith(`cloud/${provider}/${environment}/`))
            .flatMap(m => m.objects)
            .filter(o => o.kind === 'StorageClass')
            .map(o => o.metadata.name);
          const used = effectiveClasses(plan, output, provider, environment);
          expect(used).toEqual(expected);
          for (const name of used) {
            expect([...written, ...builtinStorageClasses(provider)]).toContain(
              name,
            );
          }
          // nothing written that nobody uses, built-ins never redefined
          for (const name of written) {
            expect(used).toContain(name);
            expect(builtinStorageClasses(provider)).not.toContain(name);
          }
        }
      },
    );

    it('gp3 and pd-balanced are encrypted/zonal classes bound on first consumer', () => {
      const gp3 = STORAGE_CATALOGS.eks.generated.gp3();
      expect(gp3).toMatchObject({
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      });
      expect(STORAGE_CATALOGS.gke.generated['pd-balanced']()).toMatchObject({
        provisioner: 'pd.csi.storage.gke.io',
        parameters: { type: 'pd-balanced' },
        volumeBindingMode: 'WaitForFirstConsumer',
      });
      expect(Object.keys(STORAGE_CATALOGS.aks.generated)).toEqual([]);
    });
  });

  describe('tier gates', () => {
    const nodePools = (output: SkillOutput) =>
      allObjects(output).filter(o => o.object.kind === 'NodePool');

    it('Karpenter from T2 on EKS only', () => {
      expect(nodePools(run(SHOP))).toHaveLength(SHOP.environments.length);
      const t1 = planFromText(
        withSpec(exampleText('shop-eks-t2'), { tier: 'T1' }),
      );
      expect(kinds(run(t1)).filter(k => k.includes('karpenter'))).toEqual([]);
      const t3 = planFromText(
        withSpec(exampleText('shop-eks-t2'), { tier: 'T3' }),
      );
      expect(nodePools(run(t3))).toHaveLength(3);
      expect(nodePools(run(MARKETPLACE))).toHaveLength(0);
      expect(nodePools(run(CLAIMS))).toHaveLength(0);
      // multi-cloud T3: only the EKS overlay has Karpenter
      expect(nodePools(run(MULTI)).map(o => o.file)).toEqual([
        'cloud/eks/staging/karpenter.yaml',
        'cloud/eks/prod/karpenter.yaml',
      ]);
    });

    it('the NodePool mixes spot and on-demand, consolidates, and StatefulSets stay on-demand', () => {
      const output = run(SHOP);
      const prod = allObjects(output)
        .filter(o => o.file === 'cloud/eks/prod/karpenter.yaml')
        .map(o => o.object as any);
      const pool = prod.find(o => o.kind === 'NodePool');
      const capacity = pool.spec.template.spec.requirements.find(
        (r: { key: string }) => r.key === 'karpenter.sh/capacity-type',
      );
      expect(capacity.values).toEqual(['spot', 'on-demand']);
      expect(pool.spec.disruption.consolidationPolicy).toBe(
        'WhenEmptyOrUnderutilized',
      );
      expect(pool.spec.template.spec.nodeClassRef).toEqual({
        group: 'karpenter.k8s.aws',
        kind: 'EC2NodeClass',
        name: 'shop',
      });
      const nodeClass = prod.find(o => o.kind === 'EC2NodeClass');
      expect(nodeClass.spec.amiSelectorTerms[0].alias).toMatch(
        /^al2023@v[0-9]{8}$/,
      );
      expect(nodeClass.spec.metadataOptions.httpTokens).toBe('required');
      expect(nodeClass.spec.blockDeviceMappings[0].ebs.encrypted).toBe(true);
      expect(nodeClass.spec.role).toBe('KarpenterNodeRole-shop-prod');
      expect(nodeClass.spec.subnetSelectorTerms).toEqual([
        { tags: { 'karpenter.sh/discovery': 'shop-prod' } },
      ]);
      const patch = parse(
        fileMap(output.files).get(
          'kustomize/prod/overlays/eks/patches/postgres-statefulset.yaml',
        )!,
      );
      expect(patch).toContainEqual({
        op: 'add',
        path: '/spec/template/spec/nodeSelector',
        value: { 'karpenter.sh/capacity-type': 'on-demand' },
      });
    });

    it('ServiceMonitor / PrometheusRule / PodMonitoring only at T3', () => {
      const monitoring = (output: SkillOutput) =>
        kinds(output).filter(k =>
          /ServiceMonitor|PrometheusRule|PodMonitoring/.test(k),
        );
      expect(monitoring(run(SHOP))).toEqual([]);
      expect(monitoring(run(CLAIMS))).toEqual([]);
      expect(monitoring(run(MARKETPLACE))).toEqual([
        'monitoring.coreos.com/v1/PrometheusRule',
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.googleapis.com/v1/PodMonitoring',
      ]);
      expect(monitoring(run(MULTI))).toEqual([
        `${AZURE_MONITOR_API_VERSION}/ServiceMonitor`,
        'monitoring.coreos.com/v1/PrometheusRule',
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.googleapis.com/v1/PodMonitoring',
      ]);
      const t3 = planFromText(
        withSpec(exampleText('shop-eks-t2'), { tier: 'T3' }),
      );
      expect(monitoring(run(t3))).toEqual([
        'monitoring.coreos.com/v1/PrometheusRule',
        'monitoring.coreos.com/v1/ServiceMonitor',
      ]);
    });

    it('ServiceMonitors select each scraped service once, on port http', () => {
      const objects = allObjects(run(MARKETPLACE))
        .filter(o => o.file === 'cloud/gke/prod/monitoring.yaml')
        .map(o => o.object as any);
      const monitors = objects.filter(o => o.kind === 'ServiceMonitor');
      // built images only: not search/sessions (prebuilt), not log-agent (no port)
      expect(monitors.map(m => m.metadata.name)).toEqual([
        'gateway',
        'catalog',
        'cart',
        'checkout',
        'recommendations',
      ]);
      for (const monitor of monitors) {
        expect(monitor.spec.selector.matchLabels).toEqual({
          'app.kubernetes.io/name': monitor.metadata.name,
          'app.kubernetes.io/part-of': 'marketplace',
        });
        expect(monitor.spec.endpoints).toMatchObject([
          {
            port: 'http',
            path: '/metrics',
            relabelings: [{ action: 'keep', regex: monitor.metadata.name }],
          },
        ]);
      }
      const rule = objects.find(o => o.kind === 'PrometheusRule');
      const alerts = rule.spec.groups
        .flatMap((g: any) => g.rules)
        .filter((r: any) => r.alert);
      expect(alerts.map((a: any) => a.alert)).toEqual([
        'ErrorBudgetFastBurn',
        'ErrorBudgetSlowBurn',
        'LatencyP99High',
      ]);
      expect(alerts[0].expr).toBe(
        'service:http_requests_errors:ratio_rate1h > 0.0144 and service:http_requests_errors:ratio_rate5m > 0.0144',
      );
    });
  });

  it('AKS: the overlay labels every identity-using pod template', () => {
    const files = fileMap(run(CLAIMS));
    const kustomization = parse(
      files.get('kustomize/prod/overlays/aks/kustomization.yaml')!,
    );
    const labelled = kustomization.patches
      .filter((p: any) => p.path.endsWith('-workload-identity.yaml'))
      .map((p: any) => `${p.target.kind}/${p.target.name}`);
    expect(labelled).toEqual([
      'Deployment/claims-api',
      'StatefulSet/claims-db',
    ]);
    expect(
      parse(
        files.get(
          'kustomize/prod/overlays/aks/patches/claims-api-workload-identity.yaml',
        )!,
      ),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/template/metadata/labels/azure.workload.identity~1use',
        value: 'true',
      },
    ]);
    // a CronJob's pod template is one level deeper
    const multi = fileMap(run(MULTI));
    expect(
      parse(
        multi.get(
          'kustomize/prod/overlays/aks/patches/reports-workload-identity.yaml',
        )!,
      )[0].path,
    ).toBe(
      '/spec/jobTemplate/spec/template/metadata/labels/azure.workload.identity~1use',
    );
  });

  it('writes nothing for platform-agnostic plans', () => {
    const plan = planFromText(
      withSpec(exampleText('shop-eks-t2'), { cloud: 'platform-agnostic' }),
    );
    const output = run(plan);
    expect(output.files).toEqual([]);
    expect(output.manifests).toEqual([]);
    expect(cloudTargets(plan, 'prod', [])).toEqual([]);
  });

  it('multi-cloud manifests are per provider, so no duplicate objects', () => {
    const output = run(MULTI);
    const environments = new Set(output.manifests.map(m => m.environment));
    expect([...environments].sort()).toEqual([
      'prod/aks',
      'prod/eks',
      'prod/gke',
      'staging/aks',
      'staging/eks',
      'staging/gke',
    ]);
    expect(new Set(run(SHOP).manifests.map(m => m.environment))).toEqual(
      new Set(['dev', 'staging', 'prod']),
    );
  });

  it('setup scripts are executable and reference the IAM documents', () => {
    for (const plan of [SHOP, MARKETPLACE, CLAIMS]) {
      const scripts = run(plan).files.filter(f => f.path.endsWith('.sh'));
      expect(scripts.length).toBe(plan.environments.length);
      for (const script of scripts) {
        expect(script.mode).toBe(0o755);
        expect(script.content.startsWith('#!/usr/bin/env bash\n')).toBe(true);
        expect(script.content).toContain('set -euo pipefail');
      }
    }
  });

  it('is deterministic', () => {
    for (const [, plan] of EXAMPLES) {
      expect(JSON.stringify(run(plan))).toBe(JSON.stringify(run(plan)));
    }
  });
});
