import { z } from 'zod';
import { architectureSpecSchema } from './spec/schema';
import { deploymentReportSchema } from './report/schema';

/**
 * JSON Schema (draft 2020-12) of the architecture spec, for editors
 * (`# yaml-language-server: $schema=...`) and form generators.
 *
 * @public
 */
export function architectureJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://cloud-native.backstage.io/schemas/architecture-v1alpha1.json',
    title: 'Architecture (cloud-native.backstage.io/v1alpha1)',
    ...z.toJSONSchema(architectureSpecSchema, { io: 'input' }),
  };
}

/**
 * JSON Schema of `deployment-report.yaml`.
 *
 * @public
 */
export function deploymentReportJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://cloud-native.backstage.io/schemas/deployment-report-v1alpha1.json',
    title: 'Deployment report (cloud-native.backstage.io/v1alpha1)',
    ...z.toJSONSchema(deploymentReportSchema, { io: 'output' }),
  };
}
