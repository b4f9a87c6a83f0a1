/**
 * One distinct deployment report seen for an entity, as the history endpoint
 * returns it.
 *
 * @public
 */
export interface ReportHistoryItem {
  id: number;
  /** ISO 8601, when this report was first seen */
  recordedAt: string;
  specDigest: string;
  /** sha256 (hex) of the report text */
  reportDigest: string;
  validationStatus: 'pass' | 'fail';
  /** Findings of severity error */
  errors: number;
  /** Findings of severity warning */
  warnings: number;
  /** `estimated_costs.monthly` of the report, null when not priced */
  monthlyCost: number | null;
}

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
