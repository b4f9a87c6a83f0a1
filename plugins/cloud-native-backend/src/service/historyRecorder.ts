import { DeploymentReport } from '@internal/backstage-plugin-cloud-native-common';
import { ReportStore } from '../database';
import { LocalCache } from './LocalCache';
import { summarizeReport } from './parseReport';

/**
 * History rows this process has recorded (inserted, or found there already)
 * and how long it remembers them: serving the same report again does not
 * write to the database on every request. After that time, or if the
 * process forgets a row because of the bound, the next read records it
 * again (a no-op insert when the row is there).
 */
const RECORDED_MAX_ENTRIES = 10_000;
const RECORDED_TTL_MS = 10 * 60 * 1000;

/** Records a report served for an entity in its history. */
export type RecordHistory = (
  entityRef: string,
  report: DeploymentReport,
  reportDigest: string,
) => Promise<void>;

/**
 * History keeps distinct reports only (insert-or-ignore on spec digest +
 * report digest), so recording a report seen before is a no-op; one this
 * process recorded recently is not even sent to the database (see
 * RECORDED_TTL_MS).
 */
export function createHistoryRecorder(store: ReportStore): RecordHistory {
  const recorded = new LocalCache<true>(RECORDED_MAX_ENTRIES);
  return async (entityRef, report, reportDigest) => {
    const key = JSON.stringify([
      entityRef.toLocaleLowerCase('en-US'),
      report.metadata.specDigest,
      reportDigest,
    ]);
    if (recorded.get(key)) {
      return;
    }
    await store.recordReport({
      entityRef,
      specDigest: report.metadata.specDigest,
      reportDigest,
      ...summarizeReport(report),
    });
    recorded.set(key, true, RECORDED_TTL_MS);
  };
}
