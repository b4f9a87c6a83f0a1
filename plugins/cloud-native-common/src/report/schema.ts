import { z } from 'zod';

/**
 * The deployment report: the source's Output Contract, with its keys exactly
 * (`deployment_strategy`, `skills_invoked`, `deployment_package`,
 * `deployment_guide`, `recommendations`, `estimated_costs`), plus the trace
 * and findings. Written as `deployment-report.yaml` at the package root and
 * read back by the backend, so unknown extra keys are allowed (passthrough)
 * for forward compatibility.
 */

/** @public */
export const REPORT_API_VERSION = 'cloud-native.backstage.io/v1alpha1';

/** @public */
export const findingSchema = z
  .object({
    ruleId: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    file: z.string(),
    objectPath: z.string().optional(),
    message: z.string(),
    /** kube-linter / Polaris / kube-score / hadolint rule ids */
    anchors: z.array(z.string()).default([]),
  })
  .passthrough();

/** @public */
export const traceEntrySchema = z
  .object({
    skill: z.string(),
    tier: z.enum(['T1', 'T2', 'T3']),
    /**
     * Offset from the start of the run and duration, in ms. Recorded only on
     * request (the scaffolder actions do; `cno generate --record-timings`), so
     * that by default the same spec gives a byte-identical package.
     */
    startMs: z.number().optional(),
    durationMs: z.number().optional(),
    files: z.number().int(),
    findings: z.number().int(),
    status: z.enum(['ok', 'failed', 'skipped']),
    notes: z.array(z.string()).default([]),
  })
  .passthrough();

/** A decision rule that fired, and why. */
const decisionSchema = z.object({ ruleId: z.string(), rationale: z.string() });

/** Result of one validation area: `n/a` where the package has nothing of it. */
const validationStatus = z.enum(['pass', 'fail', 'n/a']);

/*
 * The tool check and the cost line are exact types (no index signature) so
 * that the engine, which builds them, gets excess-property checks and can
 * `Omit` keys; the report schema reads them with `.passthrough()` like every
 * other block, so that keys of a newer engine survive a parse.
 */

/**
 * A check run by a real tool (helm, kubectl kustomize, a server-side dry
 * run) during validation: pass, fail, or skipped with the reason.
 *
 * @public
 */
export const toolCheckSchema = z.object({
  area: z.enum(['helm_chart', 'kustomize', 'server_dry_run']),
  check: z.string(),
  status: z.enum(['pass', 'fail', 'skipped']),
  /** Why the check failed or was skipped */
  reason: z.string().optional(),
});

/** @public */
export const COST_CATEGORIES = [
  'compute',
  'storage',
  'networking',
  'control-plane',
  'serverless',
] as const;

/**
 * One priced resource of one environment of the cost estimate.
 *
 * @public
 */
export const costLineSchema = z.object({
  resource: z.string(),
  category: z.enum(COST_CATEGORIES),
  environment: z.string(),
  service: z.string().optional(),
  monthlyQuantity: z.number(),
  unit: z.string(),
  unitPrice: z.number(),
  monthlyCost: z.number(),
  /** Where the unit price comes from (the pricing snapshot's source) */
  source: z.string(),
});

/**
 * The `estimated_costs` block. The breakdowns are optional so that reports
 * of older engine versions still parse.
 *
 * @public
 */
export const estimatedCostsSchema = z
  .object({
    currency: z.string(),
    monthly: z.number().nullable(),
    low: z.number().nullable().optional(),
    high: z.number().nullable().optional(),
    method: z.string(),
    pricingDate: z.string().optional(),
    assumptions: z.array(z.string()).optional(),
    byCategory: z.record(z.string(), z.number()).optional(),
    byService: z.record(z.string(), z.number()).optional(),
    byEnvironment: z.record(z.string(), z.number()).optional(),
    lines: z.array(costLineSchema.passthrough()).optional(),
  })
  .passthrough();

/**
 * The `validation_results` block: one status per area; `serverless` is
 * absent in reports of older engine versions.
 *
 * @public
 */
export const validationResultsSchema = z
  .object({
    container_build: validationStatus,
    kubernetes_manifests: validationStatus,
    helm_chart: validationStatus,
    service_mesh: validationStatus,
    serverless: validationStatus.optional(),
  })
  .passthrough();

/** @public */
export const deploymentReportSchema = z
  .object({
    apiVersion: z.literal(REPORT_API_VERSION),
    kind: z.literal('DeploymentReport'),
    metadata: z
      .object({
        name: z.string(),
        engineVersion: z.string(),
        specDigest: z.string(),
      })
      .passthrough(),
    deployment_strategy: z
      .object({
        platform: z.enum(['kubernetes', 'serverless', 'hybrid']),
        cloud: z.string(),
        region: z.string(),
        tier: z.enum(['T1', 'T2', 'T3']),
        environments: z.array(z.string()),
        mesh: z.string(),
        packaging: z.enum(['manifests', 'helm']),
        rationale: z.array(decisionSchema),
        services: z.array(
          z
            .object({
              name: z.string(),
              workload: z.string(),
              runtime: z.enum(['kubernetes', 'serverless']),
              objectKind: z.string(),
              strategy: z.string(),
              image: z.string(),
              /** The rules that decided this service (older reports: absent) */
              rationale: z.array(decisionSchema).optional(),
            })
            .passthrough(),
        ),
        questions: z.array(
          z.object({
            id: z.string(),
            question: z.string(),
            assumption: z.string(),
          }),
        ),
        complexity: z.object({
          level: z.enum(['low', 'medium', 'high']),
          score: z.number(),
          why: z.string(),
        }),
      })
      .passthrough(),
    skills_invoked: z.array(
      z
        .object({
          skill: z.string(),
          reason: z.string(),
          ruleIds: z.array(z.string()),
          files: z.array(z.string()),
        })
        .passthrough(),
    ),
    deployment_package: z
      .object({
        root: z.string(),
        files: z.array(
          z.object({ path: z.string(), bytes: z.number(), sha256: z.string() }),
        ),
      })
      .passthrough(),
    deployment_guide: z
      .object({
        prerequisites: z.array(z.string()),
        steps: z.array(z.string()),
        validation: z.array(z.string()),
        rollback: z.array(z.string()),
      })
      .passthrough(),
    recommendations: z.array(
      z
        .object({
          category: z.string(),
          text: z.string(),
          motivatedBy: z.string().optional(),
        })
        .passthrough(),
    ),
    estimated_costs: estimatedCostsSchema,
    /** Present when the real tools ran (absent when validation skipped them) */
    tool_checks: z.array(toolCheckSchema.passthrough()).optional(),
    validation_results: validationResultsSchema,
    trace: z.array(traceEntrySchema),
    findings: z.array(findingSchema),
  })
  .passthrough();

/** @public */
export type DeploymentReport = z.output<typeof deploymentReportSchema>;
/** @public */
export type Finding = z.output<typeof findingSchema>;
/** @public */
export type TraceEntry = z.output<typeof traceEntrySchema>;
/** @public */
export type ToolCheck = z.output<typeof toolCheckSchema>;
/** @public */
export type CostCategory = (typeof COST_CATEGORIES)[number];
/** @public */
export type CostLine = z.output<typeof costLineSchema>;
/** @public */
export type EstimatedCosts = z.output<typeof estimatedCostsSchema>;
/** @public */
export type ValidationAreaStatus = z.output<typeof validationStatus>;
/** @public */
export type ValidationResults = z.output<typeof validationResultsSchema>;

/**
 * Checks a parsed `deployment-report.yaml`; problems carry field paths.
 *
 * @public
 */
export function parseDeploymentReport(
  input: unknown,
):
  | { ok: true; report: DeploymentReport }
  | { ok: false; issues: Array<{ path: string; message: string }> } {
  const result = deploymentReportSchema.safeParse(input);
  if (result.success) {
    return { ok: true, report: result.data };
  }
  return {
    ok: false,
    issues: result.error.issues.map(issue => ({
      path: issue.path
        .map((p, i) =>
          typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`,
        )
        .join(''),
      message: issue.message,
    })),
  };
}
