export { CloudNativeClient } from './CloudNativeClient';
export { cloudNativeApiRef } from './types';
export type {
  CloudNativeApi,
  CloudNativeEntityRef,
  CloudNativeReport,
  CloudNativeReportResponse,
  ReportDrift,
  ReportHistoryItem,
  ReportHistoryResponse,
  RevalidationResponse,
} from './types';
