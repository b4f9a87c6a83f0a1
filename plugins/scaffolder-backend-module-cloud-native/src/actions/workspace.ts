import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  Architecture,
  createPlan,
  DeploymentPlan,
  Finding,
  pruneEmpty,
  ToolCheck,
} from '@internal/backstage-plugin-cloud-native-common';
import {
  GeneratedFile,
  parseSpecObject,
  parseSpecText,
  SpecValidationError,
  toYaml,
  UnsafePathError,
  writeFilesNoFollow,
} from '@internal/backstage-plugin-cloud-native-node';
import { CloudNativeDefaults } from '../config';

/** Where the single-skill actions keep the spec and the plan. */
export const SPEC_FILE = 'architecture.yaml';
export const PLAN_FILE = '.cloud-native/plan.json';

/**
 * Resolves a user-supplied path inside the workspace; anything that would
 * leave it (`..`, absolute paths, symlink tricks) is an InputError naming the
 * field.
 */
export function resolveInWorkspace(
  workspacePath: string,
  relative: string,
  field: string,
): string {
  if (typeof relative !== 'string' || relative.trim() === '') {
    throw new InputError(`${field}: must be a non-empty relative path`);
  }
  if (path.isAbsolute(relative) || relative.includes('\0')) {
    throw new InputError(
      `${field}: '${relative}' must be relative to the workspace`,
    );
  }
  try {
    return resolveSafeChildPath(workspacePath, relative);
  } catch {
    throw new InputError(
      `${field}: '${relative}' resolves outside the workspace`,
    );
  }
}

/**
 * The two ways an action receives the architecture: inline, or as a file in
 * the workspace. Shared by cloud-native:plan and cloud-native:orchestrate.
 */
export const architectureInputs = {
  architecture: (z: any) =>
    z
      .record(z.string(), z.unknown(), {
        description:
          'The architecture spec (cloud-native.backstage.io/v1alpha1, kind Architecture). Omit to read specPath.',
      })
      .optional(),
  specPath: (z: any) =>
    z
      .string({
        description:
          'Workspace-relative path of a YAML/JSON architecture spec, used when architecture is omitted',
      })
      .optional(),
};

/**
 * The `targetPath` input every action has: the package folder in the
 * workspace, `deployment` unless given. The description says what the action
 * expects to find there.
 */
export function targetPathInput(description: string) {
  return {
    targetPath: (z: any) =>
      z
        .string({
          description: `Workspace-relative folder ${description} (default: deployment)`,
        })
        .optional(),
  };
}

/** Outputs of the actions that plan: what was decided, in one line each. */
export const planOutputs = {
  platform: (z: any) =>
    z.string({ description: 'kubernetes, serverless or hybrid' }),
  tier: (z: any) => z.string({ description: 'T1, T2 or T3' }),
  summary: (z: any) => z.string({ description: 'One-line plan summary' }),
};

/** Outputs of the actions that validate: the verdict and the finding counts. */
export const validationOutputs = {
  validationStatus: (z: any) => z.string({ description: 'pass or fail' }),
  errors: (z: any) => z.number({ description: 'Number of error findings' }),
  warnings: (z: any) => z.number({ description: 'Number of warning findings' }),
};

/** The output of the actions that price the package. */
export const monthlyCostOutput = {
  monthlyCost: (z: any) =>
    z.number({ description: 'Expected monthly cost in USD' }),
};

/**
 * The plan of the package at `targetPath`, from its `architecture.yaml`
 * (written by cloud-native:plan): what the single-skill and package actions
 * start from.
 */
export async function planOfPackage(
  ctx: { workspacePath: string },
  targetPath: string,
  defaults: CloudNativeDefaults,
): Promise<{ target: string; plan: DeploymentPlan }> {
  const target = resolveInWorkspace(
    ctx.workspacePath,
    targetPath,
    'targetPath',
  );
  const plan = createPlan(
    await loadArchitecture({
      workspacePath: target,
      specPath: SPEC_FILE,
      defaults,
    }),
  );
  return { target, plan };
}

/**
 * The plan of the architecture an action receives (inline or at `specPath`
 * in the workspace), and the package folder it writes to: what
 * cloud-native:plan and cloud-native:orchestrate start from.
 */
export async function planOfInput(
  ctx: {
    workspacePath: string;
    input: { architecture?: unknown; specPath?: string };
  },
  targetPath: string,
  defaults: CloudNativeDefaults,
): Promise<{ target: string; plan: DeploymentPlan }> {
  const { workspacePath, input } = ctx;
  const target = resolveInWorkspace(workspacePath, targetPath, 'targetPath');
  const plan = createPlan(
    await loadArchitecture({ workspacePath, ...input, defaults }),
  );
  return { target, plan };
}

/**
 * Sets the `planOutputs` (platform, tier, summary) of an action that plans,
 * so cloud-native:plan and cloud-native:orchestrate report a plan the same way.
 */
export function outputPlan(
  ctx: { output(name: keyof typeof planOutputs, value: string): void },
  plan: DeploymentPlan,
): void {
  ctx.output('platform', plan.platform);
  ctx.output('tier', plan.tier);
  ctx.output('summary', planSummary(plan));
}

/** One line per finding for the task log. */
export function findingLine(f: Finding): string {
  return `${f.ruleId} ${f.file}${f.objectPath ? ` ${f.objectPath}` : ''}: ${
    f.message
  }`;
}

/** One line per real-tool check for the task log. */
export function toolCheckLine(check: ToolCheck): string {
  return `${check.check}: ${check.status}${
    check.reason ? ` (${check.reason})` : ''
  }`;
}

/** Applies organisation defaults to the fields a spec leaves out. */
export function applyDefaults(
  input: unknown,
  defaults: CloudNativeDefaults,
): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return input;
  }
  const spec = (input as { spec?: Record<string, unknown> }).spec;
  if (!spec || typeof spec !== 'object') {
    return input;
  }
  const merged: Record<string, unknown> = { ...spec };
  for (const key of ['registry', 'cloud', 'region', 'tier'] as const) {
    if (merged[key] === undefined && defaults[key] !== undefined) {
      merged[key] = defaults[key];
    }
  }
  return { ...(input as object), spec: merged };
}

function toInputError(error: unknown, field: string): never {
  if (error instanceof SpecValidationError) {
    const prefix = field === 'architecture' ? 'architecture.' : `${field}: `;
    throw new InputError(
      `invalid architecture spec: ${error.issues
        .map(i => `${prefix}${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  throw error;
}

/**
 * Reads the architecture from the action input: an inline object
 * (`architecture`) or a YAML/JSON file in the workspace (`specPath`).
 */
export async function loadArchitecture(options: {
  workspacePath: string;
  architecture?: unknown;
  specPath?: string;
  defaults: CloudNativeDefaults;
}): Promise<Architecture> {
  const { workspacePath, architecture, specPath, defaults } = options;
  if (architecture !== undefined) {
    try {
      return parseSpecObject(
        applyDefaults(pruneEmpty(architecture), defaults),
        'architecture',
      );
    } catch (error) {
      return toInputError(error, 'architecture');
    }
  }
  const file = resolveInWorkspace(
    workspacePath,
    specPath ?? SPEC_FILE,
    'specPath',
  );
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `specPath: no architecture spec at '${
        specPath ?? SPEC_FILE
      }' in the workspace (run cloud-native:plan first, or pass architecture)`,
    );
  }
  try {
    return parseSpecText(text, specPath ?? SPEC_FILE);
  } catch (error) {
    return toInputError(error, 'specPath');
  }
}

/**
 * Writes generated files under `targetDir` (from resolveInWorkspace),
 * creating folders. Never follows a symbolic link below `targetDir` (an
 * earlier step may have put one in the workspace): a link at or above a file
 * to write is an InputError naming it, checked before anything is written.
 */
export async function writeFiles(
  targetDir: string,
  files: ReadonlyArray<GeneratedFile>,
  field = 'targetPath',
): Promise<void> {
  try {
    await writeFilesNoFollow(targetDir, files, { field });
  } catch (error) {
    if (error instanceof UnsafePathError) {
      throw new InputError(error.message);
    }
    throw error;
  }
}

/** The spec and plan files that single-skill actions share. */
export function stateFiles(plan: DeploymentPlan): GeneratedFile[] {
  const { architecture, ...rest } = plan;
  return [
    { path: SPEC_FILE, content: toYaml(architecture) },
    { path: PLAN_FILE, content: `${JSON.stringify(rest, null, 2)}\n` },
  ];
}

export function planSummary(plan: DeploymentPlan): string {
  const services = plan.services
    .map(s => `${s.name} (${s.objectKind}, ${s.strategy})`)
    .join(', ');
  return `${plan.platform} on ${plan.cloud} (${plan.region}), ${
    plan.tier
  }, ${plan.environments.join('/')}; skills: ${plan.skills
    .map(s => s.id)
    .join(' → ')}; services: ${services}`;
}

export { createPlan };
