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

const validationStatus = z.enum(['pass', 'fail', 'n/a']);

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
        rationale: z.array(
          z.object({ ruleId: z.string(), rationale: z.string() }),
        ),
        services: z.array(
          z
            .object({
              name: z.string(),
              workload: z.string(),
              runtime: z.enum(['kubernetes', 'serverless']),
              objectKind: z.string(),
              strategy: z.string(),
              image: z.string(),
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
    estimated_costs: z
      .object({
        currency: z.string(),
        monthly: z.number().nullable(),
        low: z.number().nullable().optional(),
        high: z.number().nullable().optional(),
        method: z.string(),
        pricingDate: z.string().optional(),
      })
      .passthrough(),
    validation_results: z
      .object({
        container_build: validationStatus,
        kubernetes_manifests: validationStatus,
        helm_chart: validationStatus,
        service_mesh: validationStatus,
      })
      .passthrough(),
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
