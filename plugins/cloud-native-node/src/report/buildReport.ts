import { createHash } from 'node:crypto';
import {
  DeploymentPlan,
  DeploymentReport,
  Finding,
  REPORT_API_VERSION,
  ToolCheck,
  TraceEntry,
} from '@internal/backstage-plugin-cloud-native-common';
import { CostEstimate } from '../cost';
import { GeneratedFile, SkillOutput } from '../core/types';
import { ENGINE_VERSION } from '../core/version';
import { rollbackCommands, statusCommand } from '../guide/facts';
import { clusterInstalls } from '../plan/install';
import { manifestDirectory, secretStoreName } from '../plan/names';

/** @internal */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Canonical JSON (sorted keys) so digests do not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${canonical(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** @internal */
export function specDigest(plan: DeploymentPlan): string {
  return sha256(canonical(plan.architecture));
}

function guide(
  plan: DeploymentPlan,
  paths: string[],
): DeploymentReport['deployment_guide'] {
  const ns = plan.namespace;
  const k8s = plan.services.filter(s => s.runtime === 'kubernetes');
  const prerequisites: string[] = [];
  const steps: string[] = [];
  const validation: string[] = [];
  const rollback: string[] = [];
  if (plan.services.some(s => s.buildsImage)) {
    prerequisites.push(
      'docker with buildx, push access to the image registry, trivy',
    );
    steps.push('Build, scan and push the images: see containers/BUILD.md');
  }
  if (k8s.length > 0) {
    prerequisites.push(
      `kubectl 1.30+ with access to the target cluster(s): ${plan.clusterProviders.join(
        ', ',
      )}`,
    );
    if (k8s.some(s => s.objectKind === 'Rollout')) {
      prerequisites.push(
        'Argo Rollouts controller and the kubectl argo rollouts plugin',
      );
    }
    if (k8s.some(s => s.service.secrets.length > 0)) {
      prerequisites.push(
        `External Secrets Operator with a ClusterSecretStore named ${secretStoreName(
          plan.name,
        )}`,
      );
    }
    for (const env of plan.environments) {
      // the install order of every path (skills/install): the namespace and
      // the cloud prerequisites of each cluster, then the workloads
      const installs = clusterInstalls(plan, env, paths);
      for (const install of installs) {
        const where =
          installs.length > 1 && install.cloud
            ? `${env} on ${install.cloud.provider}`
            : env;
        steps.push(
          `kubectl apply --server-side -k ${install.namespace}   # ${where}: the namespace first`,
          ...install.prerequisites.map(
            dir =>
              `kubectl apply --server-side -k ${dir}   # ${where}: cloud prerequisites`,
          ),
          ...(install.mesh
            ? [
                `kubectl apply --server-side -k ${install.mesh}   # ${where}: the mesh objects, before the workloads`,
              ]
            : []),
          `kubectl apply --server-side -k ${manifestDirectory(
            env,
          )}   # ${where}`,
        );
      }
    }
    // the guide's commands (guide/facts.ts): one wording, one timeout
    for (const service of k8s) {
      const status = statusCommand(
        { plan, ns },
        service,
        service.objectKind === 'Rollout',
      );
      if (status) validation.push(status);
      const undo = rollbackCommands(plan, service);
      if (undo.length > 0) rollback.push(undo.join(' && '));
    }
  }
  return { prerequisites, steps, validation, rollback };
}

function recommendations(
  plan: DeploymentPlan,
  findings: Finding[],
  cost: CostEstimate,
): DeploymentReport['recommendations'] {
  const out: DeploymentReport['recommendations'] = [];
  for (const rec of cost.recommendations) {
    out.push({
      category: 'cost',
      text: `${rec.text} (saves about $${rec.monthlySavingsLow.toFixed(
        2,
      )}–$${rec.monthlySavingsHigh.toFixed(2)} a month)`,
      motivatedBy: `cost:${rec.id}`,
    });
  }
  for (const question of plan.questions) {
    out.push({
      category: 'decision',
      text: `${question.question} Assumed: ${question.assumption}.`,
      motivatedBy: question.id,
    });
  }
  if (plan.tier !== 'T3') {
    out.push({
      category: 'next-steps',
      text:
        plan.tier === 'T1'
          ? 'Move to T2 before production: PodDisruptionBudgets, default-deny NetworkPolicies, restricted Pod Security and zero-downtime rolling updates.'
          : 'Move to T3 for multi-zone HA, observability (ServiceMonitors, SLO alerts) and progressive delivery.',
      motivatedBy: `TIER-${plan.tier}`,
    });
  }
  if (
    plan.gitops === 'none' &&
    plan.services.some(s => s.runtime === 'kubernetes')
  ) {
    out.push({
      category: 'next-steps',
      text: 'Adopt GitOps (spec.gitops: argocd or flux) so clusters converge on this package from Git.',
      motivatedBy: 'spec.gitops',
    });
  }
  const errors = findings.filter(f => f.severity === 'error');
  if (errors.length > 0) {
    out.push({
      category: 'validation',
      text: `Fix the ${errors.length} validation error(s) listed under findings before deploying.`,
      motivatedBy: errors[0].ruleId,
    });
  }
  return out;
}

/** @internal */
export interface ReportInput {
  plan: DeploymentPlan;
  outputs: Array<{ skill: string; output: SkillOutput; files: string[] }>;
  files: GeneratedFile[];
  trace: TraceEntry[];
  findings: Finding[];
  validationResults: DeploymentReport['validation_results'];
  cost: CostEstimate;
  /** Results of the real tools (helm, kubectl kustomize, osls ...) */
  toolChecks?: ToolCheck[];
}

/**
 * Builds the report (the Output Contract plus trace and findings).
 *
 * @internal
 */
export function buildReport(input: ReportInput): DeploymentReport {
  const { plan, files, trace, findings } = input;
  const planned = new Map(plan.skills.map(s => [s.id as string, s]));
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'DeploymentReport',
    metadata: {
      name: plan.name,
      engineVersion: ENGINE_VERSION,
      specDigest: specDigest(plan),
    },
    deployment_strategy: {
      platform: plan.platform,
      cloud: plan.cloud,
      region: plan.region,
      tier: plan.tier,
      environments: plan.environments,
      mesh: plan.mesh,
      packaging: plan.packaging,
      rationale: plan.decisions,
      services: plan.services.map(s => ({
        name: s.name,
        workload: s.service.workload,
        runtime: s.runtime,
        objectKind: s.objectKind,
        strategy: s.strategy,
        image: s.image,
        rationale: s.decisions,
      })),
      questions: plan.questions,
      complexity: plan.complexity,
    },
    skills_invoked: input.outputs.map(o => ({
      skill: o.skill,
      reason: planned.get(o.skill)?.reason ?? '',
      ruleIds: planned.get(o.skill)?.ruleIds ?? [],
      files: o.files,
    })),
    deployment_package: {
      root: '.',
      files: files.map(f => ({
        path: f.path,
        bytes: Buffer.byteLength(f.content),
        sha256: sha256(f.content),
      })),
    },
    deployment_guide: guide(
      plan,
      files.map(f => f.path),
    ),
    recommendations: recommendations(plan, findings, input.cost),
    estimated_costs: {
      currency: input.cost.currency,
      monthly: input.cost.total,
      low: input.cost.low,
      high: input.cost.high,
      method: input.cost.method,
      pricingDate: input.cost.pricingDate,
      assumptions: input.cost.assumptions,
      byCategory: input.cost.byCategory,
      byService: input.cost.byService,
      byEnvironment: input.cost.byEnvironment,
      lines: input.cost.lines,
    },
    ...(input.toolChecks ? { tool_checks: input.toolChecks } : {}),
    validation_results: input.validationResults,
    trace,
    findings,
  };
}
