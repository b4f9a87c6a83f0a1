export { CloudNativeClient } from './CloudNativeClient';
export { cloudNativeApiRef } from './types';
export type {
  CloudNativeApi,
  CloudNativeEntityRef,
  CloudNativeReport,
  CloudNativeReportResponse,
  ReportHistoryResponse,
  RevalidationResponse,
} from './types';
