import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  cloudNativeReportReadPermission,
  cloudNativeReportRevalidatePermission,
  DeploymentReport,
} from '@internal/backstage-plugin-cloud-native-common';
import express from 'express';
import Router from 'express-promise-router';
import { createHash } from 'node:crypto';
import { MAX_HISTORY_ITEMS, ReportStore } from '../database';
import { LocalCache } from './LocalCache';
import { summarizeReport } from './parseReport';
import { PackageRevalidator } from './PackageRevalidator';
import { ReportLocator } from './ReportLocator';
import { ReportReader } from './ReportReader';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  store: ReportStore;
  locator: ReportLocator;
  reader: ReportReader;
  revalidator: PackageRevalidator;
  /**
   * How long the catalog's answer for one caller (the same token) and entity
   * is reused, in ms; 0 asks the catalog on every request. Default 0 (the
   * plugin passes `cloudNative.reports.entityCacheTtlSeconds`).
   */
  entityCacheTtlMs?: number;
}

const validator = makeValidator();

/** Catalog answers kept per caller and entity (see entityCacheTtlMs). */
const ENTITY_CACHE_MAX_ENTRIES = 1000;
/**
 * History rows this process has recorded (inserted, or found there already)
 * and how long it remembers them: serving the same report again does not
 * write to the database on every request. After that time, or if the
 * process forgets a row because of the bound, the next read records it
 * again (a no-op insert when the row is there).
 */
const RECORDED_MAX_ENTRIES = 10_000;
const RECORDED_TTL_MS = 10 * 60 * 1000;

/**
 * The JSON text of each report object served, computed once: reports are
 * shared, unchanged objects while the ReportReader serves them from its
 * in-process cache, and a report is tens of kilobytes of JSON.
 */
const reportJson = new WeakMap<object, string>();

function serializedReport(report: DeploymentReport): string {
  let text = reportJson.get(report);
  if (text === undefined) {
    text = JSON.stringify(report);
    reportJson.set(report, text);
  }
  return text;
}

/**
 * The routes of the cloud-native backend, mounted at `/api/cloud-native`:
 *
 * - `GET /entities/:namespace/:kind/:name/report`: the entity's deployment
 *   report, `{ entityRef, location, fetchedAt, report }`;
 * - `GET /entities/:namespace/:kind/:name/history`: distinct reports seen,
 *   newest first, `{ items }`;
 * - `POST /entities/:namespace/:kind/:name/revalidate`: validation and cost of
 *   the package as it is now, with its drift from the report.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    catalog,
    store,
    locator,
    reader,
    revalidator,
    entityCacheTtlMs = 0,
  } = options;
  const router = Router();
  router.use(express.json());

  const entityCache = new LocalCache<Promise<Entity | undefined>>(
    ENTITY_CACHE_MAX_ENTRIES,
  );
  const recorded = new LocalCache<true>(RECORDED_MAX_ENTRIES);

  /**
   * The entity as the catalog shows it to the caller, with the caller's
   * credentials (so the catalog's own permissions apply). Within
   * `entityCacheTtlMs` the answer is reused for requests that carry the very
   * same token (the key is a hash of it, never the token itself), and
   * concurrent requests share one catalog call; anything else asks the
   * catalog. Unknown or invisible entities are not kept.
   */
  async function visibleEntity(
    req: express.Request,
    entityRef: string,
    credentials: BackstageCredentials,
    fresh: boolean,
  ): Promise<Entity | undefined> {
    const token = bearerToken(req);
    if (fresh || !token || entityCacheTtlMs <= 0) {
      return catalog.getEntityByRef(entityRef, { credentials });
    }
    const key = `${createHash('sha256')
      .update(token)
      .digest('hex')} ${entityRef}`;
    const cached = entityCache.get(key);
    if (cached) {
      return cached;
    }
    const lookup = catalog.getEntityByRef(entityRef, { credentials });
    entityCache.set(key, lookup, entityCacheTtlMs);
    lookup.then(
      entity => {
        if (!entity) entityCache.deleteIfSame(key, lookup);
      },
      () => entityCache.deleteIfSame(key, lookup),
    );
    return lookup;
  }

  /**
   * The checks every entity route shares, in order: a signed-in caller, an
   * entity the caller can see in the catalog (with the caller's credentials,
   * so the catalog's own permissions apply; see visibleEntity), and the
   * plugin permission on it, asked on every request.
   */
  async function authorizedEntity(
    req: express.Request,
    permission: ResourcePermission<'catalog-entity'>,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<{
    entity: Entity;
    entityRef: string;
    credentials: BackstageCredentials;
  }> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, kind, name } = req.params;
    if (!validator.isValidNamespace(namespace)) {
      throw new InputError(`Invalid entity namespace '${namespace}'`);
    }
    if (!validator.isValidKind(kind)) {
      throw new InputError(`Invalid entity kind '${kind}'`);
    }
    if (!validator.isValidEntityName(name)) {
      throw new InputError(`Invalid entity name '${name}'`);
    }
    const requestedRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await visibleEntity(req, requestedRef, credentials, fresh);
    if (!entity) {
      throw new NotFoundError(`No entity ${requestedRef}`);
    }
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${permission.attributes.action} the deployment report of ${entityRef} (${permission.name})`,
      );
    }
    return { entity, entityRef, credentials };
  }

  /**
   * History keeps distinct reports only (insert-or-ignore on spec digest +
   * report digest), so recording a report seen before is a no-op; one this
   * process recorded recently is not even sent to the database (see
   * RECORDED_TTL_MS).
   */
  async function recordHistory(
    entityRef: string,
    report: DeploymentReport,
    reportDigest: string,
  ) {
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
  }

  router.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ status: 'ok' });
  });

  router.get('/entities/:namespace/:kind/:name/report', async (req, res) => {
    const { entity, entityRef } = await authorizedEntity(
      req,
      cloudNativeReportReadPermission,
    );
    const location = locator.locate(entity);
    const fetched = await reader.read(location);
    await recordHistory(entityRef, fetched.report, fetched.reportDigest);
    // = res.json({ entityRef, location, fetchedAt, report }), with the
    // report's JSON text computed once per report instead of per request
    res
      .type('application/json')
      .send(
        `{"entityRef":${JSON.stringify(entityRef)},"location":${JSON.stringify(
          fetched.location,
        )},"fetchedAt":${JSON.stringify(
          fetched.fetchedAt,
        )},"report":${serializedReport(fetched.report)}}`,
      );
  });

  router.get('/entities/:namespace/:kind/:name/history', async (req, res) => {
    const { entityRef } = await authorizedEntity(
      req,
      cloudNativeReportReadPermission,
    );
    const limit = parseLimit(req.query.limit);
    const items = await store.listHistory({ entityRef, limit });
    res.json({ items });
  });

  router.post(
    '/entities/:namespace/:kind/:name/revalidate',
    async (req, res) => {
      const { entity, entityRef } = await authorizedEntity(
        req,
        cloudNativeReportRevalidatePermission,
        { fresh: true },
      );
      const location = locator.locate(entity);
      // the report as it is in the repository now is the baseline of drift
      const baseline = await reader.read(location, { refresh: true });
      await recordHistory(entityRef, baseline.report, baseline.reportDigest);
      const result = await revalidator.revalidate(location, baseline.report);
      await recordHistory(entityRef, result.report, result.reportDigest);
      logger.info(
        `Revalidated the package of ${entityRef}: ${result.validationStatus}`,
        {
          entityRef,
          filesAdded: result.drift.filesAdded.length,
          filesRemoved: result.drift.filesRemoved.length,
          filesModified: result.drift.filesModified.length,
        },
      );
      res.json({
        entityRef,
        validatedAt: result.validatedAt,
        validationStatus: result.validationStatus,
        results: result.results,
        findings: result.findings,
        estimatedCosts: result.estimatedCosts,
        drift: result.drift,
      });
    },
  );

  return router;
}

/** The caller's bearer token, if the request carries one. */
function bearerToken(req: express.Request): string | undefined {
  const match = /^Bearer[ ]+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function parseLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const limit = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_ITEMS) {
    throw new InputError(
      `limit must be an integer from 1 to ${MAX_HISTORY_ITEMS}`,
    );
  }
  return limit;
}
