import {
  Architecture,
  createPlan,
  DeploymentPlan,
  DeploymentReport,
  Finding,
  SkillId,
  TraceEntry,
} from '@internal/backstage-plugin-cloud-native-common';
import { estimateCost } from '../cost';
import { REPORT_FILE } from '../core/layout';
import { buildReport } from '../report/buildReport';
import { renderPackageReadme } from '../guide/packageReadme';
import { renderDeploymentGuide } from '../guide';
import { generateGitOps } from '../skills/gitops';
import { validatePackage, ValidatePackageOptions } from '../validation';
import { toYaml, toYamlDocuments } from '../core/serialize';
import { builtinSkills } from './skills';
import { GeneratedFile, ManifestFile, Skill, SkillOutput } from '../core/types';

/** @public */
export interface OrchestrateOptions extends ValidatePackageOptions {
  /** Skills by id; defaults to the built-in skills */
  skills?: Partial<Record<SkillId, Skill>>;
  /**
   * Record start offsets and durations in the trace. Off by default so the
   * same spec gives a byte-identical package.
   */
  recordTimings?: boolean;
  /**
   * Validate the package (default true). Single-skill scaffolder actions turn
   * it off: they write part of a package, validated by cloud-native:validate.
   */
  validate?: boolean;
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
    const output = skill.run({ plan, outputs: inputsOf(planned, outputs) });
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

  if (plan.gitops !== 'none') {
    const gitops = generateGitOps(plan, files.keys());
    for (const file of gitops.files) addFile(file, 'gitops');
    for (const manifest of gitops.manifests) {
      manifests.push(manifest);
      addFile(
        { path: manifest.path, content: toYamlDocuments(manifest.objects) },
        'gitops',
      );
    }
  }

  files.set('architecture.yaml', {
    path: 'architecture.yaml',
    content: toYaml(plan.architecture),
  });
  files.set('README.md', {
    path: 'README.md',
    content: renderPackageReadme(plan),
  });
  for (const doc of renderDeploymentGuide(plan, {
    files: [...files.keys()].sort(),
  })) {
    files.set(doc.path, doc);
  }
  const sortedFiles = [...files.values()].sort(byPath);

  const validation =
    options.validate === false
      ? undefined
      : await validatePackage(plan, sortedFiles, options);
  const findings = validation?.findings ?? [];
  // Attribute findings to the skill that wrote the file
  for (const entry of trace) {
    const written = new Set(
      invoked.find(i => i.skill === entry.skill)?.files ?? [],
    );
    const own = (f: Finding) =>
      written.has(f.file) || [...written].some(w => w.startsWith(`${f.file}/`));
    entry.findings = findings.filter(own).length;
    if (
      entry.status === 'ok' &&
      findings.some(f => own(f) && f.severity === 'error')
    ) {
      entry.status = 'failed';
    }
    options.onSkill?.(entry);
  }

  const validationResults: DeploymentReport['validation_results'] =
    validation?.results ?? {
      container_build: 'n/a',
      kubernetes_manifests: 'n/a',
      helm_chart: 'n/a',
      service_mesh: 'n/a',
    };

  const report = buildReport({
    plan,
    outputs: invoked,
    files: sortedFiles,
    trace,
    findings,
    validationResults,
    cost: estimateCost(plan),
    toolChecks: validation?.toolChecks,
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

/**
 * What a skill reads: the outputs of the skills it depends on (the plan's
 * `dependsOn`), which the plan orders before it.
 */
function inputsOf(
  planned: DeploymentPlan['skills'][number],
  outputs: Partial<Record<SkillId, SkillOutput>>,
): Partial<Record<SkillId, SkillOutput>> {
  const inputs: Partial<Record<SkillId, SkillOutput>> = {};
  for (const id of planned.dependsOn) {
    if (outputs[id]) inputs[id] = outputs[id];
  }
  return inputs;
}

/** Code-point order: stable across locales, unlike localeCompare. */
function byPath(a: GeneratedFile, b: GeneratedFile): number {
  if (a.path === b.path) return 0;
  return a.path < b.path ? -1 : 1;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Reports on a package as it is now (composed by single-skill actions, or
 * edited in a repository): validates the actual files, prices the plan, and
 * records the skill trace by re-running the skills in memory.
 *
 * @public
 */
export async function reportExistingPackage(
  plan: DeploymentPlan,
  files: ReadonlyArray<GeneratedFile>,
  options: OrchestrateOptions = {},
): Promise<DeploymentPackage> {
  const regenerated = await generatePackage(plan, {
    ...options,
    validate: false,
  });
  const present = [...files].filter(f => f.path !== REPORT_FILE).sort(byPath);
  const paths = new Set(present.map(f => f.path));
  const validation = await validatePackage(plan, present, options);
  const findings = validation.findings;
  const invoked = regenerated.report.skills_invoked
    .map(s => ({
      skill: s.skill,
      output: { files: [], manifests: [], notes: [] },
      files: s.files.filter(f => paths.has(f)),
    }))
    .filter(s => s.files.length > 0);
  const trace = regenerated.report.trace.map(entry => {
    const written = new Set(invoked.find(i => i.skill === entry.skill)?.files);
    const own = (f: Finding) =>
      written.has(f.file) || [...written].some(w => w.startsWith(`${f.file}/`));
    const missing = entry.status !== 'skipped' && written.size === 0;
    return {
      ...entry,
      files: written.size,
      findings: findings.filter(own).length,
      status:
        (missing && 'skipped') ||
        (findings.some(f => own(f) && f.severity === 'error')
          ? 'failed'
          : entry.status),
      notes: missing
        ? [...entry.notes, 'not present in the package']
        : entry.notes,
    } as TraceEntry;
  });
  const report = buildReport({
    plan,
    outputs: invoked,
    files: present,
    trace,
    findings,
    validationResults: validation.results,
    cost: estimateCost(plan),
    toolChecks: validation.toolChecks,
  });
  const reportFile: GeneratedFile = {
    path: REPORT_FILE,
    content: toYaml(report),
  };
  return {
    plan,
    files: [...present, reportFile].sort(byPath),
    manifests: [],
    report,
    findings,
    valid: !findings.some(f => f.severity === 'error'),
  };
}
