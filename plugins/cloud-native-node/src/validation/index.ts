import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  DeploymentPlan,
  DeploymentReport,
  Finding,
  findSecretLiterals,
  ToolCheck,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  GeneratedFile,
  KubernetesObject,
  ManifestFile,
  ServerDryRunOptions,
} from '../core/types';
import {
  FileCheck,
  FileFinding,
  NO_VALIDATORS,
  ObjectValidator,
  PackageValidators,
} from '../core/validators';
import { helmReleaseName } from '../plan/names';
import { runPackageToolChecks } from '../tools';
import { checkConsistency } from './consistency';
import { lintDockerfile } from './dockerfile';
import { evaluatePolicies } from './policy';
import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from './schema';
import { findIamWildcards } from './iam';
import { runServerDryRun } from './serverDryRun';
import { compareStrings } from '../core/collections';

/**
 * The validation pipeline: one result model (Finding) for every check over a
 * package, in memory (right after generation) or read from a directory
 * (`cno validate`, revalidation of a repository's package).
 */

/** @public */
export interface ValidatePackageOptions {
  /** Severity of policy rules depends on the tier (default: the plan's) */
  severityOverrides?: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  /** helm binary (default: located; checks are skipped when none exists) */
  helmPath?: string;
  /** kubectl binary for `kubectl kustomize` (default: located) */
  kubectlPath?: string;
  /** Run the real tools (helm, kubectl kustomize). Default true. */
  tools?: boolean;
  /**
   * Deadline of all the real tool checks together (each run also has its
   * own 60 s timeout). Default 180 000 ms; then running processes are killed
   * and the checks left are reported as "timed out".
   */
  toolsTimeoutMs?: number;
  /**
   * Send every object to a cluster with `dryRun=All` (server-side apply,
   * nothing persisted). Off unless given; independent of `tools`.
   */
  serverDryRun?: ServerDryRunOptions;
  /**
   * The validators the skills declare for the object kinds and files they
   * emit (core/validators.ts); the engine passes those of its skills
   * (engine/validators.ts). Default: none, only the shared checks.
   */
  validators?: PackageValidators;
}

/** A check by a real tool: the report contract's type, from the common package. */
export type { ToolCheck };

/** @public */
export interface PackageValidationResult {
  findings: Finding[];
  results: DeploymentReport['validation_results'];
  toolChecks: ToolCheck[];
  objectsChecked: number;
}

let sharedValidator: Promise<KubernetesSchemaValidator> | undefined;
function schemaValidator(): Promise<KubernetesSchemaValidator> {
  sharedValidator ??= createKubernetesSchemaValidator();
  return sharedValidator;
}

/** Folders whose YAML files hold Kubernetes (or CRD) objects. */
const OBJECT_ROOTS = [
  'kubernetes/',
  'namespace/',
  'mesh/',
  'cloud/',
  'gitops/',
  'serverless/knative/',
];

function isObjectFile(filePath: string): boolean {
  return (
    /\.ya?ml$/.test(filePath) &&
    !/(^|\/)kustomization\.ya?ml$/.test(filePath) &&
    OBJECT_ROOTS.some(root => filePath.startsWith(root))
  );
}

/**
 * The environment a file belongs to: a folder named after it
 * (`kubernetes/prod/`), or a file named after it (`gitops/argocd/prod.yaml`,
 * `prod-eks.yaml`). Files of no environment are shared ('*').
 */
function environmentOf(filePath: string, plan: DeploymentPlan): string {
  const segments = filePath.split('/');
  const folder = segments.slice(0, -1).find(s => plan.environments.includes(s));
  if (folder) return folder;
  const stem = segments[segments.length - 1].replace(/\.ya?ml$/, '');
  return (
    plan.environments.find(e => stem === e || stem.startsWith(`${e}-`)) ?? '*'
  );
}

/**
 * Reads the Kubernetes objects of a package's files. YAML errors are
 * findings, not exceptions.
 *
 * @public
 */
export function parseManifests(
  plan: DeploymentPlan,
  files: ReadonlyArray<GeneratedFile>,
): { manifests: ManifestFile[]; findings: Finding[] } {
  const manifests: ManifestFile[] = [];
  const findings: Finding[] = [];
  for (const file of files) {
    if (!isObjectFile(file.path)) continue;
    const objects: KubernetesObject[] = [];
    for (const doc of parseAllDocuments(file.content)) {
      if (doc.errors.length > 0) {
        findings.push({
          ruleId: 'yaml/syntax',
          severity: 'error',
          file: file.path,
          message: doc.errors[0].message.split('\n')[0],
          anchors: [],
        });
        continue;
      }
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) continue;
      if (
        typeof value !== 'object' ||
        typeof value.apiVersion !== 'string' ||
        typeof value.kind !== 'string' ||
        typeof value.metadata?.name !== 'string'
      ) {
        // Kustomize patches and similar partial documents are not objects
        if (file.path.includes('/patches/')) continue;
        findings.push({
          ruleId: 'schema/not-an-object',
          severity: 'error',
          file: file.path,
          message:
            'document is not a Kubernetes object (apiVersion, kind and metadata.name are required)',
          anchors: [],
        });
        continue;
      }
      objects.push(value as KubernetesObject);
    }
    manifests.push({
      path: file.path,
      environment: environmentOf(file.path, plan),
      objects,
    });
  }
  return { manifests, findings };
}

/** One object's schema problems: its skill's validator, else the shared one. */
function objectProblems(
  object: KubernetesObject,
  validator: KubernetesSchemaValidator,
  objectValidators: ReadonlyArray<ObjectValidator>,
): Array<{
  ruleId: string;
  objectPath: string;
  message: string;
  anchors: string[];
}> {
  const own = objectValidators.find(v => v.handles(object));
  if (own) {
    return own.validate(object).map(p => ({
      ruleId: 'schema/invalid',
      objectPath: p.path,
      message: p.message,
      anchors: own.anchors,
    }));
  }
  return validator.validate(object).map(f => ({
    ruleId: f.ruleId,
    objectPath: f.objectPath,
    message: f.message,
    anchors: ['kubeconform-strict'],
  }));
}

/**
 * The identity of an object for the duplicate check. Objects of different
 * clusters (cloud/<provider>/<env>) never collide.
 */
function objectIdentity(
  manifest: ManifestFile,
  object: KubernetesObject,
): string {
  const scope = manifest.path.startsWith('cloud/')
    ? manifest.path.split('/').slice(0, 2).join('/')
    : manifest.path.split('/')[0];
  return `${manifest.environment}|${scope}|${object.apiVersion.split('/')[0]}|${
    object.kind
  }|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
}

function schemaFindings(
  validator: KubernetesSchemaValidator,
  manifests: ReadonlyArray<ManifestFile>,
  objectValidators: ReadonlyArray<ObjectValidator>,
): { findings: Finding[]; objectsChecked: number } {
  const findings: Finding[] = [];
  let objectsChecked = 0;
  const seen = new Map<string, string>();
  for (const manifest of manifests) {
    // Patches (cloud overlays) are partial objects applied over the base
    const isPatch = manifest.path.includes('/patches/');
    for (const object of manifest.objects) {
      objectsChecked++;
      const where = `${object.kind}/${object.metadata.name}`;
      for (const problem of objectProblems(
        object,
        validator,
        objectValidators,
      )) {
        if (isPatch && problem.ruleId === 'schema/invalid') continue;
        findings.push({
          ruleId: problem.ruleId,
          severity: 'error',
          file: manifest.path,
          objectPath: `${where}: ${problem.objectPath}`,
          message: problem.message,
          anchors: problem.anchors,
        });
      }
      if (isPatch) continue;
      const id = objectIdentity(manifest, object);
      const previous = seen.get(id);
      if (previous) {
        findings.push({
          ruleId: 'package/duplicate-object',
          severity: 'error',
          file: manifest.path,
          objectPath: where,
          message: `${object.kind} ${object.metadata.name} is also defined in ${previous}`,
          anchors: [],
        });
      } else {
        seen.set(id, manifest.path);
      }
    }
  }
  return { findings, objectsChecked };
}

/** A file check's findings: parsed once, then the generic and its own checks. */
function fileCheckFindings(
  check: FileCheck,
  file: GeneratedFile,
): FileFinding[] {
  try {
    const document =
      check.format === 'json'
        ? JSON.parse(file.content)
        : parseYaml(file.content);
    return [
      ...(check.check?.(document, file.path) ?? []),
      ...(check.iamPolicies ? findIamWildcards(document, file.path) : []),
    ];
  } catch (error) {
    return [
      {
        ruleId: check.parseRuleId,
        severity: 'error',
        file: file.path,
        message: (error as Error).message,
        anchors: [],
      },
    ];
  }
}

/** The files the skills declared checks for (FileCheck.appliesTo). */
function fileFindings(
  files: ReadonlyArray<GeneratedFile>,
  checks: ReadonlyArray<FileCheck>,
): Finding[] {
  return files
    .flatMap(file =>
      checks
        .filter(check => check.appliesTo(file.path))
        .flatMap(check => fileCheckFindings(check, file)),
    )
    .map(
      (f): Finding => ({
        ruleId: f.ruleId,
        severity: f.severity,
        file: f.file,
        objectPath: f.objectPath,
        message: f.message,
        anchors: f.anchors,
      }),
    );
}

/** No literal credential anywhere in the package. */
function secretScan(files: ReadonlyArray<GeneratedFile>): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    for (const what of findSecretLiterals(file.content)) {
      findings.push({
        ruleId: 'secrets/literal-credential',
        severity: 'error',
        file: file.path,
        message: `the file contains what looks like ${what}`,
        anchors: ['gitleaks', 'kube-linter:env-var-secret'],
      });
    }
  }
  return findings;
}

async function withWrittenPackage<T>(
  files: ReadonlyArray<GeneratedFile>,
  run: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-validate-'));
  try {
    // Once per validation, folders first, then the files in parallel
    const folders = [
      ...new Set(files.map(f => path.dirname(path.join(dir, f.path)))),
    ].sort();
    for (const folder of folders) await fs.mkdir(folder, { recursive: true });
    await Promise.all(
      files.map(f => fs.writeFile(path.join(dir, f.path), f.content)),
    );
    return await run(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function toolChecks(
  plan: DeploymentPlan,
  files: ReadonlyArray<GeneratedFile>,
  options: ValidatePackageOptions,
): Promise<ToolCheck[]> {
  const chartPath = `helm/${plan.name}`;
  const hasChart = files.some(f => f.path === `${chartPath}/Chart.yaml`);
  const kustomizations = files
    .map(f => f.path)
    .filter(p => /(^|\/)kustomization\.yaml$/.test(p))
    .map(p => path.posix.dirname(p))
    .sort();
  if (!hasChart && kustomizations.length === 0) {
    return [];
  }
  return withWrittenPackage(files, async dir => {
    // In parallel, in a fixed order, with a deadline (src/tools)
    const checks = await runPackageToolChecks(dir, {
      chart: hasChart
        ? {
            path: chartPath,
            environments: plan.environments,
            namespace: plan.namespace,
            releaseName: helmReleaseName(plan),
          }
        : undefined,
      kustomizations,
      helmPath: options.helmPath,
      kubectlPath: options.kubectlPath || undefined,
      deadlineMs: options.toolsTimeoutMs,
    });
    return checks.map(
      (r): ToolCheck => ({
        area: r.area,
        check: r.check,
        status: r.status,
        reason:
          r.reason ??
          (r.status === 'fail'
            ? r.output?.split('\n').slice(0, 5).join(' ')
            : undefined),
      }),
    );
  });
}

function status(applicable: boolean, failed: boolean): 'pass' | 'fail' | 'n/a' {
  if (!applicable) return 'n/a';
  return failed ? 'fail' : 'pass';
}

/**
 * Validates a whole package.
 *
 * @public
 */
export async function validatePackage(
  plan: DeploymentPlan,
  files: ReadonlyArray<GeneratedFile>,
  options: ValidatePackageOptions = {},
): Promise<PackageValidationResult> {
  // The tool processes run while the in-process checks below use this thread
  const pendingTools =
    options.tools === false
      ? Promise.resolve([])
      : toolChecks(plan, files, options);
  // Awaited below; until then, a failure must not count as unhandled
  pendingTools.catch(() => undefined);
  const validators = options.validators ?? NO_VALIDATORS;
  const validator = await schemaValidator();
  const parsed = parseManifests(plan, files);
  const schema = schemaFindings(
    validator,
    parsed.manifests,
    validators.objects,
  );
  const kubernetesFiles = parsed.manifests.filter(m =>
    m.path.startsWith('kubernetes/'),
  );
  const policy = evaluatePolicies(kubernetesFiles, {
    tier: plan.tier,
    severityOverrides: options.severityOverrides,
  });
  const dockerfiles = files.filter(f =>
    /^containers\/[^/]+\/Dockerfile$/.test(f.path),
  );
  const docker = dockerfiles.flatMap(f =>
    lintDockerfile(f.path, f.content, { tier: plan.tier }),
  );
  const consistency = checkConsistency(
    plan,
    parsed.manifests,
    files.map(f => f.path),
  );
  const tools: ToolCheck[] = await pendingTools;
  const toolFindings: Finding[] = tools
    .filter(t => t.status === 'fail')
    .map(t => ({
      ruleId: `tool/${t.area}`,
      severity: 'error' as const,
      file:
        t.area === 'helm_chart'
          ? `helm/${plan.name}`
          : t.check.split(' ').pop()!,
      message: `${t.check} failed: ${t.reason ?? ''}`,
      anchors: [],
    }));
  // Its rejections are findings of their own (file, object, server message)
  const dryRun = options.serverDryRun
    ? await runServerDryRun(parsed.manifests, options.serverDryRun)
    : undefined;
  if (dryRun) tools.push(dryRun.check);
  const findings = [
    ...parsed.findings,
    ...schema.findings,
    ...policy,
    ...docker,
    ...fileFindings(files, validators.files),
    ...secretScan(files),
    ...consistency,
    ...toolFindings,
    ...(dryRun?.findings ?? []),
  ];

  const errorIn = (prefix: string) =>
    findings.some(f => f.severity === 'error' && f.file.startsWith(prefix));
  const ran = (area: ToolCheck['area']) =>
    tools.some(t => t.area === area && t.status !== 'skipped');
  const results: DeploymentReport['validation_results'] = {
    container_build: status(dockerfiles.length > 0, errorIn('containers/')),
    kubernetes_manifests: status(
      kubernetesFiles.length > 0,
      errorIn('kubernetes/') ||
        errorIn('namespace/') ||
        errorIn('cloud/') ||
        errorIn('kustomize/'),
    ),
    helm_chart: status(ran('helm_chart'), errorIn('helm/')),
    service_mesh: status(
      parsed.manifests.some(m => m.path.startsWith('mesh/')),
      errorIn('mesh/'),
    ),
    serverless: status(
      files.some(f => f.path.startsWith('serverless/')),
      errorIn('serverless/'),
    ),
  };
  return {
    findings: sortFindings(findings),
    results,
    toolChecks: tools,
    objectsChecked: schema.objectsChecked,
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      compareStrings(a.file, b.file) ||
      compareStrings(a.objectPath ?? '', b.objectPath ?? '') ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.message, b.message),
  );
}
