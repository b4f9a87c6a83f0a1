import { Architecture, Service } from '../spec/normalize';
import { Cloud, Tier } from '../spec/schema';
import type { ImageProfile } from './imageProfiles';

/**
 * The skills, in the order they run (dependencies first): the six that the
 * platform decides, then gitops-generator when `spec.gitops` asks for Argo
 * CD or Flux. It runs last because its definitions sync what the others
 * wrote (the manifests, the Helm chart, the provider overlays).
 *
 * @public
 */
export const SKILL_ORDER = [
  'container-image-optimizer',
  'kubernetes-manifest-generator',
  'kubernetes-helm-builder',
  'kubernetes-servicemesh-configurator',
  'cloud-serverless-designer',
  'cloud-kubernetes-integrator',
  'gitops-generator',
] as const;

/** @public */
export type SkillId = (typeof SKILL_ORDER)[number];

/**
 * A rule that fired, with the rationale it adds to the plan.
 *
 * @public
 */
export interface RuleDecision {
  /** Stable rule id, for example `PLAT-010`; see docs/decision-rules.md */
  ruleId: string;
  rationale: string;
}

/** @public */
export interface PlannedSkill {
  id: SkillId;
  /** Why the skill runs, in a sentence */
  reason: string;
  ruleIds: string[];
  /** Skills whose output this one reads */
  dependsOn: SkillId[];
}

/** @public */
export type ResolvedStrategy =
  | 'rolling'
  | 'recreate'
  | 'blue-green'
  | 'canary'
  | 'ab-testing'
  | 'none';

/**
 * The Kubernetes object (or serverless function) a service becomes.
 *
 * @public
 */
export type WorkloadObjectKind =
  | 'Deployment'
  | 'Rollout'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'Function';

/** @public */
export interface ServicePlan {
  name: string;
  /** Where the service runs */
  runtime: 'kubernetes' | 'serverless';
  objectKind: WorkloadObjectKind;
  strategy: ResolvedStrategy;
  /** True when the container skill writes a Dockerfile for it */
  buildsImage: boolean;
  /** Image reference used by workloads (prebuilt or built by the package) */
  image: string;
  /** High traffic: public with variable or burst scaling */
  highTraffic: boolean;
  /** Critical: other services depend on it */
  critical: boolean;
  decisions: RuleDecision[];
  /** What its prebuilt image needs to run (IMAGE-001); unset for built images and undescribed ones */
  imageProfile?: ImageProfile;
  service: Service;
}

/**
 * What a tier switches on.
 *
 * @public
 */
export interface TierFeatures {
  securityHardening: boolean;
  costOptimization: boolean;
  observability: boolean;
  disasterRecovery: boolean;
  compliance: boolean;
  multiZoneHA: boolean;
  podDisruptionBudgets: boolean;
  networkPolicies: boolean;
  topologySpread: boolean;
  /** Pod Security Admission level of the namespace */
  podSecurity: 'baseline' | 'restricted';
  /** RollingUpdate maxUnavailable for Deployments */
  maxUnavailable: string | number;
}

/** @public */
export interface PlanQuestion {
  id: string;
  question: string;
  /** What the plan assumes until someone answers */
  assumption: string;
}

/** @public */
export type ClusterProvider = 'eks' | 'gke' | 'aks' | 'generic';

/**
 * The plan: every decision the rules made, before anything is generated.
 *
 * @public
 */
export interface DeploymentPlan {
  name: string;
  platform: 'kubernetes' | 'serverless' | 'hybrid';
  cloud: Cloud;
  region: string;
  /** Clusters the package targets (several for multi-cloud) */
  clusterProviders: ClusterProvider[];
  tier: Tier;
  tierFeatures: TierFeatures;
  environments: string[];
  namespace: string;
  mesh: 'istio' | 'linkerd' | 'none';
  /** What shifts traffic for canary / A-B: the mesh or the ingress controller */
  trafficRouter: 'istio' | 'linkerd' | 'alb' | 'nginx' | 'none';
  ingress: 'alb' | 'gke' | 'application-routing' | 'nginx';
  packaging: 'manifests' | 'helm';
  gitops: 'none' | 'argocd' | 'flux';
  skills: PlannedSkill[];
  services: ServicePlan[];
  decisions: RuleDecision[];
  questions: PlanQuestion[];
  complexity: { level: 'low' | 'medium' | 'high'; score: number; why: string };
  architecture: Architecture;
}
