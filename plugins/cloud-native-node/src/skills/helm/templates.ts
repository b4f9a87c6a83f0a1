/**
 * The chart's templates: constant text, the same for every plan. Nothing
 * of the plan (names, images, hosts) is ever written into a template: the
 * templates read everything from the values, so a value can never break
 * (or inject into) template syntax, and every chart the engine writes has
 * byte-identical templates.
 *
 * Named templates use the prefix `cno.` (this is not a library chart, so
 * there is no other chart whose `define`s could collide).
 */

import { JOB_NAME_HASH_LENGTH } from '../../plan/names';

function file(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** `metadata:` of an object of a service (inside `range $name, $svc`). */
function serviceMetadata(nameExpression: string, indent = ''): string[] {
  return [
    `${indent}metadata:`,
    `${indent}  name: {{ ${nameExpression} | quote }}`,
    `${indent}  namespace: {{ $.Release.Namespace | quote }}`,
    `${indent}  labels:`,
    `${indent}    {{- include "cno.labels" $context | nindent ${
      indent.length + 4
    } }}`,
  ];
}

const CONTEXT = '{{- $context := dict "root" $ "name" $name "svc" $svc }}';

/**
 * The loop of a template with one object (or a few) per service: $context
 * is set for the services that meet `condition` (an `if` or `with` action
 * on $svc), then comes `body`.
 */
function perService(condition: string, ...body: string[]): string[] {
  return [
    '{{- range $name, $svc := .Values.services }}',
    `{{- ${condition} }}`,
    CONTEXT,
    ...body,
    '{{- end }}',
    '{{- end }}',
  ];
}

/** Where every object of a template starts: `---`, its type, its `metadata`. */
function objectHead(
  apiVersion: string,
  kind: string,
  metadata: string[],
): string[] {
  return ['---', `apiVersion: ${apiVersion}`, `kind: ${kind}`, ...metadata];
}

/** The head of an object of a service, from `---` to its labels. */
function serviceObjectHead(
  apiVersion: string,
  kind: string,
  nameExpression = '$name',
): string[] {
  return objectHead(apiVersion, kind, serviceMetadata(nameExpression));
}

/** The selector of a workload or PodDisruptionBudget: the service's pods. */
const SELECTOR = [
  '  selector:',
  '    matchLabels:',
  '      {{- include "cno.selectorLabels" $context | nindent 6 }}',
];

/**
 * The rest of a workload spec: the fields of `fields` (a dict of $svc) but
 * those the template writes itself (`owned`), then the pod template.
 */
function specFieldsAndPodTemplate(fields: string, owned: string[]): string[] {
  return [
    `  {{- with omit (default (dict) ${fields}) ${owned
      .map(key => `"${key}"`)
      .join(' ')} }}`,
    '  {{- toYaml . | nindent 2 }}',
    '  {{- end }}',
    '  template:',
    '    {{- include "cno.podTemplate" $context | nindent 4 }}',
  ];
}

const HELPERS = file(
  '{{/*',
  'Helpers of the chart.',
  '',
  'Object names are fixed: `<service>` and `<service>-<suffix>`, never',
  'prefixed with the release name, as if `fullnameOverride` were set. The chart',
  'therefore renders exactly the objects of the plain manifests in',
  'kubernetes/<env>/ but the Namespace, and a release fills a whole namespace:',
  'install one release per namespace (and cluster/environment), into the',
  'namespace that namespace/<env> created (a release cannot own the namespace',
  'it is stored in):',
  '',
  '  kubectl apply --server-side -k namespace/<env>',
  '  helm upgrade --install <chart> <chart-dir> -n <namespace> -f <chart-dir>/values-<env>.yaml',
  '',
  'Labels follow the manifests (app.kubernetes.io/managed-by stays',
  'cloud-native-orchestrator, so switching between the manifests and the chart',
  'changes no label); Helm tracks ownership with its own annotations. Objects',
  'also get helm.sh/chart; pod templates do not, so a chart version bump alone',
  'does not restart pods.',
  '*/}}',
  '',
  '{{/* The application name: the chart name, which is the plan name. */}}',
  '{{- define "cno.name" -}}',
  '{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}',
  '{{- end -}}',
  '',
  '{{/* The full name: fixed (not derived from .Release.Name), see above. */}}',
  '{{- define "cno.fullname" -}}',
  '{{- include "cno.name" . -}}',
  '{{- end -}}',
  '',
  '{{/* Chart name and version, for the helm.sh/chart label. */}}',
  '{{- define "cno.chart" -}}',
  '{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}',
  '{{- end -}}',
  '',
  '{{/*',
  'Selector labels of a service: only labels that never change, because',
  'workload selectors are immutable. Argument: dict "root" $ "name" <service>.',
  '*/}}',
  '{{- define "cno.selectorLabels" -}}',
  'app.kubernetes.io/name: {{ .name | quote }}',
  'app.kubernetes.io/part-of: {{ include "cno.name" .root | quote }}',
  '{{- end -}}',
  '',
  '{{/* The image tag as a label value (at most 63 characters, alphanumeric ends). */}}',
  '{{- define "cno.versionLabel" -}}',
  '{{- $tag := toString (default "" .tag) | trunc 63 -}}',
  '{{- regexReplaceAll "^[^A-Za-z0-9]+" (regexReplaceAll "[^A-Za-z0-9]+$" $tag "") "" -}}',
  '{{- end -}}',
  '',
  '{{/*',
  'Standard labels of the pods of a service.',
  'Argument: dict "root" $ "name" <service> "svc" <its values>.',
  '*/}}',
  '{{- define "cno.podLabels" -}}',
  '{{ include "cno.selectorLabels" . }}',
  'app.kubernetes.io/instance: {{ regexReplaceAll "-+$" (printf "%s-%s" (include "cno.fullname" .root) .name | trunc 63) "" | quote }}',
  'app.kubernetes.io/component: {{ .svc.component | quote }}',
  'app.kubernetes.io/managed-by: cloud-native-orchestrator',
  '{{- with include "cno.versionLabel" .svc.image }}',
  'app.kubernetes.io/version: {{ . | quote }}',
  '{{- end }}',
  'cloud-native.backstage.io/environment: {{ .root.Values.environment | quote }}',
  '{{- end -}}',
  '',
  '{{/* Labels of the objects of a service: the pod labels and helm.sh/chart. */}}',
  '{{- define "cno.labels" -}}',
  '{{ include "cno.podLabels" . }}',
  'helm.sh/chart: {{ include "cno.chart" .root | quote }}',
  '{{- end -}}',
  '',
  '{{/* Labels of namespace-wide objects. Argument: dict "root" $ "component" <what>. */}}',
  '{{- define "cno.sharedLabels" -}}',
  'app.kubernetes.io/name: {{ include "cno.name" .root | quote }}',
  'app.kubernetes.io/instance: {{ include "cno.fullname" .root | quote }}',
  'app.kubernetes.io/part-of: {{ include "cno.name" .root | quote }}',
  'app.kubernetes.io/component: {{ .component | quote }}',
  'app.kubernetes.io/managed-by: cloud-native-orchestrator',
  'cloud-native.backstage.io/environment: {{ .root.Values.environment | quote }}',
  'helm.sh/chart: {{ include "cno.chart" .root | quote }}',
  '{{- end -}}',
  '',
  '{{/* An image reference from repository, tag and digest. */}}',
  '{{- define "cno.image" -}}',
  '{{- .repository -}}',
  '{{- with .tag }}:{{ . }}{{ end -}}',
  '{{- with .digest }}@{{ . }}{{ end -}}',
  '{{- end -}}',
  '',
  '{{/*',
  'The pod template of a service: labels, pod annotations with the config',
  'hash, `pod` (pod spec fields), the computed anti-affinity of replicated',
  'StatefulSets, and the app container from image/port/config/secrets/',
  'resources plus `container` (other container fields).',
  'Argument: dict "root" $ "name" <service> "svc" <its values>.',
  '*/}}',
  '{{- define "cno.podTemplate" -}}',
  '{{- $svc := .svc -}}',
  'metadata:',
  '  labels:',
  '    {{- include "cno.podLabels" . | nindent 4 }}',
  '  {{- $annotations := deepCopy (default (dict) $svc.podAnnotations) }}',
  '  {{- if $svc.config }}',
  '  {{- /* envFrom is read at container start: a new hash rolls the pods when the config changes */}}',
  '  {{- $_ := set $annotations "cloud-native.backstage.io/config-hash" ($svc.config | toRawJson | sha256sum | trunc 16) }}',
  '  {{- end }}',
  '  {{- with $annotations }}',
  '  annotations:',
  '    {{- toYaml . | nindent 4 }}',
  '  {{- end }}',
  'spec:',
  '  serviceAccountName: {{ .name | quote }}',
  '  {{- with omit (default (dict) $svc.pod) "serviceAccountName" "containers" "affinity" }}',
  '  {{- toYaml . | nindent 2 }}',
  '  {{- end }}',
  '  {{- $affinity := dig "pod" "affinity" (dict) $svc }}',
  '  {{- if and (not $affinity) (eq $svc.kind "StatefulSet") (gt (int $svc.replicas) 1) }}',
  '  {{- /* Two replicas of a data store on one node fail together: one per node */}}',
  '  {{- $selector := include "cno.selectorLabels" . | fromYaml }}',
  '  {{- $term := dict "labelSelector" (dict "matchLabels" $selector) "topologyKey" "kubernetes.io/hostname" }}',
  '  {{- $affinity = dict "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}',
  '  {{- end }}',
  '  {{- with $affinity }}',
  '  affinity:',
  '    {{- toYaml . | nindent 4 }}',
  '  {{- end }}',
  '  containers:',
  '    - name: {{ .name | quote }}',
  '      image: {{ include "cno.image" $svc.image | quote }}',
  '      imagePullPolicy: {{ default "IfNotPresent" $svc.image.pullPolicy | quote }}',
  '      {{- with $svc.port }}',
  '      ports:',
  '        {{- /* named after the protocol: meshes and probes use the name */}}',
  '        - name: {{ default "http" $svc.protocol | quote }}',
  '          containerPort: {{ . | int }}',
  '          protocol: TCP',
  '      {{- end }}',
  '      {{- if or $svc.config $svc.secrets }}',
  '      envFrom:',
  '        {{- if $svc.config }}',
  '        - configMapRef:',
  '            name: {{ printf "%s-config" .name | quote }}',
  '        {{- end }}',
  '        {{- if $svc.secrets }}',
  '        - secretRef:',
  '            name: {{ printf "%s-secrets" .name | quote }}',
  '        {{- end }}',
  '      {{- end }}',
  '      resources:',
  '        {{- toYaml $svc.resources | nindent 8 }}',
  '      {{- with omit (default (dict) $svc.container) "name" "image" "imagePullPolicy" "ports" "envFrom" "resources" }}',
  '      {{- toYaml . | nindent 6 }}',
  '      {{- end }}',
  '{{- end -}}',
);

const PRIORITY_CLASS = file(
  '{{- /* Scheduling priority of the node agents (DaemonSets) */}}',
  '{{- with .Values.priorityClass }}',
  'apiVersion: scheduling.k8s.io/v1',
  'kind: PriorityClass',
  'metadata:',
  '  name: {{ .name | quote }}',
  '  labels:',
  '    {{- include "cno.sharedLabels" (dict "root" $ "component" "scheduling") | nindent 4 }}',
  '{{- with omit . "name" }}',
  '{{ toYaml . }}',
  '{{- end }}',
  '{{- end }}',
);

const SERVICE_ACCOUNT = file(
  '{{- /* One ServiceAccount per service, without an API token */}}',
  '{{- range $name, $svc := .Values.services }}',
  CONTEXT,
  ...serviceObjectHead('v1', 'ServiceAccount'),
  'automountServiceAccountToken: false',
  '{{- end }}',
);

const CONFIG_MAP = file(
  '{{- /* services.<name>.config: the environment variables of the service */}}',
  ...perService(
    'if $svc.config',
    ...serviceObjectHead('v1', 'ConfigMap', 'printf "%s-config" $name'),
    'data:',
    '  {{- toYaml $svc.config | nindent 2 }}',
  ),
);

const EXTERNAL_SECRET = file(
  '{{- /*',
  'services.<name>.secrets: names of secrets synced by the External Secrets',
  'Operator into the Secret <name>-secrets, from the key',
  '<remoteKeyPrefix>/<name>/<SECRET> of externalSecrets.secretStoreRef.',
  '*/}}',
  '{{- $es := .Values.externalSecrets }}',
  ...perService(
    'if $svc.secrets',
    ...serviceObjectHead(
      'external-secrets.io/v1',
      'ExternalSecret',
      'printf "%s-secrets" $name',
    ),
    'spec:',
    '  refreshInterval: {{ $es.refreshInterval | quote }}',
    '  secretStoreRef:',
    '    {{- toYaml $es.secretStoreRef | nindent 4 }}',
    '  target:',
    '    name: {{ printf "%s-secrets" $name | quote }}',
    '    creationPolicy: {{ $es.creationPolicy | quote }}',
    '  data:',
    '    {{- range $secret := sortAlpha $svc.secrets }}',
    '    - secretKey: {{ $secret | quote }}',
    '      remoteRef:',
    '        key: {{ printf "%s/%s/%s" $es.remoteKeyPrefix $name $secret | quote }}',
    '    {{- end }}',
  ),
);

/** The head of a Service, with the annotations of services.<name>.service. */
function serviceHead(nameExpression: string): string[] {
  return [
    ...serviceObjectHead('v1', 'Service', nameExpression),
    '  {{- with $svc.service.annotations }}',
    '  annotations:',
    '    {{- toYaml . | nindent 4 }}',
    '  {{- end }}',
  ];
}

/** The one port of a service's Services, named after the protocol. */
const SERVICE_PORT = [
  '    - name: {{ $portName | quote }}',
  '      port: {{ $port | int }}',
  '      targetPort: {{ $portName | quote }}',
  '      protocol: TCP',
  '      {{- with $svc.service.appProtocol }}',
  '      appProtocol: {{ . | quote }}',
  '      {{- end }}',
];

const SERVICE = file(
  '{{- /*',
  'Services of a service with services.<name>.service.enabled: <name>',
  '(ClusterIP, service.port -> the container port named after the protocol:',
  '80 -> "http", or the own port -> "grpc" / "tcp"), the second Service a',
  'Rollout strategy names (previewService / canaryService), and',
  '<name>-headless for a StatefulSet (stable pod DNS names, container port).',
  '*/}}',
  '{{- range $name, $svc := .Values.services }}',
  '{{- if and $svc.service $svc.service.enabled }}',
  CONTEXT,
  '{{- $portName := default "http" $svc.protocol }}',
  '{{- $names := list $name }}',
  '{{- if eq $svc.kind "Rollout" }}',
  '{{- $strategy := dig "workload" "strategy" (dict) $svc }}',
  '{{- with $strategy.blueGreen }}{{ with .previewService }}{{ $names = append $names . }}{{ end }}{{ end }}',
  '{{- with $strategy.canary }}{{ with .canaryService }}{{ $names = append $names . }}{{ end }}{{ end }}',
  '{{- end }}',
  '{{- $port := $svc.service.port }}',
  '{{- range $serviceName := $names }}',
  ...serviceHead('$serviceName'),
  'spec:',
  '  type: ClusterIP',
  '  selector:',
  '    {{- include "cno.selectorLabels" $context | nindent 4 }}',
  '  ports:',
  ...SERVICE_PORT,
  '{{- end }}',
  '{{- if eq $svc.kind "StatefulSet" }}',
  '{{- $port = $svc.port }}',
  ...serviceHead('printf "%s-headless" $name'),
  'spec:',
  '  clusterIP: None',
  '  # Peers find each other while they bootstrap, before they are ready',
  '  publishNotReadyAddresses: true',
  '  selector:',
  '    {{- include "cno.selectorLabels" $context | nindent 4 }}',
  '  ports:',
  ...SERVICE_PORT,
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
);

const ANALYSIS_TEMPLATE = file(
  '{{- /* services.<name>.analysis: the success-rate analysis of a Rollout (Argo Rollouts) */}}',
  ...perService(
    'with $svc.analysis',
    ...serviceObjectHead(
      'argoproj.io/v1alpha1',
      'AnalysisTemplate',
      'printf "%s-success-rate" $name',
    ),
    'spec:',
    '  args:',
    '    - name: service-name',
    '    - name: namespace',
    '      value: {{ $.Release.Namespace | quote }}',
    '  {{- with omit . "args" }}',
    '  {{- toYaml . | nindent 2 }}',
    '  {{- end }}',
  ),
);

/**
 * Deployment and Rollout: `replicas` only without an HPA (a fixed value
 * would reset a scaled-out workload on every upgrade).
 */
function replicatedWorkload(apiVersion: string, kind: string): string {
  return file(
    `{{- /* services.<name> with kind ${kind} */}}`,
    ...perService(
      `if eq $svc.kind "${kind}"`,
      ...serviceObjectHead(apiVersion, kind),
      'spec:',
      '  {{- if not (and $svc.autoscaling $svc.autoscaling.enabled) }}',
      '  replicas: {{ $svc.replicas | int }}',
      '  {{- end }}',
      ...SELECTOR,
      ...specFieldsAndPodTemplate('$svc.workload', [
        'replicas',
        'selector',
        'template',
      ]),
    ),
  );
}

const STATEFUL_SET = file(
  '{{- /* services.<name> with kind StatefulSet: persistence is the volume claim template "data" */}}',
  ...perService(
    'if eq $svc.kind "StatefulSet"',
    ...serviceObjectHead('apps/v1', 'StatefulSet'),
    'spec:',
    '  serviceName: {{ printf "%s-headless" $name | quote }}',
    '  replicas: {{ $svc.replicas | int }}',
    ...SELECTOR,
    ...specFieldsAndPodTemplate('$svc.workload', [
      'replicas',
      'selector',
      'template',
      'serviceName',
      'volumeClaimTemplates',
    ]),
    '  {{- with $svc.persistence }}',
    '  volumeClaimTemplates:',
    '    - apiVersion: v1',
    '      kind: PersistentVolumeClaim',
    '      metadata:',
    '        name: data',
    '        labels:',
    '          {{- include "cno.selectorLabels" $context | nindent 10 }}',
    '      spec:',
    '        accessModes:',
    '          {{- toYaml (default (list "ReadWriteOnce") .accessModes) | nindent 10 }}',
    '        {{- with .storageClass }}',
    '        storageClassName: {{ . | quote }}',
    '        {{- end }}',
    '        resources:',
    '          requests:',
    '            storage: {{ .size | quote }}',
    '  {{- end }}',
  ),
);

const DAEMON_SET = file(
  '{{- /* services.<name> with kind DaemonSet */}}',
  ...perService(
    'if eq $svc.kind "DaemonSet"',
    ...serviceObjectHead('apps/v1', 'DaemonSet'),
    'spec:',
    ...SELECTOR,
    ...specFieldsAndPodTemplate('$svc.workload', ['selector', 'template']),
  ),
);

const JOB = file(
  '{{- /* services.<name> with kind Job: `job` holds the Job spec fields */}}',
  ...perService(
    'if eq $svc.kind "Job"',
    ...serviceObjectHead(
      'batch/v1',
      'Job',
      // named after its image: a Job's template is immutable (jobName, workloads.ts)
      `printf "%s-%s" $name (include "cno.image" $svc.image | sha256sum | trunc ${JOB_NAME_HASH_LENGTH})`,
    ),
    'spec:',
    ...specFieldsAndPodTemplate('$svc.job', ['template']),
  ),
);

const CRON_JOB = file(
  '{{- /* services.<name> with kind CronJob: schedule, timeZone, `workload` (CronJob fields) and `job` (Job spec fields) */}}',
  ...perService(
    'if eq $svc.kind "CronJob"',
    ...serviceObjectHead('batch/v1', 'CronJob'),
    'spec:',
    '  schedule: {{ $svc.schedule | quote }}',
    '  {{- with $svc.timeZone }}',
    '  timeZone: {{ . | quote }}',
    '  {{- end }}',
    '  {{- with omit (default (dict) $svc.workload) "schedule" "timeZone" "jobTemplate" }}',
    '  {{- toYaml . | nindent 2 }}',
    '  {{- end }}',
    '  jobTemplate:',
    '    metadata:',
    '      labels:',
    '        {{- include "cno.podLabels" $context | nindent 8 }}',
    '    spec:',
    '      {{- with omit (default (dict) $svc.job) "template" }}',
    '      {{- toYaml . | nindent 6 }}',
    '      {{- end }}',
    '      template:',
    '        {{- include "cno.podTemplate" $context | nindent 8 }}',
  ),
);

const HPA = file(
  '{{- /* services.<name>.autoscaling (Deployment and Rollout) */}}',
  ...perService(
    'if and (has $svc.kind (list "Deployment" "Rollout")) $svc.autoscaling $svc.autoscaling.enabled',
    '{{- with $svc.autoscaling }}',
    ...serviceObjectHead('autoscaling/v2', 'HorizontalPodAutoscaler'),
    'spec:',
    '  scaleTargetRef:',
    '    {{- if eq $svc.kind "Rollout" }}',
    '    apiVersion: argoproj.io/v1alpha1',
    '    kind: Rollout',
    '    {{- else }}',
    '    apiVersion: apps/v1',
    '    kind: Deployment',
    '    {{- end }}',
    '    name: {{ $name | quote }}',
    '  minReplicas: {{ .minReplicas | int }}',
    '  maxReplicas: {{ .maxReplicas | int }}',
    '  metrics:',
    '    {{- if .metrics }}',
    '    {{- toYaml .metrics | nindent 4 }}',
    '    {{- else }}',
    '    {{- with .targetCPUUtilizationPercentage }}',
    '    - type: Resource',
    '      resource:',
    '        name: cpu',
    '        target:',
    '          type: Utilization',
    '          averageUtilization: {{ . | int }}',
    '    {{- end }}',
    '    {{- with .targetMemoryUtilizationPercentage }}',
    '    - type: Resource',
    '      resource:',
    '        name: memory',
    '        target:',
    '          type: Utilization',
    '          averageUtilization: {{ . | int }}',
    '    {{- end }}',
    '    {{- end }}',
    '  {{- with .behavior }}',
    '  behavior:',
    '    {{- toYaml . | nindent 4 }}',
    '  {{- end }}',
    '{{- end }}',
  ),
);

const PDB = file(
  '{{- /* services.<name>.podDisruptionBudget: enabled plus the PodDisruptionBudget spec fields */}}',
  ...perService(
    'if and $svc.podDisruptionBudget $svc.podDisruptionBudget.enabled',
    ...serviceObjectHead('policy/v1', 'PodDisruptionBudget'),
    'spec:',
    '  {{- with omit $svc.podDisruptionBudget "enabled" "selector" }}',
    '  {{- toYaml . | nindent 2 }}',
    '  {{- end }}',
    ...SELECTOR,
  ),
);

const NETWORK_POLICY = file(
  '{{- /*',
  'networkPolicies.namespaceWide: policies of every pod (default deny, DNS, ...);',
  'services.<name>.networkPolicy: the ingress/egress rules of one service.',
  'A StatefulSet with more than one replica also talks to its own pods.',
  '*/}}',
  '{{- if and .Values.networkPolicies .Values.networkPolicies.enabled }}',
  '{{- range $policy, $spec := .Values.networkPolicies.namespaceWide }}',
  '---',
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: {{ $policy | quote }}',
  '  namespace: {{ $.Release.Namespace | quote }}',
  '  labels:',
  '    {{- include "cno.sharedLabels" (dict "root" $ "component" "network-policy") | nindent 4 }}',
  'spec:',
  '  {{- toYaml $spec | nindent 2 }}',
  '{{- end }}',
  ...perService(
    'with $svc.networkPolicy',
    '{{- $ingress := default (list) .ingress }}',
    '{{- $egress := default (list) .egress }}',
    '{{- if and (eq $svc.kind "StatefulSet") (gt (int $svc.replicas) 1) }}',
    '{{- $peer := dict "podSelector" (dict "matchLabels" (include "cno.selectorLabels" $context | fromYaml)) }}',
    '{{- $ingress = append $ingress (dict "from" (list $peer)) }}',
    '{{- $egress = prepend $egress (dict "to" (list $peer)) }}',
    '{{- end }}',
    ...serviceObjectHead('networking.k8s.io/v1', 'NetworkPolicy'),
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      {{- include "cno.selectorLabels" $context | nindent 6 }}',
    '  {{- with omit . "podSelector" "ingress" "egress" }}',
    '  {{- toYaml . | nindent 2 }}',
    '  {{- end }}',
    '  ingress:',
    '    {{- toYaml $ingress | nindent 4 }}',
    '  egress:',
    '    {{- toYaml $egress | nindent 4 }}',
  ),
  '{{- end }}',
);

const INGRESS = file(
  '{{- /* services.<name>.ingress: the public host, TLS from the Secret tlsSecretName */}}',
  '{{- range $name, $svc := .Values.services }}',
  '{{- with $svc.ingress }}',
  '{{- if .enabled }}',
  CONTEXT,
  ...serviceObjectHead('networking.k8s.io/v1', 'Ingress'),
  '  {{- with .annotations }}',
  '  annotations:',
  '    {{- toYaml . | nindent 4 }}',
  '  {{- end }}',
  'spec:',
  '  {{- with .className }}',
  '  ingressClassName: {{ . | quote }}',
  '  {{- end }}',
  '  tls:',
  '    - hosts:',
  '        - {{ .host | quote }}',
  '      secretName: {{ default (printf "%s-tls" $name) .tlsSecretName | quote }}',
  '  rules:',
  '    - host: {{ .host | quote }}',
  '      http:',
  '        paths:',
  '          - path: /',
  '            pathType: Prefix',
  '            backend:',
  '              service:',
  '                name: {{ $name | quote }}',
  '                port:',
  '                  {{- /* a number, or a port name (names always have a letter) */}}',
  '                  {{- if not (regexMatch "^[0-9]+$" (toString .servicePort)) }}',
  '                  # Argo Rollouts writes the weighted ALB action for this name',
  '                  name: {{ .servicePort | quote }}',
  '                  {{- else }}',
  '                  number: {{ default 80 .servicePort | int }}',
  '                  {{- end }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
);

const NOTES = file(
  '{{ include "cno.name" . }} {{ .Chart.AppVersion }}: environment {{ .Values.environment }}, namespace {{ .Release.Namespace }}.',
  '',
  'Services:',
  '{{- range $name, $svc := .Values.services }}',
  '  - {{ $name }} ({{ $svc.kind }}){{ with $svc.ingress }}{{ if .enabled }}: https://{{ .host }}{{ end }}{{ end }}',
  '{{- end }}',
  '',
  'Watch the pods become ready:',
  '  kubectl -n {{ .Release.Namespace }} get pods -l app.kubernetes.io/part-of={{ include "cno.name" . }}',
  '{{- if .Values.tests.enabled }}',
  '',
  'Check that every Service answers:',
  '  helm test {{ .Release.Name }} -n {{ .Release.Namespace }} --logs',
  '{{- end }}',
  '{{- $rollouts := list }}',
  '{{- range $name, $svc := .Values.services }}{{ if eq $svc.kind "Rollout" }}{{ $rollouts = append $rollouts $name }}{{ end }}{{ end }}',
  '{{- with $rollouts }}',
  '',
  'Progressive delivery needs the Argo Rollouts controller; follow a rollout with:',
  '{{- range . }}',
  '  kubectl argo rollouts get rollout {{ . }} -n {{ $.Release.Namespace }} --watch',
  '{{- end }}',
  '{{- end }}',
  '{{- $secrets := false }}',
  '{{- range $name, $svc := .Values.services }}{{ if $svc.secrets }}{{ $secrets = true }}{{ end }}{{ end }}',
  '{{- if $secrets }}',
  '',
  'Secrets are synced by the External Secrets Operator from the {{ .Values.externalSecrets.secretStoreRef.kind }} {{ .Values.externalSecrets.secretStoreRef.name }}, which must exist in this cluster.',
  '{{- end }}',
  '',
  'Release and namespace: one release per namespace; object names are fixed (not prefixed with the release name).',
);

/**
 * The `metadata` of an object of `helm test`, up to its (open)
 * `annotations:`; inside the TEST_CONNECTION template, where $testName and
 * $labels are set.
 */
function testMetadata(nameExpression = '$testName'): string[] {
  return [
    'metadata:',
    `  name: {{ ${nameExpression} | quote }}`,
    '  namespace: {{ .Release.Namespace | quote }}',
    '  labels:',
    '    {{- toYaml $labels | nindent 4 }}',
    '  annotations:',
  ];
}

/** The head of a test hook deleted when the test succeeds (annotations $hook). */
function testHookHead(
  apiVersion: string,
  kind: string,
  nameExpression?: string,
): string[] {
  return [
    ...objectHead(apiVersion, kind, testMetadata(nameExpression)),
    '    {{- toYaml $hook | nindent 4 }}',
  ];
}

const TEST_CONNECTION = file(
  '{{- /*',
  '`helm test`: one container per Service, without a shell. A Service whose pods',
  'have an HTTP readiness probe on the "http" port is fetched (wget) at that',
  'path through the Service; any other Service (gRPC, TCP, no health path)',
  'must accept a TCP connection on its Service port (nc). The pod runs as its',
  'own ServiceAccount; with NetworkPolicies, and with',
  'the mesh authorization of tests.meshAuthorization (istio: an Istio',
  'AuthorizationPolicy; linkerd: a MeshTLSAuthentication and an',
  'AuthorizationPolicy on the namespace), more test hooks let this pod (and',
  'only it) reach the pods of the release; they are deleted when the test',
  'succeeds. Helm-only objects: the plain manifests have no equivalent.',
  '*/}}',
  '{{- if .Values.tests.enabled }}',
  '{{- $targets := list }}',
  '{{- range $name, $svc := .Values.services }}',
  '{{- if and $svc.service $svc.service.enabled }}',
  '{{- $targets = append $targets $name }}',
  '{{- end }}',
  '{{- end }}',
  '{{- if $targets }}',
  '{{- $testName := printf "%s-test-connection" (include "cno.fullname" .) }}',
  '{{- $selector := dict "app.kubernetes.io/name" $testName "app.kubernetes.io/part-of" (include "cno.name" .) }}',
  '{{- $labels := merge (dict "app.kubernetes.io/name" $testName) (include "cno.sharedLabels" (dict "root" $ "component" "helm-test") | fromYaml) }}',
  '{{- $hook := dict "helm.sh/hook" "test" "helm.sh/hook-weight" "-1" "helm.sh/hook-delete-policy" "before-hook-creation,hook-succeeded" }}',
  ...objectHead('v1', 'ServiceAccount', testMetadata()),
  '    {{- toYaml (merge (dict "helm.sh/hook-weight" "-2") $hook) | nindent 4 }}',
  'automountServiceAccountToken: false',
  '{{- if eq (toString .Values.tests.meshAuthorization) "istio" }}',
  ...testHookHead('security.istio.io/v1', 'AuthorizationPolicy'),
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      app.kubernetes.io/part-of: {{ include "cno.name" . | quote }}',
  '  action: ALLOW',
  '  rules:',
  '    - from:',
  '        - source:',
  '            principals:',
  '              - {{ printf "cluster.local/ns/%s/sa/%s" .Release.Namespace $testName | quote }}',
  '{{- else if eq (toString .Values.tests.meshAuthorization) "linkerd" }}',
  ...testHookHead('policy.linkerd.io/v1alpha1', 'MeshTLSAuthentication'),
  'spec:',
  '  identityRefs:',
  '    - kind: ServiceAccount',
  '      name: {{ $testName | quote }}',
  ...testHookHead('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy'),
  'spec:',
  '  targetRef:',
  '    kind: Namespace',
  '    name: {{ .Release.Namespace | quote }}',
  '  requiredAuthenticationRefs:',
  '    - group: policy.linkerd.io',
  '      kind: MeshTLSAuthentication',
  '      name: {{ $testName | quote }}',
  '{{- end }}',
  '{{- if and .Values.networkPolicies .Values.networkPolicies.enabled }}',
  ...testHookHead(
    'networking.k8s.io/v1',
    'NetworkPolicy',
    'printf "%s-egress" $testName',
  ),
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      {{- toYaml $selector | nindent 6 }}',
  '  policyTypes:',
  '    - Egress',
  '  egress:',
  '    - to:',
  '        - podSelector: {}',
  ...testHookHead(
    'networking.k8s.io/v1',
    'NetworkPolicy',
    'printf "%s-ingress" $testName',
  ),
  'spec:',
  '  podSelector:',
  '    matchLabels:',
  '      app.kubernetes.io/part-of: {{ include "cno.name" . | quote }}',
  '  policyTypes:',
  '    - Ingress',
  '  ingress:',
  '    - from:',
  '        - podSelector:',
  '            matchLabels:',
  '              {{- toYaml $selector | nindent 14 }}',
  '{{- end }}',
  ...objectHead('v1', 'Pod', testMetadata()),
  '    helm.sh/hook: test',
  '    # Kept after the run so that `helm test --logs` can read it',
  '    helm.sh/hook-delete-policy: before-hook-creation',
  '    {{- with .Values.tests.podAnnotations }}',
  '    {{- toYaml . | nindent 4 }}',
  '    {{- end }}',
  'spec:',
  '  serviceAccountName: {{ $testName | quote }}',
  '  restartPolicy: Never',
  '  automountServiceAccountToken: false',
  '  enableServiceLinks: false',
  '  securityContext:',
  '    runAsNonRoot: true',
  '    runAsUser: 65532',
  '    runAsGroup: 65532',
  '    seccompProfile:',
  '      type: RuntimeDefault',
  '  containers:',
  '    {{- range $name := $targets }}',
  '    {{- $svc := index $.Values.services $name }}',
  '    {{- $probe := dig "container" "readinessProbe" "httpGet" (dict) $svc }}',
  '    - name: {{ $name | quote }}',
  '      image: {{ $.Values.tests.image | quote }}',
  '      imagePullPolicy: IfNotPresent',
  '      {{- if and $probe.path (eq (toString $probe.port) "http") }}',
  '      command:',
  '        - wget',
  '        - -q',
  '        - -T',
  '        - "5"',
  '        - -O',
  '        - /dev/null',
  '        - {{ printf "http://%s:%d%s" $name (int $svc.service.port) $probe.path | quote }}',
  '      {{- else }}',
  '      command:',
  '        - nc',
  '        - -z',
  '        - -w',
  '        - "5"',
  '        - {{ $name | quote }}',
  '        - {{ $svc.service.port | int | toString | quote }}',
  '      {{- end }}',
  '      resources:',
  '        {{- toYaml $.Values.tests.resources | nindent 8 }}',
  '      securityContext:',
  '        allowPrivilegeEscalation: false',
  '        capabilities:',
  '          drop:',
  '            - ALL',
  '        privileged: false',
  '        readOnlyRootFilesystem: true',
  '        runAsNonRoot: true',
  '    {{- end }}',
  '{{- end }}',
  '{{- end }}',
);

/**
 * Every template of the chart, by path relative to the chart folder, one
 * file per object kind.
 */
export const CHART_TEMPLATES: ReadonlyArray<{ path: string; content: string }> =
  [
    { path: 'templates/_helpers.tpl', content: HELPERS },
    { path: 'templates/NOTES.txt', content: NOTES },
    { path: 'templates/priorityclass.yaml', content: PRIORITY_CLASS },
    { path: 'templates/networkpolicy.yaml', content: NETWORK_POLICY },
    { path: 'templates/serviceaccount.yaml', content: SERVICE_ACCOUNT },
    { path: 'templates/configmap.yaml', content: CONFIG_MAP },
    { path: 'templates/externalsecret.yaml', content: EXTERNAL_SECRET },
    { path: 'templates/service.yaml', content: SERVICE },
    { path: 'templates/analysistemplate.yaml', content: ANALYSIS_TEMPLATE },
    {
      path: 'templates/deployment.yaml',
      content: replicatedWorkload('apps/v1', 'Deployment'),
    },
    {
      path: 'templates/rollout.yaml',
      content: replicatedWorkload('argoproj.io/v1alpha1', 'Rollout'),
    },
    { path: 'templates/statefulset.yaml', content: STATEFUL_SET },
    { path: 'templates/daemonset.yaml', content: DAEMON_SET },
    { path: 'templates/job.yaml', content: JOB },
    { path: 'templates/cronjob.yaml', content: CRON_JOB },
    { path: 'templates/hpa.yaml', content: HPA },
    { path: 'templates/pdb.yaml', content: PDB },
    { path: 'templates/ingress.yaml', content: INGRESS },
    { path: 'templates/tests/test-connection.yaml', content: TEST_CONNECTION },
  ];
