import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CLOUD_NATIVE_REPORT_ANNOTATION } from '@internal/backstage-plugin-cloud-native-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Where an entity's deployment report lives, resolved against the entity's
 * source location and checked to stay inside it.
 *
 * @internal
 */
export type ReportLocation =
  | {
      type: 'url';
      /** `url:<url>`, as returned to clients and used as cache key */
      ref: string;
      /** The report file */
      url: string;
      /** The package root: the directory of the report (trailing slash) */
      packageUrl: string;
    }
  | {
      type: 'file';
      ref: string;
      /** The report file, absolute */
      path: string;
      /** The package root: the directory of the report */
      packageDir: string;
      /**
       * Directories the report and its package must stay in: the directory of
       * the entity's catalog file, and configured roots that contain it.
       */
      roots: string[];
    };

/** Percent-encoded `.`, `/` and `\`: they would smuggle `..` or a separator past URL resolution. */
const ENCODED_SEPARATOR = /%(2e|2f|5c)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Resolves the report annotation of an entity
 * (`cloud-native.backstage.io/report`, e.g. `./deployment/deployment-report.yaml`)
 * relative to the entity's source location:
 *
 * - `backstage.io/source-location` (a directory) when present, else
 *   `backstage.io/managed-by-location` (the catalog file; its directory);
 * - `url:` locations resolve as URLs and must stay on the same host, under
 *   the same directory, without query or fragment;
 * - `file:` locations resolve as local paths and must stay inside the
 *   directory of the entity's catalog file, or inside a configured
 *   `cloudNative.reports.allowedLocalRoots` entry that contains that
 *   directory (the entity's repository). Symbolic links are checked again
 *   when reading, see {@link assertRealPathInside}.
 *
 * Anything else is an InputError (400) naming the annotation.
 *
 * @internal
 */
export class ReportLocator {
  static fromConfig(config: RootConfigService): ReportLocator {
    const roots =
      config.getOptionalStringArray('cloudNative.reports.allowedLocalRoots') ??
      [];
    return new ReportLocator(roots.map(root => path.resolve(root)));
  }

  private constructor(private readonly allowedLocalRoots: string[]) {}

  locate(entity: Entity): ReportLocation {
    const entityRef = stringifyEntityRef(entity);
    const annotation =
      entity.metadata.annotations?.[CLOUD_NATIVE_REPORT_ANNOTATION]?.trim();
    if (!annotation) {
      throw new NotFoundError(
        `Entity ${entityRef} has no ${CLOUD_NATIVE_REPORT_ANNOTATION} annotation`,
      );
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\\]/.test(annotation)) {
      throw this.invalid(
        annotation,
        'control characters and backslashes are not allowed',
      );
    }

    const source = this.sourceOf(entity, entityRef);
    if (source.type === 'url') {
      return this.resolveUrl(annotation, source.base);
    }
    return this.resolveFile(annotation, source.base);
  }

  private sourceOf(
    entity: Entity,
    entityRef: string,
  ): { type: 'url' | 'file'; base: string } {
    const annotations = entity.metadata.annotations ?? {};
    const sourceLocation = annotations[ANNOTATION_SOURCE_LOCATION];
    const managedBy = annotations[ANNOTATION_LOCATION];
    const raw = sourceLocation ?? managedBy;
    if (!raw) {
      throw new InputError(
        `Entity ${entityRef} has neither a ${ANNOTATION_SOURCE_LOCATION} nor a ${ANNOTATION_LOCATION} annotation, so ${CLOUD_NATIVE_REPORT_ANNOTATION} cannot be resolved`,
      );
    }
    let type: string;
    let target: string;
    try {
      ({ type, target } = parseLocationRef(raw));
    } catch (error) {
      throw new InputError(
        `Entity ${entityRef} has an invalid location ${raw}`,
        error,
      );
    }
    // source-location names a directory, managed-by-location the catalog file
    const isDirectory = sourceLocation !== undefined;
    if (type === 'url') {
      let url: URL;
      try {
        url = new URL(target);
      } catch (error) {
        throw new InputError(`Entity location ${raw} is not a URL`, error);
      }
      if (url.search || url.hash) {
        throw new InputError(
          `Entity location ${raw} has a query or fragment; relative report paths cannot be resolved against it`,
        );
      }
      if (isDirectory && !url.pathname.endsWith('/')) {
        url.pathname = `${url.pathname}/`;
      }
      return { type, base: new URL('./', url).href };
    }
    if (type === 'file') {
      if (!path.isAbsolute(target)) {
        throw new InputError(`Entity location ${raw} is not an absolute path`);
      }
      const resolved = path.resolve(target);
      return {
        type,
        base: isDirectory ? resolved : path.dirname(resolved),
      };
    }
    throw new InputError(
      `Entity location type '${type}' (${raw}) is not supported for ${CLOUD_NATIVE_REPORT_ANNOTATION}; use url: or file: locations`,
    );
  }

  private resolveUrl(annotation: string, base: string): ReportLocation {
    if (ENCODED_SEPARATOR.test(annotation) || /[?#]/.test(annotation)) {
      throw this.invalid(
        annotation,
        'percent-encoded separators, queries and fragments are not allowed',
      );
    }
    let resolved: URL;
    try {
      resolved = new URL(annotation, base);
    } catch (error) {
      throw this.invalid(annotation, 'not a valid relative URL', error);
    }
    const baseUrl = new URL(base);
    if (resolved.origin !== baseUrl.origin) {
      throw this.invalid(
        annotation,
        `points to ${resolved.origin}, outside the entity's source location ${base}`,
      );
    }
    if (
      !resolved.pathname.startsWith(baseUrl.pathname) ||
      resolved.pathname.endsWith('/') ||
      resolved.search ||
      resolved.hash ||
      resolved.username ||
      resolved.password
    ) {
      throw this.invalid(
        annotation,
        `resolves outside the entity's source location ${base}`,
      );
    }
    return {
      type: 'url',
      ref: `url:${resolved.href}`,
      url: resolved.href,
      packageUrl: new URL('./', resolved).href,
    };
  }

  private resolveFile(annotation: string, baseDir: string): ReportLocation {
    if (HAS_SCHEME.test(annotation)) {
      throw this.invalid(
        annotation,
        `must be a path relative to the entity's source location ${baseDir}`,
      );
    }
    const resolved = path.resolve(baseDir, annotation);
    const roots = [
      baseDir,
      ...this.allowedLocalRoots.filter(
        root => root !== baseDir && isInside(root, baseDir),
      ),
    ];
    if (!roots.some(root => isInside(root, resolved) && resolved !== root)) {
      throw this.invalid(
        annotation,
        `resolves outside the entity's source location ${baseDir}`,
      );
    }
    return {
      type: 'file',
      ref: `file:${resolved}`,
      path: resolved,
      packageDir: path.dirname(resolved),
      roots,
    };
  }

  private invalid(annotation: string, reason: string, cause?: unknown) {
    return new InputError(
      `Invalid ${CLOUD_NATIVE_REPORT_ANNOTATION} annotation '${annotation}': ${reason}`,
      cause,
    );
  }
}

/** True when `child` is `parent` or lies below it (lexically). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (relative !== '..' &&
      !relative.startsWith(`..${path.sep}`) &&
      !path.isAbsolute(relative))
  );
}

/**
 * Resolves symbolic links of `target` and of the roots and checks the real
 * path is still inside a root; returns the real path. A link inside the
 * entity's folder must not lead to `/etc/passwd`.
 *
 * @internal
 */
export async function assertRealPathInside(
  target: string,
  roots: string[],
  what: string,
): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`${what} not found: ${target}`);
    }
    throw error;
  }
  const realRoots = await Promise.all(
    roots.map(root => fs.realpath(root).catch(() => undefined)),
  );
  if (!realRoots.some(root => root !== undefined && isInside(root, real))) {
    throw new InputError(
      `${what} ${target} resolves (through a symbolic link) outside the entity's source location`,
    );
  }
  return real;
}
