import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  cloudNativeReportReadPermission,
  cloudNativeReportRevalidatePermission,
  DeploymentReport,
} from '@internal/backstage-plugin-cloud-native-common';
import express from 'express';
import Router from 'express-promise-router';
import { MAX_HISTORY_ITEMS, ReportStore } from '../database';
import { AuthorizeEntity, createAuthorizeEntity } from './entityAccess';
import { createHistoryRecorder, RecordHistory } from './historyRecorder';
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

/** What the entity route handlers share. */
interface RouteContext {
  logger: LoggerService;
  store: ReportStore;
  locator: ReportLocator;
  reader: ReportReader;
  revalidator: PackageRevalidator;
  authorizeEntity: AuthorizeEntity;
  recordHistory: RecordHistory;
}

type Handler = (req: express.Request, res: express.Response) => Promise<void>;

/** `GET /health`: a signed-in caller gets `{ status: 'ok' }`. */
function healthHandler(httpAuth: HttpAuthService): Handler {
  return async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ status: 'ok' });
  };
}

/** `GET .../report`: the entity's report, recorded in its history. */
function reportHandler(context: RouteContext): Handler {
  const { authorizeEntity, locator, reader, recordHistory } = context;
  return async (req, res) => {
    const { entity, entityRef } = await authorizeEntity(
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
  };
}

/** `GET .../history`: distinct reports seen, newest first. */
function historyHandler(context: RouteContext): Handler {
  const { authorizeEntity, store } = context;
  return async (req, res) => {
    const { entityRef } = await authorizeEntity(
      req,
      cloudNativeReportReadPermission,
    );
    const limit = parseLimit(req.query.limit);
    const items = await store.listHistory({ entityRef, limit });
    res.json({ items });
  };
}

/** `POST .../revalidate`: the package as it is now, and its drift. */
function revalidateHandler(context: RouteContext): Handler {
  const { authorizeEntity, locator, reader, revalidator, recordHistory } =
    context;
  return async (req, res) => {
    const { entity, entityRef } = await authorizeEntity(
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
    context.logger.info(
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
  };
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
  const { httpAuth, permissions, catalog, entityCacheTtlMs = 0 } = options;
  const context: RouteContext = {
    ...options,
    authorizeEntity: createAuthorizeEntity({
      httpAuth,
      permissions,
      catalog,
      entityCacheTtlMs,
    }),
    recordHistory: createHistoryRecorder(options.store),
  };
  const router = Router();
  router.use(express.json());
  const entity = '/entities/:namespace/:kind/:name';
  router.get('/health', healthHandler(httpAuth));
  router.get(`${entity}/report`, reportHandler(context));
  router.get(`${entity}/history`, historyHandler(context));
  router.post(`${entity}/revalidate`, revalidateHandler(context));
  return router;
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
