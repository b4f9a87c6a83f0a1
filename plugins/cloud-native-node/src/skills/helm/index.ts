import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject, Skill, SkillOutput } from '../../engine/types';
import { buildChart } from './chart';
import { helmReleaseName } from './release';

/**
 * The kubernetes-helm-builder skill: a Helm chart of the application at
 * `helm/<plan.name>/`, with `values-<env>.yaml` per environment of the plan.
 *
 * One chart for the whole application, not an umbrella chart with a
 * subchart per service: a release is one namespace and one rollback unit.
 * The services of an application are deployed, upgraded and rolled back
 * together (`helm rollback` returns every service to the same revision, and
 * the shared objects — the namespace, its NetworkPolicies — belong to
 * exactly one release); subcharts would add one values scope per service
 * and per-dependency version bookkeeping without giving a separate
 * lifecycle, since Helm still installs an umbrella as one release.
 *
 * The chart renders the same objects as the manifest skill's
 * `kubernetes/<env>/` for each environment (see values.ts for how); the
 * only differences are Helm's own: the `helm.sh/chart` label,
 * `helm.sh/resource-policy: keep` on the Namespace, and the `helm test`
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
  let byEnvironment: Map<string, KubernetesObject[]> | undefined;
  if (manifests) {
    byEnvironment = new Map();
    for (const manifest of manifests.manifests) {
      const objects = byEnvironment.get(manifest.environment) ?? [];
      objects.push(...manifest.objects);
      byEnvironment.set(manifest.environment, objects);
    }
  }
  const chart = buildChart(plan, byEnvironment);
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
      }': helm upgrade --install ${helmReleaseName(plan)} ${
        chart.directory
      } -n ${plan.namespace} -f ${chart.directory}/values-<env>.yaml`,
      'Helm-only additions to the manifests: the helm.sh/chart label, helm.sh/resource-policy keep on the Namespace, the helm test hooks (a Pod, its ServiceAccount, NetworkPolicies and mesh authorization for it)',
    ],
  };
}

/**
 * The kubernetes-helm-builder skill.
 *
 * @public
 */
export const kubernetesHelmBuilder: Skill = {
  id: 'kubernetes-helm-builder',
  run: ({ plan, outputs }) =>
    run(plan, outputs['kubernetes-manifest-generator']),
};

export { buildChart, chartDirectory, appVersion } from './chart';
export type { BuiltChart } from './chart';
export { checkChart } from './check';
export { helmReleaseName, HELM_RELEASE_NAME_MAX } from './release';
export type { ChartCheckResult, CheckChartOptions } from './check';
export { ChartDerivationError } from './values';
