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
import { MAX_HISTORY_ITEMS, ReportStore } from '../database';
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
}

const validator = makeValidator();

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
  } = options;
  const router = Router();
  router.use(express.json());

  /**
   * The checks every entity route shares, in order: a signed-in caller, an
   * entity the caller can see in the catalog (with the caller's credentials,
   * so the catalog's own permissions apply), and the plugin permission on it.
   */
  async function authorizedEntity(
    req: express.Request,
    permission: ResourcePermission<'catalog-entity'>,
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
    const entity = await catalog.getEntityByRef(requestedRef, { credentials });
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
   * report digest), so recording a report seen before is a no-op.
   */
  async function recordHistory(
    entityRef: string,
    report: DeploymentReport,
    reportDigest: string,
  ) {
    await store.recordReport({
      entityRef,
      specDigest: report.metadata.specDigest,
      reportDigest,
      ...summarizeReport(report),
    });
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
    res.json({
      entityRef,
      location: fetched.location,
      fetchedAt: fetched.fetchedAt,
      report: fetched.report,
    });
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
