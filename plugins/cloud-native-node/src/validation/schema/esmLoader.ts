import fs from 'node:fs';
import path from 'node:path';

/*
 * Loading ESM-only packages (`kubernetes-models` 5.x, `@kubernetes-models/*`,
 * `@kubernetes/client-node` 1.x) from this CommonJS package, in Jest
 * (`backstage-cli package test`) as well as in plain Node.js.
 *
 * Findings that led to this choice:
 * - Backstage's transforms keep `import()` as is for Node.js package roles
 *   (`ignoreDynamic: true` in `@backstage/cli/config/nodeTransform.cjs` and in
 *   the Jest SWC transform), so native `import()` works in plain `node`, under
 *   `node -r @backstage/cli/config/nodeTransform.cjs` and in the built `dist`.
 * - In Jest without `--experimental-vm-modules` (the default of
 *   `backstage-cli package test`), `import()` inside the VM sandbox throws
 *   `ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG`; so does the
 *   `new Function('s', 'return import(s)')` trick. Jest's own `require()` (and
 *   the `module.createRequire` it hands out) cannot resolve these packages:
 *   their `exports` only have an `import` condition. With
 *   `--experimental-vm-modules`, Jest's ESM loader fails on parallel imports
 *   ("request for './model.js' is from a module not been linked").
 * - Node's real `require(esm)` (on by default since Node 22.12 / 20.19) works
 *   everywhere: the real `node:module` is reached through
 *   `process.getBuiltinModule`, which Jest does not intercept, and the file is
 *   located through the package's `exports` map (`import` condition) since
 *   `require` resolution ignores that condition; an absolute path bypasses
 *   `exports` and Node loads the file as ESM with ESM resolution for its own
 *   imports. Under Jest the modules load outside the sandbox (main realm,
 *   shared by the test files of a worker); only plain data is exchanged.
 *
 * So: `require(esm)` when the runtime has it and this code runs as CommonJS,
 * native `import()` otherwise.
 */

const SANDBOX_ERROR = 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG';

type ImportMode = 'native' | 'require-esm';
let mode: ImportMode | undefined;

/** How ESM modules are loaded in this process (for diagnostics and tests). */
export function getEsmImportMode(): ImportMode {
  if (!mode) {
    const features = process.features as { require_module?: boolean };
    mode =
      typeof __filename === 'string' && features?.require_module === true
        ? 'require-esm'
        : 'native';
  }
  return mode;
}

/**
 * Imports an ESM module by bare specifier (`pkg/sub/path`), see above.
 */
export async function importEsm<T = Record<string, unknown>>(
  specifier: string,
): Promise<T> {
  if (getEsmImportMode() === 'require-esm') {
    return requireEsm(specifier) as T;
  }
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    if ((error as { code?: string })?.code === SANDBOX_ERROR) {
      throw new Error(
        `Cannot import the ESM module '${specifier}' inside this sandbox: ` +
          'it needs a Node.js with require(esm) (>= 20.19 / 22.12) or ' +
          '--experimental-vm-modules',
      );
    }
    throw error;
  }
}

type NodeRequire = ((id: string) => unknown) & {
  resolve: { paths(request: string): string[] | null };
};

let realRequire: NodeRequire | undefined;

function getRealRequire(): NodeRequire {
  if (!realRequire) {
    const nodeModule = process.getBuiltinModule(
      'node:module',
    ) as typeof import('node:module');
    // resolve from this file, like a static import would
    realRequire = nodeModule.createRequire(
      __filename,
    ) as unknown as NodeRequire;
  }
  return realRequire;
}

function splitSpecifier(specifier: string): { pkg: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  return {
    pkg: parts.slice(0, count).join('/'),
    subpath: parts.slice(count).join('/'),
  };
}

function pickImportTarget(target: unknown): string | undefined {
  if (typeof target === 'string') {
    return target;
  }
  if (target && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default']) {
      const picked = pickImportTarget(conditions[condition]);
      if (picked) {
        return picked;
      }
    }
  }
  return undefined;
}

/** Resolves `./subpath` through an `exports` map with the `import` condition. */
function resolveExport(
  exportsField: unknown,
  subpath: string,
): string | undefined {
  const key = subpath ? `./${subpath}` : '.';
  if (typeof exportsField === 'string' || !exportsField) {
    return key === '.' ? pickImportTarget(exportsField) : undefined;
  }
  const map = exportsField as Record<string, unknown>;
  if (!Object.keys(map).some(k => k.startsWith('.'))) {
    return key === '.' ? pickImportTarget(map) : undefined;
  }
  if (key in map) {
    return pickImportTarget(map[key]);
  }
  let best: { prefix: string; suffix: string; target: unknown } | undefined;
  for (const [pattern, target] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (
      key.startsWith(prefix) &&
      key.endsWith(suffix) &&
      key.length >= prefix.length + suffix.length &&
      (!best || prefix.length > best.prefix.length)
    ) {
      best = { prefix, suffix, target };
    }
  }
  if (!best) {
    return undefined;
  }
  const match = key.slice(best.prefix.length, key.length - best.suffix.length);
  return pickImportTarget(best.target)?.replace(/\*/g, match);
}

interface PackageInfo {
  dir: string;
  json: { exports?: unknown; main?: string };
}

const packages = new Map<string, PackageInfo>();

function findPackage(req: NodeRequire, pkg: string): PackageInfo {
  let info = packages.get(pkg);
  if (!info) {
    for (const dir of req.resolve.paths(pkg) ?? []) {
      const pkgJsonPath = path.join(dir, pkg, 'package.json');
      if (fs.existsSync(pkgJsonPath)) {
        info = {
          dir: path.dirname(pkgJsonPath),
          json: JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')),
        };
        packages.set(pkg, info);
        break;
      }
    }
  }
  if (!info) {
    throw new Error(`Cannot find package '${pkg}'`);
  }
  return info;
}

function requireEsm(specifier: string): unknown {
  const req = getRealRequire();
  const { pkg, subpath } = splitSpecifier(specifier);
  const { dir, json } = findPackage(req, pkg);
  const target =
    json.exports !== undefined
      ? resolveExport(json.exports, subpath)
      : subpath || json.main || 'index.js';
  if (!target) {
    throw new Error(
      `Cannot resolve '${specifier}': the subpath is not exported by ${pkg}`,
    );
  }
  // An absolute path bypasses `exports`; Node loads the file as ESM
  // (`"type": "module"`) and resolves its own imports with ESM rules.
  return req(path.join(dir, target));
}
