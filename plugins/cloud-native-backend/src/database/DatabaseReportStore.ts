import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ReportHistoryItem } from '@internal/backstage-plugin-cloud-native-common';
import { NewReportHistoryItem, ReportStore } from './ReportStore';

const migrationsDir = resolvePackagePath(
  '@internal/backstage-plugin-cloud-native-backend',
  'migrations',
);

const TABLE = 'cloud_native_report_history';

/** The most history items one call returns. */
export const MAX_HISTORY_ITEMS = 500;

/** @internal */
export type ReportHistoryRow = {
  id: number;
  entity_ref: string;
  recorded_at: Date | string | number;
  spec_digest: string;
  report_digest: string;
  validation_status: string;
  errors: number;
  warnings: number;
  monthly_cost: number | string | null;
};

/**
 * The knex implementation of {@link ReportStore} (SQLite and PostgreSQL).
 *
 * @internal
 */
export class DatabaseReportStore implements ReportStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseReportStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseReportStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async recordReport(item: NewReportHistoryItem): Promise<void> {
    await this.db<ReportHistoryRow>(TABLE)
      .insert({
        entity_ref: normalizeEntityRef(item.entityRef),
        recorded_at: item.recordedAt ?? new Date(),
        spec_digest: item.specDigest,
        report_digest: item.reportDigest,
        validation_status: item.validationStatus,
        errors: item.errors,
        warnings: item.warnings,
        monthly_cost: item.monthlyCost,
      })
      .onConflict(['entity_ref', 'spec_digest', 'report_digest'])
      .ignore();
  }

  async listHistory(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ReportHistoryItem[]> {
    const limit = Math.min(
      Math.max(1, Math.floor(options.limit ?? MAX_HISTORY_ITEMS)),
      MAX_HISTORY_ITEMS,
    );
    const rows = await this.db<ReportHistoryRow>(TABLE)
      .where({ entity_ref: normalizeEntityRef(options.entityRef) })
      // id breaks ties between reports recorded within the same instant
      .orderBy([
        { column: 'recorded_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select();
    return rows.map(toHistoryItem);
  }
}

/** Entity refs compare case-insensitively in the catalog; so does history. */
function normalizeEntityRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function toHistoryItem(row: ReportHistoryRow): ReportHistoryItem {
  return {
    id: Number(row.id),
    recordedAt: toDate(row.recorded_at).toISOString(),
    specDigest: row.spec_digest,
    reportDigest: row.report_digest,
    validationStatus: row.validation_status === 'pass' ? 'pass' : 'fail',
    errors: Number(row.errors),
    warnings: Number(row.warnings),
    monthlyCost: row.monthly_cost === null ? null : Number(row.monthly_cost),
  };
}

/**
 * PostgreSQL returns Date objects; SQLite returns what was stored: epoch
 * milliseconds for bound Date values, or `YYYY-MM-DD HH:MM:SS` (UTC) text.
 */
function toDate(value: Date | string | number): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (/^\d+$/.test(value)) return new Date(Number(value));
  const iso = value.includes('T') ? value : value.replace(' ', 'T');
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}
