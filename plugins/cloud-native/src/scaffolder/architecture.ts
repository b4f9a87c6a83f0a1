import {
  ARCHITECTURE_API_VERSION,
  createPlan,
  DeploymentPlan,
  parseArchitecture,
  pruneEmpty,
  SpecIssue,
} from '@internal/backstage-plugin-cloud-native-common';

/**
 * The form keys of the `cloud-native-deployment` template that make up the
 * architecture spec, and where each one lands. The template's
 * `cloud-native:orchestrate` step builds the same object with one
 * `${{ parameters.<key> }}` expression per field; `template.test.ts` renders
 * that step and compares it with {@link architectureFromFormData}, so the two
 * cannot drift apart.
 *
 * | form key           | spec field           | page                |
 * | ------------------ | -------------------- | ------------------- |
 * | `name`             | `metadata.name`      | Application         |
 * | `owner`            | `metadata.owner`     | Application         |
 * | `description`      | `metadata.description` | Application       |
 * | `architectureType` | `spec.type`          | Application         |
 * | `platform`         | `spec.platform`      | Platform and cloud  |
 * | `cloud`            | `spec.cloud`         | Platform and cloud  |
 * | `region`           | `spec.region`        | Platform and cloud  |
 * | `registry`         | `spec.registry`      | Platform and cloud  |
 * | `tier`             | `spec.tier`          | Platform and cloud  |
 * | `environments`     | `spec.environments`  | Platform and cloud  |
 * | `requirements`     | `spec.requirements`  | Platform and cloud  |
 * | `mesh`             | `spec.mesh`          | Platform and cloud  |
 * | `gitops`           | `spec.gitops`        | Platform and cloud  |
 * | `services`         | `spec.services` (as is: the form's service items use the spec's field names) | Services |
 *
 * Other form keys (`system`, the preview field itself) are not part of the
 * spec. The form does not collect `env` (a map the form cannot edit well) or
 * `usage`; add them to `deployment/architecture.yaml` afterwards.
 *
 * @public
 */
export const ARCHITECTURE_FORM_KEYS = {
  name: 'metadata.name',
  owner: 'metadata.owner',
  description: 'metadata.description',
  architectureType: 'spec.type',
  platform: 'spec.platform',
  cloud: 'spec.cloud',
  region: 'spec.region',
  registry: 'spec.registry',
  tier: 'spec.tier',
  environments: 'spec.environments',
  requirements: 'spec.requirements',
  mesh: 'spec.mesh',
  gitops: 'spec.gitops',
  services: 'spec.services',
} as const;

/** @public */
export type ArchitectureFormKey = keyof typeof ARCHITECTURE_FORM_KEYS;

/**
 * Builds the architecture spec object from the template's form data, the way
 * the template's `cloud-native:orchestrate` step does (see
 * {@link ARCHITECTURE_FORM_KEYS}). Missing and empty values are left out, so
 * the result may be incomplete: pass it to `parseArchitecture` to find out.
 *
 * @public
 */
export function architectureFromFormData(
  formData: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const form = formData ?? {};
  const architecture = {
    apiVersion: ARCHITECTURE_API_VERSION,
    kind: 'Architecture',
    metadata: {
      name: form.name,
      owner: form.owner,
      description: form.description,
    },
    spec: {
      type: form.architectureType,
      platform: form.platform,
      cloud: form.cloud,
      region: form.region,
      registry: form.registry,
      tier: form.tier,
      environments: form.environments,
      requirements: form.requirements,
      mesh: form.mesh,
      gitops: form.gitops,
      services: form.services,
    },
  };
  // The JSON round trip drops undefined values, as the scaffolder's template
  // rendering does for an expression whose parameter is not set.
  return pruneEmpty(JSON.parse(JSON.stringify(architecture))) as Record<
    string,
    unknown
  >;
}

/**
 * Where a spec field path is edited in the form: `spec.type` is
 * `architectureType`, `spec.services[1].port` is `services[1].port`.
 *
 * @public
 */
export function formPathOf(specPath: string): string {
  const entries = Object.entries(ARCHITECTURE_FORM_KEYS) as Array<
    [ArchitectureFormKey, string]
  >;
  // Longest spec field first, so `spec.services[0].x` maps through services.
  for (const [formKey, specField] of entries.sort(
    (a, b) => b[1].length - a[1].length,
  )) {
    if (specPath === specField) {
      return formKey;
    }
    if (
      specPath.startsWith(`${specField}.`) ||
      specPath.startsWith(`${specField}[`)
    ) {
      return `${formKey}${specPath.slice(specField.length)}`;
    }
  }
  if (specPath === 'metadata') {
    return 'name';
  }
  return specPath.replace(/^(spec|metadata)\.?/, '') || specPath;
}

/**
 * The plan the rules make for the form as filled so far, or the problems that
 * stop them.
 *
 * @public
 */
export type PlanPreview =
  | { ok: true; plan: DeploymentPlan }
  | { ok: false; issues: SpecIssue[] };

/**
 * Runs the common package's parser and rules on the form data, in the
 * browser. Never throws: a failure becomes an issue.
 *
 * @public
 */
export function previewPlan(
  formData: Record<string, unknown> | undefined,
): PlanPreview {
  const parsed = parseArchitecture(architectureFromFormData(formData));
  if (!parsed.ok) {
    return { ok: false, issues: parsed.issues };
  }
  try {
    return { ok: true, plan: createPlan(parsed.architecture) };
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          path: '(plan)',
          message: error instanceof Error ? error.message : String(error),
        },
      ],
    };
  }
}

/** A one-line description of a preview, stored as the field's value. */
export function previewSummary(preview: PlanPreview): string {
  if (!preview.ok) {
    return `invalid: ${preview.issues.length} issue(s)`;
  }
  const { plan } = preview;
  return `${plan.platform}, ${plan.tier}, ${
    plan.services.length
  } service(s), skills: ${plan.skills.map(s => s.id).join(', ')}`;
}
