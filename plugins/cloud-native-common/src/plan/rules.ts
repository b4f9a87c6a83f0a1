import {
  Architecture,
  clusterServicePort,
  defaultProtocol,
  Service,
  SERVERLESS_MAX_TIMEOUT_SECONDS,
} from '../spec/normalize';
import { Cloud, Tier } from '../spec/schema';
import { ImageProfile, imageProfileOf, NON_ROOT_UID } from './imageProfiles';
import {
  ClusterProvider,
  DeploymentPlan,
  PlannedSkill,
  PlanQuestion,
  ResolvedStrategy,
  RuleDecision,
  ServicePlan,
  SkillId,
  SKILL_ORDER,
  TierFeatures,
  WorkloadObjectKind,
} from './types';

/**
 * The decision rules, each with a stable id. docs/decision-rules.md explains
 * every rule, its source, and how contradictions between the sources were
 * resolved. Pure and isomorphic: the template's live preview runs it in the
 * browser.
 */

/** @public */
export const DECISION_RULES = {
  'PLAT-001': 'An explicit spec.platform is honoured',
  'PLAT-010': 'Kubernetes when any service is stateful or long-running',
  'PLAT-011': 'Kubernetes when there are more than 5 services',
  'PLAT-012': 'Kubernetes when networking is complex',
  'PLAT-020':
    'Serverless when every service is a stateless function under 15 minutes, the architecture is event-driven and cost is a requirement',
  'PLAT-021':
    'Serverless when every service is a function under 15 minutes even without the event-driven/cost signals (asked as a question)',
  'PLAT-030':
    'Hybrid when functions run beside long-running services: core services on Kubernetes, event handlers serverless',
  'PLAT-031':
    'A function over the 15 minute serverless limit is rerouted to Kubernetes',
  'PLAT-040': 'Batch-only architectures (jobs and cron jobs) run on Kubernetes',
  'SKILL-001': 'Containerized workloads: container-image-optimizer runs first',
  'SKILL-002':
    'Serverless functions need an image for a custom runtime (php, static) or when they run as containers (Knative, Cloud Run)',
  'SKILL-010':
    'Kubernetes workloads: kubernetes-manifest-generator renders every object',
  'SKILL-011':
    '2 or more Kubernetes services, or several environments: kubernetes-helm-builder',
  'SKILL-012':
    'More than 5 services, or a mesh requested/needed: kubernetes-servicemesh-configurator',
  'SKILL-013': 'Serverless functions: cloud-serverless-designer',
  'SKILL-014':
    'A cloud-managed cluster (aws/azure/gcp/multi-cloud): cloud-kubernetes-integrator',
  'SKILL-015':
    'Hybrid: all six skills, except skills with nothing to generate (recorded)',
  'SKILL-016':
    'GitOps requested (spec.gitops argocd or flux): gitops-generator, after the skills whose output it syncs',
  'MESH-001': 'An explicit spec.mesh is honoured',
  'MESH-002':
    'mesh auto: more than 5 services get a mesh (Istio for T3 or compliance, Linkerd otherwise)',
  'MESH-003': 'mesh auto: A/B testing needs header routing, so Istio',
  'MESH-004': 'mesh auto: 5 services or fewer need no mesh',
  'TIER-T1': 'T1 basic: dev/staging, MVP',
  'TIER-T2':
    'T2 production: security hardening and cost optimization (PDB, NetworkPolicy, restricted PSA, maxUnavailable 0)',
  'TIER-T3':
    'T3 enterprise: observability, disaster recovery, compliance, multi-zone HA',
  'STRAT-001': 'An explicit strategy is honoured',
  'STRAT-010':
    'Stateful and daemon workloads use their native rolling update, never Argo Rollouts',
  'STRAT-011': 'Jobs, cron jobs and functions have no rollout strategy',
  'STRAT-020':
    'Canary with Argo Rollouts for high-traffic T3 services when a traffic router exists',
  'STRAT-021':
    'Blue-green for critical services (others depend on them) from T2',
  'STRAT-030':
    'Rolling update by default (maxUnavailable 0 from T2, maxSurge 25%)',
  'PKG-001':
    'Rendered manifests are always written; Helm wraps them when SKILL-011 fires',
  'PROTO-001': 'An explicit protocol is honoured',
  'PROTO-010':
    'tcp for a stateful service without an HTTP health path on its port (a database, cache or broker); its Service listens on its own port',
  'PROTO-020':
    'A tcp service gets no traffic routing and no HTTP analysis: a canary is weighted by replicas, blue-green switches the Service selector',
  'IMAGE-001':
    "A prebuilt image runs as its profile says (user, data directory, writable paths, probes): the spec's imageProfile, else the well-known profile of the image",
  'STATE-001':
    'A data store whose image does not replicate by itself runs one replica: several would be independent servers behind one Service (asked as a question)',
} as const;

/** @public */
export type DecisionRuleId = keyof typeof DECISION_RULES;

const TIER_COMPLEXITY: Record<Tier, number> = { T1: 0, T2: 1, T3: 3 };
const LONG_RUNNING = new Set(['service', 'worker', 'stateful', 'daemon']);
const CUSTOM_RUNTIME_LANGUAGES = new Set(['php', 'static']);
const MANAGED_CLOUDS = new Set(['aws', 'gcp', 'azure', 'multi-cloud']);

/**
 * Functions whose serverless target runs a container image rather than a
 * zip package: Knative Services (platform-agnostic, and the Knative variant
 * of multi-cloud) and Cloud Run (HTTP functions on Google Cloud).
 */
function runsAsContainer(service: Service, cloud: Cloud): boolean {
  if (service.workload !== 'function') return false;
  if (cloud === 'platform-agnostic' || cloud === 'multi-cloud') return true;
  return cloud === 'gcp' && service.trigger?.type === 'http';
}

function decision(ruleId: DecisionRuleId, detail?: string): RuleDecision {
  return {
    ruleId,
    rationale: detail
      ? `${DECISION_RULES[ruleId]}: ${detail}`
      : DECISION_RULES[ruleId],
  };
}

/** @public */
export function tierFeatures(tier: Tier): TierFeatures {
  const t2 = tier !== 'T1';
  const t3 = tier === 'T3';
  return {
    securityHardening: t2,
    costOptimization: t2,
    observability: t3,
    disasterRecovery: t3,
    compliance: t3,
    multiZoneHA: t3,
    podDisruptionBudgets: t2,
    networkPolicies: t2,
    topologySpread: t3,
    podSecurity: t2 ? 'restricted' : 'baseline',
    maxUnavailable: t2 ? 0 : '25%',
  };
}

/** Functions that fit a serverless platform's limits. */
function fitsServerless(service: Service): boolean {
  return (
    service.workload === 'function' &&
    (service.timeoutSeconds ?? 0) <= SERVERLESS_MAX_TIMEOUT_SECONDS
  );
}

/**
 * Complex networking: a dependency graph dense enough that retries, mTLS and
 * traffic policy per edge matter (any service with 3+ dependencies, or more
 * than 5 edges in all), or a mesh requested explicitly.
 */
function complexNetworking(architecture: Architecture): string | undefined {
  const { services, mesh } = architecture.spec;
  if (mesh === 'istio' || mesh === 'linkerd') {
    return `mesh ${mesh} requested`;
  }
  const edges = services.reduce((n, s) => n + s.dependsOn.length, 0);
  const hub = services.find(s => s.dependsOn.length >= 3);
  if (hub) {
    return `'${hub.name}' depends on ${hub.dependsOn.length} services`;
  }
  if (edges > 5) {
    return `${edges} dependencies between services`;
  }
  return undefined;
}

interface PlatformChoice {
  platform: DeploymentPlan['platform'];
  decisions: RuleDecision[];
  questions: PlanQuestion[];
  /** Functions rerouted to Kubernetes */
  rerouted: Set<string>;
}

function choosePlatform(architecture: Architecture): PlatformChoice {
  const { services, platform, type, requirements } = architecture.spec;
  const decisions: RuleDecision[] = [];
  const questions: PlanQuestion[] = [];
  const rerouted = new Set<string>();
  const functions = services.filter(s => s.workload === 'function');
  for (const fn of functions) {
    if (!fitsServerless(fn) && platform !== 'serverless') {
      rerouted.add(fn.name);
      decisions.push(
        decision(
          'PLAT-031',
          `'${fn.name}' needs ${fn.timeoutSeconds} s; it runs as a Kubernetes ${
            fn.trigger?.type === 'schedule' ? 'CronJob' : 'Deployment'
          } instead`,
        ),
      );
    }
  }
  if (platform !== 'auto') {
    decisions.push(decision('PLAT-001', `platform ${platform}`));
    if (platform === 'kubernetes') {
      functions.forEach(f => rerouted.add(f.name));
    }
    return { platform, decisions, questions, rerouted };
  }

  const serverlessFunctions = functions.filter(f => !rerouted.has(f.name));
  const kubernetesServices = services.filter(
    s => s.workload !== 'function' || rerouted.has(s.name),
  );
  const longRunning = services.filter(s => LONG_RUNNING.has(s.workload));

  if (kubernetesServices.length === 0) {
    const eventDriven = type === 'event-driven';
    const cost = requirements.includes('cost');
    if (eventDriven && cost) {
      decisions.push(
        decision(
          'PLAT-020',
          `${functions.length} function(s), event-driven, cost required`,
        ),
      );
    } else {
      decisions.push(
        decision(
          'PLAT-021',
          `${functions.length} function(s)${
            eventDriven ? '' : `, architecture type ${type}`
          }${cost ? '' : ', cost not listed'}`,
        ),
      );
      questions.push({
        id: 'Q-PLATFORM-SERVERLESS',
        question:
          'Every service is a function, but the architecture is not event-driven with a cost requirement. Serverless or Kubernetes?',
        assumption:
          'Serverless (set spec.platform: kubernetes to run the functions as containers)',
      });
    }
    return { platform: 'serverless', decisions, questions, rerouted };
  }

  if (serverlessFunctions.length > 0) {
    decisions.push(
      decision(
        'PLAT-030',
        `${kubernetesServices.length} service(s) on Kubernetes, ${serverlessFunctions.length} function(s) serverless`,
      ),
    );
    return { platform: 'hybrid', decisions, questions, rerouted };
  }

  if (longRunning.length > 0) {
    const stateful = longRunning.filter(s => s.workload === 'stateful');
    decisions.push(
      decision(
        'PLAT-010',
        stateful.length > 0
          ? `stateful: ${stateful.map(s => s.name).join(', ')}`
          : `long-running: ${longRunning.map(s => s.name).join(', ')}`,
      ),
    );
  }
  if (services.length > 5) {
    decisions.push(decision('PLAT-011', `${services.length} services`));
  }
  const networking = complexNetworking(architecture);
  if (networking) {
    decisions.push(decision('PLAT-012', networking));
  }
  if (longRunning.length === 0 && services.length <= 5 && !networking) {
    decisions.push(
      decision(
        'PLAT-040',
        services.map(s => `${s.name} (${s.workload})`).join(', '),
      ),
    );
  }
  return { platform: 'kubernetes', decisions, questions, rerouted };
}

function chooseMesh(
  architecture: Architecture,
  kubernetesServiceCount: number,
): { mesh: DeploymentPlan['mesh']; decisions: RuleDecision[] } {
  const { mesh, tier, requirements, services } = architecture.spec;
  if (kubernetesServiceCount === 0) {
    return { mesh: 'none', decisions: [] };
  }
  if (mesh !== 'auto') {
    return { mesh, decisions: [decision('MESH-001', `mesh ${mesh}`)] };
  }
  if (services.some(s => s.strategy === 'ab-testing')) {
    return { mesh: 'istio', decisions: [decision('MESH-003')] };
  }
  if (services.length > 5) {
    const istio = tier === 'T3' || requirements.includes('compliance');
    return {
      mesh: istio ? 'istio' : 'linkerd',
      decisions: [
        decision(
          'MESH-002',
          `${services.length} services, ${tier}${
            requirements.includes('compliance') ? ', compliance' : ''
          } → ${istio ? 'Istio' : 'Linkerd'}`,
        ),
      ],
    };
  }
  return {
    mesh: 'none',
    decisions: [decision('MESH-004', `${services.length} service(s)`)],
  };
}

function objectKind(
  service: Service,
  runtime: ServicePlan['runtime'],
  strategy: ResolvedStrategy,
): WorkloadObjectKind {
  if (runtime === 'serverless') return 'Function';
  switch (service.workload) {
    case 'stateful':
      return 'StatefulSet';
    case 'daemon':
      return 'DaemonSet';
    case 'job':
      return 'Job';
    case 'cronjob':
      return 'CronJob';
    case 'function':
      return service.trigger?.type === 'schedule' ? 'CronJob' : 'Deployment';
    default:
      return strategy === 'canary' ||
        strategy === 'blue-green' ||
        strategy === 'ab-testing'
        ? 'Rollout'
        : 'Deployment';
  }
}

function chooseStrategy(
  service: Service,
  runtime: ServicePlan['runtime'],
  context: {
    tier: Tier;
    trafficRouter: DeploymentPlan['trafficRouter'];
    highTraffic: boolean;
    critical: boolean;
    dependents: string[];
  },
): { strategy: ResolvedStrategy; decisions: RuleDecision[] } {
  const batchLike =
    runtime === 'serverless' ||
    service.workload === 'job' ||
    service.workload === 'cronjob' ||
    (service.workload === 'function' && service.trigger?.type === 'schedule');
  if (batchLike) {
    return {
      strategy: 'none',
      decisions: [decision('STRAT-011', `${service.workload}`)],
    };
  }
  if (service.strategy !== 'auto') {
    return {
      strategy: service.strategy,
      decisions: [decision('STRAT-001', service.strategy)],
    };
  }
  if (service.workload === 'stateful' || service.workload === 'daemon') {
    return {
      strategy: 'rolling',
      decisions: [
        decision(
          'STRAT-010',
          service.workload === 'stateful'
            ? 'StatefulSet RollingUpdate with OrderedReady pods'
            : 'DaemonSet RollingUpdate node by node',
        ),
      ],
    };
  }
  if (
    context.tier === 'T3' &&
    context.highTraffic &&
    context.trafficRouter !== 'none'
  ) {
    return {
      strategy: 'canary',
      decisions: [
        decision(
          'STRAT-020',
          `public, ${service.scaling} scaling, traffic router ${context.trafficRouter}`,
        ),
      ],
    };
  }
  if (context.tier !== 'T1' && context.critical) {
    return {
      strategy: 'blue-green',
      decisions: [
        decision(
          'STRAT-021',
          `depended on by ${context.dependents.join(', ')}`,
        ),
      ],
    };
  }
  return {
    strategy: 'rolling',
    decisions: [
      decision(
        'STRAT-030',
        context.tier === 'T1' ? 'maxUnavailable 25%' : 'maxUnavailable 0',
      ),
    ],
  };
}

/**
 * Why a Kubernetes service speaks what it speaks: recorded when it is not
 * plain HTTP by default (HTTP needs no rationale), plus what a tcp Rollout
 * loses.
 */
function protocolDecisions(
  service: Service,
  runtime: ServicePlan['runtime'],
  strategy: ResolvedStrategy,
  context: { trafficRouter: DeploymentPlan['trafficRouter'] },
): RuleDecision[] {
  if (runtime !== 'kubernetes' || service.port === undefined) return [];
  const decisions: RuleDecision[] = [];
  const port = clusterServicePort(service);
  if (service.protocol !== defaultProtocol(service)) {
    decisions.push(
      decision(
        'PROTO-001',
        `${service.protocol}${
          service.protocol === 'http' ? '' : `, Service port ${port}`
        }`,
      ),
    );
  } else if (service.protocol !== 'http') {
    decisions.push(decision('PROTO-010', `${port}`));
  }
  if (
    service.protocol === 'tcp' &&
    (strategy === 'canary' || strategy === 'blue-green')
  ) {
    decisions.push(
      decision(
        'PROTO-020',
        strategy === 'canary'
          ? `canary by replica count${
              context.trafficRouter === 'none'
                ? ''
                : ` (${context.trafficRouter} weighs HTTP requests, not pooled TCP connections)`
            }`
          : 'blue-green without pre-promotion analysis',
      ),
    );
  }
  return decisions;
}

function imageReference(architecture: Architecture, service: Service): string {
  if (service.image) return service.image;
  const prefix =
    architecture.spec.registry ??
    `registry.example.com/${architecture.metadata.name}`;
  return `${prefix}/${service.name}:1.0.0`;
}

function clusterProviders(architecture: Architecture): ClusterProvider[] {
  switch (architecture.spec.cloud) {
    case 'aws':
      return ['eks'];
    case 'gcp':
      return ['gke'];
    case 'azure':
      return ['aks'];
    case 'multi-cloud':
      return ['eks', 'gke', 'aks'];
    default:
      return ['generic'];
  }
}

function ingressFor(
  cloud: Architecture['spec']['cloud'],
): DeploymentPlan['ingress'] {
  switch (cloud) {
    case 'aws':
      return 'alb';
    case 'gcp':
      return 'gke';
    case 'azure':
      return 'application-routing';
    default:
      return 'nginx';
  }
}

/** Who routes a public service's traffic: the mesh, else ALB or nginx. */
function trafficRouterFor(
  mesh: DeploymentPlan['mesh'],
  ingress: DeploymentPlan['ingress'],
  hasPublic: boolean,
): DeploymentPlan['trafficRouter'] {
  if (mesh !== 'none') return mesh;
  if (hasPublic && (ingress === 'alb' || ingress === 'nginx')) return ingress;
  return 'none';
}

/** The services that depend on each service, in spec order. */
function dependentsOf(services: ReadonlyArray<Service>): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const service of services) {
    for (const dependency of service.dependsOn) {
      dependents.set(dependency, [
        ...(dependents.get(dependency) ?? []),
        service.name,
      ]);
    }
  }
  return dependents;
}

/** The plan-wide choices every service's plan reads. */
interface ServicePlanContext {
  platform: DeploymentPlan['platform'];
  /** Functions the platform rules moved to Kubernetes */
  rerouted: ReadonlySet<string>;
  mesh: DeploymentPlan['mesh'];
  trafficRouter: DeploymentPlan['trafficRouter'];
  dependents: Map<string, string[]>;
}

function runtimeOf(
  service: Service,
  { platform, rerouted }: Pick<ServicePlanContext, 'platform' | 'rerouted'>,
): ServicePlan['runtime'] {
  return service.workload === 'function' &&
    platform !== 'kubernetes' &&
    !rerouted.has(service.name)
    ? 'serverless'
    : 'kubernetes';
}

/** One service's runtime, strategy, image and the rules that chose them. */
function planService(
  architecture: Architecture,
  specService: Service,
  context: ServicePlanContext,
): ServicePlan {
  const { spec } = architecture;
  const { platform, rerouted, mesh, trafficRouter } = context;
  const runtime = runtimeOf(specService, context);
  const imageProfile =
    runtime === 'kubernetes' ? imageProfileOf(specService) : undefined;
  const service = replicatedAsPlanned(specService, imageProfile);
  const serviceDependents = context.dependents.get(service.name) ?? [];
  const highTraffic =
    service.expose === 'public' &&
    (service.scaling === 'variable' || service.scaling === 'burst');
  const critical = serviceDependents.length >= 2;
  // Routers weigh HTTP requests; a TCP client pools long-lived connections,
  // so a per-connection weight would mean little (PROTO-020)
  const routerForHttp = service.expose === 'public' ? trafficRouter : mesh;
  const routerForService = service.protocol === 'tcp' ? 'none' : routerForHttp;
  const { strategy, decisions: strategyDecisions } = chooseStrategy(
    service,
    runtime,
    {
      tier: spec.tier,
      trafficRouter: routerForService,
      highTraffic,
      critical,
      dependents: serviceDependents,
    },
  );
  const serviceDecisions = [
    ...strategyDecisions,
    ...protocolDecisions(service, runtime, strategy, {
      trafficRouter: routerForHttp,
    }),
  ];
  const buildsImage =
    !service.image &&
    (runtime === 'kubernetes' ||
      CUSTOM_RUNTIME_LANGUAGES.has(service.language ?? '') ||
      runsAsContainer(service, spec.cloud));
  if (buildsImage) {
    serviceDecisions.unshift(
      decision(
        runtime === 'kubernetes' ? 'SKILL-001' : 'SKILL-002',
        `${service.language} image`,
      ),
    );
  }
  if (imageProfile) {
    serviceDecisions.unshift(decision('IMAGE-001', imageProfile.name));
  }
  if (service !== specService) {
    serviceDecisions.push(
      decision(
        'STATE-001',
        `'${service.name}' asks for ${specService.replicas.min} replicas; replication needs ${imageProfile?.replication}`,
      ),
    );
  }
  if (rerouted.has(service.name) && service.workload === 'function') {
    serviceDecisions.unshift(
      decision(
        platform === 'kubernetes' ? 'PLAT-001' : 'PLAT-031',
        `function '${service.name}' runs on Kubernetes`,
      ),
    );
  }
  return {
    name: service.name,
    runtime,
    objectKind: objectKind(service, runtime, strategy),
    strategy,
    buildsImage,
    image: imageReference(architecture, service),
    highTraffic,
    critical,
    decisions: serviceDecisions,
    ...(imageProfile ? { imageProfile } : {}),
    service,
  };
}

/**
 * The service with the replicas it can have (STATE-001): a data store whose
 * image does not form a cluster by itself runs one replica, whatever the
 * spec asks; the plan asks about replication instead (planQuestions).
 */
function replicatedAsPlanned(
  service: Service,
  profile: ImageProfile | undefined,
): Service {
  if (
    service.workload !== 'stateful' ||
    !profile?.replication ||
    service.replicas.max <= 1
  ) {
    return service;
  }
  return { ...service, replicas: { min: 1, max: 1 } };
}

/** The questions the plan's assumptions answer (after the platform's). */
function planQuestions(
  spec: Architecture['spec'],
  services: ReadonlyArray<ServicePlan>,
  mesh: DeploymentPlan['mesh'],
  hasPublic: boolean,
): PlanQuestion[] {
  const questions: PlanQuestion[] = [];
  if (services.some(s => s.strategy === 'ab-testing') && mesh === 'none') {
    questions.push({
      id: 'Q-AB-NO-MESH',
      question: 'A/B testing needs a mesh for header routing; which mesh?',
      assumption: 'none: the A/B service is deployed as blue-green',
    });
  }
  if (spec.cloud === 'platform-agnostic' && hasPublic) {
    questions.push({
      id: 'Q-INGRESS-CONTROLLER',
      question: 'Which ingress controller runs in the target clusters?',
      assumption: 'ingress-nginx (IngressClass nginx)',
    });
  }
  if (spec.cloud === 'multi-cloud') {
    questions.push({
      id: 'Q-MULTI-CLOUD-PROVIDERS',
      question: 'Which providers does multi-cloud mean for this application?',
      assumption: 'EKS, GKE and AKS, one kustomize overlay each',
    });
  }
  for (const service of services) {
    const replication = service.decisions.find(d => d.ruleId === 'STATE-001');
    if (replication) {
      questions.push({
        id: `Q-STATEFUL-REPLICATION-${service.name}`,
        question: `'${service.name}' asks for several replicas of ${service.imageProfile?.name}, which does not replicate by itself: run ${service.imageProfile?.replication}?`,
        assumption:
          'one replica (a StatefulSet without replication); a managed service is recommended for production',
      });
    } else if (
      service.service.workload === 'stateful' &&
      service.service.replicas.min < 2 &&
      spec.tier !== 'T1'
    ) {
      questions.push({
        id: `Q-STATEFUL-HA-${service.name}`,
        question: `'${service.name}' is stateful with ${service.service.replicas.min} replica at ${spec.tier}: is a managed database an option?`,
        assumption: 'a single-replica StatefulSet (no HA)',
      });
    }
    if (
      service.runtime === 'kubernetes' &&
      service.service.image &&
      !service.imageProfile
    ) {
      questions.push({
        id: `Q-IMAGE-PROFILE-${service.name}`,
        question: `Which user does '${service.service.image}' run as, where does it keep its data, and does it run with a read-only root file system? (declare imageProfile on '${service.name}')`,
        assumption: `the hardening of the images this package builds: uid ${NON_ROOT_UID}, read-only root, writable /tmp${
          service.service.workload === 'stateful' ? ', data at /data' : ''
        }`,
      });
    }
  }
  return questions;
}

/** A rough score of what there is to run: services, state, mesh, clouds. */
function complexityOf(
  spec: Architecture['spec'],
  platform: DeploymentPlan['platform'],
  mesh: DeploymentPlan['mesh'],
): DeploymentPlan['complexity'] {
  const score =
    spec.services.length +
    2 * spec.services.filter(s => s.workload === 'stateful').length +
    (mesh !== 'none' ? 3 : 0) +
    (platform === 'hybrid' ? 3 : 0) +
    (spec.environments.length - 1) +
    TIER_COMPLEXITY[spec.tier] +
    (spec.cloud === 'multi-cloud' ? 3 : 0);
  let level: DeploymentPlan['complexity']['level'] = 'high';
  if (score <= 5) level = 'low';
  else if (score <= 14) level = 'medium';
  return {
    level,
    score,
    why: `${spec.services.length} services, ${platform}, ${spec.tier}, ${
      spec.environments.length
    } environment(s)${mesh !== 'none' ? `, ${mesh}` : ''}`,
  };
}

/**
 * Applies the decision rules to a normalized architecture.
 *
 * @public
 */
export function createPlan(architecture: Architecture): DeploymentPlan {
  const { spec } = architecture;
  const decisions: RuleDecision[] = [];

  const platformChoice = choosePlatform(architecture);
  decisions.push(...platformChoice.decisions);
  const { platform, rerouted } = platformChoice;

  const kubernetesServices = spec.services.filter(
    s => runtimeOf(s, { platform, rerouted }) === 'kubernetes',
  );
  const serverlessCount = spec.services.length - kubernetesServices.length;

  const meshChoice = chooseMesh(architecture, kubernetesServices.length);
  decisions.push(...meshChoice.decisions);
  const mesh = meshChoice.mesh;
  const ingress = ingressFor(spec.cloud);
  const hasPublic = kubernetesServices.some(s => s.expose === 'public');
  const trafficRouter = trafficRouterFor(mesh, ingress, hasPublic);

  decisions.push(decision(`TIER-${spec.tier}` as DecisionRuleId));

  const context: ServicePlanContext = {
    platform,
    rerouted,
    mesh,
    trafficRouter,
    dependents: dependentsOf(spec.services),
  };
  const services = spec.services.map(service =>
    planService(architecture, service, context),
  );

  const skills = chooseSkills(architecture, {
    platform,
    services,
    kubernetesCount: kubernetesServices.length,
    serverlessCount,
    mesh,
  });
  decisions.push(...skills.decisions);

  return {
    name: architecture.metadata.name,
    platform,
    cloud: spec.cloud,
    region: spec.region,
    clusterProviders:
      kubernetesServices.length > 0 ? clusterProviders(architecture) : [],
    tier: spec.tier,
    tierFeatures: tierFeatures(spec.tier),
    environments: spec.environments,
    namespace: architecture.metadata.name,
    mesh,
    trafficRouter,
    ingress,
    packaging: skills.skills.some(s => s.id === 'kubernetes-helm-builder')
      ? 'helm'
      : 'manifests',
    gitops: spec.gitops,
    skills: skills.skills,
    services,
    decisions,
    questions: [
      ...platformChoice.questions,
      ...planQuestions(spec, services, mesh, hasPublic),
    ],
    complexity: complexityOf(spec, platform, mesh),
    architecture,
  };
}

function chooseSkills(
  architecture: Architecture,
  context: {
    platform: DeploymentPlan['platform'];
    services: ServicePlan[];
    kubernetesCount: number;
    serverlessCount: number;
    mesh: DeploymentPlan['mesh'];
  },
): { skills: PlannedSkill[]; decisions: RuleDecision[] } {
  const { spec } = architecture;
  const chosen = new Map<SkillId, PlannedSkill>();
  const decisions: RuleDecision[] = [];
  const add = (
    id: SkillId,
    ruleId: DecisionRuleId,
    reason: string,
    dependsOn: SkillId[],
  ) => {
    const existing = chosen.get(id);
    if (existing) {
      existing.ruleIds.push(ruleId);
      return;
    }
    chosen.set(id, { id, reason, ruleIds: [ruleId], dependsOn });
    decisions.push(decision(ruleId, reason));
  };

  const images = context.services.filter(s => s.buildsImage);
  if (images.length > 0) {
    add(
      'container-image-optimizer',
      images.some(s => s.runtime === 'kubernetes') ? 'SKILL-001' : 'SKILL-002',
      `Dockerfiles for ${images.map(s => s.name).join(', ')}`,
      [],
    );
  }
  const withImages = (deps: SkillId[]) =>
    (images.length > 0 ? ['container-image-optimizer' as SkillId] : []).concat(
      deps,
    );
  if (context.kubernetesCount > 0) {
    add(
      'kubernetes-manifest-generator',
      'SKILL-010',
      `${context.kubernetesCount} Kubernetes workload(s)`,
      withImages([]),
    );
    if (context.kubernetesCount >= 2 || spec.environments.length > 1) {
      add(
        'kubernetes-helm-builder',
        'SKILL-011',
        spec.environments.length > 1
          ? `${spec.environments.length} environments (${spec.environments.join(
              ', ',
            )})`
          : `${context.kubernetesCount} services`,
        ['kubernetes-manifest-generator'],
      );
    }
    if (context.mesh !== 'none') {
      add(
        'kubernetes-servicemesh-configurator',
        'SKILL-012',
        `${context.mesh} for ${context.kubernetesCount} services`,
        ['kubernetes-manifest-generator'],
      );
    }
    if (MANAGED_CLOUDS.has(spec.cloud)) {
      // the overlays' base includes mesh/<env> when the mesh skill wrote it
      add(
        'cloud-kubernetes-integrator',
        'SKILL-014',
        `${spec.cloud} managed Kubernetes`,
        context.mesh === 'none'
          ? ['kubernetes-manifest-generator']
          : [
              'kubernetes-manifest-generator',
              'kubernetes-servicemesh-configurator',
            ],
      );
    }
  }
  if (context.serverlessCount > 0) {
    add(
      'cloud-serverless-designer',
      'SKILL-013',
      `${context.serverlessCount} function(s) on ${spec.cloud}`,
      withImages([]),
    );
  }
  if (spec.gitops !== 'none') {
    add(
      'gitops-generator',
      'SKILL-016',
      `${spec.gitops} definitions for every environment`,
      [...chosen.keys()].filter(id => id !== 'container-image-optimizer'),
    );
  }
  if (context.platform === 'hybrid') {
    // The six platform skills; GitOps is asked for by the spec, not derived
    const missing = SKILL_ORDER.filter(
      id => id !== 'gitops-generator' && !chosen.has(id),
    );
    decisions.push(
      decision(
        'SKILL-015',
        missing.length === 0
          ? 'all six skills run'
          : `not run, nothing to generate: ${missing.join(', ')}`,
      ),
    );
  }
  decisions.push(
    decision(
      'PKG-001',
      chosen.has('kubernetes-helm-builder')
        ? 'manifests per environment plus a Helm chart'
        : 'manifests only',
    ),
  );
  return {
    skills: SKILL_ORDER.filter(id => chosen.has(id)).map(id => chosen.get(id)!),
    decisions,
  };
}
