import { Finding } from '@internal/backstage-plugin-cloud-native-common';
import { ManifestFile } from '../engine/types';
import {
  createKubernetesSchemaValidator,
  KubernetesSchemaValidator,
} from './schema';

let sharedValidator: Promise<KubernetesSchemaValidator> | undefined;

/** The schema registry is built once per process (it is read-only). */
function schemaValidator(): Promise<KubernetesSchemaValidator> {
  sharedValidator ??= createKubernetesSchemaValidator();
  return sharedValidator;
}

/**
 * Result of validating a package: findings, and the status per area.
 *
 * @public
 */
export interface PackageValidation {
  findings: Finding[];
  /** Number of Kubernetes objects checked against the strict schemas */
  objectsChecked: number;
}

/**
 * Validates generated manifests: every object against the Kubernetes schemas
 * (CRDs included) and the strict unknown-field check, plus duplicate objects.
 *
 * @public
 */
export async function validateManifests(
  manifests: ReadonlyArray<ManifestFile>,
): Promise<PackageValidation> {
  const validator = await schemaValidator();
  const findings: Finding[] = [];
  let objectsChecked = 0;
  const seen = new Map<string, string>();
  for (const manifest of manifests) {
    for (const object of manifest.objects) {
      objectsChecked++;
      for (const finding of validator.validate(object)) {
        findings.push({
          ruleId: finding.ruleId,
          severity: finding.severity,
          file: manifest.path,
          objectPath: `${finding.kind}/${finding.name}: ${finding.objectPath}`,
          message: finding.message,
          anchors: ['kubeconform-strict'],
        });
      }
      const id = `${manifest.environment}|${object.apiVersion.split('/')[0]}|${
        object.kind
      }|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
      const previous = seen.get(id);
      if (previous) {
        findings.push({
          ruleId: 'package/duplicate-object',
          severity: 'error',
          file: manifest.path,
          objectPath: `${object.kind}/${object.metadata.name}`,
          message: `${object.kind} ${object.metadata.name} is also defined in ${previous}`,
          anchors: [],
        });
      } else {
        seen.set(id, manifest.path);
      }
    }
  }
  return { findings, objectsChecked };
}
