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
import { ValidatePackageOptions } from '../validation';
import { toYaml, toYamlDocuments } from '../core/serialize';
import { builtinSkills } from './skills';
import { skillValidators, validatePackage } from './validators';
import { GeneratedFile, ManifestFile, Skill, SkillOutput } from '../core/types';
import { byKey } from '../core/collections';

/** Files in code-point order of their paths: stable across locales. */
const byPath = byKey((f: GeneratedFile) => f.path);

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

/** What running the planned skills gave, before validation. */
interface SkillRun {
  trace: TraceEntry[];
  /** The skills that ran, with the files each wrote */
  invoked: InvokedSkill[];
  files: Map<string, GeneratedFile>;
  manifests: ManifestFile[];
}

interface InvokedSkill {
  skill: string;
  output: SkillOutput;
  files: string[];
}

/**
 * Runs the planned skills in plan order (SKILL_ORDER: gitops-generator
 * last, after the skills whose output it syncs), each with the outputs of
 * the skills it depends on (inputsOf); a skill this engine does not
 * implement is a skipped trace entry.
 */
function runSkills(
  plan: DeploymentPlan,
  skills: Partial<Record<SkillId, Skill>>,
  recordTimings: boolean,
): SkillRun {
  const clock = () => performance.now();
  const started = clock();
  const outputs: Partial<Record<SkillId, SkillOutput>> = {};
  const run: SkillRun = {
    trace: [],
    invoked: [],
    files: new Map(),
    manifests: [],
  };
  for (const planned of plan.skills) {
    const skill = skills[planned.id];
    const skillStart = clock();
    if (!skill) {
      run.trace.push({
        skill: planned.id,
        tier: plan.tier,
        files: 0,
        findings: 0,
        status: 'skipped',
        notes: ['not implemented by this engine version'],
      });
      continue;
    }
    const output = skill.run({ plan, outputs: inputsOf(planned, outputs) });
    outputs[planned.id] = output;
    const written = addOutput(run, planned.id, output);
    run.invoked.push({ skill: planned.id, output, files: written });
    run.trace.push({
      skill: planned.id,
      tier: plan.tier,
      files: written.length,
      findings: 0,
      status: 'ok',
      notes: output.notes,
      ...(recordTimings
        ? {
            startMs: round(skillStart - started),
            durationMs: round(clock() - skillStart),
          }
        : {}),
    });
  }
  return run;
}

/** Adds a skill's files and manifests; returns the paths, sorted. */
function addOutput(
  run: SkillRun,
  skill: string,
  output: SkillOutput,
): string[] {
  const add = (file: GeneratedFile) => {
    if (run.files.has(file.path)) {
      throw new Error(
        `skill ${skill} wrote ${file.path}, which another skill already wrote`,
      );
    }
    run.files.set(file.path, file);
  };
  const written: string[] = [];
  for (const file of output.files) {
    add(file);
    written.push(file.path);
  }
  for (const manifest of output.manifests) {
    run.manifests.push(manifest);
    add({ path: manifest.path, content: toYamlDocuments(manifest.objects) });
    written.push(manifest.path);
  }
  return written.sort();
}

/** The files of the package itself: the spec, the README, the guide. */
function addPackageDocuments(
  plan: DeploymentPlan,
  files: Map<string, GeneratedFile>,
): void {
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
}

/** Whether a finding is about one of these files (or a folder of them). */
function ownedBy(written: ReadonlyArray<string>): (f: Finding) => boolean {
  const paths = new Set(written);
  return f =>
    paths.has(f.file) || written.some(w => w.startsWith(`${f.file}/`));
}

/**
 * Attributes each finding to the skill that wrote its file: the trace
 * entry's finding count, and `failed` when one of them is an error.
 */
function attributeFindings(
  trace: TraceEntry[],
  invoked: ReadonlyArray<InvokedSkill>,
  findings: ReadonlyArray<Finding>,
): void {
  for (const entry of trace) {
    const own = ownedBy(
      invoked.find(i => i.skill === entry.skill)?.files ?? [],
    );
    entry.findings = findings.filter(own).length;
    if (
      entry.status === 'ok' &&
      findings.some(f => own(f) && f.severity === 'error')
    ) {
      entry.status = 'failed';
    }
  }
}

const NOT_VALIDATED: DeploymentReport['validation_results'] = {
  container_build: 'n/a',
  kubernetes_manifests: 'n/a',
  helm_chart: 'n/a',
  service_mesh: 'n/a',
};

/** The report, and the package's files with the report among them. */
function finish(
  plan: DeploymentPlan,
  input: Omit<Parameters<typeof buildReport>[0], 'plan' | 'cost'>,
  manifests: ManifestFile[],
): DeploymentPackage {
  const report = buildReport({ ...input, plan, cost: estimateCost(plan) });
  const reportFile: GeneratedFile = {
    path: REPORT_FILE,
    content: toYaml(report),
  };
  return {
    plan,
    files: [...input.files, reportFile].sort(byPath),
    manifests,
    report,
    findings: input.findings,
    valid: !input.findings.some(f => f.severity === 'error'),
  };
}

/**
 * Runs the planned skills in order and assembles, validates (with the
 * validators the skills declare) and reports the package.
 *
 * @public
 */
export async function generatePackage(
  plan: DeploymentPlan,
  options: OrchestrateOptions = {},
): Promise<DeploymentPackage> {
  const skills = options.skills ?? builtinSkills;
  const run = runSkills(plan, skills, options.recordTimings ?? false);
  addPackageDocuments(plan, run.files);
  const sortedFiles = [...run.files.values()].sort(byPath);

  const validation =
    options.validate === false
      ? undefined
      : await validatePackage(plan, sortedFiles, {
          ...options,
          validators: options.validators ?? skillValidators(skills),
        });
  const findings = validation?.findings ?? [];
  attributeFindings(run.trace, run.invoked, findings);
  for (const entry of run.trace) options.onSkill?.(entry);

  return finish(
    plan,
    {
      outputs: run.invoked,
      files: sortedFiles,
      trace: run.trace,
      findings,
      validationResults: validation?.results ?? NOT_VALIDATED,
      toolChecks: validation?.toolChecks,
    },
    run.manifests,
  );
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
  const validation = await validatePackage(plan, present, {
    ...options,
    validators:
      options.validators ?? skillValidators(options.skills ?? builtinSkills),
  });
  const findings = validation.findings;
  const invoked = regenerated.report.skills_invoked
    .map(s => ({
      skill: s.skill,
      output: { files: [], manifests: [], notes: [] },
      files: s.files.filter(f => paths.has(f)),
    }))
    .filter(s => s.files.length > 0);
  const trace = regenerated.report.trace.map(entry => {
    const written = invoked.find(i => i.skill === entry.skill)?.files ?? [];
    const own = ownedBy(written);
    const missing = entry.status !== 'skipped' && written.length === 0;
    return {
      ...entry,
      files: written.length,
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
  return finish(
    plan,
    {
      outputs: invoked,
      files: present,
      trace,
      findings,
      validationResults: validation.results,
      toolChecks: validation.toolChecks,
    },
    [],
  );
}
