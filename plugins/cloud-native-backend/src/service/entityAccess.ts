import {
  BackstageCredentials,
  HttpAuthService,
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
import express from 'express';
import { createHash } from 'node:crypto';
import { LocalCache } from './LocalCache';

const validator = makeValidator();

/** Catalog answers kept per caller and entity (see entityCacheTtlMs). */
const ENTITY_CACHE_MAX_ENTRIES = 1000;

/** The entity a request names, once the caller may act on it. */
export interface AuthorizedEntity {
  entity: Entity;
  entityRef: string;
  credentials: BackstageCredentials;
}

/**
 * The checks every entity route shares, in order: a signed-in caller, an
 * entity the caller can see in the catalog (with the caller's credentials,
 * so the catalog's own permissions apply; see visibleEntity), and the
 * plugin permission on it, asked on every request.
 */
export type AuthorizeEntity = (
  req: express.Request,
  permission: ResourcePermission<'catalog-entity'>,
  options?: { fresh?: boolean },
) => Promise<AuthorizedEntity>;

/** The caller's bearer token, if the request carries one. */
function bearerToken(req: express.Request): string | undefined {
  const match = /^Bearer[ ]+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The `:namespace/:kind/:name` of the request as an entity ref. */
function requestedEntityRef(req: express.Request): string {
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
  return stringifyEntityRef({ kind, namespace, name });
}

/**
 * The entity as the catalog shows it to the caller, with the caller's
 * credentials (so the catalog's own permissions apply). Within
 * `entityCacheTtlMs` the answer is reused for requests that carry the very
 * same token (the key is a hash of it, never the token itself), and
 * concurrent requests share one catalog call; anything else asks the
 * catalog. Unknown or invisible entities are not kept.
 */
function createVisibleEntity(
  catalog: CatalogService,
  entityCacheTtlMs: number,
) {
  const entityCache = new LocalCache<Promise<Entity | undefined>>(
    ENTITY_CACHE_MAX_ENTRIES,
  );
  return async function visibleEntity(
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
  };
}

/** The entity checks of the routes, with one catalog cache per router. */
export function createAuthorizeEntity(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  entityCacheTtlMs: number;
}): AuthorizeEntity {
  const { httpAuth, permissions } = options;
  const visibleEntity = createVisibleEntity(
    options.catalog,
    options.entityCacheTtlMs,
  );
  return async (req, permission, { fresh = false } = {}) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const requestedRef = requestedEntityRef(req);
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
  };
}
