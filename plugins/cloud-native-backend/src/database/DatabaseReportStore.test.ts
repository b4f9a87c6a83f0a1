import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseReportStore } from './DatabaseReportStore';
import { NewReportHistoryItem } from './ReportStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function item(overrides: Partial<NewReportHistoryItem> = {}) {
  return {
    entityRef: 'component:default/guestbook',
    specDigest: 'spec-1',
    reportDigest: 'a'.repeat(64),
    validationStatus: 'pass' as const,
    errors: 0,
    warnings: 2,
    monthlyCost: 160.49,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseReportStore (%s)',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let store: DatabaseReportStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseReportStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
    });

    afterEach(async () => {
      await knex('cloud_native_report_history').del();
    });

    it('runs on the database it claims to', () => {
      const client = String(knex.client.config.client);
      expect(client).toMatch(databaseId === 'SQLITE_3' ? /sqlite/ : /pg/);
    });

    it('returns an empty history for an unknown entity', async () => {
      await expect(
        store.listHistory({ entityRef: 'component:default/nothing' }),
      ).resolves.toEqual([]);
    });

    it('records reports and lists them newest first', async () => {
      /** The second report, as recorded and as listed. */
      const failing = {
        specDigest: 'spec-2',
        reportDigest: 'b'.repeat(64),
        validationStatus: 'fail' as const,
        errors: 3,
        warnings: 0,
        monthlyCost: null,
      };
      await store.recordReport(
        item({ recordedAt: new Date('2026-03-01T10:00:00.000Z') }),
      );
      await store.recordReport(
        item({ ...failing, recordedAt: new Date('2026-03-02T10:00:00.123Z') }),
      );

      const history = await store.listHistory({
        entityRef: 'component:default/guestbook',
      });
      expect(history).toEqual([
        {
          id: expect.any(Number),
          recordedAt: '2026-03-02T10:00:00.123Z',
          ...failing,
        },
        {
          id: expect.any(Number),
          recordedAt: '2026-03-01T10:00:00.000Z',
          specDigest: 'spec-1',
          reportDigest: 'a'.repeat(64),
          validationStatus: 'pass',
          errors: 0,
          warnings: 2,
          monthlyCost: 160.49,
        },
      ]);
      expect(history[0].id).not.toBe(history[1].id);
    });

    it('keeps only distinct reports (spec digest + report digest)', async () => {
      const first = new Date('2026-03-01T10:00:00.000Z');
      await store.recordReport(item({ recordedAt: first }));
      await store.recordReport(
        item({ recordedAt: new Date('2026-03-05T10:00:00.000Z') }),
      );
      // same report text under another spec digest is another report
      await store.recordReport(
        item({
          specDigest: 'spec-2',
          recordedAt: new Date('2026-03-06T10:00:00.000Z'),
        }),
      );

      const history = await store.listHistory({
        entityRef: 'component:default/guestbook',
      });
      expect(history.map(h => [h.specDigest, h.recordedAt])).toEqual([
        ['spec-2', '2026-03-06T10:00:00.000Z'],
        ['spec-1', first.toISOString()],
      ]);
    });

    it('keeps histories apart per entity, case-insensitively', async () => {
      await store.recordReport(
        item({ entityRef: 'Component:default/Guestbook' }),
      );
      await store.recordReport(item({ entityRef: 'component:default/other' }));

      await expect(
        store.listHistory({ entityRef: 'component:default/guestbook' }),
      ).resolves.toHaveLength(1);
      await expect(
        store.listHistory({ entityRef: 'COMPONENT:DEFAULT/OTHER' }),
      ).resolves.toHaveLength(1);
    });

    it('breaks ties in time by insertion order and honours the limit', async () => {
      const at = new Date('2026-03-01T10:00:00.000Z');
      for (const digest of ['1', '2', '3']) {
        await store.recordReport(
          item({ reportDigest: digest.repeat(64), recordedAt: at }),
        );
      }
      const history = await store.listHistory({
        entityRef: 'component:default/guestbook',
        limit: 2,
      });
      expect(history.map(h => h.reportDigest[0])).toEqual(['3', '2']);
    });

    it('stamps reports with the current time by default', async () => {
      const before = Date.now();
      await store.recordReport(item());
      const [recorded] = await store.listHistory({
        entityRef: 'component:default/guestbook',
      });
      const at = Date.parse(recorded.recordedAt);
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    });
  },
);
