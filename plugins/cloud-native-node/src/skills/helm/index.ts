import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { Skill, SkillOutput } from '../../core/types';
import { buildChart } from './chart';
import { helmReleaseName } from '../../plan/names';
import { ChartDerivationError } from './values';

/**
 * The kubernetes-helm-builder skill: a Helm chart of the application at
 * `helm/<plan.name>/`, with `values-<env>.yaml` per environment of the plan.
 *
 * One chart for the whole application, not an umbrella chart with a
 * subchart per service: a release is one namespace and one rollback unit.
 * The services of an application are deployed, upgraded and rolled back
 * together (`helm rollback` returns every service to the same revision, and
 * the shared objects — the namespace's NetworkPolicies — belong to exactly
 * one release); subcharts would add one values scope per service and
 * per-dependency version bookkeeping without giving a separate lifecycle,
 * since Helm still installs an umbrella as one release.
 *
 * The chart is derived from the objects the manifest skill built (its
 * output's `environments`: each environment of the plan and the production
 * profile of values.yaml), so it renders the same objects as
 * `kubernetes/<env>/` for each environment (see values.ts for how) but the
 * Namespace: Helm stores the release in its namespace, so the release can
 * neither create it (`--create-namespace` makes one without the Pod Security
 * and mesh labels) nor adopt an existing one; `namespace/<env>` (the
 * manifest skill's) creates it first on every install path. The other
 * differences are Helm's own: the `helm.sh/chart` label and the `helm test`
 * hook objects.
 *
 * Output layout:
 *
 * - `Chart.yaml`, `README.md`
 * - `values.yaml` (the production profile), `values-<env>.yaml` (only what
 *   the environment changes), `values.schema.json` (strict)
 * - `templates/_helpers.tpl`, one template per object kind,
 *   `templates/NOTES.txt`, `templates/tests/test-connection.yaml`
 */

function run(
  plan: DeploymentPlan,
  manifests: SkillOutput | undefined,
): SkillOutput {
  if (!plan.services.some(s => s.runtime === 'kubernetes')) {
    return {
      files: [],
      manifests: [],
      notes: ['No Kubernetes services: no chart'],
    };
  }
  if (!manifests?.environments) {
    throw new ChartDerivationError(
      'the chart is derived from the objects of kubernetes-manifest-generator, which did not run before it (the plan must list it in dependsOn)',
    );
  }
  const chart = buildChart(plan, manifests.environments);
  return {
    files: chart.files,
    manifests: [],
    notes: [
      `${chart.directory}: one chart, ${
        plan.environments.length
      } environment(s): ${plan.environments
        .map(e => `values-${e}.yaml`)
        .join(', ')} over values.yaml (${chart.production} profile)`,
      `Install one release per environment into the namespace '${
        plan.namespace
      }', once namespace/<env> has created it: helm upgrade --install ${helmReleaseName(
        plan,
      )} ${chart.directory} -n ${plan.namespace} -f ${
        chart.directory
      }/values-<env>.yaml`,
      'The chart renders the objects of kubernetes/<env> but the Namespace (applied before the release from namespace/<env>), plus the helm.sh/chart label and the helm test hooks (a Pod, its ServiceAccount, NetworkPolicies and mesh authorization for it)',
    ],
  };
}

/**
 * The kubernetes-helm-builder skill.
 */
export const kubernetesHelmBuilder: Skill = {
  id: 'kubernetes-helm-builder',
  run: ({ plan, outputs }) =>
    run(plan, outputs['kubernetes-manifest-generator']),
};

export { buildChart, appVersion } from './chart';
export { chartDirectory } from '../../plan/names';
export type { BuiltChart } from './chart';
export { helmReleaseName, HELM_RELEASE_NAME_MAX } from '../../plan/names';
export { ChartDerivationError } from './values';
