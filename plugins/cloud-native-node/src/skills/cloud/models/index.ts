import { objectValidator, PackageValidators } from '../../../core/validators';
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
import { StrictIssue } from '../../../core/strict';
import { StrictModelRegistry } from '../../../core/strictSchema';

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
export function validateCloudCustomObject(object: unknown): StrictIssue[] {
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
 * What the cloud-kubernetes-integrator skill contributes to the package
 * validation: the strict models of its custom resources, and its IAM policy
 * and role documents (`cloud/<provider>/iam/<env>/*.json`), which go through
 * the validation's IAM wildcard check.
 */
export const cloudValidators: PackageValidators = {
  objects: [
    objectValidator(
      'cloud-custom-resources',
      object => cloudStrictModels.has(object.apiVersion, object.kind),
      validateCloudCustomObject,
    ),
  ],
  files: [
    {
      name: 'aws-iam-documents',
      appliesTo: path => /\/iam\/.*\.json$/.test(path),
      format: 'json',
      parseRuleId: 'serverless/parse',
      iamPolicies: true,
    },
  ],
};

export {
  POD_MONITORING_API_VERSION,
  AZURE_SERVICE_MONITOR_API_VERSION,
  durationSeconds,
};
export type { PodMonitoring };
