import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { AB_HEADER } from '../plan/rollout';
import { jobShape } from '../plan/workload';
import { CLUSTER_LABEL, Facts, RolloutFacts } from './facts';
import {
  block,
  code,
  listSection,
  mermaidLabel,
  table,
  text,
} from './markdown';

/**
 * docs/ARCHITECTURE.md: the platform decision with its rule ids, the
 * services, a Mermaid diagram of the topology, tier features and the open
 * questions.
 */

const SERVERLESS_LABEL: Record<string, string> = {
  aws: 'AWS Lambda',
  azure: 'Azure Functions',
  gcp: 'Cloud Run / Cloud Functions',
  'multi-cloud': 'AWS Lambda and Knative',
  'platform-agnostic': 'Knative',
};

function rolloutOf(
  facts: Facts,
  service: ServicePlan,
): RolloutFacts | undefined {
  return facts.rollouts.find(r => r.service.name === service.name);
}

/** The strategy as rendered (Rollout fallbacks included). */
export function strategyText(facts: Facts, service: ServicePlan): string {
  const rollout = rolloutOf(facts, service);
  if (!rollout) {
    if (service.objectKind === 'Function') return 'versions (platform)';
    if (service.strategy === 'none') return 'none (runs to completion)';
    return service.strategy === 'recreate' ? 'recreate' : 'rolling update';
  }
  const requested =
    rollout.mode !== service.strategy ? ` (${service.strategy} requested)` : '';
  switch (rollout.mode) {
    case 'canary':
      return `canary 5→25→50→100%${
        rollout.router !== 'none'
          ? ` via ${rollout.router}`
          : ', replica-weighted'
      }${requested}`;
    case 'blue-green':
      return `blue-green${requested}`;
    default:
      return `A/B test (header ${AB_HEADER.name}: ${AB_HEADER.value})${requested}`;
  }
}

function exposure(service: ServicePlan): string {
  if (service.runtime === 'serverless') {
    const trigger = service.service.trigger;
    if (!trigger || trigger.type === 'http') return 'public HTTP endpoint';
    if (trigger.type === 'schedule' && service.service.schedule) {
      return `schedule ${service.service.schedule}`;
    }
    return `${trigger.type}${trigger.source ? `: ${trigger.source}` : ''}`;
  }
  switch (service.service.expose) {
    case 'public':
      return 'public (Ingress)';
    case 'internal':
      return 'internal (ClusterIP)';
    default:
      return 'none';
  }
}

function replicas(service: ServicePlan): string {
  if (service.runtime === 'serverless') return 'on demand';
  const { min, max } = service.service.replicas;
  switch (service.objectKind) {
    case 'DaemonSet':
      return 'one per node';
    case 'Job': {
      const shape = jobShape(service);
      return shape.mode === 'work-queue'
        ? `work queue, parallelism ${shape.parallelism}`
        : `${shape.completions} completion(s), parallelism ${shape.parallelism}`;
    }
    case 'CronJob':
      return `1 per run (${service.service.schedule ?? ''})`;
    default:
      return min === max ? String(min) : `${min}–${max}`;
  }
}

function resources(facts: Facts, service: ServicePlan): string {
  if (service.runtime === 'serverless') {
    return `${service.service.memoryMB ?? 512} MB, ${
      service.service.timeoutSeconds ?? 30
    } s timeout`;
  }
  const settings = facts.profiles[0]?.services[service.name]?.resources;
  if (!settings) {
    return `${service.service.resources.cpu} CPU, ${service.service.resources.memory}`;
  }
  const storage = service.service.storage
    ? `, volume ${service.service.storage.size}${
        service.service.storage.class
          ? ` (${service.service.storage.class})`
          : ''
      }`
    : '';
  return `requests ${settings.requests.cpu} CPU / ${settings.requests.memory}; limits ${settings.limits.cpu} / ${settings.limits.memory}${storage}`;
}

function servicesTable(facts: Facts): string[] {
  return table(
    [
      'Service',
      'Workload',
      'Runs on',
      'Object',
      'Strategy',
      'Replicas',
      'Resources',
      'Exposure',
      'Depends on',
    ],
    facts.plan.services.map(s => [
      code(s.name),
      s.service.workload,
      s.runtime,
      s.objectKind,
      text(strategyText(facts, s)),
      text(replicas(s)),
      text(resources(facts, s)),
      text(exposure(s)),
      s.service.dependsOn.length > 0
        ? s.service.dependsOn.map(code).join(', ')
        : '-',
    ]),
  );
}

function environmentsTable(facts: Facts): string[] {
  if (facts.profiles.length === 0) return [];
  const rows = facts.kube.map(service => [
    code(service.name),
    ...facts.profiles.map(profile => {
      const p = profile.services[service.name];
      if (!p) return '-';
      const parts: string[] = [];
      if (['Deployment', 'Rollout', 'StatefulSet'].includes(p.objectKind)) {
        parts.push(
          p.replicas.min === p.replicas.max
            ? `${p.replicas.min}`
            : `${p.replicas.min}–${p.replicas.max}`,
        );
      } else {
        parts.push(text(replicas(service)));
      }
      if (p.autoscaling) parts.push('HPA');
      if (p.podDisruptionBudget) parts.push('PDB');
      if (p.host) parts.push(code(p.host));
      return parts.join(', ');
    }),
  ]);
  return [
    '### Per environment',
    '',
    'Replicas, autoscaling (HPA), disruption budgets (PDB) and public hosts by environment class (production, staging, development):',
    '',
    ...table(
      [
        'Service',
        ...facts.profiles.map(p => `${code(p.environment)} (${p.class})`),
      ],
      rows,
    ),
    '',
  ];
}

function nodeShape(service: ServicePlan, label: string): string {
  switch (service.objectKind) {
    case 'StatefulSet':
      return `[(${label})]`;
    case 'DaemonSet':
      return `[[${label}]]`;
    case 'Job':
    case 'CronJob':
      return `([${label}])`;
    case 'Function':
      return `{{${label}}}`;
    default:
      return `[${label}]`;
  }
}

/** Mermaid node id of a service: by index, never the (user-given) name. */
export function nodeId(index: number): string {
  return `svc_${index}`;
}

/**
 * The topology as a Mermaid flowchart. Ids are generated (`svc_<n>`), every
 * label is quoted and escaped: names, titles and sources never reach the
 * Mermaid syntax as raw text.
 */
export function mermaidDiagram(facts: Facts): string[] {
  const { plan } = facts;
  const ids = new Map(plan.services.map((s, i) => [s.name, nodeId(i)]));
  const node = (service: ServicePlan) => {
    const detail =
      service.runtime === 'serverless'
        ? `function · ${exposure(service)}`
        : `${service.objectKind} · ${strategyText(facts, service)}`;
    return `${ids.get(service.name)}${nodeShape(
      service,
      mermaidLabel([service.name, detail]),
    )}`;
  };
  const lines: string[] = ['flowchart LR'];
  const publicKube = facts.publicServices;
  const publicFunctions = facts.serverless.filter(
    s =>
      (s.service.trigger?.type ?? 'http') === 'http' &&
      s.service.expose === 'public',
  );
  if (publicKube.length > 0 || publicFunctions.length > 0) {
    lines.push(`  users(${mermaidLabel(['Users'])})`);
  }
  if (facts.kube.length > 0) {
    const cluster = plan.clusterProviders
      .map(p => CLUSTER_LABEL[p] ?? p)
      .join(' / ');
    lines.push(
      `  subgraph cluster[${mermaidLabel([`Kubernetes cluster: ${cluster}`])}]`,
    );
    if (publicKube.length > 0) {
      lines.push(`    ingress(${mermaidLabel([`Ingress: ${plan.ingress}`])})`);
    }
    const mesh = plan.mesh !== 'none' ? ` · ${plan.mesh} mTLS` : '';
    lines.push(
      `    subgraph ns[${mermaidLabel([
        `${facts.title} · namespace ${facts.ns}${mesh}`,
      ])}]`,
    );
    for (const service of facts.kube) lines.push(`      ${node(service)}`);
    lines.push('    end', '  end');
  }
  const sources: Array<{ id: string; target: string }> = [];
  if (facts.serverless.length > 0) {
    lines.push(
      `  subgraph serverless[${mermaidLabel([
        `${facts.title} · serverless: ${
          SERVERLESS_LABEL[plan.cloud] ?? plan.cloud
        }`,
      ])}]`,
    );
    for (const service of facts.serverless) lines.push(`    ${node(service)}`);
    lines.push('  end');
    facts.serverless.forEach((service, i) => {
      const trigger = service.service.trigger;
      if (!trigger || trigger.type === 'http') return;
      const id = `event_${i}`;
      lines.push(
        `  ${id}((${mermaidLabel([
          `${trigger.type}${trigger.source ? `: ${trigger.source}` : ''}`,
        ])}))`,
      );
      sources.push({ id, target: ids.get(service.name)! });
    });
  }
  if (publicKube.length > 0) lines.push('  users --> ingress');
  for (const service of publicKube) {
    lines.push(`  ingress --> ${ids.get(service.name)}`);
  }
  for (const service of publicFunctions) {
    lines.push(`  users --> ${ids.get(service.name)}`);
  }
  for (const source of sources) {
    lines.push(`  ${source.id} -.-> ${source.target}`);
  }
  for (const service of plan.services) {
    for (const dependency of service.service.dependsOn) {
      const target = ids.get(dependency);
      if (target) lines.push(`  ${ids.get(service.name)} --> ${target}`);
    }
  }
  return lines;
}

const FEATURES: Array<[keyof Facts['plan']['tierFeatures'], string]> = [
  [
    'securityHardening',
    'Security hardening (non-root, read-only root filesystem, dropped capabilities)',
  ],
  ['costOptimization', 'Cost optimization (right-sized requests, autoscaling)'],
  ['podDisruptionBudgets', 'PodDisruptionBudgets'],
  ['networkPolicies', 'Default-deny NetworkPolicies'],
  [
    'observability',
    'Observability (metrics scraping, ServiceMonitors, alerts)',
  ],
  ['disasterRecovery', 'Disaster recovery'],
  ['compliance', 'Compliance controls'],
  ['multiZoneHA', 'Multi-zone high availability'],
  ['topologySpread', 'Topology spread across zones'],
];

function tierSection(facts: Facts): string[] {
  const f = facts.plan.tierFeatures;
  return [
    `## Tier ${facts.plan.tier} features`,
    '',
    ...table(
      ['Feature', 'Enabled'],
      [
        ...FEATURES.map(([key, label]) => [text(label), f[key] ? 'yes' : 'no']),
        ['Pod Security Admission level', code(f.podSecurity)],
        ['Rolling update maxUnavailable', code(String(f.maxUnavailable))],
      ],
    ),
    '',
  ];
}

export function renderArchitecture(facts: Facts): string {
  const { plan } = facts;
  const meta = plan.architecture.metadata;
  const lines: string[] = [`# Architecture: ${text(facts.title)}`, ''];
  if (meta.description) lines.push(text(meta.description), '');
  if (meta.owner) lines.push(`Owner: ${code(meta.owner)}`, '');
  lines.push(
    '## Platform decision',
    '',
    `**${text(plan.platform)}** on ${text(plan.cloud)} (${code(
      plan.region,
    )}), tier ${text(plan.tier)}, ${
      plan.environments.length
    } environment(s): ${plan.environments
      .map(code)
      .join(', ')}. Complexity ${text(plan.complexity.level)} (score ${
      plan.complexity.score
    }: ${text(plan.complexity.why)}).`,
    '',
  );
  if (facts.kube.length > 0) {
    lines.push(
      `Kubernetes: ${plan.clusterProviders
        .map(p => CLUSTER_LABEL[p] ?? p)
        .join(', ')}, namespace ${code(facts.ns)}, ingress ${code(
        plan.ingress,
      )}, mesh ${code(plan.mesh)}, traffic router ${code(
        plan.trafficRouter,
      )}, packaging ${code(plan.packaging)}${
        plan.packaging === 'helm' ? ` (${code(facts.chart)})` : ''
      }, GitOps ${code(plan.gitops)}.`,
      '',
    );
  }
  lines.push(
    'Why, rule by rule (the rule ids are explained in docs/decision-rules.md of the orchestrator):',
    '',
    ...table(
      ['Rule', 'Decision'],
      plan.decisions.map(d => [code(d.ruleId), text(d.rationale)]),
    ),
    '',
    '## Services',
    '',
    ...servicesTable(facts),
    '',
    ...environmentsTable(facts),
    '### Decisions per service',
    '',
    ...plan.services.map(
      s =>
        `- ${code(s.name)}: ${
          s.decisions.length > 0
            ? s.decisions
                .map(d => `${code(d.ruleId)} ${text(d.rationale)}`)
                .join('; ')
            : 'defaults'
        }`,
    ),
    '',
    '## Diagram',
    '',
    'Arrows point from a service to what it calls (its `dependsOn`); public traffic enters through the ingress.',
    '',
    ...block('mermaid', mermaidDiagram(facts)),
    '',
    ...tierSection(facts),
    '## Skills that generated this package',
    '',
    ...plan.skills.map(
      (s, i) =>
        `${i + 1}. ${code(s.id)}: ${text(s.reason)} (${s.ruleIds
          .map(code)
          .join(', ')})`,
    ),
    '',
    ...listSection(
      'Open questions',
      plan.questions.map(
        q =>
          `- ${code(q.id)}: ${text(q.question)} Assumed until answered: ${text(
            q.assumption,
          )}.`,
      ),
    ),
  );
  return `${lines.join('\n')}\n`;
}
