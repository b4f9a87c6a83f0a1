import {
  DURATION,
  LABEL_SELECTOR,
  resourceSchema,
  Schema,
} from '../../../core/strictSchema';

/**
 * Google Cloud Managed Service for Prometheus `PodMonitoring`
 * (`monitoring.googleapis.com/v1`), the fields this package emits.
 *
 * Source: the CRD `podmonitorings.monitoring.googleapis.com`, version v1, of
 * GoogleCloudPlatform/prometheus-engine
 * (`charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml`):
 * `spec.selector` and `spec.endpoints` (1 to 10 items) are required; each
 * endpoint requires `port` (int-or-string, non-empty) and `interval` (a
 * Prometheus duration); `scheme` is `http` or `https`; `timeout` must not be
 * longer than `interval` (a CEL rule, checked here too).
 */

export const POD_MONITORING_API_VERSION = 'monitoring.googleapis.com/v1';

export interface PodMonitoringEndpoint {
  port: string | number;
  interval: string;
  path?: string;
  scheme?: 'http' | 'https';
  timeout?: string;
}

export interface PodMonitoring {
  apiVersion: typeof POD_MONITORING_API_VERSION;
  kind: 'PodMonitoring';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
  };
  spec: {
    selector: { matchLabels: Record<string, string> };
    endpoints: PodMonitoringEndpoint[];
    filterRunning?: boolean;
  };
}

const ENDPOINT: Schema = {
  type: 'object',
  required: ['port', 'interval'],
  properties: {
    port: { type: 'intOrString', minLength: 1 },
    interval: { type: 'string', pattern: DURATION },
    path: { type: 'string', pattern: /^\// },
    scheme: { type: 'string', enum: ['http', 'https'] },
    timeout: { type: 'string', pattern: DURATION },
  },
};

export const POD_MONITORING_SCHEMA: Schema = resourceSchema(
  POD_MONITORING_API_VERSION,
  'PodMonitoring',
  {
    type: 'object',
    required: ['selector', 'endpoints'],
    properties: {
      selector: LABEL_SELECTOR,
      endpoints: { type: 'array', items: ENDPOINT, minItems: 1, maxItems: 10 },
      filterRunning: { type: 'boolean' },
    },
  },
  { namespaced: true },
);

/** Seconds of a Prometheus duration (`1m30s` → 90). */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
  };
  let total = 0;
  for (const match of duration.matchAll(/([0-9.]+)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]];
  }
  return total;
}
