/**
 * What the backend's history and revalidation endpoints answer about a
 * report, shared by the backend that computes it and the frontend that shows
 * it.
 */

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
 * How the package in the repository differs from what its report describes.
 *
 * @public
 */
export interface ReportDrift {
  /** Files in the package that the report does not list */
  filesAdded: string[];
  /** Files the report lists that are gone */
  filesRemoved: string[];
  /** Files whose sha256 differs from the report's */
  filesModified: string[];
  /** The validation status or a validation result changed */
  validationChanged: boolean;
  /** Monthly cost now minus the report's (unpriced counts as 0), in cents precision */
  costDelta: number;
}

/**
 * The drift of a package that is what its report describes.
 *
 * @public
 */
export const NO_DRIFT: Readonly<ReportDrift> = Object.freeze({
  filesAdded: [],
  filesRemoved: [],
  filesModified: [],
  validationChanged: false,
  costDelta: 0,
});

/**
 * Whether nothing drifted: no file added, removed or modified, the same
 * validation result and the same cost.
 *
 * @public
 */
export function isNoDrift(drift: ReportDrift): boolean {
  return (
    drift.filesAdded.length === 0 &&
    drift.filesRemoved.length === 0 &&
    drift.filesModified.length === 0 &&
    !drift.validationChanged &&
    drift.costDelta === 0
  );
}
