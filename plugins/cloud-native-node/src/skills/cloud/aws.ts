import type { INodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import type { IEC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, KubernetesObject } from '../../core/types';
import { environmentProfile } from '../../plan/profile';
import { cpuMillicores, memoryBytes } from '../../core/quantities';
import { asObject } from '../../core/serialize';
import {
  CloudIdentity,
  cloudIdentities,
  identityKey,
  clusterName,
  jsonFile,
  MANAGED_BY_LABELS,
  PLACEHOLDERS,
  RegistryOwner,
  registryOwner,
  serviceAccountSubject,
  shellQuote,
} from './context';
import { kubernetesServices } from '../../plan/workload';
import { shorten } from '../../plan/names';
import { monitoringResources } from './providerCommon';
import { serviceAccountPatch } from './patches';
import { secretStoreResources, storeServiceAccountRef } from './secretStore';
import { storageOutput } from './storage';
import { ProviderEnvironment, ProviderOutput } from './types';

/**
 * AWS / EKS.
 *
 * - IRSA: every identity (services with secrets, the ESO store) gets an IAM
 *   role `<plan>-<env>-<serviceAccount>` trusted only by its ServiceAccount's
 *   token (`sub` and `aud` conditions) and allowed
 *   `secretsmanager:GetSecretValue` on its own secrets' path
 *   (`<plan>/<svc>/*`), never `*`.
 * - gp3 StorageClass (EBS CSI, encrypted) for stateful services.
 * - Karpenter from T2 (cost optimization): a NodePool (spot + on-demand,
 *   consolidation) and an EC2NodeClass (pinned AL2023 AMI, IMDSv2 only,
 *   encrypted root volume); StatefulSets are pinned to on-demand capacity.
 * - Monitoring: Container Insights (documented) at every tier; from T3
 *   ServiceMonitors and SLO rules for a Prometheus that remote-writes to
 *   Amazon Managed Service for Prometheus.
 */

/** The pinned EKS-optimized AL2023 AMI release; bump it in stages. */
export const KARPENTER_AMI_ALIAS = 'al2023@v20260423';

const ECR = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\/|$)/;

/** The AWS account: from an ECR registry/image when there is one. */
export function awsAccount(plan: DeploymentPlan): RegistryOwner {
  return registryOwner(plan, [ECR], PLACEHOLDERS.awsAccountId);
}

/** IAM role names are at most 64 characters. */
function eksRoleName(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  return shorten(
    `${plan.name}-${environment}-${identityKey(plan, identity)}`,
    64,
  );
}

export function eksRoleArn(
  plan: DeploymentPlan,
  environment: string,
  identity: CloudIdentity,
): string {
  return `arn:aws:iam::${awsAccount(plan).id}:role/${eksRoleName(
    plan,
    environment,
    identity,
  )}`;
}

function oidcProvider(plan: DeploymentPlan): string {
  return `oidc.eks.${plan.region}.amazonaws.com/id/${PLACEHOLDERS.eksOidcId}`;
}

/** The role's trust policy: only this ServiceAccount's tokens, for STS. */
export function trustPolicy(plan: DeploymentPlan, identity: CloudIdentity) {
  const issuer = oidcProvider(plan);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::${
            awsAccount(plan).id
          }:oidc-provider/${issuer}`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: serviceAccountSubject(identity),
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/** Read access to the identity's services' secrets, nothing else. */
function secretsPolicy(plan: DeploymentPlan, identity: CloudIdentity) {
  const services = [...new Set(identity.secrets.map(s => s.service))];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: services.map(
          service =>
            `arn:aws:secretsmanager:${plan.region}:${
              awsAccount(plan).id
            }:secret:${plan.name}/${service}/*`,
        ),
      },
    ],
  };
}

/** Node capacity ceiling of one environment: twice the peak requests. */
function karpenterLimits(
  plan: DeploymentPlan,
  environment: string,
): { cpu: string; memory: string } {
  const profile = environmentProfile(plan, environment);
  let millicores = 0;
  let bytes = 0;
  for (const service of Object.values(profile.services)) {
    const replicas = Math.max(1, service.replicas.max);
    millicores += replicas * cpuMillicores(service.resources.requests.cpu);
    bytes += replicas * memoryBytes(service.resources.requests.memory);
  }
  // ×2: rollouts (blue-green doubles a service), DaemonSets, system pods.
  const cores = Math.max(8, Math.ceil((2 * millicores) / 1000 / 4) * 4);
  const gibibytes = Math.max(32, Math.ceil((2 * bytes) / 1024 ** 3 / 16) * 16);
  return { cpu: String(cores), memory: `${gibibytes}Gi` };
}

/**
 * Images the package builds are multi-arch (amd64 + arm64); a prebuilt
 * image may not be, so Graviton is allowed only when every image is built.
 */
function karpenterArchitectures(plan: DeploymentPlan): string[] {
  return kubernetesServices(plan).every(s => s.buildsImage)
    ? ['amd64', 'arm64']
    : ['amd64'];
}

function karpenterObjects(
  plan: DeploymentPlan,
  environment: string,
): KubernetesObject[] {
  const cluster = clusterName(plan, environment);
  const labels = {
    ...MANAGED_BY_LABELS,
    'app.kubernetes.io/part-of': plan.name,
    'cloud-native.backstage.io/environment': environment,
  };
  const nodePool: INodePool & { metadata: { name: string } } = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: plan.name, labels },
    spec: {
      template: {
        metadata: { labels: { 'app.kubernetes.io/part-of': plan.name } },
        spec: {
          nodeClassRef: {
            group: 'karpenter.k8s.aws',
            kind: 'EC2NodeClass',
            name: plan.name,
          },
          requirements: [
            {
              key: 'kubernetes.io/arch',
              operator: 'In',
              values: karpenterArchitectures(plan),
            },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            {
              key: 'karpenter.sh/capacity-type',
              operator: 'In',
              values: ['spot', 'on-demand'],
            },
            {
              key: 'karpenter.k8s.aws/instance-category',
              operator: 'In',
              values: ['c', 'm', 'r'],
            },
            {
              key: 'karpenter.k8s.aws/instance-generation',
              operator: 'Gt',
              values: ['5'],
            },
          ],
          // Nodes are replaced monthly (patched AMIs, no long-lived drift).
          expireAfter: '720h',
        },
      },
      limits: karpenterLimits(plan, environment),
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '1m',
        budgets: [{ nodes: '10%' }],
      },
    },
  };
  const discovery = { 'karpenter.sh/discovery': cluster };
  const nodeClass: IEC2NodeClass & { metadata: { name: string } } = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: plan.name, labels },
    spec: {
      role: `KarpenterNodeRole-${cluster}`,
      amiSelectorTerms: [{ alias: KARPENTER_AMI_ALIAS }],
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpProtocolIPv6: 'disabled',
        // 1 hop: pods cannot reach the node role through IMDS (IRSA instead).
        httpPutResponseHopLimit: 1,
        httpTokens: 'required',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: '50Gi',
            volumeType: 'gp3',
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      tags: {
        'app.kubernetes.io/part-of': plan.name,
        'cloud-native.backstage.io/environment': environment,
      },
    },
  };
  return [asObject(nodePool), asObject(nodeClass)];
}

function createRolesScript(
  plan: DeploymentPlan,
  environment: string,
  identities: CloudIdentity[],
): string {
  const cluster = clusterName(plan, environment);
  const { id: accountId } = awsAccount(plan);
  const lines = [
    '#!/usr/bin/env bash',
    `# IRSA roles of ${plan.name} (${environment}), for the EKS cluster ${cluster}.`,
    "# Needs the aws CLI, credentials of the target account, and the cluster's",
    `# IAM OIDC provider (eksctl utils associate-iam-oidc-provider --cluster ${cluster} --approve).`,
    '# The JSON documents carry the account and OIDC id they were generated with;',
    '# this script substitutes the real ones.',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `CLUSTER=${shellQuote(cluster)}`,
    `REGION=${shellQuote(plan.region)}`,
    `DOCUMENT_ACCOUNT=${shellQuote(accountId)}`,
    `DOCUMENT_OIDC_ID=${shellQuote(PLACEHOLDERS.eksOidcId)}`,
    'ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"',
    'OIDC_ID="$(aws eks describe-cluster --name "$CLUSTER" --region "$REGION" --query cluster.identity.oidc.issuer --output text | awk -F/ \'{print $NF}\')"',
    'if [ "$ACCOUNT_ID" != "$DOCUMENT_ACCOUNT" ]; then',
    '  echo "note: account $ACCOUNT_ID differs from $DOCUMENT_ACCOUNT: update the eks.amazonaws.com/role-arn annotations of the overlay" >&2',
    'fi',
    'render() { sed -e "s/${DOCUMENT_ACCOUNT}/${ACCOUNT_ID}/g" -e "s/${DOCUMENT_OIDC_ID}/${OIDC_ID}/g" "$1"; }',
    '',
  ];
  for (const identity of identities) {
    const role = eksRoleName(plan, environment, identity);
    const sa = identity.serviceAccount;
    lines.push(
      `# ${identity.purpose}`,
      `aws iam create-role --role-name ${shellQuote(
        role,
      )} --assume-role-policy-document "$(render ${shellQuote(
        `${sa}-trust-policy.json`,
      )})" --description ${shellQuote(
        `IRSA ${identity.namespace}/${sa}`.slice(0, 1000),
      )}`,
      `aws iam put-role-policy --role-name ${shellQuote(
        role,
      )} --policy-name secrets-read --policy-document "$(render ${shellQuote(
        `${sa}-policy.json`,
      )})"`,
      '',
    );
  }
  return lines.join('\n');
}

function iamFiles(
  plan: DeploymentPlan,
  environment: string,
  identities: CloudIdentity[],
): GeneratedFile[] {
  if (identities.length === 0) return [];
  const directory = `cloud/eks/iam/${environment}`;
  const files: GeneratedFile[] = [];
  for (const identity of identities) {
    const sa = identity.serviceAccount;
    files.push(
      jsonFile(
        `${directory}/${sa}-trust-policy.json`,
        trustPolicy(plan, identity),
      ),
      jsonFile(`${directory}/${sa}-policy.json`, secretsPolicy(plan, identity)),
    );
  }
  files.push(
    jsonFile(
      `${directory}/roles.json`,
      identities.map(identity => ({
        roleName: eksRoleName(plan, environment, identity),
        roleArn: eksRoleArn(plan, environment, identity),
        serviceAccount: {
          namespace: identity.namespace,
          name: identity.serviceAccount,
        },
        subject: serviceAccountSubject(identity),
        purpose: identity.purpose,
        trustPolicy: `${identity.serviceAccount}-trust-policy.json`,
        policy: `${identity.serviceAccount}-policy.json`,
      })),
    ),
    {
      path: `${directory}/create-roles.sh`,
      content: createRolesScript(plan, environment, identities),
      mode: 0o755,
    },
  );
  return files;
}

function environmentOutput(
  plan: DeploymentPlan,
  environment: string,
  notes: Set<string>,
): { env: ProviderEnvironment; files: GeneratedFile[] } {
  const identities = cloudIdentities(plan);
  // Storage, and stateful pods on on-demand capacity when Karpenter runs.
  const karpenter = plan.tierFeatures.costOptimization;
  const { resources, patches } = storageOutput(
    plan,
    'eks',
    notes,
    karpenter
      ? {
          operations: [
            {
              op: 'add',
              path: '/spec/template/spec/nodeSelector',
              value: { 'karpenter.sh/capacity-type': 'on-demand' },
            },
          ],
          reason: 'on-demand nodes only (no spot interruptions)',
        }
      : undefined,
  );

  // IRSA
  for (const identity of identities) {
    const annotations = {
      'eks.amazonaws.com/role-arn': eksRoleArn(plan, environment, identity),
    };
    if (identity.service) {
      patches.push(
        serviceAccountPatch(
          plan,
          identity.serviceAccount,
          annotations,
          `IRSA role ${eksRoleName(plan, environment, identity)}`,
        ),
      );
    }
  }
  resources.push(
    ...secretStoreResources(plan, environment, identities, store => ({
      annotations: {
        'eks.amazonaws.com/role-arn': eksRoleArn(plan, environment, store),
      },
      provider: {
        aws: {
          service: 'SecretsManager',
          region: plan.region,
          auth: { jwt: { serviceAccountRef: storeServiceAccountRef(store) } },
        },
      },
    })),
  );

  if (karpenter) {
    resources.push({
      file: 'karpenter.yaml',
      objects: karpenterObjects(plan, environment),
      validation: 'schema',
    });
  }
  resources.push(...monitoringResources(plan, 'eks', environment));

  return {
    env: { environment, resources, patches },
    files: iamFiles(plan, environment, identities),
  };
}

export function awsOutput(plan: DeploymentPlan): ProviderOutput {
  const notes = new Set<string>();
  const environments: ProviderEnvironment[] = [];
  const files: GeneratedFile[] = [];
  for (const environment of plan.environments) {
    const { env, files: envFiles } = environmentOutput(
      plan,
      environment,
      notes,
    );
    environments.push(env);
    files.push(...envFiles);
  }
  const account = awsAccount(plan);
  notes.add(
    account.source === 'registry'
      ? `AWS account ${account.id} taken from the ECR registry`
      : `AWS account unknown (no ECR registry): IAM documents use the placeholder ${account.id}`,
  );
  if (cloudIdentities(plan).length > 0) {
    notes.add(
      'IRSA: one IAM role per ServiceAccount that reads secrets, trusted only by that ServiceAccount (cloud/eks/iam/<env>)',
    );
  }
  if (plan.tierFeatures.costOptimization) {
    notes.add(
      `Karpenter NodePool '${plan.name}' (spot + on-demand, consolidation WhenEmptyOrUnderutilized) and EC2NodeClass (AMI ${KARPENTER_AMI_ALIAS}, IMDSv2)`,
    );
  } else {
    notes.add('T1: no Karpenter NodePool (managed node group assumed)');
  }
  notes.add(
    'IngressClassParams (elbv2.k8s.aws) is not emitted: the schema validator has no model for it; the ALB Ingress annotations carry the settings',
  );
  return { provider: 'eks', environments, files, notes: [...notes] };
}
