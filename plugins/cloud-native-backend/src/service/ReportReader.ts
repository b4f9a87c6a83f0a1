import {
  CacheService,
  LoggerService,
  RootConfigService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { isError, NotFoundError, NotModifiedError } from '@backstage/errors';
import { DeploymentReport } from '@internal/backstage-plugin-cloud-native-common';
import { JsonObject } from '@backstage/types';
import { promises as fs } from 'node:fs';
import { MAX_REPORT_BYTES, parseReportText } from './parseReport';
import { ReportSourceError, UnprocessableReportError } from './errors';
import { assertRealPathInside, ReportLocation } from './ReportLocator';
import { LocalCache } from './LocalCache';
import { readSecondsConfig } from './secondsConfig';

/**
 * A parsed deployment report and where and when it was read.
 *
 * @internal
 */
export interface FetchedReport {
  /** `url:...` or `file:...` */
  location: string;
  /** ISO 8601: when the source was last read or confirmed unchanged */
  fetchedAt: string;
  /** The source's ETag (url:) or size and mtime (file:), if known */
  etag?: string;
  /** sha256 of the report text */
  reportDigest: string;
  report: DeploymentReport;
}

/** What the cache holds per report location (JSON). */
type CacheEntry = {
  location: string;
  fetchedAt: string;
  etag: string | null;
  reportDigest: string;
  /** A DeploymentReport, parsed and validated before it was cached */
  report: JsonObject;
};

const DEFAULT_TTL_SECONDS = 60;
/** How long a url: source may take to answer (the UrlReader has no limit). */
const DEFAULT_READ_TIMEOUT_SECONDS = 30;
/**
 * Entries outlive their freshness so that an expired entry can still be
 * revalidated cheaply with its ETag (a 304 from the SCM instead of a download
 * and a parse).
 */
const RETENTION_FACTOR = 10;
/** Parsed reports kept in process (per report location). */
const LOCAL_MAX_ENTRIES = 500;

type SourceRead =
  | { notModified: true }
  | { notModified: false; text: string; etag?: string };

/**
 * Reads deployment reports from their location (UrlReader for `url:`, the
 * local file system for `file:`), parses and validates them, and caches the
 * parsed result.
 *
 * Cache design: one entry per report location (`report:v1:<location>`),
 * holding the parsed report, its digest and the source's ETag. Within
 * `cloudNative.reports.cacheTtlSeconds` (default 60) an entry is served as
 * is. After that the source is asked again with the ETag (`readUrl` with
 * `etag`; for local files, size and mtime): unchanged means the entry is
 * refreshed without parsing, changed means the new text is parsed. Entries
 * are kept for 10 TTLs. A TTL of 0 turns caching off. A url: read that takes
 * longer than `cloudNative.reports.readTimeoutSeconds` (default 30) fails
 * with a ReportSourceError (502).
 *
 * In front of the shared cache, each process keeps the parsed entries it
 * read or wrote until their freshness ends (same TTL), so that a hit costs
 * neither a round trip to the cache store nor a JSON parse of the report,
 * and concurrent reads of the same location while it is not fresh share one
 * lookup. A `refresh` read bypasses both and replaces the local entry; other
 * instances see the new entry in the shared cache once their own local one
 * is no longer fresh, i.e. within the same TTL as before.
 *
 * @internal
 */
export class ReportReader {
  static fromConfig(
    config: RootConfigService,
    deps: {
      urlReader: UrlReaderService;
      cache: CacheService;
      logger: LoggerService;
    },
  ): ReportReader {
    const ttlSeconds = readSecondsConfig(config, {
      key: 'cloudNative.reports.cacheTtlSeconds',
      defaultSeconds: DEFAULT_TTL_SECONDS,
      atLeast: 0,
    });
    // a timeout of 0 would fail every read, so 0 is not allowed here
    const readTimeoutSeconds = readSecondsConfig(config, {
      key: 'cloudNative.reports.readTimeoutSeconds',
      defaultSeconds: DEFAULT_READ_TIMEOUT_SECONDS,
      atLeast: 'more than 0',
    });
    return new ReportReader(
      deps.urlReader,
      deps.cache,
      deps.logger,
      ttlSeconds * 1000,
      readTimeoutSeconds * 1000,
    );
  }

  private readonly local = new LocalCache<CacheEntry>(LOCAL_MAX_ENTRIES);
  private readonly inflight = new Map<string, Promise<FetchedReport>>();

  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
    private readonly ttlMs: number,
    private readonly readTimeoutMs: number,
  ) {}

  /**
   * Reads the report at `location`. `refresh` skips the freshness window
   * (the ETag still avoids a download when nothing changed).
   */
  async read(
    location: ReportLocation,
    options: { refresh?: boolean } = {},
  ): Promise<FetchedReport> {
    if (this.ttlMs <= 0 || options.refresh) {
      return this.load(location, options);
    }
    const local = this.local.get(location.ref);
    if (local) {
      return toFetched(local);
    }
    const pending = this.inflight.get(location.ref);
    if (pending) {
      return pending;
    }
    const loading = this.load(location, options).finally(() => {
      this.inflight.delete(location.ref);
    });
    this.inflight.set(location.ref, loading);
    return loading;
  }

  /** Keeps `entry` in process for the rest of its freshness. */
  private keepLocally(ref: string, entry: CacheEntry, now: number) {
    const remaining = this.ttlMs - (now - Date.parse(entry.fetchedAt));
    this.local.set(ref, entry, remaining, now);
  }

  private async load(
    location: ReportLocation,
    options: { refresh?: boolean },
  ): Promise<FetchedReport> {
    const key = `report:v1:${location.ref}`;
    const cached =
      this.ttlMs > 0 ? await this.cache.get<CacheEntry>(key) : undefined;
    const now = Date.now();
    if (
      cached &&
      !options.refresh &&
      now - Date.parse(cached.fetchedAt) < this.ttlMs
    ) {
      this.keepLocally(location.ref, cached, now);
      return toFetched(cached);
    }

    const source = await this.readSource(location, cached?.etag ?? undefined);
    let entry: CacheEntry;
    if (source.notModified && cached) {
      entry = { ...cached, fetchedAt: new Date(now).toISOString() };
    } else if (!source.notModified) {
      const { report, reportDigest } = parseReportText(
        source.text,
        location.ref,
      );
      entry = {
        location: location.ref,
        fetchedAt: new Date(now).toISOString(),
        etag: source.etag ?? null,
        reportDigest,
        report: report as unknown as JsonObject,
      };
    } else {
      // NotModified without anything cached: cannot happen (no ETag sent)
      throw new ReportSourceError(
        `The source of ${location.ref} answered "not modified" to an unconditional read`,
      );
    }
    if (this.ttlMs > 0) {
      this.keepLocally(location.ref, entry, now);
      try {
        await this.cache.set(key, entry, {
          ttl: this.ttlMs * RETENTION_FACTOR,
        });
      } catch (error) {
        // a broken cache must not break the tab; the next read tries again
        this.logger.warn(`Could not cache the report ${location.ref}`, {
          error: isError(error) ? error.message : String(error),
        });
      }
    }
    return toFetched(entry);
  }

  /**
   * `readUrl` and `buffer()` within readTimeoutMs: the signal asks the
   * UrlReader to stop, and the answer does not wait for it either way. A
   * source that accepts the connection and never answers would otherwise
   * hold the request (and every request sharing the read) forever.
   */
  private async readUrl(
    url: string,
    etag: string | undefined,
  ): Promise<{ buffer: Buffer; etag?: string }> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ReportSourceError(
          `Could not read the deployment report from ${url}: no answer within ${
            this.readTimeoutMs / 1000
          } s`,
        );
        controller.abort(error);
        reject(error);
      }, this.readTimeoutMs);
    });
    const read = (async () => {
      const response = await this.urlReader.readUrl(url, {
        etag,
        signal: controller.signal,
      });
      return { buffer: await response.buffer(), etag: response.etag };
    })();
    try {
      return await Promise.race([read, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readSource(
    location: ReportLocation,
    etag: string | undefined,
  ): Promise<SourceRead> {
    if (location.type === 'file') {
      const real = await assertRealPathInside(
        location.path,
        location.roots,
        'Deployment report',
      );
      const stat = await fs.stat(real);
      if (!stat.isFile()) {
        throw new NotFoundError(
          `Deployment report not found: ${location.path} is not a file`,
        );
      }
      const fileEtag = `${stat.size}-${stat.mtimeMs}`;
      if (etag === fileEtag) {
        return { notModified: true };
      }
      if (stat.size > MAX_REPORT_BYTES) {
        throw tooLarge(location.ref);
      }
      return {
        notModified: false,
        text: await fs.readFile(real, 'utf8'),
        etag: fileEtag,
      };
    }

    try {
      const { buffer, etag: newEtag } = await this.readUrl(location.url, etag);
      if (buffer.byteLength > MAX_REPORT_BYTES) {
        throw tooLarge(location.ref);
      }
      return {
        notModified: false,
        text: buffer.toString('utf8'),
        etag: newEtag,
      };
    } catch (error) {
      if (
        error instanceof UnprocessableReportError ||
        error instanceof ReportSourceError
      ) {
        throw error;
      }
      if (isError(error) && error.name === NotModifiedError.name) {
        return { notModified: true };
      }
      if (isError(error) && error.name === NotFoundError.name) {
        throw new NotFoundError(
          `Deployment report not found at ${location.url}`,
          error,
        );
      }
      throw new ReportSourceError(
        `Could not read the deployment report from ${location.url}`,
        error,
      );
    }
  }
}

function tooLarge(location: string) {
  return new UnprocessableReportError(
    `The deployment report at ${location} is too large`,
    [
      {
        path: '(document)',
        message: `larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB`,
      },
    ],
  );
}

function toFetched(entry: CacheEntry): FetchedReport {
  return {
    location: entry.location,
    fetchedAt: entry.fetchedAt,
    ...(entry.etag ? { etag: entry.etag } : {}),
    reportDigest: entry.reportDigest,
    report: entry.report as unknown as DeploymentReport,
  };
}
