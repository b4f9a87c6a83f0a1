import { PolicyContext, PolicyRule, PolicyViolation } from '../types';
import {
  asArray,
  asObj,
  asString,
  at,
  namespaceOf,
  nameOf,
  Obj,
  Workload,
  WORKLOAD_KINDS,
} from '../model';
import { ADVICE, BROKEN, HARDENING } from '../severity';
import { forWorkload, violation } from './helpers';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

function serviceAccountName(workload: Workload): string {
  return (
    asString(workload.pod.serviceAccountName) ??
    asString(workload.pod.serviceAccount) ??
    'default'
  );
}

/**
 * The ServiceAccount the Pods run as: its name, and its object when the
 * workload's environment has it.
 */
function serviceAccountOf(workload: Workload, ctx: PolicyContext) {
  const name = serviceAccountName(workload);
  return {
    name,
    account: ctx.index.find('ServiceAccount', name, workload.object),
  };
}

/** Is the ServiceAccount a subject of a RoleBinding/ClusterRoleBinding? */
function isBound(ctx: PolicyContext, name: string): boolean {
  const namespace = namespaceOf(ctx.object);
  return ctx.index.ofKind(...BINDING_KINDS).some(({ object }) =>
    asArray(at(object, 'subjects')).some(entry => {
      const subject = asObj(entry);
      const subjectNamespace =
        asString(subject.namespace) ?? namespaceOf(object);
      return (
        subject.kind === 'ServiceAccount' &&
        subject.name === name &&
        (namespace === undefined ||
          subjectNamespace === undefined ||
          subjectNamespace === namespace)
      );
    }),
  );
}

function rulesOf(ctx: PolicyContext): Array<{ rule: Obj; index: number }> {
  return asArray(at(ctx.object, 'rules')).map((entry, index) => ({
    rule: asObj(entry),
    index,
  }));
}

const list = (value: unknown) => asArray(value).map(String);

export const rbacRules: PolicyRule[] = [
  {
    id: 'dedicated-service-account',
    category: 'rbac',
    description:
      'Pods run under a dedicated ServiceAccount (serviceAccountName set, not default), so permissions and cloud identities are per workload.',
    anchors: [
      'kube-linter:default-service-account',
      'kube-linter:deprecated-service-account-field',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: forWorkload(w => {
      const out: PolicyViolation[] = [];
      if (
        w.pod.serviceAccount !== undefined &&
        w.pod.serviceAccountName === undefined
      ) {
        out.push(
          violation(
            `${w.podPath}.serviceAccount`,
            'serviceAccount is deprecated: use serviceAccountName',
          ),
        );
      }
      if (serviceAccountName(w) === 'default') {
        out.push(
          violation(
            `${w.podPath}.serviceAccountName`,
            'the Pods run as the namespace default ServiceAccount: create one per workload',
          ),
        );
      }
      return out;
    }),
  },
  {
    id: 'service-account-exists',
    category: 'rbac',
    description:
      'The ServiceAccount a Pod names is part of the package (the Pods are not created otherwise).',
    anchors: ['kube-linter:non-existent-service-account'],
    appliesTo: WORKLOAD_KINDS,
    severity: BROKEN,
    check: forWorkload((w, ctx) => {
      const { name, account } = serviceAccountOf(w, ctx);
      if (name === 'default' || account) return [];
      return [
        violation(
          `${w.podPath}.serviceAccountName`,
          `the ServiceAccount "${name}" is not in this environment: the controller cannot create the Pods`,
        ),
      ];
    }),
  },
  {
    id: 'automount-service-account-token',
    category: 'rbac',
    description:
      'Pods do not mount a Kubernetes API token unless their ServiceAccount is bound to a Role (automountServiceAccountToken: false on the Pod or ServiceAccount).',
    anchors: [
      'kube-linter:automount-service-account-token',
      'polaris:automountServiceAccountToken',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: forWorkload((w, ctx) => {
      const { name, account } = serviceAccountOf(w, ctx);
      const automount =
        w.pod.automountServiceAccountToken ??
        account?.object.automountServiceAccountToken ??
        true;
      if (automount === false || isBound(ctx, name)) return [];
      return [
        violation(
          `${w.podPath}.automountServiceAccountToken`,
          `the Pods mount an API token for ServiceAccount "${name}", which no RoleBinding uses: set automountServiceAccountToken: false`,
        ),
      ];
    }),
  },
  {
    id: 'rbac-no-wildcards',
    category: 'rbac',
    description:
      'Roles and ClusterRoles grant named verbs on named resources, never "*".',
    anchors: ['kube-linter:wildcard-in-rules'],
    appliesTo: ROLE_KINDS,
    severity: HARDENING,
    check: ctx =>
      rulesOf(ctx).flatMap(({ rule, index }) => {
        const out: PolicyViolation[] = [];
        if (list(rule.verbs).includes('*')) {
          out.push(
            violation(
              `rules[${index}].verbs`,
              'the rule grants every verb ("*"), including future ones',
            ),
          );
        }
        if (list(rule.resources).includes('*')) {
          out.push(
            violation(
              `rules[${index}].resources`,
              'the rule grants every resource ("*"), including Secrets and future CRDs',
            ),
          );
        }
        return out;
      }),
  },
  {
    id: 'no-cluster-admin-binding',
    category: 'rbac',
    description: 'Nothing in the package is bound to the cluster-admin role.',
    anchors: [
      'kube-linter:cluster-admin-role-binding',
      'polaris:clusterrolebindingClusterAdmin',
      'polaris:rolebindingClusterAdminClusterRole',
    ],
    appliesTo: BINDING_KINDS,
    severity: HARDENING,
    check: ctx =>
      asString(at(ctx.object, 'roleRef.name')) === 'cluster-admin' &&
      asString(at(ctx.object, 'roleRef.kind')) === 'ClusterRole'
        ? [
            violation(
              'roleRef.name',
              `${ctx.object.kind} ${nameOf(
                ctx.object,
              )} grants cluster-admin: bind a Role with only the verbs and resources needed`,
            ),
          ]
        : [],
  },
  {
    id: 'rbac-escalation-verbs',
    category: 'rbac',
    description:
      'Roles do not grant escalate, bind or impersonate (each allows gaining permissions the holder does not have).',
    anchors: [
      'kube-linter:escalate-verb-in-role',
      'kube-linter:bind-verb-in-role',
      'kube-linter:impersonate-without-resource-names',
    ],
    appliesTo: ROLE_KINDS,
    severity: HARDENING,
    check: ctx =>
      rulesOf(ctx).flatMap(({ rule, index }) => {
        const verbs = list(rule.verbs).filter(v =>
          ['escalate', 'bind', 'impersonate'].includes(v),
        );
        return verbs.length === 0
          ? []
          : [
              violation(
                `rules[${index}].verbs`,
                `the rule grants ${verbs.join(
                  ', ',
                )}, which lets the holder gain permissions it does not have`,
              ),
            ];
      }),
  },
  {
    id: 'rbac-secret-access',
    category: 'rbac',
    description:
      'Roles read only named Secrets (resourceNames), never every Secret (get/list/watch on secrets); a ClusterRole would read every namespace.',
    anchors: ['kube-linter:access-to-secrets'],
    appliesTo: ROLE_KINDS,
    severity: ADVICE,
    check: ctx =>
      rulesOf(ctx).flatMap(({ rule, index }) => {
        const reads = list(rule.verbs).filter(v =>
          ['get', 'list', 'watch', '*'].includes(v),
        );
        if (
          !list(rule.resources).includes('secrets') ||
          reads.length === 0 ||
          asArray(rule.resourceNames).length > 0
        ) {
          return [];
        }
        return [
          violation(
            `rules[${index}]`,
            `the rule lets the holder ${reads.join('/')} every Secret${
              ctx.object.kind === 'ClusterRole' ? ' of every namespace' : ''
            }; restrict it to the Secrets needed with resourceNames`,
          ),
        ];
      }),
  },
  {
    id: 'rbac-pod-exec',
    category: 'rbac',
    description:
      'Roles do not grant pods/exec or pods/attach (a shell in any Pod, with its Secrets).',
    anchors: ['polaris:clusterrolePodExecAttach', 'polaris:rolePodExecAttach'],
    appliesTo: ROLE_KINDS,
    severity: ADVICE,
    check: ctx =>
      rulesOf(ctx).flatMap(({ rule, index }) => {
        const resources = list(rule.resources).filter(r =>
          ['pods/exec', 'pods/attach'].includes(r),
        );
        const verbs = list(rule.verbs);
        if (
          resources.length === 0 ||
          !verbs.some(v => ['create', 'get', '*'].includes(v))
        ) {
          return [];
        }
        return [
          violation(
            `rules[${index}].resources`,
            `the rule grants ${resources.join(
              ', ',
            )}: a shell in every Pod the role reaches`,
          ),
        ];
      }),
  },
];
