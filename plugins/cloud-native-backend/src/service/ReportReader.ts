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
/**
 * Entries outlive their freshness so that an expired entry can still be
 * revalidated cheaply with its ETag (a 304 from the SCM instead of a download
 * and a parse).
 */
const RETENTION_FACTOR = 10;

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
 * are kept for 10 TTLs. A TTL of 0 turns caching off.
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
    const ttlSeconds =
      config.getOptionalNumber('cloudNative.reports.cacheTtlSeconds') ??
      DEFAULT_TTL_SECONDS;
    if (!(ttlSeconds >= 0)) {
      throw new Error(
        `cloudNative.reports.cacheTtlSeconds must be 0 or more, got ${ttlSeconds}`,
      );
    }
    return new ReportReader(
      deps.urlReader,
      deps.cache,
      deps.logger,
      ttlSeconds * 1000,
    );
  }

  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
    private readonly ttlMs: number,
  ) {}

  /**
   * Reads the report at `location`. `refresh` skips the freshness window
   * (the ETag still avoids a download when nothing changed).
   */
  async read(
    location: ReportLocation,
    options: { refresh?: boolean } = {},
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
      const response = await this.urlReader.readUrl(location.url, { etag });
      const buffer = await response.buffer();
      if (buffer.byteLength > MAX_REPORT_BYTES) {
        throw tooLarge(location.ref);
      }
      return {
        notModified: false,
        text: buffer.toString('utf8'),
        etag: response.etag,
      };
    } catch (error) {
      if (error instanceof UnprocessableReportError) throw error;
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
