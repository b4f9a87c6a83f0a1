import {
  ClusterProvider,
  CostCategory,
  CostLine,
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  EnvironmentClass,
  ServiceProfile,
  classifyEnvironment,
  environmentProfile,
} from '../plan/profile';
import { cpuMillicores, memoryMiB } from '../core/quantities';
import {
  cloudRunCpu,
  serverlessFunctions,
  serverlessTarget,
  ServerlessTarget,
} from '../plan/serverless';
import {
  ALLOCATABLE_FRACTION,
  DEV_OFF_FRACTION_HIGH,
  DEV_OFF_FRACTION_LOW,
  HOURS_PER_MONTH,
  HPA_EXPECTED_FRACTION,
  JOB_RUNS_PER_MONTH,
  MAX_DAEMONSET_SHARE,
  MIN_NODES_BY_TIER,
  NAT_EGRESS_SHARE,
  NON_PRODUCTION_USAGE_SHARE,
  PRODUCTION_USAGE_SHARE,
  REQUESTS_PER_LCU_HOUR,
  RIGHT_SIZING_THRESHOLD,
  TARGET_UTILIZATION,
} from './constants';
import { runsPerMonth } from './cron';
import { jobShape } from '../plan/workload';
import {
  DISCOUNTS,
  MESH_SIDECAR,
  NodeShape,
  PRICING,
  PROVIDER_PRICING,
  PricePoint,
  ProviderPricing,
  SERVERLESS_PRICING,
  regionNote,
  scaleNode,
} from './pricing';

/** One priced resource of one environment: the report contract's types. */
export type { CostCategory, CostLine };

/** @public */
export interface CostRecommendation {
  id: string;
  text: string;
  monthlySavingsLow: number;
  monthlySavingsHigh: number;
  /** The lines the savings are computed from: `resource [environment]`, separated by `; ` */
  motivatedBy: string;
}

/** @public */
export interface CostEstimate {
  currency: 'USD';
  pricingDate: string;
  method: string;
  assumptions: string[];
  lines: CostLine[];
  byCategory: Record<string, number>;
  byService: Record<string, number>;
  byEnvironment: Record<string, number>;
  /** Expected monthly cost: the sum of the rounded lines */
  total: number;
  /** Monthly cost at the low end (minimum replicas, requests split across functions, ...) */
  low: number;
  /** Monthly cost at the high end (maximum replicas, ...) */
  high: number;
  recommendations: CostRecommendation[];
}

/** @public */
export interface EstimateCostOptions {
  /** Only these environments of the plan (default: all) */
  environments?: string[];
}

/** Key of byService for lines no single service owns (control plane, load balancer, unrequested node capacity, ...). */
export const SHARED_COST_KEY = '(shared)';

type Scenario = 'low' | 'expected' | 'high';

/** A line with, for node lines, the share of it each service requests. */
interface DraftLine extends CostLine {
  allocation?: Record<string, number>;
}

/** What the recommendations need to know about one cluster of one environment. */
interface ClusterDetail {
  environment: string;
  environmentClass: EnvironmentClass;
  provider: ClusterProvider;
  /** The node size the cluster is priced on, and its arm64 equivalents */
  node: NodeShape;
  armNodes?: [NodeShape, NodeShape];
  nodeLine: DraftLine;
  nodes: number;
  /** Share of the node capacity (binding resource) each service requests */
  shares: Record<string, number>;
  workloads: Workload[];
}

interface Workload {
  name: string;
  objectKind: string;
  /** Requests per pod, sidecar included */
  cpuCores: number;
  memoryGiB: number;
  /** Average pods over the month; DaemonSets: per node */
  pods: number;
  perNode: boolean;
  /** Replicas the environment never goes below */
  minReplicas: number;
  buildsImage: boolean;
}

interface ScenarioResult {
  lines: DraftLine[];
  clusters: ClusterDetail[];
  assumptions: Set<string>;
}

/** Rounds to cents, half up, after removing binary floating-point noise. */
export function roundCents(value: number): number {
  return Math.round(Number((value * 100).toPrecision(12))) / 100;
}

/** Quantities keep 10 significant digits (no binary noise, small counts survive). */
function roundQuantity(value: number): number {
  return Number(value.toPrecision(10));
}

/** A volume size in whole GiB, rounded up ("50Gi" → 50, "100G" → 94). */
export function storageGiB(quantity: string): number {
  return Math.ceil(Number((memoryMiB(quantity) / 1024).toPrecision(12)));
}

function usageShare(environmentClass: EnvironmentClass): number {
  return environmentClass === 'production'
    ? PRODUCTION_USAGE_SHARE
    : NON_PRODUCTION_USAGE_SHARE;
}

function line(
  draft: Omit<DraftLine, 'monthlyCost' | 'unitPrice' | 'source'>,
  price: PricePoint | { price: number; source: string },
): DraftLine {
  return {
    ...draft,
    monthlyQuantity: roundQuantity(draft.monthlyQuantity),
    unitPrice: price.price,
    monthlyCost: roundCents(draft.monthlyQuantity * price.price),
    source: price.source,
  };
}

/** Replicas of one service in one environment for a scenario. */
function replicasFor(profile: ServiceProfile, scenario: Scenario): number {
  const { min, max } = profile.replicas;
  if (!profile.autoscaling) return min;
  const floor = Math.max(1, min);
  if (scenario === 'low') return floor;
  if (scenario === 'high') return max;
  return floor + HPA_EXPECTED_FRACTION * (max - floor);
}

/** Average pods of a Job or CronJob over the month. */
function batchPods(servicePlan: ServicePlan): number {
  const service = servicePlan.service;
  const hours = (service.timeoutSeconds ?? 3600) / 3600;
  if (servicePlan.objectKind === 'CronJob') {
    const runs = service.schedule ? runsPerMonth(service.schedule) : 0;
    return (runs * hours) / HOURS_PER_MONTH;
  }
  const { parallelism } = jobShape(servicePlan);
  return (JOB_RUNS_PER_MONTH * parallelism * hours) / HOURS_PER_MONTH;
}

function sidecar(plan: DeploymentPlan): { cpu: number; memGiB: number } {
  if (plan.mesh === 'none') return { cpu: 0, memGiB: 0 };
  const figures = MESH_SIDECAR[plan.mesh];
  return {
    cpu: figures.cpuMillicores / 1000,
    memGiB: figures.memoryMiB / 1024,
  };
}

/**
 * The functions priced on a platform: the platform the serverless skill
 * deploys each one to (plan/serverless.ts), never a guess of its own.
 */
function functionsOn(
  plan: DeploymentPlan,
  target: ServerlessTarget,
): ServicePlan[] {
  return serverlessFunctions(plan).filter(
    fn => serverlessTarget(plan, fn) === target,
  );
}

function isScheduled(servicePlan: ServicePlan): boolean {
  return (
    servicePlan.service.trigger?.type === 'schedule' &&
    !!servicePlan.service.schedule
  );
}

/** Invocations per month and seconds per invocation of one function. */
function invocations(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environmentClass: EnvironmentClass,
  scenario: Scenario,
): { count: number; seconds: number } {
  const usage = plan.architecture.spec.usage;
  if (isScheduled(servicePlan)) {
    const seconds =
      scenario === 'low'
        ? usage.averageDurationMs / 1000
        : servicePlan.service.timeoutSeconds ?? 30;
    return { count: runsPerMonth(servicePlan.service.schedule!), seconds };
  }
  const eventDriven = serverlessFunctions(plan).filter(
    s => !isScheduled(s),
  ).length;
  const perFunction = scenario === 'low' ? 1 / Math.max(1, eventDriven) : 1;
  return {
    count: usage.requestsPerMonth * usageShare(environmentClass) * perFunction,
    seconds: usage.averageDurationMs / 1000,
  };
}

/** Rounds a duration up to the next 100 ms. */
function ceil100ms(seconds: number): number {
  return Math.ceil(Number((seconds * 10).toPrecision(12))) / 10;
}

/** The Flex Consumption instance memory size the package configures. */
function flexInstanceMB(memoryMB: number): number {
  if (memoryMB <= 512) return 512;
  return memoryMB <= 2048 ? 2048 : 4096;
}

/** Cloud Run vCPU the package configures for a memory size. */
/** The vCPU Cloud Functions (gen2) gives a function of this memory. */
function cloudFunctionsCpu(memoryMB: number): number {
  const table = SERVERLESS_PRICING.cloudFunctionsGen2.cpuByMemoryMB;
  return (table.find(([upTo]) => memoryMB <= upTo) ??
    table[table.length - 1])[1];
}

/**
 * The lines of a function on Google Cloud. Cloud Run and Cloud Functions
 * (gen2) bill alike (requests, then vCPU and memory time rounded up to
 * 100 ms) at the CPU each gives the function: what the package sets for
 * Cloud Run, what the memory setting gives on Cloud Functions.
 */
function googleFunctionLines(
  plan: DeploymentPlan,
  fn: ServicePlan,
  target: 'cloud-run' | 'cloud-functions',
  environment: string,
  usage: { count: number; seconds: number },
  assumptions: Set<string>,
): DraftLine[] {
  const onRun = target === 'cloud-run';
  const label = onRun ? 'Cloud Run' : 'Cloud Functions';
  const memoryMB = fn.service.memoryMB ?? 512;
  // the second generation execution environment of Cloud Run needs 512 MiB at least
  const memory = onRun ? Math.max(512, memoryMB) : memoryMB;
  const cpu = onRun ? cloudRunCpu(memory) : cloudFunctionsCpu(memory);
  const prices = onRun
    ? SERVERLESS_PRICING.cloudRun
    : SERVERLESS_PRICING.cloudFunctionsGen2;
  const calls = onRun
    ? { name: 'requests', price: SERVERLESS_PRICING.cloudRun.requests }
    : {
        name: 'invocations',
        price: SERVERLESS_PRICING.cloudFunctionsGen2.invocations,
      };
  const billed = ceil100ms(usage.seconds);
  const base = { environment, service: fn.name };
  const note = regionNote(target, plan.region);
  if (note) assumptions.add(`${label}: ${note}`);
  return [
    line(
      {
        ...base,
        resource: `${label} ${calls.name} (${fn.name})`,
        category: 'serverless',
        monthlyQuantity: usage.count / 1e6,
        unit: `million ${calls.name}`,
      },
      calls.price,
    ),
    line(
      {
        ...base,
        resource: `${label} CPU (${fn.name}, ${cpu} vCPU)`,
        category: 'serverless',
        monthlyQuantity: usage.count * billed * cpu,
        unit: 'vCPU-second',
      },
      prices.vcpuSecond,
    ),
    line(
      {
        ...base,
        resource: `${label} memory (${fn.name}, ${memory} MiB)`,
        category: 'serverless',
        monthlyQuantity: usage.count * billed * (memory / 1024),
        unit: 'GiB-second',
      },
      prices.gibSecond,
    ),
  ];
}

function serverlessLines(
  plan: DeploymentPlan,
  environment: string,
  environmentClass: EnvironmentClass,
  scenario: Scenario,
  assumptions: Set<string>,
): DraftLine[] {
  const lines: DraftLine[] = [];
  for (const fn of serverlessFunctions(plan)) {
    const target = serverlessTarget(plan, fn);
    if (target === 'knative') continue;
    const { count, seconds } = invocations(
      plan,
      fn,
      environmentClass,
      scenario,
    );
    const memoryMB = fn.service.memoryMB ?? 512;
    const base = { environment, service: fn.name };
    if (target === 'lambda') {
      const p = SERVERLESS_PRICING.lambda;
      lines.push(
        line(
          {
            ...base,
            resource: `Lambda requests (${fn.name})`,
            category: 'serverless',
            monthlyQuantity: count / 1e6,
            unit: 'million requests',
          },
          p.requests,
        ),
        line(
          {
            ...base,
            resource: `Lambda compute arm64 (${fn.name}, ${memoryMB} MB)`,
            category: 'serverless',
            monthlyQuantity: count * seconds * (memoryMB / 1024),
            unit: 'GB-second',
          },
          p.gbSecondArm64,
        ),
      );
      if (fn.service.trigger?.type === 'http') {
        lines.push(
          line(
            {
              ...base,
              resource: `API Gateway HTTP API requests (${fn.name})`,
              category: 'networking',
              monthlyQuantity: count / 1e6,
              unit: 'million requests',
            },
            SERVERLESS_PRICING.apiGatewayHttp,
          ),
        );
      }
      const note = regionNote('lambda', plan.region);
      if (note) assumptions.add(`Lambda: ${note}`);
    } else if (target === 'azure-functions') {
      const p = SERVERLESS_PRICING.azureFunctionsFlex;
      const instanceMB = flexInstanceMB(memoryMB);
      const billed = isScheduled(fn)
        ? Math.max(1, ceil100ms(seconds))
        : ceil100ms(seconds);
      lines.push(
        line(
          {
            ...base,
            resource: `Azure Functions Flex executions (${fn.name})`,
            category: 'serverless',
            monthlyQuantity: count / 1e6,
            unit: 'million executions',
          },
          p.executions,
        ),
        line(
          {
            ...base,
            resource: `Azure Functions Flex execution time (${fn.name}, ${instanceMB} MB instance)`,
            category: 'serverless',
            monthlyQuantity: count * billed * (instanceMB / 1024),
            unit: 'GB-second',
          },
          p.gbSecond,
        ),
      );
      const note = regionNote('azure-functions', plan.region);
      if (note) assumptions.add(`Azure Functions: ${note}`);
    } else {
      lines.push(
        ...googleFunctionLines(
          plan,
          fn,
          target,
          environment,
          { count, seconds },
          assumptions,
        ),
      );
    }
  }
  return lines;
}

/** The Kubernetes workloads of one environment, Knative functions included. */
function workloadsOf(
  plan: DeploymentPlan,
  environment: string,
  environmentClass: EnvironmentClass,
  scenario: Scenario,
): Workload[] {
  const profile = environmentProfile(plan, environment);
  const extra = sidecar(plan);
  const byName = new Map(plan.services.map(s => [s.name, s]));
  const workloads: Workload[] = [];
  for (const serviceProfile of Object.values(profile.services)) {
    const servicePlan = byName.get(serviceProfile.name)!;
    const requests = serviceProfile.resources.requests;
    const cpuCores = cpuMillicores(requests.cpu) / 1000 + extra.cpu;
    const memoryGiB = memoryMiB(requests.memory) / 1024 + extra.memGiB;
    const common = {
      name: serviceProfile.name,
      objectKind: serviceProfile.objectKind,
      cpuCores,
      memoryGiB,
      buildsImage: servicePlan.buildsImage,
    };
    switch (serviceProfile.objectKind) {
      case 'DaemonSet':
        workloads.push({
          ...common,
          pods: 1,
          perNode: true,
          minReplicas: 1,
        });
        break;
      case 'Job':
      case 'CronJob':
        workloads.push({
          ...common,
          pods: batchPods(servicePlan),
          perNode: false,
          minReplicas: 1,
        });
        break;
      default:
        workloads.push({
          ...common,
          pods: replicasFor(serviceProfile, scenario),
          perNode: false,
          minReplicas: serviceProfile.replicas.min,
        });
    }
  }
  for (const fn of functionsOn(plan, 'knative')) {
    const { count, seconds } = invocations(
      plan,
      fn,
      environmentClass,
      scenario,
    );
    const minScale = plan.tier === 'T3' ? 1 : 0;
    workloads.push({
      name: fn.name,
      objectKind: 'Knative Service',
      cpuCores: cpuMillicores(fn.service.resources.cpu) / 1000 + extra.cpu,
      memoryGiB: (fn.service.memoryMB ?? 512) / 1024 + extra.memGiB,
      pods: Math.max(minScale, (count * seconds) / (HOURS_PER_MONTH * 3600)),
      perNode: false,
      minReplicas: minScale,
      buildsImage: fn.buildsImage,
    });
  }
  return workloads;
}

function clusterProvidersOf(plan: DeploymentPlan): ClusterProvider[] {
  if (plan.clusterProviders.length > 0) return plan.clusterProviders;
  if (functionsOn(plan, 'knative').length > 0) {
    return ['generic'];
  }
  return [];
}

/** What the node size must hold: DaemonSets (per node) and the largest pod. */
interface NodeDemand {
  daemonCpu: number;
  daemonMem: number;
  daemons: string[];
  largest?: { name: string; cpu: number; mem: number };
}

interface NodeSizing {
  node: NodeShape;
  armNodes?: [NodeShape, NodeShape];
  /** Why the cluster is not priced on the representative node, if it is not */
  note?: string;
}

/** Usable vCPU and GiB of a node: allocatable share × target utilization. */
function usableOf(node: NodeShape): { cpu: number; mem: number } {
  return {
    cpu: node.vcpu * ALLOCATABLE_FRACTION * TARGET_UTILIZATION,
    mem: node.memoryGiB * ALLOCATABLE_FRACTION * TARGET_UTILIZATION,
  };
}

/** Without binary floating-point noise (0.1 + 0.2 → 0.3). */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * How many times the representative node's capacity the demand needs: the
 * DaemonSets take at most MAX_DAEMONSET_SHARE of the usable capacity (the
 * rest is for pods), and the largest pod fits next to them.
 */
function factorNeeded(base: NodeShape, demand: NodeDemand): number {
  const usable = usableOf(base);
  const largestCpu = demand.largest?.cpu ?? 0;
  const largestMem = demand.largest?.mem ?? 0;
  return clean(
    Math.max(
      demand.daemonCpu / (MAX_DAEMONSET_SHARE * usable.cpu),
      demand.daemonMem / (MAX_DAEMONSET_SHARE * usable.mem),
      (demand.daemonCpu + largestCpu) / usable.cpu,
      (demand.daemonMem + largestMem) / usable.mem,
    ),
  );
}

const gib = (value: number) => String(Number(value.toFixed(3)));

/**
 * The node size a cluster is priced on: the representative node when the
 * DaemonSets take at most half of its usable capacity and the largest pod
 * fits next to them; else the smallest size of the same family that does
 * (what Karpenter, node auto-provisioning or a sized node pool would run).
 * When no size of the family is large enough, a hypothetical node scaled
 * from the family's price per vCPU is priced, and the note says the pods
 * cannot be scheduled as specified. Never throws.
 */
function nodeSizing(pricing: ProviderPricing, demand: NodeDemand): NodeSizing {
  const base = pricing.node;
  const needed = factorNeeded(base, demand);
  const sizes = pricing.nodeSizes.length
    ? pricing.nodeSizes
    : [{ factor: 1, node: base, armNodes: pricing.armNodes }];
  const size = sizes.find(s => s.factor >= needed);
  if (size && size.factor === 1) {
    return { node: size.node, armNodes: size.armNodes };
  }
  const usable = usableOf(base);
  const reasons: string[] = [];
  const over = (demanded: number, capacity: number) =>
    clean(demanded) > clean(capacity);
  if (
    over(demand.daemonCpu, MAX_DAEMONSET_SHARE * usable.cpu) ||
    over(demand.daemonMem, MAX_DAEMONSET_SHARE * usable.mem)
  ) {
    reasons.push(
      `the DaemonSets (${demand.daemons.join(', ')}) request ${gib(
        demand.daemonCpu,
      )} vCPU / ${gib(
        demand.daemonMem,
      )} GiB on every node, more than ${Math.round(
        MAX_DAEMONSET_SHARE * 100,
      )}% of the usable capacity of a ${base.instanceType} node (${gib(
        usable.cpu,
      )} vCPU / ${gib(usable.mem)} GiB)`,
    );
  }
  const largest = demand.largest;
  if (
    largest &&
    (over(demand.daemonCpu + largest.cpu, usable.cpu) ||
      over(demand.daemonMem + largest.mem, usable.mem))
  ) {
    reasons.push(
      `the largest pod (${largest.name}: ${gib(largest.cpu)} vCPU / ${gib(
        largest.mem,
      )} GiB) does not fit ${
        demand.daemons.length > 0 ? 'next to the DaemonSets ' : ''
      }on a ${base.instanceType} node`,
    );
  }
  const why = reasons.join('; ');
  if (size) {
    return {
      node: size.node,
      armNodes: size.armNodes,
      note: `priced on ${size.node.instanceType} nodes (${size.node.vcpu} vCPU / ${size.node.memoryGiB} GiB), the smallest size of the family that fits, instead of ${base.instanceType}: ${why}.`,
    };
  }
  const largestSize = sizes[sizes.length - 1].node;
  // Absurd requests (beyond any finite size) still give a finite node.
  const factor = Number.isFinite(needed)
    ? Math.ceil(needed)
    : Number.MAX_SAFE_INTEGER;
  const node = scaleNode(
    base,
    factor,
    `hypothetical ${base.vcpu * factor} vCPU/${base.memoryGiB * factor} GiB`,
  );
  return {
    node,
    note: `WARNING: no size of the ${base.instanceType} family is large enough (the largest is ${largestSize.instanceType}, ${largestSize.vcpu} vCPU / ${largestSize.memoryGiB} GiB): ${why}. These pods cannot be scheduled on that family as specified: lower their requests. The estimate prices a hypothetical ${node.vcpu} vCPU / ${node.memoryGiB} GiB node at the family's price per vCPU.`,
  };
}

/** What the networking of one environment's cluster is priced from. */
interface ClusterNetwork {
  plan: DeploymentPlan;
  pricing: ProviderPricing;
  environment: string;
  /** Internet egress of the environment, GB per month */
  egressGB: number;
}

/** The load balancer of the public services: hours, LCUs, data processed. */
function loadBalancerLines(
  { plan, pricing, environment, egressGB }: ClusterNetwork,
  requests: number,
): DraftLine[] {
  const hasPublic = plan.services.some(
    s => s.runtime === 'kubernetes' && s.service.expose === 'public',
  );
  const label = pricing.label;
  const lines: DraftLine[] = [];
  if (hasPublic) {
    const lb = pricing.loadBalancer;
    lines.push(
      line(
        {
          resource: `${lb.name} (${label})`,
          category: 'networking',
          environment,
          monthlyQuantity: HOURS_PER_MONTH,
          unit: lb.hourly.unit,
        },
        lb.hourly,
      ),
    );
    if (lb.perLcuHour) {
      lines.push(
        line(
          {
            resource: `${lb.name} LCU (${label})`,
            category: 'networking',
            environment,
            monthlyQuantity: Math.max(
              egressGB,
              requests / REQUESTS_PER_LCU_HOUR,
            ),
            unit: 'LCU-hour',
          },
          lb.perLcuHour,
        ),
      );
    }
    if (lb.perGBProcessed) {
      lines.push(
        line(
          {
            resource: `${lb.name} data processed (${label})`,
            category: 'networking',
            environment,
            monthlyQuantity: egressGB,
            unit: 'GB',
          },
          lb.perGBProcessed,
        ),
      );
    }
  }
  return lines;
}

/** The NAT gateway of private nodes (from T2): hours and data processed. */
function natLines(
  { plan, pricing, environment, egressGB }: ClusterNetwork,
  nodes: number,
): DraftLine[] {
  const label = pricing.label;
  const lines: DraftLine[] = [];
  if (plan.tier !== 'T1') {
    const nat = pricing.nat;
    if (nat.perNodeHour) {
      const hourly = Math.min(
        nat.perNodeHour.price * nodes,
        nat.perNodeHour.capHourly,
      );
      lines.push(
        line(
          {
            resource: `${nat.name} (${label}, ${Math.min(nodes, 32)} VMs)`,
            category: 'networking',
            environment,
            monthlyQuantity: HOURS_PER_MONTH,
            unit: 'gateway-hour',
          },
          { price: hourly, source: nat.perNodeHour.source },
        ),
      );
    } else if (nat.hourly) {
      lines.push(
        line(
          {
            resource: `${nat.name} (${label})`,
            category: 'networking',
            environment,
            monthlyQuantity: HOURS_PER_MONTH,
            unit: 'gateway-hour',
          },
          nat.hourly,
        ),
      );
    }
    lines.push(
      line(
        {
          resource: `${nat.name} data processed (${label})`,
          category: 'networking',
          environment,
          monthlyQuantity: egressGB * NAT_EGRESS_SHARE,
          unit: 'GB',
        },
        nat.perGBProcessed,
      ),
    );
  }
  return lines;
}

/** The persistent volumes of the StatefulSets, at the provider's disk tiers. */
function volumeLines(
  plan: DeploymentPlan,
  pricing: ProviderPricing,
  environment: string,
  workloads: Workload[],
): DraftLine[] {
  const lines: DraftLine[] = [];
  // Volumes of StatefulSets
  const byName = new Map(plan.services.map(s => [s.name, s]));
  for (const w of workloads) {
    const storage = byName.get(w.name)?.service.storage;
    if (w.objectKind !== 'StatefulSet' || !storage) continue;
    const requested = storageGiB(storage.size);
    const tiers = pricing.disk.tierSizesGiB;
    const billed = tiers
      ? tiers.find(t => t >= requested) ?? requested
      : requested;
    const tierNote =
      billed !== requested ? `, billed as ${billed} GiB tier` : '';
    lines.push(
      line(
        {
          resource: `${pricing.disk.name} volume (${w.name}, ${w.pods} × ${requested} GiB${tierNote})`,
          category: 'storage',
          environment,
          service: w.name,
          monthlyQuantity: billed * w.pods,
          unit: pricing.disk.perGiBMonth.unit,
        },
        pricing.disk.perGiBMonth,
      ),
    );
  }
  return lines;
}

function clusterLines(
  plan: DeploymentPlan,
  provider: ClusterProvider,
  providerCount: number,
  environment: string,
  environmentClass: EnvironmentClass,
  workloads: Workload[],
  assumptions: Set<string>,
): { lines: DraftLine[]; detail: ClusterDetail } {
  const pricing: ProviderPricing = PROVIDER_PRICING[provider];
  const usage = plan.architecture.spec.usage;
  const share = usageShare(environmentClass) / providerCount;
  const egressGB = usage.egressGBPerMonth * share;
  const requests = usage.requestsPerMonth * share;
  const label = pricing.label;
  const lines: DraftLine[] = [];
  const note = regionNote(provider, plan.region);
  if (note) assumptions.add(`${label}: ${note}`);

  // Nodes
  let podCpu = 0;
  let podMem = 0;
  let daemonCpu = 0;
  let daemonMem = 0;
  const daemons: string[] = [];
  let largest: NodeDemand['largest'];
  for (const w of workloads) {
    if (w.perNode) {
      daemonCpu += w.cpuCores;
      daemonMem += w.memoryGiB;
      daemons.push(w.name);
    } else {
      podCpu += w.cpuCores * w.pods;
      podMem += w.memoryGiB * w.pods;
      const cpuFactor = w.cpuCores / pricing.node.vcpu;
      const memFactor = w.memoryGiB / pricing.node.memoryGiB;
      if (
        !largest ||
        Math.max(cpuFactor, memFactor) >
          Math.max(
            largest.cpu / pricing.node.vcpu,
            largest.mem / pricing.node.memoryGiB,
          )
      ) {
        largest = { name: w.name, cpu: w.cpuCores, mem: w.memoryGiB };
      }
    }
  }
  const sizing = nodeSizing(pricing, {
    daemonCpu,
    daemonMem,
    daemons,
    largest,
  });
  if (sizing.note) assumptions.add(`${label} (${environment}): ${sizing.note}`);
  const { node } = sizing;
  const { cpu: capCpu, mem: capMem } = usableOf(node);
  const needed = Math.max(
    podCpu / (capCpu - daemonCpu),
    podMem / (capMem - daemonMem),
  );
  const nodes = Math.max(
    MIN_NODES_BY_TIER[plan.tier],
    Math.ceil(Number(needed.toPrecision(12))),
  );
  // Shares of the node capacity on the binding resource
  const cpuUse = (podCpu + daemonCpu * nodes) / (capCpu * nodes);
  const memUse = (podMem + daemonMem * nodes) / (capMem * nodes);
  const byCpu = cpuUse >= memUse;
  const shares: Record<string, number> = {};
  for (const w of workloads) {
    const demand = byCpu
      ? w.cpuCores * (w.perNode ? nodes : w.pods)
      : w.memoryGiB * (w.perNode ? nodes : w.pods);
    shares[w.name] =
      (shares[w.name] ?? 0) + demand / ((byCpu ? capCpu : capMem) * nodes);
  }
  const nodeLine = line(
    {
      resource: `${node.instanceType} nodes (${label}, ${nodes} × ${HOURS_PER_MONTH} h)`,
      category: 'compute',
      environment,
      monthlyQuantity: nodes * HOURS_PER_MONTH,
      unit: 'node-hour',
    },
    node.hourly,
  );
  nodeLine.allocation = shares;
  lines.push(nodeLine);

  // Control plane
  const freeTier = plan.tier === 'T1' && pricing.controlPlaneFreeTier;
  lines.push(
    line(
      {
        resource: `${label} control plane${freeTier ? ' (Free tier)' : ''}`,
        category: 'control-plane',
        environment,
        monthlyQuantity: HOURS_PER_MONTH,
        unit: 'cluster-hour',
      },
      freeTier ? pricing.controlPlaneFreeTier! : pricing.controlPlane,
    ),
  );

  const network: ClusterNetwork = { plan, pricing, environment, egressGB };
  lines.push(...loadBalancerLines(network, requests));

  lines.push(...natLines(network, nodes));

  lines.push(...volumeLines(plan, pricing, environment, workloads));

  // Internet egress
  lines.push(
    line(
      {
        resource: `internet egress (${label})`,
        category: 'networking',
        environment,
        monthlyQuantity: egressGB,
        unit: 'GB',
      },
      pricing.egressPerGB,
    ),
  );

  return {
    lines,
    detail: {
      environment,
      environmentClass,
      provider,
      node,
      armNodes: sizing.armNodes,
      nodeLine,
      nodes,
      shares,
      workloads,
    },
  };
}

function egressOnlyLine(
  plan: DeploymentPlan,
  environment: string,
  environmentClass: EnvironmentClass,
): DraftLine {
  const provider: ClusterProvider =
    // eslint-disable-next-line no-nested-ternary
    plan.cloud === 'azure' ? 'aks' : plan.cloud === 'gcp' ? 'gke' : 'eks';
  const pricing = PROVIDER_PRICING[provider];
  const cloudName =
    // eslint-disable-next-line no-nested-ternary
    provider === 'aks' ? 'Azure' : provider === 'gke' ? 'GCP' : 'AWS';
  return line(
    {
      resource: `internet egress (${cloudName})`,
      category: 'networking',
      environment,
      monthlyQuantity:
        plan.architecture.spec.usage.egressGBPerMonth *
        usageShare(environmentClass),
      unit: 'GB',
    },
    pricing.egressPerGB,
  );
}

function runScenario(
  plan: DeploymentPlan,
  environments: string[],
  scenario: Scenario,
): ScenarioResult {
  const lines: DraftLine[] = [];
  const clusters: ClusterDetail[] = [];
  const assumptions = new Set<string>();
  const providers = clusterProvidersOf(plan);
  for (const environment of environments) {
    const environmentClass = classifyEnvironment(environment);
    if (providers.length > 0) {
      const workloads = workloadsOf(
        plan,
        environment,
        environmentClass,
        scenario,
      );
      for (const provider of providers) {
        const result = clusterLines(
          plan,
          provider,
          providers.length,
          environment,
          environmentClass,
          workloads,
          assumptions,
        );
        lines.push(...result.lines);
        clusters.push(result.detail);
      }
    }
    lines.push(
      ...serverlessLines(
        plan,
        environment,
        environmentClass,
        scenario,
        assumptions,
      ),
    );
    if (providers.length === 0 && serverlessFunctions(plan).length > 0) {
      lines.push(egressOnlyLine(plan, environment, environmentClass));
    }
  }
  return { lines, clusters, assumptions };
}

function sum(values: number[]): number {
  return roundCents(values.reduce((a, b) => a + b, 0));
}

function lineRef(l: CostLine): string {
  return `${l.resource} [${l.environment}]`;
}

/** Spot / preemptible nodes for stateless, multi-replica workloads. */
function spotRecommendations(expected: ScenarioResult): CostRecommendation[] {
  const clusters = expected.clusters;
  let eligibleCost = 0;
  const motivating: CostLine[] = [];
  const names = new Set<string>();
  for (const c of clusters) {
    for (const w of c.workloads) {
      if (
        (w.objectKind === 'Deployment' || w.objectKind === 'Rollout') &&
        w.minReplicas >= 2
      ) {
        eligibleCost += (c.shares[w.name] ?? 0) * c.nodeLine.monthlyCost;
        names.add(w.name);
        if (!motivating.includes(c.nodeLine)) motivating.push(c.nodeLine);
      }
    }
  }
  if (eligibleCost <= 0) return [];
  return [
    recommendation(
      'spot-nodes',
      `Run the stateless, multi-replica workloads (${[...names].join(
        ', ',
      )}) on a spot / preemptible node pool: ${percentRange(
        DISCOUNTS.spot,
      )} cheaper compute, but nodes can be reclaimed at short notice, so keep StatefulSets, DaemonSet-only nodes and single-replica workloads on on-demand nodes. Savings are on their requested share of the node cost (${roundCents(
        eligibleCost,
      ).toFixed(2)} USD/month).`,
      savingsAt(eligibleCost, DISCOUNTS.spot),
      motivating,
    ),
  ];
}

/**
 * One recommendation: the monthly savings range (rounded to cents here) and
 * the lines it is computed from, named in `motivatedBy`.
 */
function recommendation(
  id: string,
  text: string,
  savings: { low: number; high: number },
  motivating: CostLine[],
): CostRecommendation {
  return {
    id,
    text,
    monthlySavingsLow: roundCents(savings.low),
    monthlySavingsHigh: roundCents(savings.high),
    motivatedBy: motivating.map(lineRef).join('; '),
  };
}

/** A low-high fraction as a percent range, e.g. `60-90%`. */
function percentRange(range: { low: number; high: number }): string {
  return `${Math.round(range.low * 100)}-${Math.round(range.high * 100)}%`;
}

/** What a discount range saves on `cost`, unrounded. */
function savingsAt(
  cost: number,
  discount: { low: number; high: number },
): { low: number; high: number } {
  return { low: cost * discount.low, high: cost * discount.high };
}

/** Commitments on steady (baseline) compute outside development. */
function commitmentRecommendations(
  expected: ScenarioResult,
  low: ScenarioResult,
): CostRecommendation[] {
  const clusters = expected.clusters;
  let steady = 0;
  const motivating: CostLine[] = [];
  for (const c of low.clusters) {
    if (c.environmentClass === 'development') continue;
    steady += c.nodeLine.monthlyCost;
    const match = clusters.find(
      e => e.environment === c.environment && e.provider === c.provider,
    );
    if (match) motivating.push(match.nodeLine);
  }
  if (steady <= 0) return [];
  return [
    recommendation(
      'commitment-1y',
      `Commit to the steady compute (the nodes that run at minimum replicas outside development: ${roundCents(
        steady,
      ).toFixed(
        2,
      )} USD/month) for one year (Savings Plans, committed use discounts, reservations): about ${percentRange(
        DISCOUNTS.commit1y,
      )} off. Not additive with spot on the same nodes.`,
      savingsAt(steady, DISCOUNTS.commit1y),
      motivating,
    ),
    recommendation(
      'commitment-3y',
      `Or commit the same steady compute for three years: about ${percentRange(
        DISCOUNTS.commit3y,
      )} off, worth it only if the workload is certain to stay on this cloud and instance family.`,
      savingsAt(steady, DISCOUNTS.commit3y),
      motivating,
    ),
  ];
}

/** Right-sizing: node capacity nobody requests. */
function rightSizingRecommendations(
  expected: ScenarioResult,
): CostRecommendation[] {
  const clusters = expected.clusters;
  let headroomCost = 0;
  const motivating: CostLine[] = [];
  const details: string[] = [];
  for (const c of clusters) {
    const used = Object.values(c.shares).reduce((a, b) => a + b, 0);
    const headroom = Math.max(0, 1 - used);
    if (headroom >= RIGHT_SIZING_THRESHOLD) {
      headroomCost += headroom * c.nodeLine.monthlyCost;
      motivating.push(c.nodeLine);
      details.push(
        `${c.environment}: ${c.nodes} node(s), requests use ${Math.round(
          used * 100,
        )}% of the usable capacity`,
      );
    }
  }
  if (headroomCost <= 0) return [];
  return [
    recommendation(
      'right-sizing',
      `Right-size the nodes: requests leave capacity unused (${details.join(
        '; ',
      )}; usable = ${Math.round(
        ALLOCATABLE_FRACTION * TARGET_UTILIZATION * 100,
      )}% of a node). Smaller node types, or a shared cluster for small environments, recover part of it: low = half the headroom (instance sizes come in steps), high = all of it (${roundCents(
        headroomCost,
      ).toFixed(2)} USD/month).`,
      { low: headroomCost / 2, high: headroomCost },
      motivating,
    ),
  ];
}

/** Arm64 nodes where the images are multi-arch. */
function armRecommendations(expected: ScenarioResult): CostRecommendation[] {
  const clusters = expected.clusters;
  let armLow = 0;
  let armHigh = 0;
  const motivating: CostLine[] = [];
  const built = new Set<string>();
  let armName = '';
  for (const c of clusters) {
    const arm = c.armNodes;
    if (!arm) continue;
    const x86 = c.node.hourly.price;
    const builtShare = c.workloads
      .filter(w => w.buildsImage)
      .reduce((a, w) => a + (c.shares[w.name] ?? 0), 0);
    c.workloads.filter(w => w.buildsImage).forEach(w => built.add(w.name));
    if (builtShare <= 0) continue;
    armLow +=
      builtShare * c.nodeLine.monthlyCost * (1 - arm[0].hourly.price / x86);
    armHigh += c.nodeLine.monthlyCost * (1 - arm[1].hourly.price / x86);
    motivating.push(c.nodeLine);
    armName =
      arm[0].instanceType === arm[1].instanceType
        ? arm[0].instanceType
        : `${arm[0].instanceType} / ${arm[1].instanceType}`;
  }
  if (armHigh <= 0) return [];
  return [
    recommendation(
      'arm64-nodes',
      `Move to arm64 nodes (${armName}): the images this package builds (${[
        ...built,
      ].join(
        ', ',
      )}) are published for linux/amd64 and linux/arm64. Low = only their share of the nodes at the smaller price gap; high = the whole node pool at the larger gap, once every prebuilt image is confirmed multi-arch.`,
      { low: armLow, high: armHigh },
      motivating,
    ),
  ];
}

/** Development environments scaled to zero at night. */
function scheduleRecommendations(
  expected: ScenarioResult,
): CostRecommendation[] {
  const clusters = expected.clusters;
  const devNodes = clusters.filter(c => c.environmentClass === 'development');
  const cost = devNodes.reduce((a, c) => a + c.nodeLine.monthlyCost, 0);
  if (cost <= 0) return [];
  return [
    recommendation(
      'dev-scale-to-zero',
      `Scale development environments (${[
        ...new Set(devNodes.map(c => c.environment)),
      ].join(
        ', ',
      )}) to zero outside working hours (scale workloads to 0 and the node group to 0 on a schedule): nights only (12 h a day off) saves ${Math.round(
        DEV_OFF_FRACTION_LOW * 100,
      )}% of their node hours, nights and weekends ${Math.round(
        DEV_OFF_FRACTION_HIGH * 100,
      )}%. The control plane and load balancer keep running.`,
      {
        low: cost * DEV_OFF_FRACTION_LOW,
        high: cost * DEV_OFF_FRACTION_HIGH,
      },
      devNodes.map(c => c.nodeLine),
    ),
  ];
}

function recommendationsFor(
  expected: ScenarioResult,
  low: ScenarioResult,
): CostRecommendation[] {
  return [
    ...spotRecommendations(expected),
    ...commitmentRecommendations(expected, low),
    ...rightSizingRecommendations(expected),
    ...armRecommendations(expected),
    ...scheduleRecommendations(expected),
  ];
}

function methodText(plan: DeploymentPlan, resized: boolean): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return [
    `Monthly list prices in USD from the pricing snapshot of ${PRICING.asOf} (on demand, no free tier, credit or discount applied); a month is ${HOURS_PER_MONTH} hours. Every line is rounded to cents (half up); totals are sums of rounded lines.`,
    `Kubernetes, per environment and cluster (one cluster per environment and provider): pods = requests × replicas from the environment profile (the same profile the manifests use). Replicas: fixed workloads use their replica count; HPA-managed workloads use min for the low estimate, min + ${pct(
      HPA_EXPECTED_FRACTION,
    )} of (max - min) for the expected estimate (assumption: traffic sits near the floor most of the month) and max for the high estimate. Jobs count their pods for timeoutSeconds once a month (parallelism pods); CronJobs for timeoutSeconds per scheduled run (runs per month from the cron expression); both are upper bounds.`,
    `Nodes: nodes = ceil(max(cpu requests / (vCPU × ${ALLOCATABLE_FRACTION} × ${TARGET_UTILIZATION} - DaemonSet cpu), memory requests / (GiB × ${ALLOCATABLE_FRACTION} × ${TARGET_UTILIZATION} - DaemonSet memory))): ${pct(
      ALLOCATABLE_FRACTION,
    )} of a node is allocatable after system reservations and the target utilization is ${pct(
      TARGET_UTILIZATION,
    )}; DaemonSets are counted once per node. At least ${
      MIN_NODES_BY_TIER.T1
    } node at T1, ${MIN_NODES_BY_TIER.T2} from T2 and ${
      MIN_NODES_BY_TIER.T3
    } at T3 (three zones), in every environment. Representative node: 2 vCPU / 8 GiB (m6i.large on EKS, e2-standard-2 on GKE, D2s_v5 on AKS, the AWS figure for platform-agnostic clusters).${
      resized
        ? ` Where the DaemonSets would take more than ${pct(
            MAX_DAEMONSET_SHARE,
          )} of its usable capacity, or the largest pod does not fit next to them, the cluster is priced on the smallest larger size of the same family (same price per vCPU; which and why: see the assumptions).`
        : ''
    }`,
    `Mesh sidecars add their requests to every pod (Istio +100m CPU / 128Mi, Linkerd +10m / 32Mi).${
      plan.mesh !== 'none' ? ` This plan uses ${plan.mesh}.` : ''
    } Control plane: one per cluster (AKS Free tier at T1, Standard from T2). Load balancer: one per environment and cluster when a Kubernetes service is public (ALB hours + LCU-hours = max(egress GB, requests / 90,000); GCP forwarding rule; Azure Standard LB hours + data processed). NAT gateway: one per environment and cluster from T2 (private nodes), processing ${pct(
      NAT_EGRESS_SHARE,
    )} of the environment's egress (pod-initiated traffic; responses to clients leave through the load balancer). Volumes: PVC size × StatefulSet replicas × the disk price (Azure rounds up to the managed disk tier).`,
    `Usage model (spec.usage; defaults 1,000,000 requests/month, 200 ms, 100 GB egress/month): production environments carry ${pct(
      PRODUCTION_USAGE_SHARE,
    )} of requests and egress, every other environment ${pct(
      NON_PRODUCTION_USAGE_SHARE,
    )}. With several clusters (multi-cloud) the traffic is split evenly between them.`,
    `Serverless: every event-driven function is invoked requestsPerMonth times (expected and high: one event passes through each function) or requestsPerMonth / number of event-driven functions (low), for averageDurationMs each; scheduled functions run as often as their cron schedule (daily = 30, hourly = 730 a month) in every environment, for timeoutSeconds (expected, high) or averageDurationMs (low). Lambda: arm64 (the SAM default of the package), requests + GB-s (memoryMB / 1024), HTTP functions add API Gateway HTTP API requests. Azure Functions: Flex Consumption (what the package deploys), executions + GB-s on the instance memory size, billed time rounded up to 100 ms (1 s minimum for scheduled runs). Cloud Run / Cloud Functions gen2: requests + vCPU-s + GiB-s, request-based billing, rounded up to 100 ms, no concurrency overlap (upper bound). Knative (platform-agnostic): the functions' pod time is packed on the cluster's nodes.`,
    `Not priced: node boot disks, container registry, logs and metrics, DNS, secrets and key management, event sources (SQS, S3, EventBridge, Event Grid, Pub/Sub), inter-zone traffic, the mesh control plane, support plans and taxes.`,
  ].join('\n');
}

/**
 * Estimates the monthly cost of a deployment plan: every environment (or
 * those given), per cluster and per serverless function, with a low and
 * high range and recommendations with savings. See `method` of the result.
 *
 * @public
 */
export function estimateCost(
  plan: DeploymentPlan,
  options: EstimateCostOptions = {},
): CostEstimate {
  const environments = options.environments ?? plan.environments;
  const unknown = environments.filter(e => !plan.environments.includes(e));
  if (unknown.length > 0) {
    throw new Error(
      `unknown environment(s) ${unknown.join(
        ', ',
      )} (the plan has ${plan.environments.join(', ')})`,
    );
  }
  const expected = runScenario(plan, environments, 'expected');
  const low = runScenario(plan, environments, 'low');
  const high = runScenario(plan, environments, 'high');

  const lines: CostLine[] = expected.lines.map(
    ({ allocation: _allocation, ...rest }) => rest,
  );

  const byCategory: Record<string, number> = {};
  const byEnvironment: Record<string, number> = {};
  for (const l of lines) {
    byCategory[l.category] = roundCents(
      (byCategory[l.category] ?? 0) + l.monthlyCost,
    );
    byEnvironment[l.environment] = roundCents(
      (byEnvironment[l.environment] ?? 0) + l.monthlyCost,
    );
  }
  const total = sum(lines.map(l => l.monthlyCost));

  // byService: lines of a service, plus its requested share of node lines;
  // everything else (unrequested capacity included) is shared.
  const byService: Record<string, number> = {};
  for (const l of expected.lines) {
    if (l.service) {
      byService[l.service] = roundCents(
        (byService[l.service] ?? 0) + l.monthlyCost,
      );
    }
    for (const [service, share] of Object.entries(l.allocation ?? {})) {
      byService[service] = roundCents(
        (byService[service] ?? 0) + l.monthlyCost * share,
      );
    }
  }
  const allocated = sum(Object.values(byService));
  byService[SHARED_COST_KEY] = roundCents(total - allocated);

  const providers = clusterProvidersOf(plan);
  const usage = plan.architecture.spec.usage;
  const assumptions: string[] = [
    `Prices are list prices of ${PRICING.asOf}; free tiers (Lambda 1M requests + 400,000 GB-s, Cloud Run and Azure Functions grants, the GKE cluster credit, egress allowances) are noted in the pricing snapshot but not applied.`,
    `Usage split: production environments ${Math.round(
      PRODUCTION_USAGE_SHARE * 100,
    )}% of spec.usage (${usage.requestsPerMonth.toLocaleString(
      'en-US',
    )} requests/month, ${usage.averageDurationMs} ms, ${
      usage.egressGBPerMonth
    } GB egress/month), other environments ${Math.round(
      NON_PRODUCTION_USAGE_SHARE * 100,
    )}%.`,
  ];
  if (providers.length > 0) {
    assumptions.push(
      `HPA assumption: expected replicas = min + ${Math.round(
        HPA_EXPECTED_FRACTION * 100,
      )}% of (max - min); low = min, high = max.`,
      `One cluster per environment${
        providers.length > 1
          ? ` and per provider (${providers.join(
              ', ',
            )}: every provider runs a full copy, traffic split evenly)`
          : ''
      }; the tier's minimum node count (${MIN_NODES_BY_TIER[plan.tier]} at ${
        plan.tier
      }) applies to every environment.`,
    );
    if (plan.tier !== 'T1') {
      assumptions.push(
        `From T2 nodes are assumed private: one NAT gateway per environment and cluster, processing ${Math.round(
          NAT_EGRESS_SHARE * 100,
        )}% of the environment's egress.`,
      );
    }
  }
  if (providers.includes('eks') && plan.tier !== 'T1') {
    assumptions.push(
      'EKS from T2: the package provisions nodes with a Karpenter NodePool that may choose spot (and arm64 when every image is built by the package); the estimate prices on-demand x86 nodes, an upper bound that the spot-nodes and arm64-nodes recommendations quantify.',
    );
  }
  if (serverlessFunctions(plan).some(isScheduled)) {
    assumptions.push(
      'Scheduled functions are invoked as often as their cron schedule says (not usage.requestsPerMonth) and run for timeoutSeconds (an upper bound; low estimate: averageDurationMs).',
    );
  }
  if (serverlessFunctions(plan).filter(s => !isScheduled(s)).length > 1) {
    assumptions.push(
      'Event-driven functions: each receives usage.requestsPerMonth invocations (one event passes through every function of the pipeline); the low estimate splits the requests evenly between them.',
    );
  }
  assumptions.push(...[...expected.assumptions].sort());
  if (plan.cloud === 'multi-cloud' && serverlessFunctions(plan).length > 0) {
    assumptions.push(
      'multi-cloud: functions are priced on AWS Lambda; the Knative alternative of the package runs on the clusters and is not priced separately.',
    );
  }
  if (functionsOn(plan, 'azure-functions').length > 0) {
    assumptions.push(
      `Azure Functions are priced on Flex Consumption (what the package deploys); the legacy Consumption plan would be $${SERVERLESS_PRICING.azureFunctionsConsumption.gbSecond.price}/GB-s and $${SERVERLESS_PRICING.azureFunctionsConsumption.executions.price} per million executions.`,
    );
  }
  if (functionsOn(plan, 'cloud-run').length > 0) {
    assumptions.push(
      'GCP functions on Cloud Run (HTTP functions and images) are priced as Cloud Run request-based billing at the vCPU the package configures for Cloud Run services (1 vCPU up to 4 GiB).',
    );
  }
  if (functionsOn(plan, 'cloud-functions').length > 0) {
    assumptions.push(
      'GCP event functions deployed to Cloud Functions (gen2) are priced at Cloud Run rates with the CPU Cloud Functions allocates to their memory (cost/pricing.ts).',
    );
  }

  return {
    currency: 'USD',
    pricingDate: PRICING.asOf,
    method: methodText(
      plan,
      expected.clusters.some(c => c.node !== PROVIDER_PRICING[c.provider].node),
    ),
    assumptions,
    lines,
    byCategory,
    byService,
    byEnvironment,
    total,
    low: sum(low.lines.map(l => l.monthlyCost)),
    high: sum(high.lines.map(l => l.monthlyCost)),
    recommendations: recommendationsFor(expected, low),
  };
}
