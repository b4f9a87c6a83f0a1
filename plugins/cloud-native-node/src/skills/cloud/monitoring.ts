import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  DeploymentPlan,
  ServicePlan,
} from '@internal/backstage-plugin-cloud-native-common';
import { KubernetesObject } from '../../core/types';
import { selectorLabels, serviceLabels, sharedLabels } from '../../plan/labels';
import { asObject } from '../../core/serialize';
import { COLLECTOR_NAMESPACES } from './context';
import { ManagedProvider } from '../../plan/names';
import { AZURE_SERVICE_MONITOR_API_VERSION } from './models/azureServiceMonitor';
import {
  POD_MONITORING_API_VERSION,
  PodMonitoring,
} from './models/podMonitoring';

/**
 * Monitoring from T3 (tier feature `observability`).
 *
 * - Prometheus Operator, every provider: a `ServiceMonitor` per scraped
 *   service (selector = the service's selector labels, endpoint port `http`,
 *   `/metrics`) and one `PrometheusRule` with multi-window, multi-burn-rate
 *   SLO alerts (Google SRE workbook, chapter 5) and a p99 latency alert.
 * - GKE: Managed Service for Prometheus `PodMonitoring` (its managed
 *   collectors do not read ServiceMonitors).
 * - AKS: Azure Monitor managed Prometheus (`ama-metrics`) reads only its own
 *   CRD group `azmonitoring.coreos.com/v1` (same schema as
 *   `monitoring.coreos.com/v1`, different group), so the ServiceMonitors are
 *   also written in that group.
 * - A NetworkPolicy letting the collectors' namespaces reach the metrics port
 *   (every namespace is default-deny from T2).
 *
 * With Istio (STRICT mTLS from T2, `allow-nothing` AuthorizationPolicy), a
 * Prometheus outside the mesh cannot scrape the app port in plaintext: the
 * PodMonitorings scrape Istio's merged endpoint (15020, `/stats/prometheus`)
 * and the README says how to give the Prometheus Operator's Prometheus
 * Istio certificates. Linkerd authorizes `GET /metrics` itself (mesh skill).
 */

/** Availability objective of every scraped service (99.9 %). */
export const AVAILABILITY_OBJECTIVE = 0.999;
/** p99 latency objective, seconds. */
export const LATENCY_P99_SECONDS = 0.5;
const SCRAPE_INTERVAL = '30s';
const SCRAPE_TIMEOUT = '10s';
export const METRICS_PATH = '/metrics';
/** The named Service port every ClusterIP Service of the kubernetes skill has. */
const METRICS_PORT = 'http';

/** Istio's merged Prometheus endpoint (istio-agent, not intercepted). */
const ISTIO_MERGED_METRICS = {
  port: 15020,
  path: '/stats/prometheus',
} as const;

/** Azure managed Prometheus CRD group (see the module comment). */
export const AZURE_MONITOR_API_VERSION = AZURE_SERVICE_MONITOR_API_VERSION;
/** Label limits the Azure Monitor ServiceMonitor templates require. */
const AZURE_LABEL_LIMITS = {
  labelLimit: 63,
  labelNameLengthLimit: 511,
  labelValueLengthLimit: 1023,
};

export function prometheusRuleName(plan: DeploymentPlan): string {
  return `${plan.name}-slo`;
}

const SCRAPE_POLICY_NAME = 'allow-metrics-scrape';

/**
 * What the per-service monitors (ServiceMonitor, PodMonitoring) share: named
 * after the service, with its labels, selecting its pods' labels.
 */
function monitorTarget(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environment: string,
) {
  return {
    metadata: {
      name: servicePlan.name,
      namespace: plan.namespace,
      labels: serviceLabels(plan, servicePlan, environment),
    },
    selector: { matchLabels: selectorLabels(plan, servicePlan.name) },
  };
}

/**
 * A ServiceMonitor selecting the Service `<svc>`. The selector labels also
 * match `<svc>-preview` / `<svc>-headless` (same labels), which point at the
 * same pods: the `keep` relabeling scrapes each pod once, through `<svc>`.
 */
export function serviceMonitor(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environment: string,
): KubernetesObject {
  const { metadata, selector } = monitorTarget(plan, servicePlan, environment);
  const object: IServiceMonitor & { metadata: { name: string } } = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata,
    spec: {
      selector,
      endpoints: [
        {
          port: METRICS_PORT,
          path: METRICS_PATH,
          interval: SCRAPE_INTERVAL,
          scrapeTimeout: SCRAPE_TIMEOUT,
          relabelings: [
            {
              action: 'keep',
              sourceLabels: ['__meta_kubernetes_service_name'],
              regex: servicePlan.name,
            },
          ],
        },
      ],
    },
  };
  return asObject(object);
}

/** The same ServiceMonitor in Azure Monitor's CRD group. */
export function azureServiceMonitor(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environment: string,
): KubernetesObject {
  const base = serviceMonitor(plan, servicePlan, environment);
  return {
    ...base,
    apiVersion: AZURE_MONITOR_API_VERSION,
    spec: {
      ...AZURE_LABEL_LIMITS,
      ...(base.spec as IServiceMonitor['spec']),
    },
  };
}

/** A GKE Managed Service for Prometheus PodMonitoring of one service. */
export function podMonitoring(
  plan: DeploymentPlan,
  servicePlan: ServicePlan,
  environment: string,
): KubernetesObject {
  const { metadata, selector } = monitorTarget(plan, servicePlan, environment);
  const object: PodMonitoring = {
    apiVersion: POD_MONITORING_API_VERSION,
    kind: 'PodMonitoring',
    metadata,
    spec: {
      selector,
      endpoints: [
        plan.mesh === 'istio'
          ? {
              // Istio metrics merging: the sidecar agent serves the app's
              // and Envoy's metrics on 15020, outside mTLS interception
              // (STRICT PeerAuthentication would refuse a plaintext scrape
              // of the app port).
              port: ISTIO_MERGED_METRICS.port,
              path: ISTIO_MERGED_METRICS.path,
              interval: SCRAPE_INTERVAL,
              timeout: SCRAPE_TIMEOUT,
            }
          : {
              // The container port is also named `http` (kubernetes skill).
              port: METRICS_PORT,
              path: METRICS_PATH,
              interval: SCRAPE_INTERVAL,
              timeout: SCRAPE_TIMEOUT,
            },
      ],
    },
  };
  return object as unknown as KubernetesObject;
}

const WINDOWS = ['5m', '30m', '1h', '6h'] as const;

function errorRatioRecord(window: string): string {
  return `service:http_requests_errors:ratio_rate${window}`;
}

const LATENCY_RECORD = 'service:http_request_duration_seconds:p99_rate5m';

/**
 * A multi-window burn-rate alert: the error ratio over both windows (long,
 * short) above `threshold`, i.e. `factor` times the error budget.
 */
function burnRateAlert(options: {
  alert: string;
  windows: [long: string, short: string];
  factor: string;
  threshold: number;
  for: string;
  severity: 'critical' | 'warning';
  objective: string;
  budgetGoneIn: string;
}) {
  const { threshold, objective } = options;
  const [long, short] = options.windows;
  return {
    alert: options.alert,
    expr: `${errorRatioRecord(long)} > ${threshold} and ${errorRatioRecord(
      short,
    )} > ${threshold}`,
    for: options.for,
    labels: { severity: options.severity, slo: 'availability' },
    annotations: {
      summary: `{{ $labels.service }} burns its ${objective} availability error budget ${options.factor}x too fast`,
      description: `5xx ratio over ${long} and ${short} above ${threshold} ({{ $value | humanizePercentage }}): at this rate the 30-day budget is gone in ${options.budgetGoneIn}.`,
    },
  };
}

/**
 * SLO rules of the scraped services: error-ratio recording rules per window,
 * then page on a fast burn (14.4× the budget over 1 h and 5 m: 2 % of a
 * 30-day budget in an hour) and ticket on a slow burn (6× over 6 h and
 * 30 m), and warn when p99 latency exceeds the objective for 10 minutes.
 * Metric names follow the kubernetes skill's AnalysisTemplates
 * (`http_requests_total{code}`, the `service` label added by the
 * ServiceMonitor) plus the conventional `http_request_duration_seconds`
 * histogram.
 */
export function prometheusRule(
  plan: DeploymentPlan,
  services: ServicePlan[],
  environment: string,
): KubernetesObject {
  const selector = `namespace="${plan.namespace}",service=~"${services
    .map(s => s.name)
    .join('|')}"`;
  const budget = Number((1 - AVAILABILITY_OBJECTIVE).toFixed(6));
  const fast = Number((14.4 * budget).toFixed(6));
  const slow = Number((6 * budget).toFixed(6));
  const objective = `${(AVAILABILITY_OBJECTIVE * 100).toFixed(1)}%`;
  const object: IPrometheusRule & { metadata: { name: string } } = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: prometheusRuleName(plan),
      namespace: plan.namespace,
      labels: sharedLabels(plan, 'monitoring', environment),
    },
    spec: {
      groups: [
        {
          name: `${plan.name}-slo-recording`,
          interval: SCRAPE_INTERVAL,
          rules: [
            ...WINDOWS.map(window => ({
              record: errorRatioRecord(window),
              expr: `sum by (namespace, service) (rate(http_requests_total{${selector},code=~"5.."}[${window}])) / sum by (namespace, service) (rate(http_requests_total{${selector}}[${window}]))`,
            })),
            {
              record: LATENCY_RECORD,
              expr: `histogram_quantile(0.99, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{${selector}}[5m])))`,
            },
          ],
        },
        {
          name: `${plan.name}-slo-alerts`,
          rules: [
            burnRateAlert({
              alert: 'ErrorBudgetFastBurn',
              windows: ['1h', '5m'],
              factor: '14.4',
              threshold: fast,
              for: '2m',
              severity: 'critical',
              objective,
              budgetGoneIn: 'about 2 days',
            }),
            burnRateAlert({
              alert: 'ErrorBudgetSlowBurn',
              windows: ['6h', '30m'],
              factor: '6',
              threshold: slow,
              for: '15m',
              severity: 'warning',
              objective,
              budgetGoneIn: '5 days',
            }),
            {
              alert: 'LatencyP99High',
              expr: `${LATENCY_RECORD} > ${LATENCY_P99_SECONDS}`,
              for: '10m',
              labels: { severity: 'warning', slo: 'latency' },
              annotations: {
                summary: `{{ $labels.service }} p99 latency above ${LATENCY_P99_SECONDS}s`,
                description:
                  'p99 of http_request_duration_seconds over 5m is {{ $value | humanizeDuration }}.',
              },
            },
          ],
        },
      ],
    },
  };
  return asObject(object);
}

/**
 * Lets the collectors' namespaces reach the container ports of the scraped
 * pods (the namespace is default-deny from T2).
 */
export function scrapeNetworkPolicy(
  plan: DeploymentPlan,
  provider: ManagedProvider,
  services: ServicePlan[],
  environment: string,
): KubernetesObject {
  const ports = [
    ...new Set([
      ...services.map(s => s.service.port!).filter(p => p !== undefined),
      ...(plan.mesh === 'istio' ? [ISTIO_MERGED_METRICS.port] : []),
    ]),
  ].sort((a, b) => a - b);
  const object: INetworkPolicy & { metadata: { name: string } } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: SCRAPE_POLICY_NAME,
      namespace: plan.namespace,
      labels: sharedLabels(plan, 'network-policy', environment),
    },
    spec: {
      podSelector: {
        matchExpressions: [
          {
            key: 'app.kubernetes.io/name',
            operator: 'In',
            values: services.map(s => s.name),
          },
          {
            key: 'app.kubernetes.io/part-of',
            operator: 'In',
            values: [plan.name],
          },
        ],
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [
                  {
                    key: 'kubernetes.io/metadata.name',
                    operator: 'In',
                    values: COLLECTOR_NAMESPACES[provider],
                  },
                ],
              },
            },
          ],
          ports: ports.map(port => ({ protocol: 'TCP', port })),
        },
      ],
    },
  };
  return asObject(object);
}
