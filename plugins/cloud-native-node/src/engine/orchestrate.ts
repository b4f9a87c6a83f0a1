import {
  Architecture,
  createPlan,
  DeploymentPlan,
  DeploymentReport,
  Finding,
  SkillId,
  TraceEntry,
} from '@internal/backstage-plugin-cloud-native-common';
import { buildReport, REPORT_FILE } from '../report/buildReport';
import { renderPackageReadme } from '../report/packageReadme';
import { validateManifests } from '../validation/validatePackage';
import { toYaml, toYamlDocuments } from './serialize';
import { builtinSkills } from './skills';
import { GeneratedFile, ManifestFile, Skill, SkillOutput } from './types';

/** @public */
export interface OrchestrateOptions {
  /** Skills by id; defaults to the built-in skills */
  skills?: Partial<Record<SkillId, Skill>>;
  /**
   * Record start offsets and durations in the trace. Off by default so the
   * same spec gives a byte-identical package.
   */
  recordTimings?: boolean;
  /** Called after each skill (the scaffolder's task log, the CLI's stderr) */
  onSkill?: (entry: TraceEntry) => void;
}

/**
 * A generated deployment package, in memory.
 *
 * @public
 */
export interface DeploymentPackage {
  plan: DeploymentPlan;
  /** Every file, sorted by path, the report included */
  files: GeneratedFile[];
  manifests: ManifestFile[];
  report: DeploymentReport;
  findings: Finding[];
  /** True when no finding is an error */
  valid: boolean;
}

/**
 * Runs the pipeline: spec → plan → skills → package → validation → report.
 *
 * @public
 */
export async function orchestrate(
  architecture: Architecture,
  options: OrchestrateOptions = {},
): Promise<DeploymentPackage> {
  const plan = createPlan(architecture);
  return generatePackage(plan, options);
}

/**
 * Runs the planned skills in order and assembles, validates and reports the
 * package.
 *
 * @public
 */
export async function generatePackage(
  plan: DeploymentPlan,
  options: OrchestrateOptions = {},
): Promise<DeploymentPackage> {
  const skills = options.skills ?? builtinSkills;
  const clock = () => performance.now();
  const started = clock();
  const outputs: Partial<Record<SkillId, SkillOutput>> = {};
  const trace: TraceEntry[] = [];
  const invoked: Array<{
    skill: string;
    output: SkillOutput;
    files: string[];
  }> = [];
  const files = new Map<string, GeneratedFile>();
  const manifests: ManifestFile[] = [];

  const addFile = (file: GeneratedFile, skill: string) => {
    if (files.has(file.path)) {
      throw new Error(
        `skill ${skill} wrote ${file.path}, which another skill already wrote`,
      );
    }
    files.set(file.path, file);
  };

  for (const planned of plan.skills) {
    const skill = skills[planned.id];
    const skillStart = clock();
    if (!skill) {
      const entry: TraceEntry = {
        skill: planned.id,
        tier: plan.tier,
        files: 0,
        findings: 0,
        status: 'skipped',
        notes: ['not implemented by this engine version'],
      };
      trace.push(entry);
      continue;
    }
    const output = skill.run({ plan, outputs });
    outputs[planned.id] = output;
    const written: string[] = [];
    for (const file of output.files) {
      addFile(file, planned.id);
      written.push(file.path);
    }
    for (const manifest of output.manifests) {
      manifests.push(manifest);
      addFile(
        { path: manifest.path, content: toYamlDocuments(manifest.objects) },
        planned.id,
      );
      written.push(manifest.path);
    }
    written.sort();
    invoked.push({ skill: planned.id, output, files: written });
    const entry: TraceEntry = {
      skill: planned.id,
      tier: plan.tier,
      files: written.length,
      findings: 0,
      status: 'ok',
      notes: output.notes,
      ...(options.recordTimings
        ? {
            startMs: round(skillStart - started),
            durationMs: round(clock() - skillStart),
          }
        : {}),
    };
    trace.push(entry);
  }

  const validation = await validateManifests(manifests);
  const findings = sortFindings(validation.findings);
  // Attribute findings to the skill that wrote the file
  for (const entry of trace) {
    const written = new Set(
      invoked.find(i => i.skill === entry.skill)?.files ?? [],
    );
    entry.findings = findings.filter(f => written.has(f.file)).length;
    if (
      entry.status === 'ok' &&
      findings.some(f => written.has(f.file) && f.severity === 'error')
    ) {
      entry.status = 'failed';
    }
    options.onSkill?.(entry);
  }

  files.set('architecture.yaml', {
    path: 'architecture.yaml',
    content: toYaml(plan.architecture),
  });
  files.set('README.md', {
    path: 'README.md',
    content: renderPackageReadme(plan),
  });

  const hasErrors = (predicate: (f: Finding) => boolean) =>
    findings.some(f => f.severity === 'error' && predicate(f));
  const validationResults: DeploymentReport['validation_results'] = {
    container_build: 'n/a',
    kubernetes_manifests: areaStatus(
      manifests.length > 0,
      hasErrors(f => f.file.startsWith('kubernetes/')),
    ),
    helm_chart: 'n/a',
    service_mesh: 'n/a',
  };

  const sortedFiles = [...files.values()].sort(byPath);
  const report = buildReport({
    plan,
    outputs: invoked,
    files: sortedFiles,
    trace,
    findings,
    validationResults,
  });
  const reportFile: GeneratedFile = {
    path: REPORT_FILE,
    content: toYaml(report),
  };
  const allFiles = [...sortedFiles, reportFile].sort(byPath);
  return {
    plan,
    files: allFiles,
    manifests,
    report,
    findings,
    valid: !findings.some(f => f.severity === 'error'),
  };
}

/** Code-point order: stable across locales, unlike localeCompare. */
function byPath(a: GeneratedFile, b: GeneratedFile): number {
  if (a.path === b.path) return 0;
  return a.path < b.path ? -1 : 1;
}

function areaStatus(
  applicable: boolean,
  failed: boolean,
): 'pass' | 'fail' | 'n/a' {
  if (!applicable) return 'n/a';
  return failed ? 'fail' : 'pass';
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      a.file.localeCompare(b.file) ||
      (a.objectPath ?? '').localeCompare(b.objectPath ?? '') ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
