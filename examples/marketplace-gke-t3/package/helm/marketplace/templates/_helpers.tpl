{{/*
Helpers of the chart.

Object names are fixed: `<service>` and `<service>-<suffix>`, never
prefixed with the release name, as if `fullnameOverride` were set. The chart
therefore renders exactly the objects of the plain manifests in
kubernetes/<env>/ but the Namespace, and a release fills a whole namespace:
install one release per namespace (and cluster/environment), into the
namespace that namespace/<env> created (a release cannot own the namespace
it is stored in):

  kubectl apply --server-side -k namespace/<env>
  helm upgrade --install <chart> <chart-dir> -n <namespace> -f <chart-dir>/values-<env>.yaml

Labels follow the manifests (app.kubernetes.io/managed-by stays
cloud-native-orchestrator, so switching between the manifests and the chart
changes no label); Helm tracks ownership with its own annotations. Objects
also get helm.sh/chart; pod templates do not, so a chart version bump alone
does not restart pods.
*/}}

{{/* The application name: the chart name, which is the plan name. */}}
{{- define "cno.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The full name: fixed (not derived from .Release.Name), see above. */}}
{{- define "cno.fullname" -}}
{{- include "cno.name" . -}}
{{- end -}}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "cno.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Selector labels of a service: only labels that never change, because
workload selectors are immutable. Argument: dict "root" $ "name" <service>.
*/}}
{{- define "cno.selectorLabels" -}}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/part-of: {{ include "cno.name" .root | quote }}
{{- end -}}

{{/* The image tag as a label value (at most 63 characters, alphanumeric ends). */}}
{{- define "cno.versionLabel" -}}
{{- $tag := toString (default "" .tag) | trunc 63 -}}
{{- regexReplaceAll "^[^A-Za-z0-9]+" (regexReplaceAll "[^A-Za-z0-9]+$" $tag "") "" -}}
{{- end -}}

{{/*
Standard labels of the pods of a service.
Argument: dict "root" $ "name" <service> "svc" <its values>.
*/}}
{{- define "cno.podLabels" -}}
{{ include "cno.selectorLabels" . }}
app.kubernetes.io/instance: {{ regexReplaceAll "-+$" (printf "%s-%s" (include "cno.fullname" .root) .name | trunc 63) "" | quote }}
app.kubernetes.io/component: {{ .svc.component | quote }}
app.kubernetes.io/managed-by: cloud-native-orchestrator
{{- with include "cno.versionLabel" .svc.image }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
cloud-native.backstage.io/environment: {{ .root.Values.environment | quote }}
{{- end -}}

{{/* Labels of the objects of a service: the pod labels and helm.sh/chart. */}}
{{- define "cno.labels" -}}
{{ include "cno.podLabels" . }}
helm.sh/chart: {{ include "cno.chart" .root | quote }}
{{- end -}}

{{/* Labels of namespace-wide objects. Argument: dict "root" $ "component" <what>. */}}
{{- define "cno.sharedLabels" -}}
app.kubernetes.io/name: {{ include "cno.name" .root | quote }}
app.kubernetes.io/instance: {{ include "cno.fullname" .root | quote }}
app.kubernetes.io/part-of: {{ include "cno.name" .root | quote }}
app.kubernetes.io/component: {{ .component | quote }}
app.kubernetes.io/managed-by: cloud-native-orchestrator
cloud-native.backstage.io/environment: {{ .root.Values.environment | quote }}
helm.sh/chart: {{ include "cno.chart" .root | quote }}
{{- end -}}

{{/* An image reference from repository, tag and digest. */}}
{{- define "cno.image" -}}
{{- .repository -}}
{{- with .tag }}:{{ . }}{{ end -}}
{{- with .digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/*
The pod template of a service: labels, pod annotations with the config
hash, `pod` (pod spec fields), the computed anti-affinity of replicated
StatefulSets, and the app container from image/port/config/secrets/
resources plus `container` (other container fields).
Argument: dict "root" $ "name" <service> "svc" <its values>.
*/}}
{{- define "cno.podTemplate" -}}
{{- $svc := .svc -}}
metadata:
  labels:
    {{- include "cno.podLabels" . | nindent 4 }}
  {{- $annotations := deepCopy (default (dict) $svc.podAnnotations) }}
  {{- if $svc.config }}
  {{- /* envFrom is read at container start: a new hash rolls the pods when the config changes */}}
  {{- $_ := set $annotations "cloud-native.backstage.io/config-hash" ($svc.config | toRawJson | sha256sum | trunc 16) }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ .name | quote }}
  {{- with omit (default (dict) $svc.pod) "serviceAccountName" "containers" "affinity" }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- $affinity := dig "pod" "affinity" (dict) $svc }}
  {{- if and (not $affinity) (eq $svc.kind "StatefulSet") (gt (int $svc.replicas) 1) }}
  {{- /* Two replicas of a data store on one node fail together: one per node */}}
  {{- $selector := include "cno.selectorLabels" . | fromYaml }}
  {{- $term := dict "labelSelector" (dict "matchLabels" $selector) "topologyKey" "kubernetes.io/hostname" }}
  {{- $affinity = dict "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
  {{- end }}
  {{- with $affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .name | quote }}
      image: {{ include "cno.image" $svc.image | quote }}
      imagePullPolicy: {{ default "IfNotPresent" $svc.image.pullPolicy | quote }}
      {{- with $svc.port }}
      ports:
        {{- /* named after the protocol: meshes and probes use the name */}}
        - name: {{ default "http" $svc.protocol | quote }}
          containerPort: {{ . | int }}
          protocol: TCP
      {{- end }}
      {{- if or $svc.config $svc.secrets }}
      envFrom:
        {{- if $svc.config }}
        - configMapRef:
            name: {{ printf "%s-config" .name | quote }}
        {{- end }}
        {{- if $svc.secrets }}
        - secretRef:
            name: {{ printf "%s-secrets" .name | quote }}
        {{- end }}
      {{- end }}
      resources:
        {{- toYaml $svc.resources | nindent 8 }}
      {{- with omit (default (dict) $svc.container) "name" "image" "imagePullPolicy" "ports" "envFrom" "resources" }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
{{- end -}}
