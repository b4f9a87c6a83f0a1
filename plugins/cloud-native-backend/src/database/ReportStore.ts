import { ReportHistoryItem } from '@internal/backstage-plugin-cloud-native-common';

/**
 * A report to record for an entity.
 *
 * @internal
 */
export interface NewReportHistoryItem
  extends Omit<ReportHistoryItem, 'id' | 'recordedAt'> {
  entityRef: string;
  /** Defaults to now */
  recordedAt?: Date;
}

/**
 * Keeps the history of deployment reports per entity.
 *
 * @internal
 */
export interface ReportStore {
  /**
   * Records a report, unless the entity already has one with the same spec
   * digest and report digest (then nothing changes: the history lists
   * distinct reports, first seen first).
   */
  recordReport(item: NewReportHistoryItem): Promise<void>;

  /** The entity's reports, newest first. */
  listHistory(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ReportHistoryItem[]>;
}
