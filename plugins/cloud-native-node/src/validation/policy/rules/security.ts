import { PolicyRule } from '../types';
import {
  asArray,
  asNumber,
  asObj,
  asString,
  asStringMap,
  at,
  containerPorts,
  ContainerRef,
  WORKLOAD_KINDS,
} from '../model';
import { HARDENING } from '../severity';
import { Tier } from '@internal/backstage-plugin-cloud-native-common';
import {
  describe,
  effectiveSecurity,
  forWorkload,
  perContainer,
  violation,
} from './helpers';

/** Capabilities the `restricted` Pod Security level allows to add. */
const ALLOWED_ADDED_CAPABILITIES = new Set(['NET_BIND_SERVICE']);
/** Capabilities that amount to (near) root on the node. */
const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
]);

/** Sysctls Kubernetes considers safe (namespaced, no node impact). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** Host paths whose mount gives control of the node. */
const SENSITIVE_HOST_PATH =
  /^\/(|boot|dev|etc|lib|proc|sys|usr|root|var\/lib\/kubelet|var\/lib\/docker|var\/lib\/containerd)(\/.*)?$|(docker|containerd|crio|cri-dockerd)\.sock$/;

const normalizeCapability = (value: unknown) =>
  String(value).toUpperCase().replace(/^CAP_/, '');

/** The capabilities a container drops or adds, normalized (`CAP_NET_RAW` → `NET_RAW`). */
function capabilities(container: unknown, list: 'drop' | 'add'): string[] {
  const securityContext = asObj(asObj(container).securityContext);
  return asArray(asObj(securityContext.capabilities)[list]).map(
    normalizeCapability,
  );
}

/**
 * A check on one capabilities list (`drop` or `add`, normalized) of every
 * container: `problem` says what is wrong with it, undefined when nothing is.
 */
function capabilitiesCheck(
  list: 'drop' | 'add',
  problem: (caps: string[], container: ContainerRef) => string | undefined,
): PolicyRule['check'] {
  return ctx =>
    perContainer(ctx, c => {
      const message = problem(capabilities(c.container, list), c);
      return message === undefined
        ? []
        : [
            violation(
              `${c.path}.securityContext.capabilities.${list}`,
              message,
            ),
          ];
    });
}

/**
 * A check that every container's securityContext sets `field` to a value
 * that `isSafe` accepts (a missing field is `undefined`).
 */
function securityContextCheck(
  field: string,
  isSafe: (value: unknown) => boolean,
  problem: (container: string) => string,
): PolicyRule['check'] {
  return ctx =>
    perContainer(ctx, c =>
      isSafe(asObj(c.container.securityContext)[field])
        ? []
        : [
            violation(
              `${c.path}.securityContext.${field}`,
              problem(describe(c)),
            ),
          ],
    );
}

/** A rule against a Pod that shares one of the node's namespaces. */
function sharedNodeNamespace(
  id: string,
  field: 'hostNetwork' | 'hostPID' | 'hostIPC',
  namespace: string,
  anchors: string[],
  message: string,
): PolicyRule {
  return {
    id,
    category: 'security',
    description: `Pods do not share the node's ${namespace} namespace.`,
    anchors,
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: forWorkload(w =>
      w.pod[field] === true
        ? [violation(`${w.podPath}.${field}`, message)]
        : [],
    ),
  };
}

export const securityRules: PolicyRule[] = [
  {
    id: 'run-as-non-root',
    category: 'security',
    description:
      'Containers run as a non-root user: runAsNonRoot: true (or a non-zero runAsUser) in the container or Pod securityContext.',
    anchors: [
      'kube-linter:run-as-non-root',
      'polaris:runAsRootAllowed',
      'kube-score:container-security-context-user-group-id',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perContainer(ctx, (c, w) => {
        const nonRoot = effectiveSecurity(w, c, 'runAsNonRoot');
        const user = asNumber(effectiveSecurity(w, c, 'runAsUser'));
        if (user === 0) {
          return [
            violation(
              `${c.path}.securityContext.runAsUser`,
              `${describe(
                c,
              )} runs as root (runAsUser: 0); use a non-zero UID and runAsNonRoot: true`,
            ),
          ];
        }
        if (nonRoot === true || (user !== undefined && user > 0)) return [];
        return [
          violation(
            `${c.path}.securityContext.runAsNonRoot`,
            `${describe(
              c,
            )} may run as root: set runAsNonRoot: true in its or the Pod's securityContext`,
          ),
        ];
      }),
  },
  {
    id: 'run-as-user-numeric',
    category: 'security',
    description:
      'Containers have a numeric, non-zero runAsUser (and no runAsGroup 0), so runAsNonRoot can be verified even when the image USER is a name.',
    anchors: [
      'kube-score:container-security-context-user-group-id',
      'polaris:runAsRootAllowed',
      'kube-linter:run-as-non-root',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perContainer(ctx, (c, w) => {
        const out = [];
        const user = asNumber(effectiveSecurity(w, c, 'runAsUser'));
        const group = asNumber(effectiveSecurity(w, c, 'runAsGroup'));
        if (user === undefined) {
          out.push(
            violation(
              `${c.path}.securityContext.runAsUser`,
              `${describe(
                c,
              )} has no runAsUser: the kubelet cannot verify runAsNonRoot against a non-numeric image USER; set a numeric UID (e.g. 65532) on the Pod or container`,
            ),
          );
        }
        if (group === 0) {
          out.push(
            violation(
              `${c.path}.securityContext.runAsGroup`,
              `${describe(
                c,
              )} runs with the root group (runAsGroup: 0); use a non-zero GID`,
            ),
          );
        }
        return out;
      }),
  },
  {
    id: 'no-privilege-escalation',
    category: 'security',
    description:
      'Containers set allowPrivilegeEscalation: false (setuid binaries cannot gain privileges).',
    anchors: [
      'kube-linter:privilege-escalation-container',
      'polaris:privilegeEscalationAllowed',
      'kube-score:container-security-context',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: securityContextCheck(
      'allowPrivilegeEscalation',
      value => value === false,
      who => `${who} does not set allowPrivilegeEscalation: false`,
    ),
  },
  {
    id: 'no-privileged-container',
    category: 'security',
    description: 'No container runs privileged.',
    anchors: [
      'kube-linter:privileged-container',
      'polaris:runAsPrivileged',
      'kube-score:container-security-context-privileged',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: securityContextCheck(
      'privileged',
      value => value !== true,
      who =>
        `${who} is privileged: it has every capability and access to host devices`,
    ),
  },
  {
    id: 'read-only-root-filesystem',
    category: 'security',
    description:
      'Containers mount their root filesystem read-only (writable paths as emptyDir volumes).',
    anchors: [
      'kube-linter:no-read-only-root-fs',
      'polaris:notReadOnlyRootFilesystem',
      'kube-score:container-security-context-readonlyrootfilesystem',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: securityContextCheck(
      'readOnlyRootFilesystem',
      value => value === true,
      who =>
        `${who} has a writable root filesystem: set readOnlyRootFilesystem: true and mount an emptyDir where it writes`,
    ),
  },
  {
    id: 'drop-all-capabilities',
    category: 'security',
    description:
      'Containers drop all Linux capabilities (capabilities.drop: [ALL]), which also drops NET_RAW.',
    anchors: [
      'kube-linter:drop-net-raw-capability',
      'polaris:insecureCapabilities',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: capabilitiesCheck('drop', (drop, c) =>
      drop.includes('ALL')
        ? undefined
        : `${describe(
            c,
          )} does not drop ALL capabilities (it keeps NET_RAW, CHOWN, SETUID, ...)`,
    ),
  },
  {
    id: 'no-added-capabilities',
    category: 'security',
    description:
      'Containers add no capability except NET_BIND_SERVICE (the restricted Pod Security level); SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE... are dangerous.',
    anchors: [
      'polaris:dangerousCapabilities',
      'polaris:insecureCapabilities',
      'kube-linter:privilege-escalation-container',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: capabilitiesCheck('add', (added, c) => {
      const bad = added.filter(cap => !ALLOWED_ADDED_CAPABILITIES.has(cap));
      if (bad.length === 0) return undefined;
      const dangerous = bad.filter(cap => DANGEROUS_CAPABILITIES.has(cap));
      return `${describe(c)} adds ${bad.join(', ')}${
        dangerous.length > 0
          ? ` (${dangerous.join(', ')} ${
              dangerous.length > 1 ? 'are' : 'is'
            } dangerous)`
          : ''
      }; only NET_BIND_SERVICE is allowed by the restricted Pod Security level`;
    }),
  },
  {
    id: 'seccomp-profile',
    category: 'security',
    description:
      'Containers run with the RuntimeDefault (or a Localhost) seccomp profile, set on the Pod or container.',
    anchors: [
      'kube-score:container-seccomp-profile',
      'pod-security-standards:restricted-seccomp',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perContainer(ctx, (c, w) => {
        const type = asString(
          asObj(effectiveSecurity(w, c, 'seccompProfile')).type,
        );
        if (type === 'RuntimeDefault' || type === 'Localhost') return [];
        return [
          violation(
            `${w.podPath}.securityContext.seccompProfile.type`,
            `${describe(c)} runs ${
              type === 'Unconfined' ? 'Unconfined' : 'without a seccomp profile'
            }: set seccompProfile.type: RuntimeDefault on the Pod`,
          ),
        ];
      }),
  },
  sharedNodeNamespace(
    'host-network',
    'hostNetwork',
    'network',
    ['kube-linter:host-network', 'polaris:hostNetworkSet'],
    "the Pod shares the node's network namespace (hostNetwork: true)",
  ),
  sharedNodeNamespace(
    'host-pid',
    'hostPID',
    'process',
    ['kube-linter:host-pid', 'polaris:hostPIDSet'],
    'the Pod sees every process of the node (hostPID: true)',
  ),
  sharedNodeNamespace(
    'host-ipc',
    'hostIPC',
    'IPC',
    ['kube-linter:host-ipc', 'polaris:hostIPCSet'],
    "the Pod shares the node's IPC namespace (hostIPC: true)",
  ),
  {
    id: 'host-path-volume',
    category: 'security',
    description:
      'Pods mount no hostPath volume (node files; the container runtime socket or /etc give control of the node).',
    anchors: [
      'kube-linter:sensitive-host-mounts',
      'kube-linter:docker-sock',
      'kube-linter:writable-host-mount',
    ],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: forWorkload(w => {
      return asArray(w.pod.volumes).flatMap((entry, i) => {
        const volume = asObj(entry);
        if (volume.hostPath === undefined) return [];
        const path = asString(asObj(volume.hostPath).path) ?? '';
        const sensitive = SENSITIVE_HOST_PATH.test(path);
        return [
          violation(
            `${w.podPath}.volumes[${i}].hostPath`,
            `volume "${asString(volume.name) ?? i}" mounts the node path ${
              path || '(unset)'
            }${
              sensitive ? ', which gives control of the node' : ''
            }; use an emptyDir, a PersistentVolumeClaim or a CSI volume`,
          ),
        ];
      });
    }),
  },
  {
    id: 'host-port',
    category: 'security',
    description:
      'Containers bind no hostPort (it pins Pods to nodes and bypasses NetworkPolicies on some CNIs).',
    anchors: ['polaris:hostPortSet'],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perContainer(ctx, c =>
        containerPorts(c.container)
          .filter(p => p.hostPort !== undefined && p.hostPort !== 0)
          .map(p =>
            violation(
              `${c.path}.ports[${p.index}].hostPort`,
              `${describe(c)} binds host port ${
                p.hostPort
              }; expose it through a Service instead`,
            ),
          ),
      ),
  },
  {
    id: 'unsafe-sysctls',
    category: 'security',
    description: 'Pods set only the sysctls Kubernetes considers safe.',
    anchors: ['kube-linter:unsafe-sysctls'],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: forWorkload(w => {
      return asArray(asObj(w.pod.securityContext).sysctls).flatMap(
        (entry, i) => {
          const name = asString(asObj(entry).name) ?? '';
          return SAFE_SYSCTLS.has(name)
            ? []
            : [
                violation(
                  `${w.podPath}.securityContext.sysctls[${i}]`,
                  `the Pod sets the unsafe sysctl ${name}`,
                ),
              ];
        },
      );
    }),
  },
  {
    id: 'unsafe-proc-mount',
    category: 'security',
    description:
      'Containers keep the default masked /proc (procMount: Default).',
    anchors: ['kube-linter:unsafe-proc-mount'],
    appliesTo: WORKLOAD_KINDS,
    severity: HARDENING,
    check: ctx =>
      perContainer(ctx, c =>
        asObj(c.container.securityContext).procMount === 'Unmasked'
          ? [
              violation(
                `${c.path}.securityContext.procMount`,
                `${describe(c)} unmasks /proc (procMount: Unmasked)`,
              ),
            ]
          : [],
      ),
  },
  {
    id: 'namespace-pod-security',
    category: 'security',
    description:
      'Namespaces enforce a Pod Security level: restricted from T2, at least baseline at T1 (pod-security.kubernetes.io/enforce).',
    anchors: ['pod-security-admission:enforce'],
    appliesTo: ['Namespace'],
    severity: HARDENING,
    check: ctx => {
      const labels = asStringMap(at(ctx.object, 'metadata.labels'));
      const level = labels['pod-security.kubernetes.io/enforce'];
      const wanted: Record<Tier, string[]> = {
        T1: ['baseline', 'restricted'],
        T2: ['restricted'],
        T3: ['restricted'],
      };
      if (level !== undefined && wanted[ctx.tier].includes(level)) return [];
      return [
        violation(
          'metadata.labels.pod-security.kubernetes.io/enforce',
          level === undefined
            ? `the namespace enforces no Pod Security level: label it pod-security.kubernetes.io/enforce: ${
                wanted[ctx.tier][wanted[ctx.tier].length - 1]
              }`
            : `the namespace enforces Pod Security "${level}"; tier ${
                ctx.tier
              } expects ${wanted[ctx.tier].join(' or ')}`,
        ),
      ];
    },
  },
];
