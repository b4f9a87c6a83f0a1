import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { CLOUD_NATIVE_REPORT_ANNOTATION } from '@internal/backstage-plugin-cloud-native-common';

/** Where a file of the deployment package lives. */
export interface PackageFileLocation {
  /** The file's path in the package, as the report lists it */
  file: string;
  /** Path from the entity's source location, or the local path for `file:` locations */
  path: string;
  /** Link to the file in the repository; absent for local (`file:`) locations */
  href?: string;
}

/** Joins and normalizes POSIX paths ('.', '..', duplicate slashes). */
export function joinPath(...parts: string[]): string {
  const absolute = parts[0]?.startsWith('/') ?? false;
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of part.split('/')) {
      if (segment === '' || segment === '.') {
        continue;
      }
      const last = segments[segments.length - 1];
      if (segment === '..' && last !== undefined && last !== '..') {
        segments.pop();
      } else if (segment !== '..' || !absolute) {
        segments.push(segment);
      }
    }
  }
  return `${absolute ? '/' : ''}${segments.join('/')}`;
}

function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index < 0 ? '' : path.slice(0, index + 1);
}

function parseRef(value: string | undefined) {
  if (!value) {
    return undefined;
  }
  try {
    return parseLocationRef(value);
  } catch {
    return undefined;
  }
}

function isAbsoluteUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * Resolves a relative path against a repository URL that names a folder
 * (a source location) or a file (a catalog-info file, a report).
 */
export function resolveRepositoryUrl(
  relativePath: string,
  base: string,
  baseIs: 'folder' | 'file',
): string | undefined {
  try {
    const url = new URL(base);
    // Azure DevOps keeps the path in a query parameter: `?path=/a/b&version=GBmain`
    const queryPath = url.searchParams.get('path');
    if (queryPath !== null) {
      const folder = baseIs === 'folder' ? queryPath : dirname(queryPath);
      url.searchParams.set('path', joinPath('/', folder, relativePath));
      return url.toString();
    }
    if (baseIs === 'folder' && !url.pathname.endsWith('/')) {
      url.pathname = `${url.pathname}/`;
    }
    return new URL(relativePath, url).toString();
  } catch {
    return undefined;
  }
}

/**
 * Builds the locations of the package's files from the entity's
 * `backstage.io/source-location` (falling back to the location of its
 * catalog-info file) + the folder of the report annotation + the package
 * root + the file path. Local (`file:`) locations get a path, no link.
 */
export function createPackageFileResolver(
  entity: Entity,
  packageRoot = '.',
): (file: string) => PackageFileLocation {
  const annotations = entity.metadata.annotations ?? {};
  const reportRef = annotations[CLOUD_NATIVE_REPORT_ANNOTATION] ?? '';

  // The report annotation may hold an absolute URL rather than a relative path
  const reportLocation = parseRef(reportRef);
  const reportUrl =
    reportLocation?.type === 'url' ? reportLocation.target : reportRef;
  if (isAbsoluteUrl(reportUrl)) {
    return linkedFiles(packageRoot, reportUrl, 'file');
  }

  const fromSource = joinPath(dirname(reportRef), packageRoot);
  const sourceLocation = parseRef(annotations[ANNOTATION_SOURCE_LOCATION]);
  const managedBy = parseRef(annotations[ANNOTATION_LOCATION]);

  if (sourceLocation?.type === 'url') {
    return linkedFiles(fromSource, sourceLocation.target, 'folder');
  }
  if (sourceLocation?.type === 'file') {
    return localFiles(joinPath(sourceLocation.target, fromSource));
  }
  if (managedBy?.type === 'url') {
    return linkedFiles(fromSource, managedBy.target, 'file');
  }
  if (managedBy?.type === 'file') {
    return localFiles(joinPath(dirname(managedBy.target), fromSource));
  }
  return localFiles(fromSource);
}

/** Files below `folder` of a repository at `base`: a path and a link each. */
function linkedFiles(
  folder: string,
  base: string,
  baseIs: 'folder' | 'file',
): (file: string) => PackageFileLocation {
  return file => {
    const path = joinPath(folder, file);
    return { file, path, href: resolveRepositoryUrl(path, base, baseIs) };
  };
}

/** Files below a local `folder`: a path, no link. */
function localFiles(folder: string): (file: string) => PackageFileLocation {
  return file => ({ file, path: joinPath(folder, file) });
}
