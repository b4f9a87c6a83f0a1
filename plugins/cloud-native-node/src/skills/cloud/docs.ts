import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile } from '../../core/types';
import { secretStoreName } from '../../plan/names';
import { awsAccount, eksRoleArn, KARPENTER_AMI_ALIAS } from './aws';
import {
  clientIdPlaceholder,
  identityName,
  keyVaultSecretName,
  vaultName,
} from './azure';
import {
  cloudIdentities,
  clusterName,
  COLLECTOR_NAMESPACES,
  PLACEHOLDERS,
  RegistryOwner,
  scrapedServices,
} from './context';
import { ManagedProvider } from '../../plan/names';
import { gcpProject, gcpSecretName, gsaEmail } from './gcp';
import { cloudDirectory, overlayDirectory } from '../../plan/names';
import {
  AVAILABILITY_OBJECTIVE,
  AZURE_MONITOR_API_VERSION,
  LATENCY_P99_SECONDS,
  prometheusRuleName,
} from './monitoring';
import { decideStorage, statefulServices } from './storage';
import { ProviderOutput } from './types';

const TITLES: Record<ManagedProvider, string> = {
  eks: 'Amazon EKS',
  gke: 'Google Kubernetes Engine',
  aks: 'Azure Kubernetes Service',
};

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(row => `| ${row.join(' | ')} |`),
  ];
}

function identityRows(
  plan: DeploymentPlan,
  provider: ManagedProvider,
  environment: string,
): string[][] {
  return cloudIdentities(plan).map(identity => {
    const sa = `\`${identity.namespace}/${identity.serviceAccount}\``;
    switch (provider) {
      case 'eks':
        return [
          sa,
          `\`${eksRoleArn(plan, environment, identity)}\``,
          identity.purpose,
        ];
      case 'gke':
        return [
          sa,
          `\`${gsaEmail(plan, environment, identity)}\``,
          identity.purpose,
        ];
      default:
        return [
          sa,
          `\`${identityName(
            plan,
            environment,
            identity,
          )}\` (client id \`${clientIdPlaceholder(
            plan,
            environment,
            identity,
          )}\`)`,
          identity.purpose,
        ];
    }
  });
}

function secretNames(
  plan: DeploymentPlan,
  provider: ManagedProvider,
): string[] {
  const rows = cloudIdentities(plan)
    .filter(i => i.service)
    .flatMap(i => i.secrets)
    .map(secret => {
      let name = `${plan.name}/${secret.service}/${secret.key}`;
      if (provider === 'gke') {
        name = gcpSecretName(plan, secret.service, secret.key);
      }
      if (provider === 'aks') {
        name = keyVaultSecretName(plan, secret.service, secret.key);
      }
      return [`${secret.service}`, `\`${secret.key}\``, `\`${name}\``];
    });
  if (rows.length === 0) return [];
  const backend = {
    eks: 'AWS Secrets Manager',
    gke: 'Secret Manager',
    aks: `Key Vault (${plan.environments
      .map(env => `\`${vaultName(plan, env)}\``)
      .join(', ')})`,
  }[provider];
  return [
    '## Secrets',
    '',
    `The ExternalSecrets read through the ClusterSecretStore \`${secretStoreName(
      plan.name,
    )}\` (\`${cloudDirectory(
      provider,
      '<env>',
    )}/secret-store.yaml\`, usable from the namespace \`${
      plan.namespace
    }\` only). Create these secrets in ${backend}, one backend per environment:`,
    '',
    ...table(['Service', 'Variable', 'Secret name'], rows),
    '',
  ];
}

const PLACEHOLDER_COLUMNS = ['Value', 'Where', 'Replace with'];

/**
 * The placeholders row of the account or project id: nothing to replace
 * when it was read from the registry.
 */
function ownerRow(
  owner: RegistryOwner,
  where: string,
  fromRegistry: string,
  replaceWith: string,
): string[] {
  return [
    `\`${owner.id}\``,
    where,
    owner.source === 'registry' ? fromRegistry : replaceWith,
  ];
}

function placeholders(
  plan: DeploymentPlan,
  provider: ManagedProvider,
): string[] {
  switch (provider) {
    case 'eks':
      return table(PLACEHOLDER_COLUMNS, [
        ownerRow(
          awsAccount(plan),
          'role ARNs, IAM documents',
          'nothing: the account of the ECR registry',
          "your account id (AWS's documentation example account)",
        ),
        [
          `\`${PLACEHOLDERS.eksOidcId}\``,
          'trust policies',
          'the cluster OIDC id (`create-roles.sh` substitutes it)',
        ],
      ]);
    case 'gke':
      return table(PLACEHOLDER_COLUMNS, [
        ownerRow(
          gcpProject(plan),
          'GSA emails, bindings, the ClusterSecretStore',
          'nothing: the project of the Artifact Registry',
          'your project id',
        ),
      ]);
    default:
      return table(PLACEHOLDER_COLUMNS, [
        [
          '`00000000-0000-0000-0000-<12 hex>`',
          'client-id annotations, identities.json',
          "the managed identity's client id (`setup.sh` substitutes it in the overlay)",
        ],
        [
          `\`${PLACEHOLDERS.azureTenantId}\``,
          'tenant id (ClusterSecretStore), subscription id (role scopes)',
          'your tenant / subscription id',
        ],
        [
          `\`https://${plan.region}.oic.prod-aks.azure.com/${PLACEHOLDERS.azureTenantId}/00000000-0000-0000-0000-<12 hex>/\``,
          'federated credentials',
          'the cluster OIDC issuer (`setup.sh` reads it)',
        ],
      ]);
  }
}

function providerNotes(
  plan: DeploymentPlan,
  provider: ManagedProvider,
): string[] {
  const t3 = plan.tierFeatures.observability;
  const scraped = scrapedServices(plan).map(s => s.name);
  const istio =
    plan.mesh === 'istio'
      ? ' With Istio (STRICT mTLS, `allow-nothing`), a Prometheus outside the mesh cannot scrape the app port in plaintext: give it Istio certificates (Istio\'s "Prometheus TLS settings": an istio-proxy sidecar writing certificates, `scheme: https` and `tlsConfig` on the endpoints) and allow its principal in an AuthorizationPolicy, or scrape Istio\'s merged endpoint (port 15020, `/stats/prometheus`) as the GKE PodMonitorings do.'
      : '';
  const monitoring = t3
    ? [
        `From T3, \`monitoring.yaml\`: a Prometheus Operator ServiceMonitor per scraped service (${scraped.join(
          ', ',
        )}: port \`http\`, \`/metrics\`), the PrometheusRule \`${prometheusRuleName(
          plan,
        )}\` (availability ${(AVAILABILITY_OBJECTIVE * 100).toFixed(
          1,
        )} % with fast 1h/5m and slow 6h/30m burn-rate alerts, p99 latency above ${LATENCY_P99_SECONDS}s) and a NetworkPolicy admitting the collectors' namespaces (${COLLECTOR_NAMESPACES[
          provider
        ].join(
          ', ',
        )}). kube-prometheus-stack selects ServiceMonitors/PrometheusRules by its release label unless \`serviceMonitorSelectorNilUsesHelmValues\`/\`ruleSelectorNilUsesHelmValues\` are false.${istio}`,
      ]
    : [
        `No ServiceMonitor/PrometheusRule below T3 (tier ${plan.tier}); use the provider's managed container monitoring.`,
      ];
  switch (provider) {
    case 'eks':
      return [
        '## Choices',
        '',
        "- **IRSA** rather than EKS Pod Identity: it works on every EKS version and with the External Secrets Operator JWT auth; each role trusts one ServiceAccount (`sub`) for STS (`aud`) and may only `secretsmanager:GetSecretValue` its services' paths. Secrets encrypted with a customer-managed KMS key also need `kms:Decrypt` on that key.",
        '- **Ingress**: the ALB Ingresses of the kubernetes skill need the AWS Load Balancer Controller. `IngressClassParams` (elbv2.k8s.aws) is not emitted: the schema validator has no model for it; the annotations on each Ingress carry scheme, target type and TLS redirect. ACM certificates are discovered from the Ingress hosts.',
        `- **Nodes**: ${
          plan.tierFeatures.costOptimization
            ? `Karpenter (\`karpenter.yaml\`): NodePool \`${plan.name}\` (c/m/r, generation 6+, spot and on-demand, consolidation when empty or underutilized, 10 % disruption budget, nodes expire after 30 days) and EC2NodeClass \`${plan.name}\` (AMI \`${KARPENTER_AMI_ALIAS}\`, pinned: bump it environment by environment; IMDSv2 with hop limit 1; encrypted gp3 root volume; subnets and security groups tagged \`karpenter.sh/discovery: <cluster>\`; node role \`KarpenterNodeRole-<cluster>\`). StatefulSets are pinned to on-demand nodes. Install Karpenter (v1) with its controller role first.`
            : 'T1: a managed node group (no Karpenter).'
        }`,
        '- **Storage**: `gp3` (EBS CSI driver add-on, encrypted, WaitForFirstConsumer, expandable).',
        `- **Monitoring**: the \`amazon-cloudwatch-observability\` add-on (Container Insights) at every tier. ${monitoring[0]} Run the Prometheus with \`remote_write\` to an Amazon Managed Service for Prometheus workspace (SigV4, its own IRSA role).`,
        '',
      ];
    case 'gke':
      return [
        '## Choices',
        '',
        '- **Workload Identity Federation for GKE** with one Google service account per Kubernetes ServiceAccount; `roles/secretmanager.secretAccessor` is bound on each secret (no project-wide grant).',
        '- **Ingress**: the GKE Ingress of the kubernetes skill is kept; GKE derives each backend health check from the pod readinessProbe. `BackendConfig`/`FrontendConfig` are not emitted (unknown to the schema validator). A Gateway API alternative (`gke-l7-global-external-managed`) would need `HealthCheckPolicy` for non-`/` health paths.',
        `- **Cluster**: ${
          plan.tier === 'T3' ? 'Standard' : 'Autopilot'
        }, see \`cloud/gke/cluster.md\`.`,
        '- **Storage**: `pd-balanced` (PD CSI, WaitForFirstConsumer, expandable); `standard-rwo`/`premium-rwo` are GKE built-ins.',
        `- **Monitoring**: ${
          t3
            ? `Managed Service for Prometheus (on by default since GKE 1.27) reads the \`PodMonitoring\` objects of \`managed-prometheus.yaml\` (monitoring.googleapis.com/v1; checked by this package's strict model, the schema validator has none). ${monitoring[0]} GMP evaluates alerting rules from its own \`Rules\` resource: copy the PrometheusRule groups into one if you run no Prometheus Operator.`
            : monitoring[0]
        }`,
        '',
      ];
    default:
      return [
        '## Choices',
        '',
        '- **Microsoft Entra Workload ID**: one user-assigned managed identity per ServiceAccount, a federated credential for exactly that ServiceAccount, `Key Vault Secrets User` on each secret (never the subscription or resource group). The overlay labels the pod templates `azure.workload.identity/use: "true"`.',
        '- **Ingress**: the application routing add-on (IngressClass `webapprouting.kubernetes.azure.com`), as emitted by the kubernetes skill.',
        '- **Storage**: `managed-csi` / `managed-csi-premium` are AKS built-ins (Azure Disk CSI, StandardSSD_LRS / Premium_LRS, WaitForFirstConsumer): referenced, never redefined.',
        '- **Autoscaling**: `cloud/aks/cluster-autoscaler-profile.json` (`az aks update --cluster-autoscaler-profile key=value ...`), expander `least-waste`; use `priority` with a `cluster-autoscaler-priority-expander` ConfigMap to prefer spot pools.',
        `- **Monitoring**: ${
          t3
            ? `Azure Monitor managed Prometheus (\`ama-metrics\`) only reads \`${AZURE_MONITOR_API_VERSION}\` ServiceMonitors/PodMonitors (same schema as monitoring.coreos.com, other group): \`managed-prometheus.yaml\` holds them (validated against the monitoring.coreos.com schema). ${monitoring[0]} Azure alerts come from Prometheus rule groups (ARM), which \`az-prom-rules-converter\` creates from the PrometheusRule.`
            : `Container insights / managed Prometheus add-on. ${monitoring[0]}`
        }`,
        '',
      ];
  }
}

function prerequisites(
  plan: DeploymentPlan,
  provider: ManagedProvider,
): string[] {
  const list = [
    'the External Secrets Operator (v0.17+, `external-secrets.io/v1`)',
    'Argo Rollouts when the manifests use Rollouts',
  ];
  if (plan.mesh !== 'none') list.push(`the ${plan.mesh} control plane`);
  if (plan.tierFeatures.observability)
    list.push('the Prometheus Operator CRDs');
  if (provider === 'eks') {
    if (plan.tierFeatures.costOptimization) list.push('Karpenter v1');
    list.push('the EBS CSI driver', 'the AWS Load Balancer Controller');
  }
  if (provider === 'aks') {
    list.push('the OIDC issuer and Workload ID enabled on the cluster');
  }
  return list;
}

function readme(plan: DeploymentPlan, output: ProviderOutput): string {
  const { provider } = output;
  const environments = plan.environments;
  const lines = [
    `# ${TITLES[provider]} integration of ${plan.name}`,
    '',
    'Generated by the cloud-kubernetes-integrator skill. One cluster per environment, named `<plan>-<environment>`.',
    '',
    '## Deploy',
    '',
    '```sh',
    ...environments.map(
      env =>
        `kubectl apply -k ${overlayDirectory(
          env,
          provider,
        )}   # cluster ${clusterName(plan, env)}`,
    ),
    '```',
    '',
    `Each overlay is the environment's manifests (\`kubernetes/<env>\`, through \`kustomize/<env>/base\`) plus this provider's objects (\`${cloudDirectory(
      provider,
      '<env>',
    )}\`) and patches (in the overlay folder). Check with \`kubectl kustomize <overlay>\`.`,
    '',
    `Prerequisites in each cluster: ${prerequisites(plan, provider).join(
      ', ',
    )}.`,
    '',
  ];
  if (cloudIdentities(plan).length > 0) {
    lines.push('## Identities', '');
    for (const env of environments) {
      lines.push(
        `### ${env}`,
        '',
        ...table(
          ['ServiceAccount', 'Cloud identity', 'Purpose'],
          identityRows(plan, provider, env),
        ),
        '',
      );
    }
    const where = {
      eks: '`cloud/eks/iam/<env>/` (trust and permission policies, `roles.json`, `create-roles.sh`)',
      gke: '`cloud/gke/iam/<env>/` (`<sa>-binding.json`, `setup.sh`)',
      aks: '`cloud/aks/identity/<env>/` (federated credentials, role assignments, `identities.json`, `setup.sh`)',
    }[provider];
    lines.push(`IAM documents: ${where}.`, '');
    lines.push(...secretNames(plan, provider));
  }
  const stateful = statefulServices(plan);
  if (stateful.length > 0) {
    lines.push(
      '## Storage',
      '',
      ...table(
        ['Service', 'Spec class', 'Class used', 'Note'],
        stateful.map(s => {
          const decision = decideStorage(provider, s);
          return [
            s.name,
            decision.requested ?? '(none)',
            `\`${decision.effective}\``,
            decision.note.replace(`${s.name}: `, ''),
          ];
        }),
      ),
      '',
    );
  }
  lines.push('## Placeholders', '', ...placeholders(plan, provider), '');
  lines.push(...providerNotes(plan, provider));
  return lines.join('\n');
}

export function providerReadme(
  plan: DeploymentPlan,
  output: ProviderOutput,
): GeneratedFile {
  return {
    path: `cloud/${output.provider}/README.md`,
    content: readme(plan, output),
  };
}
