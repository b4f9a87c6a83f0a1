/**
 * The Cloud-Native Deployment Orchestrator frontend plugin.
 *
 * Legacy frontend system: import from this entry point.
 * New frontend system: import the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  cloudNativePlugin,
  EntityCloudNativeCard,
  EntityCloudNativeContent,
} from './plugin';
export type { EntityCloudNativeCardProps } from './components/EntityCloudNativeCard';
export { isCloudNativeAvailable } from './lib/conditions';
export { CloudNativeClient, cloudNativeApiRef } from './api';
export type {
  CloudNativeApi,
  CloudNativeEntityRef,
  CloudNativeReport,
  CloudNativeReportResponse,
  CostLine,
  EstimatedCosts,
  ReportDrift,
  ReportHistoryItem,
  ReportHistoryResponse,
  RevalidationResponse,
  ToolCheck,
  ValidationAreaStatus,
  ValidationResults,
} from './api';
export * from './scaffolder';
