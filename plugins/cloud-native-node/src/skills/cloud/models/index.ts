import type { ExtraObjectValidator } from '../../../validation/extraValidators';
import { KubernetesObject } from '../../../core/types';
import {
  AZURE_SERVICE_MONITOR_API_VERSION,
  AZURE_SERVICE_MONITOR_SCHEMA,
} from './azureServiceMonitor';
import {
  durationSeconds,
  POD_MONITORING_API_VERSION,
  POD_MONITORING_SCHEMA,
  PodMonitoring,
} from './podMonitoring';
import { StrictFinding, StrictModelRegistry } from './strictSchema';

/**
 * The strict models of the custom resources the cloud skill emits that the
 * shared schema validator has no model for.
 */
export const cloudStrictModels = new StrictModelRegistry()
  .register(POD_MONITORING_API_VERSION, 'PodMonitoring', POD_MONITORING_SCHEMA)
  .register(
    AZURE_SERVICE_MONITOR_API_VERSION,
    'ServiceMonitor',
    AZURE_SERVICE_MONITOR_SCHEMA,
  );

/**
 * Strict findings of a PodMonitoring or Azure Monitor ServiceMonitor,
 * including the PodMonitoring CRD's CEL rule `timeout <= interval`.
 */
export function validateCloudCustomObject(object: unknown): StrictFinding[] {
  const findings = cloudStrictModels.validate(object);
  const record = object as Partial<PodMonitoring>;
  const endpoints = record?.spec?.endpoints;
  if (
    findings.length === 0 &&
    record.kind === 'PodMonitoring' &&
    Array.isArray(endpoints)
  ) {
    endpoints.forEach((endpoint, index) => {
      if (
        endpoint.timeout &&
        durationSeconds(endpoint.timeout) > durationSeconds(endpoint.interval)
      ) {
        findings.push({
          path: `spec.endpoints[${index}].timeout`,
          message: `spec.endpoints[${index}].timeout must not be greater than the scrape interval`,
        });
      }
    });
  }
  return findings;
}

/**
 * Validators for the package validation's `extraObjectValidators`
 * (`src/validation/extraValidators.ts`).
 */
export const cloudObjectValidators: ExtraObjectValidator[] = [
  {
    handles: (object: KubernetesObject) =>
      cloudStrictModels.has(object.apiVersion, object.kind),
    validate: (object: KubernetesObject) => validateCloudCustomObject(object),
  },
];

export {
  POD_MONITORING_API_VERSION,
  AZURE_SERVICE_MONITOR_API_VERSION,
  durationSeconds,
};
export type { PodMonitoring };
