import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotModifiedError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportLocation } from './ReportLocator';
import { ReportReader } from './ReportReader';
import { UnprocessableReportError } from './errors';

const EXAMPLE_REPORT = path.resolve(
  __dirname,
  '../../../../examples/web-app-t1/package/deployment-report.yaml',
);

/** An in-memory cache that records the TTLs it was given. */
function memoryCache() {
  const entries = new Map<string, JsonValue>();
  const ttls: Array<number | undefined> = [];
  const cache: CacheService = {
    get: async <T extends JsonValue>(key: string) =>
      entries.get(key) as T | undefined,
    set: async (key, value, options) => {
      entries.set(key, value);
      ttls.push(options?.ttl as number | undefined);
    },
    delete: async key => {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return { cache, entries, ttls };
}

const remote: ReportLocation = {
  type: 'url',
  ref: 'url:https://git.example.com/r/deployment-report.yaml',
  url: 'https://git.example.com/r/deployment-report.yaml',
  packageUrl: 'https://git.example.com/r/',
};

describe('ReportReader', () => {
  let text: string;
  let now: number;

  beforeAll(async () => {
    text = await fs.readFile(EXAMPLE_REPORT, 'utf8');
  });

  beforeEach(() => {
    now = Date.parse('2026-03-01T10:00:00.000Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function reader(
    readUrl: jest.Mock,
    config: Record<string, unknown> = {},
    cache = memoryCache().cache,
  ) {
    return ReportReader.fromConfig(
      mockServices.rootConfig({
        data: { cloudNative: { reports: config } } as any,
      }),
      {
        urlReader: mockServices.urlReader.mock({ readUrl }),
        cache,
        logger: mockServices.logger.mock(),
      },
    );
  }

  it('serves the cached report within the TTL, then asks again with the ETag', async () => {
    const { cache, ttls } = memoryCache();
    const readUrl = jest.fn(async () => ({
      buffer: async () => Buffer.from(text),
      etag: 'v1',
    }));
    const subject = reader(readUrl, { cacheTtlSeconds: 30 }, cache);

    const first = await subject.read(remote);
    expect(first).toMatchObject({
      location: remote.ref,
      fetchedAt: '2026-03-01T10:00:00.000Z',
      etag: 'v1',
      reportDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(first.report.metadata.name).toBe('guestbook');
    expect(ttls).toEqual([300_000]);

    now += 29_000;
    await subject.read(remote);
    expect(readUrl).toHaveBeenCalledTimes(1);

    // expired: a conditional read; "not modified" keeps the parsed report
    now += 2_000;
    readUrl.mockImplementationOnce(async () => {
      throw new NotModifiedError('same');
    });
    const second = await subject.read(remote);
    expect(readUrl).toHaveBeenLastCalledWith(remote.url, {
      etag: 'v1',
      signal: expect.any(AbortSignal),
    });
    expect(second.fetchedAt).toBe('2026-03-01T10:00:31.000Z');
    expect(second.reportDigest).toBe(first.reportDigest);

    // refresh skips the freshness window
    await subject.read(remote, { refresh: true });
    expect(readUrl).toHaveBeenCalledTimes(3);
  });

  it('serves fresh reports from memory: no cache round trip, one read for concurrent requests', async () => {
    const { cache } = memoryCache();
    const get = jest.spyOn(cache, 'get');
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const readUrl = jest.fn(async () => {
      await gate;
      return { buffer: async () => Buffer.from(text), etag: 'v1' };
    });
    const subject = reader(readUrl, { cacheTtlSeconds: 30 }, cache);

    const concurrent = [1, 2, 3].map(() => subject.read(remote));
    release();
    const results = await Promise.all(concurrent);
    expect(readUrl).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(1);
    expect(new Set(results.map(r => r.reportDigest)).size).toBe(1);

    now += 10_000;
    const hit = await subject.read(remote);
    expect(get).toHaveBeenCalledTimes(1);
    // the same parsed object, so that its JSON text can be reused
    expect(hit.report).toBe(results[0].report);
  });

  it('replaces the in-memory entry on refresh and shares a newer entry of another instance after the TTL', async () => {
    const { cache } = memoryCache();
    const edited = `${text}\n# edited\n`;
    const readUrl = jest.fn(async () => ({
      buffer: async () => Buffer.from(text),
      etag: 'v1',
    }));
    const one = reader(readUrl, { cacheTtlSeconds: 30 }, cache);
    const other = reader(readUrl, { cacheTtlSeconds: 30 }, cache);
    const before = await one.read(remote);
    await other.read(remote);
    expect(readUrl).toHaveBeenCalledTimes(1);

    readUrl.mockImplementation(async () => ({
      buffer: async () => Buffer.from(edited),
      etag: 'v2',
    }));
    now += 1_000;
    const refreshed = await one.read(remote, { refresh: true });
    expect(refreshed.reportDigest).not.toBe(before.reportDigest);
    expect((await one.read(remote)).reportDigest).toBe(refreshed.reportDigest);
    // the other instance keeps its own entry while it is fresh ...
    expect((await other.read(remote)).reportDigest).toBe(before.reportDigest);
    // ... and then takes the newer one from the shared cache
    now += 29_500;
    expect((await other.read(remote)).reportDigest).toBe(
      refreshed.reportDigest,
    );
    expect(readUrl).toHaveBeenCalledTimes(2);
  });

  it('does not keep failures: the next read tries the source again', async () => {
    const readUrl = jest
      .fn()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
      .mockResolvedValue({ buffer: async () => Buffer.from(text) });
    const subject = reader(readUrl, { cacheTtlSeconds: 30 });
    await expect(subject.read(remote)).rejects.toThrow(
      /Could not read the deployment report/,
    );
    await expect(subject.read(remote)).resolves.toMatchObject({
      location: remote.ref,
    });
    expect(readUrl).toHaveBeenCalledTimes(2);
  });

  it('reads every time when the TTL is 0', async () => {
    const { cache, entries } = memoryCache();
    const readUrl = jest.fn(async () => ({
      buffer: async () => Buffer.from(text),
    }));
    const subject = reader(readUrl, { cacheTtlSeconds: 0 }, cache);
    await subject.read(remote);
    await subject.read(remote);
    expect(readUrl).toHaveBeenCalledTimes(2);
    expect(readUrl).toHaveBeenLastCalledWith(remote.url, {
      etag: undefined,
      signal: expect.any(AbortSignal),
    });
    expect(entries.size).toBe(0);
  });

  it('does not cache malformed reports', async () => {
    const { cache, entries } = memoryCache();
    const readUrl = jest.fn(async () => ({
      buffer: async () => Buffer.from('kind: DeploymentReport\n'),
    }));
    const subject = reader(readUrl, {}, cache);
    await expect(subject.read(remote)).rejects.toThrow(
      UnprocessableReportError,
    );
    expect(entries.size).toBe(0);
  });

  it('gives up on a source that does not answer in time, and asks it to stop', async () => {
    let signal: AbortSignal | undefined;
    const readUrl = jest.fn(
      (_url: string, options: { signal?: AbortSignal }) => {
        signal = options.signal;
        return new Promise<never>(() => {});
      },
    );
    const subject = reader(readUrl, { readTimeoutSeconds: 0.05 });
    await expect(subject.read(remote)).rejects.toMatchObject({
      name: 'ReportSourceError',
      message: expect.stringContaining(`${remote.url}: no answer within`),
    });
    expect(signal?.aborted).toBe(true);
  });

  it('refuses a read timeout of 0', () => {
    expect(() => reader(jest.fn(), { readTimeoutSeconds: 0 })).toThrow(
      /readTimeoutSeconds/,
    );
  });

  it('refuses a negative TTL', () => {
    expect(() => reader(jest.fn(), { cacheTtlSeconds: -1 })).toThrow(
      /cacheTtlSeconds/,
    );
  });

  describe('local files', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.realpath(
        await fs.mkdtemp(path.join(os.tmpdir(), 'cloud-native-reader-')),
      );
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('rereads a changed file after the TTL and keeps an unchanged one', async () => {
      const file = path.join(dir, 'deployment-report.yaml');
      await fs.writeFile(file, text);
      const location: ReportLocation = {
        type: 'file',
        ref: `file:${file}`,
        path: file,
        packageDir: dir,
        roots: [dir],
      };
      const subject = reader(jest.fn(), { cacheTtlSeconds: 1 });
      const first = await subject.read(location);

      now += 2_000;
      const unchanged = await subject.read(location);
      expect(unchanged.reportDigest).toBe(first.reportDigest);
      expect(unchanged.etag).toBe(first.etag);

      await fs.writeFile(file, `${text}\n# edited\n`);
      now += 2_000;
      const changed = await subject.read(location);
      expect(changed.reportDigest).not.toBe(first.reportDigest);
    });
  });
});
