export { DatabaseReportStore, MAX_HISTORY_ITEMS } from './DatabaseReportStore';
export type { NewReportHistoryItem, ReportStore } from './ReportStore';
