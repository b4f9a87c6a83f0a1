import { Document } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { EnvironmentObjects, GeneratedFile } from '../../core/types';
import { productionEnvironment } from '../../plan/profile';
import { namespaceDirectory } from '../../plan/names';
import { imageVersion } from '../../plan/labels';
import { valuesSchema } from './schema';
import { helmReleaseName } from '../../plan/names';
import { CHART_TEMPLATES } from './templates';
import {
  ChartDerivationError,
  ChartValues,
  environmentValues,
  valuesOverride,
} from './values';
import { chartDirectory } from '../../plan/names';
import { kubernetesServices } from '../../plan/workload';

/** Chart version of a freshly generated chart; bump it on every change. */
export const CHART_VERSION = '0.1.0';
/** Oldest Kubernetes the objects need (native sidecars, sleep preStop). */
export const KUBE_VERSION = '>=1.30.0-0';

/** YAML 1.1 quoting (as kubectl and Helm read it), no line folding. */
const YAML_OPTIONS = { aliasDuplicateObjects: false, version: '1.1' } as const;

function yamlFile(
  value: unknown,
  header: string,
  comments: Record<string, string> = {},
): string {
  const doc = new Document(value, YAML_OPTIONS);
  doc.commentBefore = header;
  const contents = doc.contents as { items?: Array<{ key: unknown }> } | null;
  for (const pair of contents?.items ?? []) {
    const key = pair.key as { value?: unknown; commentBefore?: string };
    const comment = comments[String(key?.value)];
    if (comment) key.commentBefore = comment;
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * appVersion: the tag of the images the package builds (the application's
 * own release); the most common one when they differ, the first in plan
 * order on a tie. Prebuilt images (a database) count only when nothing is
 * built.
 */
export function appVersion(plan: DeploymentPlan): string | undefined {
  const services = kubernetesServices(plan);
  const built = services.filter(s => s.buildsImage);
  const counts = new Map<string, number>();
  for (const service of built.length > 0 ? built : services) {
    const tag = imageVersion(service.image);
    if (tag) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [tag, count] of counts) {
    if (best === undefined || count > counts.get(best)!) best = tag;
  }
  return best;
}

function chartMetadata(plan: DeploymentPlan): Record<string, unknown> {
  const services = kubernetesServices(plan);
  const { metadata } = plan.architecture;
  const requires = [
    ...(services.some(s => s.objectKind === 'Rollout')
      ? ['argo-rollouts']
      : []),
    ...(services.some(s => s.service.secrets.length > 0)
      ? ['external-secrets']
      : []),
  ];
  const version = appVersion(plan);
  const workloads = [...new Set(services.map(s => s.service.workload))].sort();
  return {
    apiVersion: 'v2',
    name: plan.name,
    description:
      metadata.description ??
      metadata.title ??
      `${plan.name}: ${services.length} Kubernetes services`,
    type: 'application',
    version: CHART_VERSION,
    ...(version ? { appVersion: version } : {}),
    kubeVersion: KUBE_VERSION,
    keywords: ['kubernetes', plan.cloud, plan.tier.toLowerCase(), ...workloads],
    annotations: {
      'cloud-native.backstage.io/environments': plan.environments.join(','),
      'cloud-native.backstage.io/namespace': plan.namespace,
      'cloud-native.backstage.io/tier': plan.tier,
      ...(metadata.owner
        ? { 'cloud-native.backstage.io/owner': metadata.owner }
        : {}),
      ...(requires.length > 0
        ? { 'cloud-native.backstage.io/requires': requires.join(',') }
        : {}),
      'cloud-native.backstage.io/generated-by': 'cloud-native-orchestrator',
    },
  };
}

function installCommand(plan: DeploymentPlan, environment: string): string {
  const dir = chartDirectory(plan);
  return `helm upgrade --install ${helmReleaseName(plan)} ${dir} -n ${
    plan.namespace
  } -f ${dir}/values-${environment}.yaml`;
}

const VALUES_COMMENTS: Record<string, string> = {
  environment: ' The environment label of every object',
  networkPolicies:
    ' Namespace-wide NetworkPolicies; per-service rules are services.<name>.networkPolicy',
  externalSecrets:
    ' Where services.<name>.secrets come from (External Secrets Operator)',
  services: [
    ' Services by name. What you usually change is a first-class key: image,',
    ' replicas, autoscaling, podDisruptionBudget, resources, config, secrets,',
    ' service, ingress, persistence, schedule. workload, job, pod, container,',
    ' networkPolicy and analysis hold the remaining Kubernetes fields under',
    ' their API names; the templates render them as they are.',
  ].join('\n'),
  tests: ' `helm test`: a Pod that checks every Service answers',
};

function readme(plan: DeploymentPlan, production: string): string {
  const dir = chartDirectory(plan);
  const lines = [
    `# Helm chart ${plan.name}`,
    '',
    `One chart for the whole application, installed once per environment into the namespace \`${
      plan.namespace
    }\`. The namespace is not part of the release (a release is stored in its namespace, so it cannot create it): \`${namespaceDirectory(
      '<env>',
    )}\` creates it, with its Pod Security${
      plan.mesh === 'none' ? '' : ' and mesh injection'
    } labels, before the release; on managed clusters the cloud prerequisites (\`cloud/<provider>/<env>\`) come next. \`docs/DEPLOYMENT.md\` has every step.`,
    '',
    '```sh',
    ...plan.environments.flatMap(e => [
      `kubectl apply --server-side -k ${namespaceDirectory(e)}`,
      installCommand(plan, e),
    ]),
    '```',
    '',
    `- \`values.yaml\`: the defaults, the production profile (\`${production}\`).`,
    '- `values-<env>.yaml`: only what an environment changes (replicas, autoscaling, disruption budgets, resources, image tags, hosts).',
    '- `values.schema.json`: a strict schema; `helm lint --strict` rejects unknown keys.',
    '- `templates/`: one template per object kind, iterating over `services`.',
    '',
    'The chart renders the same objects as `kubernetes/<env>/` (the plain manifests) but the Namespace, with these Helm-only additions:',
    '',
    '- the label `helm.sh/chart` on every object (not on pod templates);',
    `- the \`helm test\` hooks: the Pod \`${plan.name}-test-connection\` with its ServiceAccount and, where NetworkPolicies or the mesh would block it, the NetworkPolicies and mesh authorization that let it (and only it) reach the pods.`,
    '',
    'Object names are fixed (`<service>`, never prefixed with the release name): one release per namespace.',
    '',
    `Check: \`helm lint --strict ${dir} -f ${dir}/values-<env>.yaml\`.`,
    '',
  ];
  return lines.join('\n');
}

export interface BuiltChart {
  directory: string;
  files: GeneratedFile[];
  production: string;
  values: ChartValues;
  overrides: Record<string, unknown>;
}

/**
 * Every file of the chart of a plan with Kubernetes services, from the
 * objects the manifest skill built: one set per environment of the plan and
 * one for the production profile (values.yaml).
 */
export function buildChart(
  plan: DeploymentPlan,
  environments: ReadonlyArray<EnvironmentObjects>,
): BuiltChart {
  const directory = chartDirectory(plan);
  const production = productionEnvironment(plan);
  const builtFor = (environment: string): EnvironmentObjects => {
    const built = environments.find(e => e.environment === environment);
    if (!built) {
      throw new ChartDerivationError(
        `the manifest skill built no objects for the environment ${environment}`,
      );
    }
    return built;
  };
  const base = environmentValues(plan, builtFor(production));
  const overrides: Record<string, unknown> = {};
  const files: GeneratedFile[] = [
    {
      path: `${directory}/Chart.yaml`,
      content: yamlFile(
        chartMetadata(plan),
        ' Generated by the Cloud-Native Deployment Orchestrator',
      ),
    },
    {
      path: `${directory}/README.md`,
      content: readme(plan, production),
    },
    {
      path: `${directory}/values.yaml`,
      content: yamlFile(
        base,
        [
          ` Default values of the ${plan.name} chart: the production profile (environment ${production}).`,
          ' Each values-<env>.yaml holds only what that environment changes:',
          ...plan.environments.map(e => `   ${installCommand(plan, e)}`),
        ].join('\n'),
        VALUES_COMMENTS,
      ),
    },
    {
      path: `${directory}/values.schema.json`,
      content: `${JSON.stringify(valuesSchema(plan.name), null, 2)}\n`,
    },
  ];
  for (const environment of plan.environments) {
    const override =
      valuesOverride(
        base,
        environmentValues(plan, builtFor(environment), base),
      ) ?? {};
    overrides[environment] = override;
    files.push({
      path: `${directory}/values-${environment}.yaml`,
      content: yamlFile(
        override,
        [
          ` ${environment}: what differs from values.yaml (the ${production} profile).`,
          `   ${installCommand(plan, environment)}`,
        ].join('\n'),
      ),
    });
  }
  for (const template of CHART_TEMPLATES) {
    files.push({
      path: `${directory}/${template.path}`,
      content: template.content,
    });
  }
  files.sort((a, b) => {
    if (a.path === b.path) return 0;
    return a.path < b.path ? -1 : 1;
  });
  return { directory, files, production, values: base, overrides };
}
