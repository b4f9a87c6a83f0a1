export { CloudNativeClient } from './CloudNativeClient';
export { cloudNativeApiRef } from './types';
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
} from './types';
