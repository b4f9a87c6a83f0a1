import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { isServing, servicePort } from '../plan/workload';
import { analysisTemplateName } from '../plan/rollout';
import {
  describePods,
  Facts,
  first,
  getPods,
  jobsOf,
  logsCommand,
  selector,
  stackName,
  statusCommand,
  workloadRef,
} from './facts';
import { block, code, mermaidLabel, table, text } from './markdown';
import { memoryBytes } from '../core/quantities';

/**
 * docs/TROUBLESHOOTING.md: the decision tree (Mermaid and text) and an
 * issue table filled in with this package's namespace, services and kinds.
 */

interface Issue {
  symptom: string;
  cause: string;
  /** Commands, shown as code */
  confirm: string[];
  fix: string;
}

/** `deploy/api` where istioctl/kubectl resolve it, else the first pod. */
function podRef(facts: Facts, service: ServicePlan): string {
  switch (service.objectKind) {
    case 'Deployment':
      return `deploy/${service.name}`;
    case 'StatefulSet':
      return `${service.name}-0`;
    default:
      return `$(kubectl get pod -n ${facts.ns} -l ${selector(
        facts.plan,
        service.name,
      )} -o jsonpath='{.items[0].metadata.name}')`;
  }
}

function restartCommand(facts: Facts, service: ServicePlan): string {
  return service.objectKind === 'Rollout'
    ? `kubectl argo rollouts restart ${service.name} -n ${facts.ns}`
    : `kubectl rollout restart ${workloadRef(service)} -n ${facts.ns}`;
}

function sidecarLogs(facts: Facts, service: ServicePlan, container: string) {
  return service.objectKind === 'Deployment' ||
    service.objectKind === 'StatefulSet' ||
    service.objectKind === 'DaemonSet'
    ? `kubectl logs ${workloadRef(service)} -n ${
        facts.ns
      } -c ${container} --tail=100`
    : `kubectl logs -n ${facts.ns} -l ${selector(
        facts.plan,
        service.name,
      )} -c ${container} --tail=100`;
}

// --------------------------------------------------------------------------
// Decision tree

interface TreeNode {
  id: string;
  label: string;
  /** Edge label from the parent */
  when?: string;
  children?: TreeNode[];
}

function decisionTree(facts: Facts): TreeNode {
  const ns = facts.ns;
  const waits = facts.kube.some(s =>
    s.service.dependsOn.some(d => facts.kube.some(k => k.name === d)),
  );
  const statusChildren: TreeNode[] = [
    {
      id: 'pending',
      when: 'Pending',
      label: 'FailedScheduling event? (kubectl describe pod)',
      children: [
        {
          id: 'resources',
          when: 'Insufficient cpu / memory',
          label:
            'Resources: requests exceed free node capacity. Check node allocatable, add nodes or lower requests',
        },
        {
          id: 'storage',
          when: 'unbound PersistentVolumeClaims',
          label: 'Storage: PVC Pending. Check StorageClass, CSI driver, zone',
        },
        {
          id: 'scheduling',
          when: 'taint / affinity / topology spread',
          label:
            'Scheduling: no node matches tolerations, affinity or zone spread. Add nodes in more zones',
        },
      ],
    },
    {
      id: 'image',
      when: 'ImagePullBackOff / ErrImagePull',
      label: 'Pull error message?',
      children: [
        {
          id: 'tag',
          when: 'not found / manifest unknown',
          label: 'Tag: the image was not pushed. Push it or fix the tag',
        },
        {
          id: 'credentials',
          when: 'unauthorized / denied',
          label: 'Credentials: node or pull secret cannot read the registry',
        },
        {
          id: 'registry',
          when: 'no such host / timeout',
          label: 'Registry: wrong host, DNS or egress blocked',
        },
      ],
    },
    {
      id: 'crash',
      when: 'CrashLoopBackOff',
      label: 'Last State of the container? (kubectl describe pod)',
      children: [
        {
          id: 'oom',
          when: 'OOMKilled, exit 137',
          label: 'Memory: raise the memory request/limit',
        },
        {
          id: 'app',
          when: 'Error, exit 1',
          label:
            'Application or config: kubectl logs --previous, env, Secrets, probes',
        },
      ],
    },
    {
      id: 'config',
      when: 'CreateContainerConfigError',
      label: 'Config: a Secret or ConfigMap (key) is missing',
    },
    {
      id: 'creating',
      when: 'ContainerCreating (stuck)',
      label: 'Event reason?',
      children: [
        {
          id: 'volume',
          when: 'FailedMount / FailedAttachVolume',
          label: 'Volume: CSI attach, secret or configMap mounts',
        },
        {
          id: 'network',
          when: 'FailedCreatePodSandBox',
          label: 'Network: CNI plugin, pod IP exhaustion',
        },
      ],
    },
  ];
  if (waits) {
    statusChildren.push({
      id: 'init',
      when: 'Init:N/M',
      label:
        'Dependency: a wait-for-<dependency> init container waits. Is the dependency ready, does a NetworkPolicy allow it?',
    });
  }
  statusChildren.push(
    {
      id: 'notready',
      when: 'Running, READY 0/1',
      label:
        'Probe: readiness failing (Unhealthy events). Check path, port, startup time',
    },
    {
      id: 'rollout',
      when: 'Running and Ready, rollout not finished',
      label:
        'Rollout stuck: kubectl rollout status, ProgressDeadlineExceeded, PDB, ResourceQuota, surge capacity',
    },
  );
  return {
    id: 'start',
    label: `A workload in namespace ${ns} is unhealthy`,
    children: [
      {
        id: 'status',
        when: 'kubectl get pods',
        label: 'Pod STATUS?',
        children: statusChildren,
      },
      {
        id: 'hpa',
        when: 'kubectl get hpa',
        label:
          'TARGETS <unknown>: metrics API missing (metrics-server) or no requests',
      },
      {
        id: 'pdb',
        when: 'node drain hangs',
        label:
          'PDB: ALLOWED DISRUPTIONS 0 blocks evictions. Fix unhealthy pods or add replicas',
      },
    ],
  };
}

function treeMermaid(root: TreeNode): string[] {
  const lines = ['flowchart TD'];
  const visit = (node: TreeNode, parent?: TreeNode) => {
    const shape = node.children
      ? `{${mermaidLabel([node.label])}}`
      : `[${mermaidLabel([node.label])}]`;
    const id = `t_${node.id}`;
    lines.push(
      `  ${id}${parent ? shape : `([${mermaidLabel([node.label])}])`}`,
    );
    if (parent) {
      lines.push(
        `  t_${parent.id} -->|${mermaidLabel([node.when ?? ''])}| ${id}`,
      );
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root);
  return lines;
}

function treeText(root: TreeNode): string[] {
  const lines: string[] = [];
  const visit = (node: TreeNode, depth: number) => {
    const indent = '  '.repeat(depth);
    lines.push(
      `${indent}- ${node.when ? `**${text(node.when)}** → ` : ''}${text(
        node.label,
      )}`,
    );
    for (const child of node.children ?? []) visit(child, depth + 1);
  };
  visit(root, 0);
  return lines;
}

// --------------------------------------------------------------------------
// Issues

/** Pods that do not schedule: capacity, taints and zones, unbound volumes. */
function schedulingIssues(
  facts: Facts,
  heavy: ServicePlan,
  stateful: ServicePlan | undefined,
): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  issues.push({
    symptom: `${code(heavy.name)} pod ${code('Pending')}, event ${code(
      'FailedScheduling',
    )}: ${code('Insufficient cpu')} / ${code('Insufficient memory')}`,
    cause: `The requests (${code(
      `${heavy.service.resources.cpu} CPU, ${heavy.service.resources.memory}`,
    )} per pod) do not fit the free capacity of any node`,
    confirm: [
      describePods(facts, heavy),
      'kubectl describe nodes | grep -A 8 "Allocated resources"',
    ],
    fix: 'Add nodes (or let the cluster autoscaler / Karpenter do it); lower `resources` in architecture.yaml only if the service really needs less, then regenerate',
  });
  if (plan.tierFeatures.topologySpread || plan.tierFeatures.multiZoneHA) {
    issues.push({
      symptom: `Pod ${code('Pending')}: ${code(
        "didn't match pod topology spread constraints",
      )} or ${code('untolerated taint')}`,
      cause:
        'Zone spread (whenUnsatisfiable: DoNotSchedule) needs schedulable nodes in every zone; tainted nodes accept only pods that tolerate the taint',
      confirm: [
        'kubectl get nodes -L topology.kubernetes.io/zone',
        'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints[*].key',
      ],
      fix: 'Run nodes in at least as many zones as the spread requires; remove the taint or schedule on other nodes',
    });
  } else {
    issues.push({
      symptom: `Pod ${code('Pending')}: ${code('untolerated taint')} or ${code(
        "didn't match Pod's node affinity/selector",
      )}`,
      cause: 'No node accepts the pod: taints, node selectors or affinity',
      confirm: [
        'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints[*].key',
      ],
      fix: 'Add untainted nodes or a matching node pool',
    });
  }
  if (stateful) {
    const storageClass = stateful.service.storage?.class;
    issues.push({
      symptom: `${code(`${stateful.name}-0`)} ${code('Pending')}: ${code(
        'pod has unbound immediate PersistentVolumeClaims',
      )}`,
      cause: `The claim ${code(`data-${stateful.name}-0`)} is not bound: ${
        storageClass
          ? `StorageClass ${code(storageClass)} missing`
          : 'no default StorageClass'
      }, CSI driver not installed, or no capacity in the zone`,
      confirm: [
        `kubectl get pvc -n ${ns}`,
        `kubectl describe pvc data-${stateful.name}-0 -n ${ns}`,
        storageClass
          ? `kubectl get storageclass ${storageClass}`
          : 'kubectl get storageclass',
      ],
      fix: `Install the CSI driver and create the StorageClass${
        plan.clusterProviders.includes('eks')
          ? ' (EKS: the aws-ebs-csi-driver add-on)'
          : ''
      }; a claim bound in one zone pins the pod to that zone`,
    });
    issues.push({
      symptom: `${code(`${stateful.name}-1`)} never starts while ${code(
        `${stateful.name}-0`,
      )} is not Ready`,
      cause:
        'StatefulSet pods start in order (OrderedReady): one unready pod blocks the next',
      confirm: [getPods(facts, stateful), logsCommand(facts, stateful, true)],
      fix: `Fix ${code(`${stateful.name}-0`)} first (probe, data, credentials)`,
    });
  }
  return issues;
}

/** Images that do not pull or containers that do not start. */
function imageIssues(
  facts: Facts,
  app: ServicePlan,
  heavy: ServicePlan,
): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const image = app.image;
  issues.push(
    {
      symptom: `${code(app.name)} ${code('ImagePullBackOff')}, message ${code(
        'not found',
      )} or ${code('manifest unknown')}`,
      cause: `The tag of ${code(
        image,
      )} does not exist in the registry (not pushed, or a typo)`,
      confirm: [describePods(facts, app), `docker manifest inspect ${image}`],
      fix: 'Build and push the image (containers/BUILD.md) or deploy a tag that exists',
    },
    {
      symptom: `${code('ErrImagePull')}: ${code('unauthorized')}, ${code(
        'denied',
      )}, ${code('403 Forbidden')}`,
      cause: 'The nodes (or the pull secret) may not read the registry',
      confirm: [
        `kubectl get events -n ${ns} --field-selector reason=Failed`,
        `kubectl get pod -n ${ns} -l ${selector(
          plan,
          app.name,
        )} -o jsonpath='{.items[0].spec.imagePullSecrets}'`,
      ],
      fix: registryAccessFix(facts),
    },
    {
      symptom: `${code('ErrImagePull')}: ${code('no such host')} or ${code(
        'i/o timeout',
      )}`,
      cause: `The registry host ${code(
        registryHost(image),
      )} is misspelled, not resolvable, or egress from the nodes is blocked`,
      confirm: [`kubectl get events -n ${ns} --field-selector reason=Failed`],
      fix: 'Fix spec.registry (and regenerate), or open egress / a private endpoint from the node subnets to the registry',
    },
    {
      symptom: `${code(app.name)} ${code(
        'CrashLoopBackOff',
      )}, Last State ${code('Error')}, exit code 1`,
      cause:
        'The application fails at start: configuration, a missing environment variable or Secret, an unreachable dependency',
      confirm: [
        logsCommand(facts, app, true),
        ...(Object.keys(app.service.env).length > 0
          ? [`kubectl get configmap ${app.name}-config -n ${ns} -o yaml`]
          : []),
      ],
      fix: `Fix the application or its configuration (env in architecture.yaml${
        app.service.secrets.length > 0
          ? `; Secret ${code(`${app.name}-secrets`)}`
          : ''
      })`,
    },
    {
      symptom: `${code(heavy.name)} ${code(
        'CrashLoopBackOff',
      )}, Last State ${code('OOMKilled')} (exit code 137)`,
      cause: `Memory use exceeds the limit (${code(
        heavy.service.resources.memory,
      )}; limit = request for memory)`,
      confirm: [
        describePods(facts, heavy),
        `kubectl top pod -n ${ns} -l ${selector(
          plan,
          heavy.name,
        )} --containers`,
      ],
      fix: 'Raise `resources.memory` in architecture.yaml and regenerate; for the JVM and Node.js, size the heap below the limit',
    },
  );
  return issues;
}

/** Missing Secrets, ConfigMaps, volumes and pod networking. */
function configurationIssues(
  facts: Facts,
  app: ServicePlan,
  stateful: ServicePlan | undefined,
): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const secretService = first(facts.kube, s => s.service.secrets.length > 0);
  if (secretService) {
    const secret = `${secretService.name}-secrets`;
    issues.push({
      symptom: `${code(secretService.name)} ${code(
        'CreateContainerConfigError',
      )}: ${code(`secret "${secret}" not found`)}`,
      cause: `The ExternalSecret ${code(
        secret,
      )} has not synced: ClusterSecretStore ${code(
        `${plan.name}-secrets`,
      )} missing or not ready, or a remote key missing`,
      confirm: [
        `kubectl get externalsecret ${secret} -n ${ns}`,
        `kubectl describe externalsecret ${secret} -n ${ns}`,
        `kubectl get clustersecretstore ${plan.name}-secrets`,
      ],
      fix: `Create the remote keys (${[...secretService.service.secrets]
        .sort()
        .map(s => code(`${plan.name}/${secretService.name}/${s}`))
        .join(
          ', ',
        )}) and the ClusterSecretStore (docs/DEPLOYMENT.md, Prerequisites)`,
    });
  } else {
    issues.push({
      symptom: `${code('CreateContainerConfigError')}: ${code(
        'configmap not found',
      )} or ${code("couldn't find key")}`,
      cause: 'A ConfigMap or Secret referenced by the pod is missing',
      confirm: [describePods(facts, app)],
      fix: 'Deploy the whole environment (the ConfigMaps are part of it)',
    });
  }
  issues.push(
    {
      symptom: `Pod stuck in ${code('ContainerCreating')}, event ${code(
        'FailedMount',
      )} / ${code('FailedAttachVolume')}`,
      cause: stateful
        ? `The volume of ${code(
            stateful.name,
          )} is still attached to another node, or in another zone; or a Secret/ConfigMap volume is missing`
        : 'A Secret or ConfigMap volume is missing',
      confirm: [
        `kubectl get events -n ${ns} --field-selector reason=FailedMount`,
        'kubectl get volumeattachments',
      ],
      fix: 'Wait for the detach (6 minutes at most), drain the old node, or create the missing Secret/ConfigMap',
    },
    {
      symptom: `Pod stuck in ${code('ContainerCreating')}, event ${code(
        'FailedCreatePodSandBox',
      )}`,
      cause: plan.clusterProviders.includes('eks')
        ? 'The VPC CNI cannot assign a pod IP (subnet exhausted, ENI limit)'
        : 'The CNI plugin cannot set up the pod network (plugin down, IPs exhausted)',
      confirm: [
        `kubectl get events -n ${ns} --field-selector reason=FailedCreatePodSandBox`,
        plan.clusterProviders.includes('eks')
          ? 'kubectl get pods -n kube-system -l k8s-app=aws-node -o wide'
          : 'kubectl get pods -n kube-system -o wide',
      ],
      fix: 'Restart the CNI pod of the node, enlarge the subnets / enable prefix delegation, or cordon the node',
    },
  );
  return issues;
}

/** Pods that wait for their dependencies, or fail their health checks. */
function dependencyIssues(facts: Facts): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const waiter = first(
    facts.kube,
    s =>
      ['Deployment', 'Rollout', 'StatefulSet'].includes(s.objectKind) &&
      s.service.dependsOn.some(d =>
        facts.kube.some(k => k.name === d && k.service.port !== undefined),
      ),
  );
  if (waiter) {
    const dependency = waiter.service.dependsOn.find(d =>
      facts.kube.some(k => k.name === d && k.service.port !== undefined),
    )!;
    issues.push({
      symptom: `${code(waiter.name)} stays in ${code('Init:0/')}N`,
      cause: `The init container ${code(
        `wait-for-${dependency}`,
      )} waits until ${code(
        `${dependency}:${servicePort(
          facts.kube.find(k => k.name === dependency)!,
        )}`,
      )} answers: ${code(dependency)} is not ready${
        plan.tierFeatures.networkPolicies
          ? ', or a NetworkPolicy blocks the call'
          : ''
      }`,
      confirm: [
        sidecarLogs(facts, waiter, `wait-for-${dependency}`),
        `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${dependency}`,
      ],
      fix: `Fix ${code(
        dependency,
      )} first; keep its dependsOn in architecture.yaml so the NetworkPolicies allow the call`,
    });
  }
  const probed =
    first(
      facts.kube,
      s => s.service.health !== undefined && s.service.workload === 'service',
    ) ?? first(facts.kube, s => s.service.health !== undefined);
  const health = probed?.service.health;
  if (probed && health) {
    issues.push({
      symptom: `${code(probed.name)} ${code('Running')} but ${code(
        'READY 0/1',
      )}`,
      cause: `The readiness probe of ${code(probed.name)} (${code(
        health.path,
      )} on port ${health.port}) fails${
        health.startupSeconds > 0
          ? ` (startup allowance ${health.startupSeconds} s)`
          : ''
      }`,
      confirm: [
        `kubectl get events -n ${ns} --field-selector reason=Unhealthy`,
        describePods(facts, probed),
      ],
      fix: 'Serve the health path on the container port, or raise health.startupSeconds in architecture.yaml for slow starts',
    });
  }
  return issues;
}

/** Rollouts that do not finish: rolling updates and Argo Rollouts. */
function rolloutIssues(facts: Facts): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  // Deployments report ProgressDeadlineExceeded; StatefulSets and
  // DaemonSets only stop updating.
  const rolling =
    first(facts.kube, s => s.objectKind === 'Deployment') ??
    first(facts.kube, s => ['StatefulSet', 'DaemonSet'].includes(s.objectKind));
  if (rolling) {
    const deployment = rolling.objectKind === 'Deployment';
    issues.push({
      symptom: `${code(statusCommand(facts, rolling))} never finishes${
        deployment ? `; ${code('ProgressDeadlineExceeded')}` : ''
      }`,
      cause: `New pods of ${code(
        rolling.name,
      )} fail (see the rows above), the namespace quota is exhausted${
        deployment
          ? `, or there is no room for the surge pod${
              plan.tierFeatures.maxUnavailable === 0
                ? ' (maxUnavailable 0 needs it)'
                : ''
            }`
          : ', or an updated pod never becomes Ready (the update goes one pod at a time)'
      }`,
      confirm: [
        `kubectl describe ${workloadRef(rolling)} -n ${ns}`,
        deployment
          ? `kubectl get replicasets -n ${ns} -l ${selector(
              plan,
              rolling.name,
            )}`
          : getPods(facts, rolling),
        `kubectl describe resourcequota -n ${ns}`,
      ],
      fix: `Fix the new pods, or roll back: ${code(
        `kubectl rollout undo ${workloadRef(rolling)} -n ${ns}`,
      )}`,
    });
  }
  for (const rollout of facts.rollouts.slice(0, 1)) {
    const name = rollout.service.name;
    issues.push({
      symptom: `Rollout ${code(name)} ${code('Paused')} or ${code('Degraded')}`,
      cause: rollout.analysed
        ? `The analysis ${code(
            analysisTemplateName(name),
          )} failed (success rate < 99%) or was inconclusive (no traffic, Prometheus unreachable)`
        : 'A step is paused, or the new pods are not ready',
      confirm: [
        `kubectl argo rollouts get rollout ${name} -n ${ns}`,
        ...(rollout.analysed ? [`kubectl get analysisruns -n ${ns}`] : []),
      ],
      fix: `Fix and ${code(
        `kubectl argo rollouts retry rollout ${name} -n ${ns}`,
      )}, or ${code(`kubectl argo rollouts abort ${name} -n ${ns}`)} and ${code(
        `kubectl argo rollouts undo ${name} -n ${ns}`,
      )}`,
    });
  }
  return issues;
}

/** Autoscaling, disruption budgets, NetworkPolicies and public traffic. */
function capacityIssues(facts: Facts, serving: ServicePlan): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const hpa = facts.autoscaled[0];
  if (hpa) {
    issues.push({
      symptom: `${code(`kubectl get hpa ${hpa.name} -n ${ns}`)} shows ${code(
        '<unknown>/70%',
      )}; event ${code('FailedGetResourceMetric')}`,
      cause:
        'The metrics API (metrics-server) is missing or unhealthy, or a container has no resource request',
      confirm: [
        'kubectl get apiservice v1beta1.metrics.k8s.io',
        `kubectl describe hpa ${hpa.name} -n ${ns}`,
        `kubectl top pods -n ${ns}`,
      ],
      fix: 'Install or repair metrics-server (docs/DEPLOYMENT.md, add-ons); every container of the package has requests',
    });
  }
  const pdb = facts.disruptionBudgets[0];
  if (pdb) {
    issues.push({
      symptom: `${code('kubectl drain')} hangs: ${code(
        "Cannot evict pod as it would violate the pod's disruption budget",
      )}`,
      cause: `The PodDisruptionBudget ${code(
        pdb.name,
      )} allows 0 disruptions: pods are already unhealthy, or there are too few replicas`,
      confirm: [
        `kubectl get pdb -n ${ns}`,
        `kubectl describe pdb ${pdb.name} -n ${ns}`,
      ],
      fix: `Make the unhealthy pods healthy or scale ${code(
        pdb.name,
      )} up before the drain; do not delete the PDB in production`,
    });
  }
  if (plan.tierFeatures.networkPolicies) {
    issues.push({
      symptom: 'Calls between services time out',
      cause: `Default-deny NetworkPolicies in ${code(
        ns,
      )} allow only the dependsOn edges of architecture.yaml (and DNS)`,
      confirm: [
        `kubectl get networkpolicy -n ${ns}`,
        `kubectl describe networkpolicy ${serving.name} -n ${ns}`,
      ],
      fix: 'Add the missing dependsOn to architecture.yaml and regenerate; do not edit the policies by hand',
    });
  }
  const pub = facts.publicServices[0];
  if (pub) {
    issues.push({
      symptom: `Ingress ${code(
        pub.name,
      )} has no ADDRESS, or returns 502/503/504`,
      cause: ingressCause(facts),
      confirm: [
        `kubectl describe ingress ${pub.name} -n ${ns}`,
        `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${pub.name}`,
      ],
      fix: 'Install the ingress controller (docs/DEPLOYMENT.md, add-ons), make the pods Ready, check the TLS Secret and DNS',
    });
  }
  return issues;
}

/** Jobs, CronJobs and DaemonSets. */
function workloadKindIssues(facts: Facts): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const job = first(facts.kube, s => s.objectKind === 'Job');
  if (job) {
    issues.push({
      symptom: `Job ${code(job.name)} ${code('Failed')}: ${code(
        'BackoffLimitExceeded',
      )} or ${code('DeadlineExceeded')}`,
      cause: `The pods failed too often, or the Job ran longer than its timeout (${
        job.service.timeoutSeconds ?? 3600
      } s)`,
      confirm: [
        `kubectl describe ${jobsOf(facts.plan, job)} -n ${ns}`,
        logsCommand(facts, job),
      ],
      fix: `Fix the cause, then ${code(
        `kubectl delete ${jobsOf(facts.plan, job)} -n ${ns}`,
      )} and redeploy: the deploy runs it again (a Job's template is immutable, so a Job is named after its image and a new image is a new Job)`,
    });
  }
  const cron = first(facts.kube, s => s.objectKind === 'CronJob');
  if (cron) {
    issues.push({
      symptom: `CronJob ${code(cron.name)} creates no Job at ${code(
        cron.service.schedule ?? '',
      )}`,
      cause: `Suspended, a previous run still active (concurrency policy), or the schedule is read in ${
        cron.service.timeZone
          ? code(cron.service.timeZone)
          : 'the controller time zone (UTC)'
      }`,
      confirm: [
        `kubectl get cronjob ${cron.name} -n ${ns} -o wide`,
        `kubectl get jobs -n ${ns} -l ${selector(plan, cron.name)}`,
      ],
      fix: `Resume it (${code(
        `kubectl patch cronjob/${cron.name} -n ${ns} -p '{"spec":{"suspend":false}}'`,
      )}) or run it once: ${code(statusCommand(facts, cron))}`,
    });
  }
  const daemon = first(facts.kube, s => s.objectKind === 'DaemonSet');
  if (daemon) {
    issues.push({
      symptom: `DaemonSet ${code(daemon.name)}: READY lower than DESIRED`,
      cause: 'Some nodes are tainted, full, or the pod fails on them',
      confirm: [
        `kubectl get daemonset ${daemon.name} -n ${ns}`,
        getPods(facts, daemon),
      ],
      fix: 'Add tolerations for the node taints, or fix the failing pods',
    });
  }
  return issues;
}

/** The Helm release. */
function packagingIssues(facts: Facts): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  if (plan.packaging === 'helm') {
    issues.push({
      symptom: `${code('helm upgrade')} fails: ${code(
        'another operation (install/upgrade/rollback) is in progress',
      )}`,
      cause:
        'A previous Helm command was interrupted and left the release pending',
      confirm: [`helm history ${facts.release} -n ${ns}`],
      fix: `${code(
        `helm rollback ${facts.release} <last-deployed-revision> -n ${ns}`,
      )}, then deploy again`,
    });
  }
  return issues;
}

function kubernetesIssues(facts: Facts): Issue[] {
  const app =
    first(facts.kube, s => s.buildsImage && isServing(s)) ??
    first(facts.kube, s => s.buildsImage) ??
    facts.kube[0];
  const serving = first(facts.kube, isServing) ?? app;
  const heavy = [...facts.kube].sort(
    (a, b) =>
      memoryBytes(b.service.resources.memory) -
      memoryBytes(a.service.resources.memory),
  )[0];
  const stateful = first(facts.kube, s => s.objectKind === 'StatefulSet');
  return [
    ...schedulingIssues(facts, heavy, stateful),
    ...imageIssues(facts, app, heavy),
    ...configurationIssues(facts, app, stateful),
    ...dependencyIssues(facts),
    ...rolloutIssues(facts),
    ...capacityIssues(facts, serving),
    ...workloadKindIssues(facts),
    ...packagingIssues(facts),
  ];
}

function meshIssues(facts: Facts): Issue[] {
  const { plan, ns } = facts;
  const issues: Issue[] = [];
  const edges = facts.kube.flatMap(s =>
    s.service.dependsOn
      .map(d => facts.kube.find(k => k.name === d))
      .filter(
        (d): d is ServicePlan =>
          d !== undefined && d.service.port !== undefined,
      )
      .map(d => ({ caller: s, callee: d })),
  );
  // A Deployment caller gives the shortest commands (deploy/<name>).
  const edge =
    edges.find(e => e.caller.objectKind === 'Deployment') ?? edges[0];
  const caller = edge?.caller ?? facts.kube[0];
  const callee = edge?.callee ?? facts.kube[0];
  if (plan.mesh === 'istio') {
    issues.push(
      {
        symptom: `${code(caller.name)} ${
          {
            tcp: 'has its connections to',
            grpc: 'gets UNAVAILABLE (HTTP 503) calling',
            http: 'gets HTTP 503 calling',
          }[callee.service.protocol]
        } ${code(callee.name)}${
          callee.service.protocol === 'tcp' ? ' reset' : ''
        }; response flag ${code('UF')} or ${code(
          'URX',
        )} in the istio-proxy log`,
        cause: `${code(
          'UF',
        )}: upstream connection failure (no ready endpoint, mTLS mismatch, port not named/appProtocol); ${code(
          'URX',
        )}: retries or connect attempts exhausted`,
        confirm: [
          sidecarLogs(facts, caller, 'istio-proxy'),
          `istioctl proxy-config endpoints ${podRef(
            facts,
            caller,
          )} -n ${ns} --cluster "outbound|${servicePort(callee) ?? 80}||${
            callee.name
          }.${ns}.svc.cluster.local"`,
          `istioctl analyze -n ${ns}`,
        ],
        fix: `Make ${code(
          callee.name,
        )} Ready; keep DestinationRule TLS mode ISTIO_MUTUAL with STRICT PeerAuthentication`,
      },
      {
        symptom: `Clients without a sidecar get ${code(
          'connection reset by peer',
        )} / ${code('upstream connect error')}`,
        cause: `PeerAuthentication STRICT in ${code(
          ns,
        )} rejects plaintext: callers from other namespaces, pods with injection disabled${
          facts.publicServices.length > 0
            ? `, and the ${code(
                plan.ingress,
              )} ingress controller unless its port is exempted`
            : ''
        }`,
        confirm: [
          `kubectl get peerauthentication -n ${ns} -o yaml`,
          `istioctl x describe pod ${podRef(facts, callee)} -n ${ns}`,
        ],
        fix: 'Inject the caller (label its namespace istio-injection=enabled and restart it) or add a port-level PERMISSIVE exception in mesh/<env>',
      },
      {
        symptom: `Pods of ${code(ns)} have no ${code('istio-proxy')} container`,
        cause:
          'The pods started before Istio was installed or before the namespace label',
        confirm: [
          `kubectl get namespace ${ns} --show-labels`,
          `kubectl get pods -n ${ns} -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.initContainers[*].name}{"\\n"}{end}'`,
        ],
        fix: `Restart the workloads, e.g. ${code(
          restartCommand(facts, caller),
        )}`,
      },
    );
    const routed = facts.rollouts.find(r => r.router === 'istio');
    if (routed) {
      issues.push({
        symptom: `Rollout ${code(
          routed.service.name,
        )} does not shift traffic (weights stay 0/100)`,
        cause: `The VirtualService ${code(
          routed.service.name,
        )} with the route ${code('primary')} (from mesh/<env>) is missing`,
        confirm: [
          `kubectl get virtualservice ${routed.service.name} -n ${ns} -o yaml`,
          `kubectl argo rollouts get rollout ${routed.service.name} -n ${ns}`,
        ],
        fix: 'Apply mesh/<env>; the Rollout continues by itself',
      });
    }
  }
  if (plan.mesh === 'linkerd') {
    issues.push(
      {
        symptom: `${code(
          `linkerd check --proxy -n ${ns}`,
        )} fails, or pods have no ${code('linkerd-proxy')}`,
        cause:
          'The pods started before Linkerd or before the namespace annotation linkerd.io/inject',
        confirm: [
          `linkerd check --proxy -n ${ns}`,
          `kubectl get namespace ${ns} -o jsonpath='{.metadata.annotations}'`,
        ],
        fix: `Restart the workloads after installing Linkerd, e.g. ${code(
          restartCommand(facts, caller),
        )}`,
      },
      {
        symptom: `${code(
          caller.name,
        )} gets 403 or connection refused from ${code(callee.name)}`,
        cause:
          'A Linkerd authorization policy (Server / AuthorizationPolicy) denies the caller, or the caller is not meshed',
        confirm: [
          `kubectl get servers.policy.linkerd.io,authorizationpolicies.policy.linkerd.io -n ${ns}`,
          sidecarLogs(facts, callee, 'linkerd-proxy'),
        ],
        fix: 'Mesh the caller and allow its identity in mesh/<env>',
      },
    );
  }
  return issues;
}

function serverlessIssues(facts: Facts): Issue[] {
  const { plan } = facts;
  if (facts.serverless.length === 0) return [];
  const issues: Issue[] = [];
  const fn = facts.serverless[0];
  const t = facts.serverlessTargets;
  const env = plan.environments[plan.environments.length - 1];
  if (t.aws) {
    const stack = stackName(plan, env);
    const logs = `aws logs tail /aws/lambda/${stack}/${fn.name} --since 1h`;
    const slow = [...facts.serverless].sort(
      (a, b) =>
        (b.service.timeoutSeconds ?? 0) - (a.service.timeoutSeconds ?? 0),
    )[0];
    issues.push(
      {
        symptom: `${code(slow.name)}: ${code(
          `Task timed out after ${
            slow.service.timeoutSeconds ?? 30
          }.00 seconds`,
        )}`,
        cause: `The function needs more than its timeout (${
          slow.service.timeoutSeconds ?? 30
        } s)`,
        confirm: [`aws logs tail /aws/lambda/${stack}/${slow.name} --since 1h`],
        fix: 'Raise timeoutSeconds in architecture.yaml (900 s at most) or run it on Kubernetes; then redeploy',
      },
      {
        symptom: `${code(fn.name)}: ${code(
          'Runtime exited with error: signal: killed',
        )}, Max Memory Used = Memory Size`,
        cause: `Out of memory (${fn.service.memoryMB ?? 512} MB)`,
        confirm: [logs],
        fix: 'Raise memoryMB in architecture.yaml and redeploy',
      },
      {
        symptom: `${code('sam deploy')} fails; stack ${code(stack)} in ${code(
          'ROLLBACK_COMPLETE',
        )} / ${code('UPDATE_ROLLBACK_COMPLETE')}`,
        cause:
          'A resource failed to create or update (name taken, missing permission, quota)',
        confirm: [
          `aws cloudformation describe-stack-events --stack-name ${stack} --max-items 20`,
        ],
        fix: `Fix the failing resource; a stack in ROLLBACK_COMPLETE must be deleted first (${code(
          `sam delete --stack-name ${stack}`,
        )})`,
      },
      {
        symptom: `${code('AccessDeniedException')} in the logs of ${code(
          fn.name,
        )}`,
        cause:
          'The execution role grants only the policies of the template (least privilege)',
        confirm: [logs],
        fix: 'Grant the missing permission in the template (via the spec) rather than by hand',
      },
    );
    const asyncFn = facts.serverless.find(
      s => s.service.trigger && s.service.trigger.type !== 'http',
    );
    if (asyncFn) {
      issues.push({
        symptom: `Messages accumulate in the dead-letter queue of ${code(
          asyncFn.name,
        )}`,
        cause:
          'Events fail after the retries (an error in the handler, a poison message)',
        confirm: [
          `sam list stack-outputs --stack-name ${stack}`,
          'aws sqs get-queue-attributes --queue-url <DeadLetterQueueUrl> --attribute-names ApproximateNumberOfMessages',
        ],
        fix: 'Fix the handler, then redrive the messages (aws sqs start-message-move-task)',
      });
    }
  }
  if (t.azure) {
    issues.push({
      symptom: `Function app of ${code(fn.name)} returns 5xx or never triggers`,
      cause:
        'A failing handler, a missing app setting, or a binding that cannot connect',
      confirm: ['func azure functionapp logstream <function-app-name>'],
      fix: 'Fix the handler or the setting, then serverless/azure/deploy.sh again',
    });
  }
  if (t.gcp) {
    issues.push({
      symptom: `${code(fn.name)} revision not ready, or 5xx`,
      cause:
        'The container does not listen on $PORT, fails at start, or lacks IAM',
      confirm: [
        `gcloud run services describe ${fn.name} --region=${plan.region}`,
        `gcloud logging read 'resource.type="cloud_run_revision" AND resource.labels.service_name="${fn.name}"' --limit=50`,
      ],
      fix: 'Fix the container or the IAM bindings of serverless/gcp/iam.yaml and redeploy',
    });
  }
  if (t.knative) {
    issues.push({
      symptom: `Knative Service ${code(fn.name)} ${code('READY False')}`,
      cause:
        'The revision fails (image, probe) or no networking layer is installed',
      confirm: [
        `kubectl get ksvc ${fn.name} -n ${facts.ns}`,
        `kubectl describe revision -n ${facts.ns} -l serving.knative.dev/service=${fn.name}`,
      ],
      fix: 'Fix the image or the probe; install the Knative networking layer',
    });
  }
  return issues;
}

function registryHost(image: string): string {
  const host = image.split('/')[0];
  return image.includes('/') && /[.:]|^localhost$/.test(host)
    ? host
    : 'docker.io';
}

function registryAccessFix(facts: Facts): string {
  const providers = facts.plan.clusterProviders;
  const parts: string[] = [];
  if (providers.includes('eks')) {
    parts.push(
      'EKS: attach AmazonEC2ContainerRegistryReadOnly to the node role',
    );
  }
  if (providers.includes('gke')) {
    parts.push(
      'GKE: grant roles/artifactregistry.reader to the node service account',
    );
  }
  if (providers.includes('aks')) {
    parts.push(
      `AKS: ${code(
        'az aks update --resource-group <resource-group> --name <cluster> --attach-acr <registry>',
      )}`,
    );
  }
  if (providers.includes('generic') || parts.length === 0) {
    parts.push(
      'add an imagePullSecret with registry credentials to the ServiceAccounts',
    );
  }
  return parts.join('; ');
}

function ingressCause(facts: Facts): string {
  switch (facts.plan.ingress) {
    case 'alb':
      return 'The AWS Load Balancer Controller is missing or lacks IAM permissions, or the targets fail health checks';
    case 'gke':
      return 'The GKE load balancer is still provisioning (several minutes), or its health check fails';
    case 'application-routing':
      return 'The AKS application routing add-on is not enabled, or the pods are not Ready';
    default:
      return 'ingress-nginx is not installed (IngressClass nginx), or the pods are not Ready';
  }
}

function issueTable(issues: Issue[]): string[] {
  return table(
    ['Symptom', 'Likely cause', 'Confirm with', 'Fix'],
    issues.map(i => [
      i.symptom,
      i.cause,
      i.confirm.map(code).join('<br>'),
      i.fix,
    ]),
  );
}

function quickReference(facts: Facts): string[] {
  if (facts.kube.length === 0) return [];
  return [
    '## Per service',
    '',
    ...table(
      ['Service', 'Object', 'Pods', 'Logs of the last crash', 'Status'],
      facts.kube.map(s => [
        code(s.name),
        s.objectKind,
        code(getPods(facts, s)),
        code(logsCommand(facts, s, true)),
        code(statusCommand(facts, s, true)),
      ]),
    ),
    '',
  ];
}

export function renderTroubleshooting(facts: Facts): string {
  const { ns, plan } = facts;
  const lines: string[] = [`# Troubleshooting: ${text(facts.title)}`, ''];
  if (facts.kube.length > 0) {
    const kinds = [
      ...new Set(facts.kube.map(s => workloadRef(s).split('/')[0])),
    ];
    lines.push(
      `Everything below uses the namespace ${code(
        ns,
      )} and the services of this package: ${facts.kube
        .map(s => `${code(s.name)} (${s.objectKind})`)
        .join(
          ', ',
        )}. Start with a snapshot (attach it to any support request):`,
      '',
      ...block('sh', [
        `kubectl get pods -n ${ns} -o wide`,
        `kubectl get events -n ${ns} --sort-by=.lastTimestamp`,
        `kubectl get ${[
          ...kinds,
          ...(facts.autoscaled.length ? ['hpa'] : []),
          ...(facts.disruptionBudgets.length ? ['pdb'] : []),
        ].join(',')} -n ${ns}`,
        `kubectl get pods -n ${ns} -o json > pods.json && kubectl get events -n ${ns} -o json > events.json`,
      ]),
      '',
      '## Decision tree',
      '',
      ...block('mermaid', treeMermaid(decisionTree(facts))),
      '',
      'The same tree as text:',
      '',
      ...treeText(decisionTree(facts)),
      '',
      '## Issues',
      '',
      ...issueTable(kubernetesIssues(facts)),
      '',
    );
    const mesh = meshIssues(facts);
    if (mesh.length > 0) {
      lines.push(`## Service mesh (${plan.mesh})`, '', ...issueTable(mesh), '');
    }
    lines.push(...quickReference(facts));
  } else {
    lines.push(
      `This package runs only serverless functions: ${facts.serverless
        .map(s => code(s.name))
        .join(', ')}.`,
      '',
    );
  }
  const serverless = serverlessIssues(facts);
  if (serverless.length > 0) {
    lines.push('## Serverless functions', '', ...issueTable(serverless), '');
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
