import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ArchitectureSpecInput,
  createPlan,
  DeploymentPlan,
  ServiceSpecInput,
} from '@internal/backstage-plugin-cloud-native-common';
import { parse } from 'yaml';
import { parseSpecObject, parseSpecText } from '../engine/loadSpec';
import { cloudServerlessDesigner } from '../skills/serverless';
import * as fixtures from '../skills/kubernetes/__fixtures__/plans';
import {
  CostEstimate,
  estimateCost,
  formatCostTable,
  PRICING,
  roundCents,
  SHARED_COST_KEY,
} from '.';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

async function examplePlan(name: string): Promise<DeploymentPlan> {
  const text = await fs.readFile(
    path.join(EXAMPLES, name, 'architecture.yaml'),
    'utf8',
  );
  return createPlan(parseSpecText(text, name));
}

/**
 * examples/shop-eks-t2 with a postgres that forms a cluster of its 3 replicas
 * itself (`imageProfile.clustered`). The example's official postgres image
 * does not replicate by itself, so the example runs it as ONE replica
 * (STATE-001); these tests price replicas, so they keep 3.
 */
async function shopWithClusteredPostgres(): Promise<DeploymentPlan> {
  const text = await fs.readFile(
    path.join(EXAMPLES, 'shop-eks-t2', 'architecture.yaml'),
    'utf8',
  );
  const spec = parse(text) as ArchitectureSpecInput;
  const postgres = spec.spec.services.find(s => s.name === 'postgres');
  if (!postgres) throw new Error('examples/shop-eks-t2 has no postgres');
  postgres.imageProfile = { user: 999, clustered: true };
  return createPlan(parseSpecObject(spec, 'shop-eks-t2'));
}

/** A plan of `services`, on AWS unless `overrides` says otherwise. */
function planOf(
  overrides: Partial<ArchitectureSpecInput['spec']>,
  services: ServiceSpecInput[],
): DeploymentPlan {
  return fixtures.planOf(
    fixtures.spec({ cloud: 'aws', ...overrides }, services, 'costs'),
  );
}

const svc = fixtures.svc;

/** A stateful service of `image` listening on `port`, with a fixed replica count. */
function statefulSvc(
  name: string,
  image: string,
  port: number,
  replicas: number,
  extra: Partial<ServiceSpecInput>,
): ServiceSpecInput {
  return svc(name, 'stateful', {
    image,
    port,
    replicas: { min: replicas, max: replicas },
    ...extra,
  });
}

function nodeLines(estimate: CostEstimate) {
  return estimate.lines.filter(l => l.category === 'compute');
}

function sumOf(values: number[]): number {
  return roundCents(values.reduce((a, b) => a + b, 0));
}

describe('estimateCost: hand-computed examples', () => {
  it('examples/web-app-t1 (aws, T1, dev only)', async () => {
    const estimate = estimateCost(await examplePlan('web-app-t1'));
    // One public service "web", 100m / 128Mi, replicas 1..3; dev runs 1
    // replica without an HPA (environment profile), so low = high.
    // Usable per m6i.large node: 2 vCPU × 0.9 × 0.7 = 1.26 vCPU,
    //                            8 GiB × 0.9 × 0.7 = 5.04 GiB
    // nodes = ceil(max(0.1 / 1.26, 0.125 / 5.04)) = ceil(0.079) = 1 (T1 min 1)
    //   1 × 730 h × $0.096            = $70.08  compute
    //   EKS control plane 730 × $0.10 = $73.00  control-plane
    //   ALB 730 × $0.0225 = 16.425    = $16.43  networking
    // dev carries 10% of usage: egress 100 GB × 10% = 10 GB,
    //   requests 1,000,000 × 10% = 100,000
    //   LCU-hours = max(10 GB processed, 100,000 / 90,000 = 1.11) = 10
    //   10 × $0.008                   = $0.08
    //   egress 10 GB × $0.09          = $0.90
    // T1: public nodes, no NAT gateway; no volumes.
    // total = 70.08 + 73.00 + 16.43 + 0.08 + 0.90 = $160.49
    const hand = 160.49;
    expect(Math.abs(estimate.total - hand)).toBeLessThanOrEqual(0.01);
    expect(estimate.low).toBeCloseTo(hand, 2);
    expect(estimate.high).toBeCloseTo(hand, 2);
    expect(
      estimate.lines.map(l => [l.category, l.monthlyQuantity, l.monthlyCost]),
    ).toEqual([
      ['compute', 730, 70.08],
      ['control-plane', 730, 73],
      ['networking', 730, 16.43],
      ['networking', 10, 0.08],
      ['networking', 10, 0.9],
    ]);
    expect(estimate.lines.some(l => /NAT/.test(l.resource))).toBe(false);
    expect(estimate.byEnvironment).toEqual({ dev: 160.49 });
  });

  it('examples/events-serverless-aws (4 Lambda functions, arm64)', async () => {
    const estimate = estimateCost(await examplePlan('events-serverless-aws'));
    // usage: 5,000,000 requests/month, 120 ms; egress default 100 GB;
    // one environment (prod, 100% of usage). Lambda arm64:
    // $0.20 per million requests, $0.0000133334 per GB-s, GB = MB / 1024.
    // Event-driven functions (metadata-api, thumbnailer, indexer) each get
    // the 5,000,000 requests (one event passes through each function):
    //   requests: 5 × $0.20 = $1.00 each                     → 3.00
    //   metadata-api 256 MB: 5e6 × 0.12 s × 0.25 GB = 150,000 GB-s
    //     × 0.0000133334 = 2.00001                          → 2.00
    //   thumbnailer 1024 MB: 5e6 × 0.12 × 1 = 600,000 GB-s  → 8.00
    //   indexer 512 MB: 5e6 × 0.12 × 0.5 = 300,000 GB-s     → 4.00
    // digest: schedule "0 6 * * *" = daily = 30 runs/month (the schedule,
    // not usage.requestsPerMonth), each for timeoutSeconds 300 s, 512 MB:
    //   requests 30 / 1e6 × $0.20 = $0.000006               → 0.00
    //   30 × 300 s × 0.5 GB = 4,500 GB-s × 0.0000133334 = 0.06 → 0.06
    // metadata-api is HTTP: API Gateway HTTP API 5 × $1.00  → 5.00
    // egress 100 GB × $0.09                                 → 9.00
    // total = 3.00 + 2.00 + 8.00 + 4.00 + 0.00 + 0.06 + 5.00 + 9.00 = 31.06
    const hand = 31.06;
    expect(Math.abs(estimate.total - hand)).toBeLessThanOrEqual(0.01);
    // low: requests split between the 3 event-driven functions (1,666,666.67
    // each), digest for averageDurationMs (120 ms):
    //   requests 3 × 1.666667 × 0.20 = 3 × 0.33                  = 0.99
    //   GB-s: 50,000 → 0.67; 200,000 → 2.67; 100,000 → 1.33       = 4.67
    //   digest 30 × 0.12 × 0.5 = 1.8 GB-s → 0.00; requests → 0.00
    //   API Gateway 1.666667 × 1.00                                = 1.67
    //   egress                                                     = 9.00
    //   low = 0.99 + 4.67 + 1.67 + 9.00 = 16.33
    expect(Math.abs(estimate.low - 16.33)).toBeLessThanOrEqual(0.01);
    expect(estimate.high).toBeCloseTo(hand, 2);
    const digest = estimate.lines.filter(l => l.service === 'digest');
    expect(digest.map(l => [l.monthlyQuantity, l.monthlyCost])).toEqual([
      [0.00003, 0],
      [4500, 0.06],
    ]);
    expect(estimate.byCategory).toEqual({
      networking: 14,
      serverless: 17.06,
    });
    expect(nodeLines(estimate)).toEqual([]);
  });
});

describe('estimateCost: Kubernetes method', () => {
  const api = (extra: Partial<ServiceSpecInput> = {}) =>
    svc('api', 'service', {
      port: 8080,
      replicas: { min: 2, max: 6 },
      resources: { cpu: '1', memory: '1Gi' },
      scaling: 'variable',
      ...extra,
    });

  it('HPA: low uses min, expected min + 30% of (max - min), high uses max', () => {
    const estimate = estimateCost(planOf({}, [api()]));
    // usable 1.26 vCPU per node; cpu binds (1 vCPU / 1 GiB per pod)
    // low 2 replicas → 2 / 1.26 = 1.59 → 2 nodes = 140.16
    // expected 2 + 0.3 × 4 = 3.2 → 2.54 → 3 nodes = 210.24
    // high 6 → 4.76 → 5 nodes = 350.40
    // other lines (no public service → no LB): control plane 73.00,
    // NAT 730 × 0.045 = 32.85, NAT data 10 GB × 0.045 = 0.45, egress 9.00
    //   = 115.30
    expect(nodeLines(estimate).map(l => l.monthlyQuantity)).toEqual([3 * 730]);
    expect(estimate.total).toBeCloseTo(210.24 + 115.3, 2);
    expect(estimate.low).toBeCloseTo(140.16 + 115.3, 2);
    expect(estimate.high).toBeCloseTo(350.4 + 115.3, 2);
  });

  it('without an HPA (fixed scaling) low = expected = high', () => {
    const estimate = estimateCost(planOf({}, [api({ scaling: 'fixed' })]));
    expect(estimate.total).toBeCloseTo(140.16 + 115.3, 2);
    expect(estimate.low).toBe(estimate.total);
    expect(estimate.high).toBe(estimate.total);
  });

  it.each([
    ['T1', 1],
    ['T2', 2],
    ['T3', 3],
  ] as const)('%s runs at least %d node(s)', (tier, nodes) => {
    const estimate = estimateCost(
      planOf({ tier }, [
        svc('tiny', 'service', {
          port: 8080,
          replicas: { min: 1, max: 1 },
          resources: { cpu: '100m', memory: '128Mi' },
        }),
      ]),
    );
    expect(nodeLines(estimate)).toHaveLength(1);
    expect(nodeLines(estimate)[0].monthlyQuantity).toBe(nodes * 730);
    expect(nodeLines(estimate)[0].monthlyCost).toBeCloseTo(
      nodes * 730 * 0.096,
      2,
    );
  });

  it('counts mesh sidecars per pod (Istio 100m/128Mi, Linkerd 10m/32Mi)', () => {
    const nodesWith = (mesh: 'none' | 'istio' | 'linkerd') =>
      nodeLines(
        estimateCost(
          planOf({ mesh }, [
            svc('web', 'service', {
              port: 8080,
              scaling: 'fixed',
              replicas: { min: 20, max: 20 },
              resources: { cpu: '100m', memory: '128Mi' },
            }),
          ]),
        ),
      )[0].monthlyQuantity / 730;
    // none: 20 × 0.1 = 2.0 vCPU / 1.26 = 1.59 → 2
    // linkerd: 20 × 0.11 = 2.2 / 1.26 = 1.75 → 2
    // istio: 20 × 0.2 = 4.0 / 1.26 = 3.17 → 4
    expect(nodesWith('none')).toBe(2);
    expect(nodesWith('linkerd')).toBe(2);
    expect(nodesWith('istio')).toBe(4);
  });

  it('counts DaemonSets once per node', () => {
    const web = svc('web', 'service', {
      port: 8080,
      scaling: 'fixed',
      replicas: { min: 8, max: 8 },
      resources: { cpu: '250m', memory: '128Mi' },
    });
    const agent = svc('agent', 'daemon', {
      resources: { cpu: '300m', memory: '64Mi' },
    });
    const nodes = (services: ServiceSpecInput[]) =>
      nodeLines(estimateCost(planOf({}, services)))[0].monthlyQuantity / 730;
    // without: 8 × 0.25 = 2.0 / 1.26 = 1.59 → 2
    // with: 2.0 / (1.26 - 0.3) = 2.08 → 3
    expect(nodes([web])).toBe(2);
    expect(nodes([web, agent])).toBe(3);
  });

  it('splits usage per environment: production 100%, others 10%', async () => {
    const plan = await shopWithClusteredPostgres();
    const estimate = estimateCost(plan);
    const egress = estimate.lines.filter(l =>
      l.resource.startsWith('internet egress'),
    );
    expect(egress.map(l => [l.environment, l.monthlyQuantity])).toEqual([
      ['dev', 10],
      ['staging', 10],
      ['prod', 100],
    ]);
    // nodes per environment from the profile: dev 1 replica each
    // (0.1 + 0.5 + 0.25 + 1 = 1.85 vCPU → 2), staging (2.3 × 0.1 + 2.6 ×
    // 0.5 + 2.9 × 0.25 + 3 × 1 = 5.255 → 5), prod (3.2 × 0.1 + 3.8 × 0.5 +
    // 4.4 × 0.25 + 3 × 1 = 6.32 / 1.26 = 5.02 → 6)
    expect(
      nodeLines(estimate).map(l => [l.environment, l.monthlyQuantity / 730]),
    ).toEqual([
      ['dev', 2],
      ['staging', 5],
      ['prod', 6],
    ]);
    expect(Object.keys(estimate.byEnvironment)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
    expect(sumOf(Object.values(estimate.byEnvironment))).toBe(estimate.total);
    expect(sumOf(Object.values(estimate.byCategory))).toBe(estimate.total);
    expect(sumOf(Object.values(estimate.byService))).toBe(estimate.total);
    expect(sumOf(estimate.lines.map(l => l.monthlyCost))).toBe(estimate.total);

    const prodOnly = estimateCost(plan, { environments: ['prod'] });
    expect(new Set(prodOnly.lines.map(l => l.environment))).toEqual(
      new Set(['prod']),
    );
    expect(prodOnly.total).toBe(estimate.byEnvironment.prod);
    expect(() => estimateCost(plan, { environments: ['qa'] })).toThrow(
      /unknown environment\(s\) qa/,
    );
  });

  it('prices volumes of stateful services: size × replicas × disk price', async () => {
    const shop = estimateCost(await shopWithClusteredPostgres());
    const volumes = shop.lines.filter(l => l.category === 'storage');
    // postgres 50Gi gp3 $0.08: dev 1 replica = 4.00, staging/prod 3 = 12.00
    expect(
      volumes.map(l => [
        l.environment,
        l.service,
        l.monthlyQuantity,
        l.monthlyCost,
      ]),
    ).toEqual([
      ['dev', 'postgres', 50, 4],
      ['staging', 'postgres', 150, 12],
      ['prod', 'postgres', 150, 12],
    ]);

    // Azure: billed by tier; 32 GiB is the P4 size: 32 × 19.71 / 128 = 4.9275
    const aks = estimateCost(await examplePlan('hybrid-aks'));
    const claims = aks.lines.filter(l => l.category === 'storage');
    expect(claims.map(l => l.monthlyCost)).toEqual([4.93, 4.93]);

    // 33 GiB rounds up to the 64 GiB tier: 64 × 19.71 / 128 = 9.855 → 9.86
    const rounded = estimateCost(
      planOf({ cloud: 'azure' }, [
        statefulSvc('db', 'postgres:16', 5432, 1, {
          storage: { size: '33Gi' },
        }),
      ]),
    ).lines.filter(l => l.category === 'storage');
    expect(rounded).toHaveLength(1);
    expect(rounded[0].monthlyQuantity).toBe(64);
    expect(rounded[0].monthlyCost).toBe(9.86);
    expect(rounded[0].resource).toMatch(/billed as 64 GiB tier/);
  });

  it('keeps serverless and Kubernetes costs in their categories', async () => {
    const estimate = estimateCost(await examplePlan('hybrid-aks'));
    const serverless = estimate.lines.filter(l => l.category === 'serverless');
    expect([...new Set(serverless.map(l => l.service))]).toEqual([
      'ocr',
      'notify',
    ]);
    // reprocess (3600 s, over the 15 minute limit) runs on Kubernetes: no
    // function lines, but its share of the nodes
    expect(estimate.lines.some(l => l.service === 'reprocess')).toBe(false);
    expect(estimate.byService.reprocess).toBeGreaterThan(0);
    expect(nodeLines(estimate).every(l => l.service === undefined)).toBe(true);
    expect(estimate.byCategory.compute).toBeGreaterThan(0);
    expect(estimate.byCategory.serverless).toBeGreaterThan(0);
    // Flex Consumption, staging at 10%: 100,000 executions of ocr,
    // 200 ms on a 2048 MB instance = 100,000 × 0.2 × 2 = 40,000 GB-s
    // × $0.000026 = 1.04
    const ocrStaging = serverless.filter(
      l => l.service === 'ocr' && l.environment === 'staging',
    );
    expect(ocrStaging.map(l => [l.monthlyQuantity, l.monthlyCost])).toEqual([
      [0.1, 0.04],
      [40000, 1.04],
    ]);
    expect(estimate.byService[SHARED_COST_KEY]).toBeGreaterThan(0);
  });

  it('notes the priced region when the plan uses another one', async () => {
    const estimate = estimateCost(await examplePlan('shop-eks-t2'));
    expect(estimate.assumptions.join('\n')).toMatch(
      /eu-west-1 is priced at the us-east-1 list prices/,
    );
  });
});

describe('estimateCost: node size', () => {
  const agent = (resources: ServiceSpecInput['resources']) =>
    svc('agent', 'daemon', { image: 'fluent/fluent-bit:3.1.9', resources });

  it('prices a DaemonSet larger than half a node on the smallest size of the family that fits', () => {
    const estimate = estimateCost(
      planOf({}, [agent({ cpu: '1500m', memory: '64Mi' })]),
    );
    // usable per m6i.large: 1.26 vCPU; DaemonSets may take half: 0.63 vCPU.
    // 1.5 vCPU needs 1.5 / 0.63 = 2.38 × the capacity → 4× = m6i.2xlarge
    // (8 vCPU / 32 GiB, usable 5.04 vCPU, $0.384/h); no other pod:
    // nodes = T2 minimum 2 → 2 × 730 × 0.384 = 560.64
    const [nodes] = nodeLines(estimate);
    expect(nodes.resource).toMatch(/^m6i\.2xlarge nodes \(EKS, 2 × 730 h\)$/);
    expect(nodes.unitPrice).toBe(0.384);
    expect(nodes.monthlyCost).toBe(560.64);
    expect(estimate.byService.agent).toBeGreaterThan(0);
    const assumptions = estimate.assumptions.join('\n');
    expect(assumptions).toMatch(
      /EKS \(prod\): priced on m6i\.2xlarge nodes \(8 vCPU \/ 32 GiB\).*DaemonSets \(agent\) request 1\.5 vCPU/,
    );
    expect(estimate.method).toMatch(/smallest larger size of the same family/);
  });

  it('keeps the representative node (and the method text) for ordinary plans', async () => {
    const estimate = estimateCost(
      planOf({}, [agent({ cpu: '300m', memory: '64Mi' })]),
    );
    expect(nodeLines(estimate)[0].resource).toMatch(/^m6i\.large nodes/);
    expect(estimate.method).not.toMatch(/larger size/);
    for (const name of ['marketplace-gke-t3', 'shop-eks-t2', 'hybrid-aks']) {
      const example = estimateCost(await examplePlan(name));
      expect(example.assumptions.join('\n')).not.toMatch(/priced on \S+ nodes/);
      expect(example.method).not.toMatch(/larger size/);
    }
  });

  it('sizes the nodes so the largest pod fits next to the DaemonSets', () => {
    const estimate = estimateCost(
      planOf({ cloud: 'gcp' }, [
        statefulSvc(
          'search',
          'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
          9200,
          3,
          { resources: { cpu: '3', memory: '12Gi' } },
        ),
        agent({ cpu: '100m', memory: '128Mi' }),
      ]),
    );
    // 3.1 vCPU with the agent > 1.26 usable (2×: 2.52) → 4× = e2-standard-8
    // (usable 5.04 vCPU / 20.16 GiB per node, 4.94 / 20.035 left for pods):
    // 3 pods × 3 vCPU = 9 / 4.94 = 1.82 → 2 nodes; 36 GiB / 20.035 = 1.8 → 2
    const [nodes] = nodeLines(estimate);
    expect(nodes.resource).toMatch(/^e2-standard-8 nodes \(GKE, 2 × 730 h\)$/);
    expect(nodes.unitPrice).toBe(0.268);
    expect(estimate.assumptions.join('\n')).toMatch(
      /largest pod \(search: 3 vCPU \/ 12 GiB\) does not fit next to the DaemonSets on a e2-standard-2 node/,
    );
  });

  it('offers arm64 nodes of the same size', () => {
    const estimate = estimateCost(
      planOf({}, [
        svc('api', 'service', { port: 8080 }),
        agent({ cpu: '1500m', memory: '64Mi' }),
      ]),
    );
    const arm = estimate.recommendations.find(r => r.id === 'arm64-nodes')!;
    expect(arm.text).toMatch(/m7g\.2xlarge \/ m6g\.2xlarge/);
    expect(arm.monthlySavingsHigh).toBeLessThan(
      nodeLines(estimate)[0].monthlyCost,
    );
  });

  it.each([
    ['aws', { cpu: '200', memory: '64Mi' }, /m6i\.32xlarge/],
    ['gcp', { cpu: '64', memory: '1Gi' }, /e2-standard-32/],
    ['azure', { cpu: '1', memory: '1Ti' }, /Standard_D96s_v5/],
    ['platform-agnostic', { cpu: '9'.repeat(400), memory: '1Gi' }, /generic/],
  ] as const)(
    '%s: a DaemonSet larger than any size of the family is priced, with a warning, never thrown',
    (cloud, resources, largest) => {
      const plan = planOf({ cloud }, [agent(resources)]);
      let estimate: CostEstimate | undefined;
      expect(() => {
        estimate = estimateCost(plan);
      }).not.toThrow();
      const warning = estimate!.assumptions.find(a => a.includes('WARNING'));
      expect(warning).toMatch(largest);
      expect(warning).toMatch(/cannot be scheduled/);
      expect(warning).toMatch(/agent/);
      expect(nodeLines(estimate!)[0].resource).toMatch(/^hypothetical /);
    },
  );
});

describe('estimateCost: other platforms', () => {
  const fn = (extra: Partial<ServiceSpecInput> = {}) =>
    svc('api', 'function', {
      trigger: { type: 'http' },
      memoryMB: 256,
      ...extra,
    });

  it('prices GCP functions on Cloud Run (request-based, 100 ms rounding)', () => {
    const estimate = estimateCost(
      planOf({ cloud: 'gcp', platform: 'serverless', type: 'event-driven' }, [
        fn(),
      ]),
    );
    // usage defaults: 1,000,000 requests, 200 ms, 100 GB egress
    // requests 1 × $0.40 = 0.40
    // memory max(512, 256) = 512 MiB, 1 vCPU:
    //   CPU 1e6 × 0.2 s × 1 = 200,000 vCPU-s × 0.000024 = 4.80
    //   memory 1e6 × 0.2 × 0.5 = 100,000 GiB-s × 0.0000025 = 0.25
    // egress 100 GB × $0.12 = 12.00 → total 17.45
    expect(estimate.lines.map(l => l.monthlyCost)).toEqual([
      0.4, 4.8, 0.25, 12,
    ]);
    expect(estimate.total).toBe(17.45);
  });

  it('prices every provider of a multi-cloud plan, traffic split evenly', () => {
    const estimate = estimateCost(
      planOf({ cloud: 'multi-cloud' }, [
        svc('web', 'service', { port: 8080, expose: 'public' }),
      ]),
    );
    expect(nodeLines(estimate).map(l => l.resource)).toEqual([
      expect.stringMatching(/^m6i\.large nodes \(EKS/),
      expect.stringMatching(/^e2-standard-2 nodes \(GKE/),
      expect.stringMatching(/^Standard_D2s_v5 nodes \(AKS/),
    ]);
    const egress = estimate.lines.filter(l =>
      l.resource.startsWith('internet egress'),
    );
    // 100 GB / 3 providers at $0.09, $0.12, $0.087
    expect(egress.map(l => l.monthlyCost)).toEqual([3, 4, 2.9]);
  });

  it('packs Knative functions (platform-agnostic) on a generic cluster', () => {
    const estimate = estimateCost(
      planOf(
        {
          cloud: 'platform-agnostic',
          platform: 'serverless',
          type: 'event-driven',
        },
        [fn()],
      ),
    );
    expect(estimate.lines.some(l => l.category === 'serverless')).toBe(false);
    expect(nodeLines(estimate)).toHaveLength(1);
    expect(nodeLines(estimate)[0].resource).toMatch(/generic/);
    expect(estimate.byService.api).toBeGreaterThan(0);
    expect(estimate.assumptions.join('\n')).toMatch(/AWS us-east-1/);
  });
});

describe('estimateCost: recommendations', () => {
  function lineRefs(estimate: CostEstimate): Set<string> {
    return new Set(estimate.lines.map(l => `${l.resource} [${l.environment}]`));
  }

  it('have numeric savings tied to lines of the estimate', async () => {
    for (const name of [
      'web-app-t1',
      'shop-eks-t2',
      'hybrid-aks',
      'marketplace-gke-t3',
      'batch-platform-agnostic',
    ]) {
      const estimate = estimateCost(await examplePlan(name));
      const refs = lineRefs(estimate);
      expect(estimate.recommendations.length).toBeGreaterThan(0);
      for (const r of estimate.recommendations) {
        expect(Number.isFinite(r.monthlySavingsLow)).toBe(true);
        expect(Number.isFinite(r.monthlySavingsHigh)).toBe(true);
        expect(r.monthlySavingsLow).toBeGreaterThan(0);
        expect(r.monthlySavingsHigh).toBeGreaterThanOrEqual(
          r.monthlySavingsLow,
        );
        expect(r.monthlySavingsHigh).toBeLessThanOrEqual(estimate.total);
        const motivating = r.motivatedBy.split('; ');
        expect(motivating.length).toBeGreaterThan(0);
        for (const ref of motivating) expect(refs).toContain(ref);
      }
    }
  });

  it('computes the savings from the lines', async () => {
    const estimate = estimateCost(await shopWithClusteredPostgres());
    const byId = Object.fromEntries(
      estimate.recommendations.map(r => [r.id, r]),
    );
    expect(Object.keys(byId).sort()).toEqual([
      'arm64-nodes',
      'commitment-1y',
      'commitment-3y',
      'dev-scale-to-zero',
      'right-sizing',
      'spot-nodes',
    ]);
    // dev nodes: 2 × 730 × 0.096 = 140.16; nights off = 50% = 70.08;
    // nights + weekends: on 12 h × 5 days × 52 / 12 = 260 h, off 470 / 730
    // = 64.4% → 90.24
    expect(byId['dev-scale-to-zero'].monthlySavingsLow).toBe(70.08);
    expect(byId['dev-scale-to-zero'].monthlySavingsHigh).toBe(90.24);
    // steady compute = minimum-replica nodes outside dev:
    // staging (2 + 2 + 2 replicas + postgres 3: 0.2 + 1 + 0.5 + 3 = 4.7 /
    // 1.26 → 4 nodes) and prod (same → 4 nodes): 8 × 70.08 = 560.64;
    // 1 year 30-40% = 168.19-224.26, 3 years 55-72% = 308.35-403.66
    expect(byId['commitment-1y'].monthlySavingsLow).toBe(168.19);
    expect(byId['commitment-1y'].monthlySavingsHigh).toBe(224.26);
    expect(byId['commitment-3y'].monthlySavingsLow).toBe(308.35);
    expect(byId['commitment-3y'].monthlySavingsHigh).toBe(403.66);
    // spot: only stateless multi-replica workloads, never postgres
    expect(byId['spot-nodes'].text).toMatch(/storefront, api, orders/);
    expect(byId['spot-nodes'].text).not.toMatch(/postgres/);
    expect(byId['spot-nodes'].monthlySavingsHigh / 0.9).toBeCloseTo(
      byId['spot-nodes'].monthlySavingsLow / 0.6,
      0,
    );
  });

  it('offers no spot nodes for single-replica workloads and no node advice for functions', async () => {
    const web = estimateCost(await examplePlan('web-app-t1'));
    expect(web.recommendations.map(r => r.id)).not.toContain('spot-nodes');
    expect(web.recommendations.map(r => r.id)).toContain('dev-scale-to-zero');
    const events = estimateCost(await examplePlan('events-serverless-aws'));
    expect(events.recommendations).toEqual([]);
  });
});

describe('estimateCost: output', () => {
  it('is deterministic', async () => {
    const plan = await examplePlan('marketplace-gke-t3');
    const a = estimateCost(plan);
    const b = estimateCost(plan);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('rounds lines to cents and sums totals from rounded lines', async () => {
    expect(roundCents(16.425)).toBe(16.43);
    expect(roundCents(1.005)).toBe(1.01);
    expect(roundCents(0.0000060001)).toBe(0);
    const estimate = estimateCost(await examplePlan('marketplace-gke-t3'));
    for (const l of estimate.lines) {
      expect(Math.round(l.monthlyCost * 100) / 100).toBe(l.monthlyCost);
      expect(l.source).toMatch(/^https:\/\//);
    }
    expect(sumOf(estimate.lines.map(l => l.monthlyCost))).toBe(estimate.total);
    expect(estimate.low).toBeLessThanOrEqual(estimate.total);
    expect(estimate.high).toBeGreaterThanOrEqual(estimate.total);
  });

  it('states the method, the pricing date and the assumptions', async () => {
    const estimate = estimateCost(await examplePlan('marketplace-gke-t3'));
    expect(estimate.currency).toBe('USD');
    expect(estimate.pricingDate).toBe(PRICING.asOf);
    expect(estimate.method).toMatch(/730 hours/);
    expect(estimate.method).toMatch(/min \+ 30% of \(max - min\)/);
    expect(estimate.method).toMatch(/Istio \+100m CPU \/ 128Mi/);
    expect(estimate.assumptions.join('\n')).toMatch(/not applied/);
  });

  it('formatCostTable shows every line, subtotals, the total range and the pricing date', async () => {
    const estimate = estimateCost(await examplePlan('web-app-t1'));
    const table = formatCostTable(estimate);
    expect(table).toContain('Total: 160.49 USD/month (range 160.49 - 160.49)');
    expect(table).toContain(`Pricing date: ${PRICING.asOf}`);
    expect(table).toMatch(/subtotal compute\s+70\.08/);
    expect(table).toMatch(/subtotal networking\s+17\.41/);
    for (const l of estimate.lines) expect(table).toContain(l.resource);
    expect(table).toContain('Method:');
    const events = formatCostTable(
      estimateCost(await examplePlan('events-serverless-aws')),
    );
    expect(events).toContain('Total: 31.06 USD/month (range 16.33 - 31.06)');
    expect(events).toMatch(/Lambda requests \(digest\)\s+prod\s+0\.00003/);
  });
});

describe('estimateCost: the serverless target is the skill’s', () => {
  /**
   * The serverless skill deploys GCP event functions with a Cloud
   * Functions runtime to Cloud Functions (gen2) and only HTTP functions and
   * images to Cloud Run; cost used to price every GCP function on Cloud Run.
   */
  it('prices each GCP function on the platform its files deploy it to', async () => {
    const plan = await examplePlan('events-serverless-gcp');
    const output = cloudServerlessDesigner.run({ plan, outputs: {} });
    const functions = output.files.find(
      f => f.path === 'serverless/gcp/functions.yaml',
    )!;
    const deployed = new Map<string, string>(
      (
        parse(functions.content).functions as Array<{
          name: string;
          target: string;
        }>
      ).map(f => [f.name, f.target]),
    );
    deployed.set('og-images', 'cloud-run');
    const estimate = estimateCost(plan);
    const label = {
      'cloud-run': 'Cloud Run',
      'cloud-functions': 'Cloud Functions',
    };
    expect(deployed.get('price-alerts')).toBe('cloud-functions');
    for (const [name, target] of deployed) {
      const priced = estimate.lines.filter(
        l => l.service === name && l.category === 'serverless',
      );
      expect(priced.length).toBeGreaterThan(0);
      for (const pricedLine of priced) {
        expect(
          pricedLine.resource.startsWith(
            `${label[target as keyof typeof label]} `,
          ),
        ).toBe(true);
      }
    }
  });

  it('states no serverless assumption for a plan without functions', async () => {
    // payments-linkerd-flux is on Azure and has no function: the Flex
    // Consumption note used to follow the cloud, not the functions
    const plan = await examplePlan('payments-linkerd-flux');
    expect(plan.services.some(s => s.runtime === 'serverless')).toBe(false);
    expect(
      estimateCost(plan).assumptions.filter(a =>
        a.includes('Flex Consumption'),
      ),
    ).toEqual([]);
  });
});
