import {
  DURATION,
  LABEL_SELECTOR,
  resourceSchema,
  Schema,
} from '../../../core/strictSchema';

/**
 * Azure Monitor managed Prometheus `ServiceMonitor`
 * (`azmonitoring.coreos.com/v1`), the fields this package emits.
 *
 * Source: Azure Monitor documentation, "Customize collection using CRDs
 * (Service and Pod Monitors)": the add-on's CRDs are the Prometheus
 * Operator's `monitoring.coreos.com/v1` ServiceMonitor/PodMonitor with
 * another group, and its templates set `labelLimit: 63`,
 * `labelNameLengthLimit: 511`, `labelValueLengthLimit: 1023`. The field
 * types follow the Prometheus Operator CRD (`spec.selector` and
 * `spec.endpoints` required; `endpoints[].port` a Service port name;
 * `relabelings[].action` from its enum).
 */

export const AZURE_SERVICE_MONITOR_API_VERSION = 'azmonitoring.coreos.com/v1';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
] as const;

const ENDPOINT: Schema = {
  type: 'object',
  properties: {
    port: { type: 'string', minLength: 1 },
    path: { type: 'string', pattern: /^\// },
    scheme: { type: 'string', enum: ['http', 'https'] },
    interval: { type: 'string', pattern: DURATION },
    scrapeTimeout: { type: 'string', pattern: DURATION },
    relabelings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          action: {
            type: 'string',
            enum: [
              ...RELABEL_ACTIONS,
              ...RELABEL_ACTIONS.map(a => a[0].toUpperCase() + a.slice(1)),
            ],
          },
          sourceLabels: {
            type: 'array',
            items: { type: 'string', pattern: LABEL_NAME },
          },
          regex: { type: 'string' },
          targetLabel: { type: 'string' },
          replacement: { type: 'string' },
          separator: { type: 'string' },
        },
      },
    },
  },
};

const LIMIT: Schema = { type: 'integer', minimum: 0 };

export const AZURE_SERVICE_MONITOR_SCHEMA: Schema = resourceSchema(
  AZURE_SERVICE_MONITOR_API_VERSION,
  'ServiceMonitor',
  {
    type: 'object',
    required: ['selector', 'endpoints'],
    properties: {
      selector: LABEL_SELECTOR,
      endpoints: { type: 'array', items: ENDPOINT, minItems: 1 },
      namespaceSelector: {
        type: 'object',
        properties: {
          any: { type: 'boolean' },
          matchNames: { type: 'array', items: { type: 'string' } },
        },
      },
      jobLabel: { type: 'string' },
      labelLimit: LIMIT,
      labelNameLengthLimit: LIMIT,
      labelValueLengthLimit: LIMIT,
    },
  },
  { namespaced: true },
);
