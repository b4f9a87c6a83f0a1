import { parse } from 'yaml';
import { DeploymentPlan } from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../../core/types';
import { parseYamlObjects } from './helpers';

/**
 * Cross-checks of a generated package, written against the files only (not
 * the generator's helpers), so a generator bug cannot hide itself: each
 * identity annotation must match its IAM document exactly, and IAM
 * documents must stay least-privilege. Returns the problems found.
 */

type Files = Map<string, string>;

function annotationsOf(
  files: Files,
  plan: DeploymentPlan,
  provider: string,
  environment: string,
  serviceAccount: string,
): Record<string, string> | undefined {
  const patch = files.get(
    `kustomize/${environment}/overlays/${provider}/patches/${serviceAccount}-service-account.yaml`,
  );
  if (patch) {
    return (parse(patch) as KubernetesObject).metadata.annotations;
  }
  const store = files.get(`cloud/${provider}/${environment}/secret-store.yaml`);
  const object = store
    ? parseYamlObjects(store).find(
        o =>
          o.kind === 'ServiceAccount' &&
          o.metadata.name === serviceAccount &&
          o.metadata.namespace === plan.namespace,
      )
    : undefined;
  return object?.metadata.annotations;
}

/** ServiceAccounts annotated by the overlay or the secret store file. */
function annotatedServiceAccounts(
  files: Files,
  provider: string,
  environment: string,
  annotation: string,
): string[] {
  const names: string[] = [];
  const prefix = `kustomize/${environment}/overlays/${provider}/patches/`;
  for (const [path, content] of files) {
    if (path.startsWith(prefix) && path.endsWith('-service-account.yaml')) {
      const object = parse(content) as KubernetesObject;
      if (object.metadata.annotations?.[annotation]) {
        names.push(object.metadata.name);
      }
    }
  }
  const store = files.get(`cloud/${provider}/${environment}/secret-store.yaml`);
  for (const object of store ? parseYamlObjects(store) : []) {
    if (
      object.kind === 'ServiceAccount' &&
      object.metadata.annotations?.[annotation]
    ) {
      names.push(object.metadata.name);
    }
  }
  return names.sort();
}

function wildcardAction(action: string): boolean {
  return action === '*' || action.endsWith(':*');
}

export function eksProblems(plan: DeploymentPlan, files: Files): string[] {
  const problems: string[] = [];
  for (const environment of plan.environments) {
    const rolesFile = files.get(`cloud/eks/iam/${environment}/roles.json`);
    const annotated = annotatedServiceAccounts(
      files,
      'eks',
      environment,
      'eks.amazonaws.com/role-arn',
    );
    if (!rolesFile) {
      if (annotated.length > 0) {
        problems.push(`${environment}: annotations without roles.json`);
      }
      continue;
    }
    const roles = JSON.parse(rolesFile) as Array<{
      roleName: string;
      roleArn: string;
      serviceAccount: { namespace: string; name: string };
      trustPolicy: string;
      policy: string;
    }>;
    const listed = roles.map(r => r.serviceAccount.name).sort();
    if (JSON.stringify(listed) !== JSON.stringify(annotated)) {
      problems.push(
        `${environment}: annotated ${annotated.join(
          ',',
        )} but roles for ${listed.join(',')}`,
      );
    }
    for (const role of roles) {
      const sa = role.serviceAccount;
      const account = /^arn:aws:iam::([0-9]{12}):role\/(.+)$/.exec(
        role.roleArn,
      );
      if (!account || account[2] !== role.roleName) {
        problems.push(`${role.roleArn}: not the ARN of role ${role.roleName}`);
      }
      if (role.roleName.length > 64) {
        problems.push(`${role.roleName}: longer than 64 characters`);
      }
      const annotation = annotationsOf(
        files,
        plan,
        'eks',
        environment,
        sa.name,
      )?.['eks.amazonaws.com/role-arn'];
      if (annotation !== role.roleArn) {
        problems.push(
          `${environment} ${sa.name}: annotation ${annotation} != ${role.roleArn}`,
        );
      }
      const trust = JSON.parse(
        files.get(`cloud/eks/iam/${environment}/${role.trustPolicy}`) ?? '{}',
      );
      const statement = trust.Statement?.[0];
      const conditions = statement?.Condition?.StringEquals ?? {};
      const sub = Object.entries(conditions).find(([k]) => k.endsWith(':sub'));
      const aud = Object.entries(conditions).find(([k]) => k.endsWith(':aud'));
      if (sub?.[1] !== `system:serviceaccount:${sa.namespace}:${sa.name}`) {
        problems.push(`${role.roleName}: trust subject ${sub?.[1]}`);
      }
      if (aud?.[1] !== 'sts.amazonaws.com') {
        problems.push(`${role.roleName}: trust audience ${aud?.[1]}`);
      }
      if (
        statement?.Action !== 'sts:AssumeRoleWithWebIdentity' ||
        !String(statement?.Principal?.Federated).startsWith(
          `arn:aws:iam::${account?.[1]}:oidc-provider/oidc.eks.${plan.region}.amazonaws.com/id/`,
        )
      ) {
        problems.push(`${role.roleName}: trust principal/action`);
      }
      const policy = JSON.parse(
        files.get(`cloud/eks/iam/${environment}/${role.policy}`) ?? '{}',
      );
      for (const s of policy.Statement ?? []) {
        const actions = [s.Action].flat() as string[];
        const resources = [s.Resource].flat() as string[];
        if (s.Effect !== 'Allow' || actions.some(wildcardAction)) {
          problems.push(`${role.roleName}: wildcard action ${actions}`);
        }
        for (const resource of resources) {
          if (
            resource === '*' ||
            !resource.startsWith(
              `arn:aws:secretsmanager:${plan.region}:${account?.[1]}:secret:${plan.name}/`,
            )
          ) {
            problems.push(`${role.roleName}: resource ${resource}`);
          }
        }
      }
    }
  }
  return problems;
}

export function gkeProblems(plan: DeploymentPlan, files: Files): string[] {
  const problems: string[] = [];
  for (const environment of plan.environments) {
    const prefix = `cloud/gke/iam/${environment}/`;
    const bindings = [...files.entries()].filter(
      ([path]) => path.startsWith(prefix) && path.endsWith('-binding.json'),
    );
    const annotated = annotatedServiceAccounts(
      files,
      'gke',
      environment,
      'iam.gke.io/gcp-service-account',
    );
    const listed: string[] = [];
    for (const [path, content] of bindings) {
      const doc = JSON.parse(content) as {
        googleServiceAccount: {
          email: string;
          project: string;
          accountId: string;
        };
        kubernetesServiceAccount: { namespace: string; name: string };
        bindings: Array<{ resource: string; role: string; members: string[] }>;
      };
      const ksa = doc.kubernetesServiceAccount;
      listed.push(ksa.name);
      const gsa = doc.googleServiceAccount;
      if (
        gsa.email !== `${gsa.accountId}@${gsa.project}.iam.gserviceaccount.com`
      ) {
        problems.push(`${path}: email ${gsa.email}`);
      }
      if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(gsa.accountId)) {
        problems.push(`${path}: invalid account id ${gsa.accountId}`);
      }
      const annotation = annotationsOf(
        files,
        plan,
        'gke',
        environment,
        ksa.name,
      )?.['iam.gke.io/gcp-service-account'];
      if (annotation !== gsa.email) {
        problems.push(
          `${environment} ${ksa.name}: annotation ${annotation} != ${gsa.email}`,
        );
      }
      const wi = doc.bindings.filter(
        b => b.role === 'roles/iam.workloadIdentityUser',
      );
      const member = `serviceAccount:${gsa.project}.svc.id.goog[${ksa.namespace}/${ksa.name}]`;
      if (
        wi.length !== 1 ||
        wi[0].resource !==
          `projects/${gsa.project}/serviceAccounts/${gsa.email}` ||
        JSON.stringify(wi[0].members) !== JSON.stringify([member])
      ) {
        problems.push(
          `${path}: workloadIdentityUser binding ${JSON.stringify(wi)}`,
        );
      }
      for (const binding of doc.bindings) {
        if (binding.role === 'roles/iam.workloadIdentityUser') continue;
        if (
          binding.role !== 'roles/secretmanager.secretAccessor' ||
          !/^projects\/[a-z0-9-]+\/secrets\/[A-Za-z0-9_-]+$/.test(
            binding.resource,
          ) ||
          JSON.stringify(binding.members) !==
            JSON.stringify([`serviceAccount:${gsa.email}`])
        ) {
          problems.push(`${path}: binding ${JSON.stringify(binding)}`);
        }
      }
    }
    if (JSON.stringify(listed.sort()) !== JSON.stringify(annotated)) {
      problems.push(
        `${environment}: annotated ${annotated} but bindings for ${listed}`,
      );
    }
  }
  return problems;
}

export function aksProblems(plan: DeploymentPlan, files: Files): string[] {
  const problems: string[] = [];
  for (const environment of plan.environments) {
    const directory = `cloud/aks/identity/${environment}`;
    const identitiesFile = files.get(`${directory}/identities.json`);
    const annotated = annotatedServiceAccounts(
      files,
      'aks',
      environment,
      'azure.workload.identity/client-id',
    );
    if (!identitiesFile) {
      if (annotated.length > 0)
        problems.push(`${environment}: no identities.json`);
      continue;
    }
    const identities = JSON.parse(identitiesFile) as Array<{
      name: string;
      clientId: string;
      serviceAccount: { namespace: string; name: string };
      federatedCredential: string;
      roleAssignments: string;
    }>;
    const listed = identities.map(i => i.serviceAccount.name).sort();
    if (JSON.stringify(listed) !== JSON.stringify(annotated)) {
      problems.push(
        `${environment}: annotated ${annotated} but identities ${listed}`,
      );
    }
    for (const identity of identities) {
      const sa = identity.serviceAccount;
      const annotation = annotationsOf(
        files,
        plan,
        'aks',
        environment,
        sa.name,
      )?.['azure.workload.identity/client-id'];
      if (annotation !== identity.clientId) {
        problems.push(
          `${environment} ${sa.name}: client id ${annotation} != ${identity.clientId}`,
        );
      }
      const credential = JSON.parse(
        files.get(`${directory}/${identity.federatedCredential}`) ?? '{}',
      );
      if (
        credential.subject !==
          `system:serviceaccount:${sa.namespace}:${sa.name}` ||
        credential.identityName !== identity.name ||
        JSON.stringify(credential.audiences) !==
          JSON.stringify(['api://AzureADTokenExchange']) ||
        !String(credential.issuer).startsWith('https://')
      ) {
        problems.push(
          `${identity.name}: federated credential ${JSON.stringify(
            credential,
          )}`,
        );
      }
      const assignments = JSON.parse(
        files.get(`${directory}/${identity.roleAssignments}`) ?? '[]',
      ) as Array<{
        roleDefinitionName: string;
        scope: string;
        assignee: string;
        assigneeClientId: string;
      }>;
      if (assignments.length === 0)
        problems.push(`${identity.name}: no role assignment`);
      for (const assignment of assignments) {
        if (
          assignment.roleDefinitionName !== 'Key Vault Secrets User' ||
          !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+(\/secrets\/[0-9A-Za-z-]+)?$/.test(
            assignment.scope,
          ) ||
          assignment.assignee !== identity.name ||
          assignment.assigneeClientId !== identity.clientId
        ) {
          problems.push(
            `${identity.name}: role assignment ${JSON.stringify(assignment)}`,
          );
        }
      }
    }
  }
  return problems;
}
