/*
 * Path traversal: package-relative paths and `--out` directories never lead
 * a write outside the directory the user chose.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { UnsafePathError } from '../core/errors';
import { assertSafeRelativePath, writePackage } from '../package/writePackage';
import { runCli } from '../cli/runCli';
import { withoutHelmAndKubectl } from './__fixtures__/noTools';
import { thrownBy } from './__fixtures__/thrown';
import { engineFuzzRuns, fuzzRuns, fuzzSeed } from '../../testkit/arbitraries';
import { isInside, listTree } from '../../testkit/robustness';

const RUNS = fuzzRuns(200);

async function refusalAsync(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

const WRITE_RUNS = Math.min(RUNS, fuzzRuns(100));
const CLI_RUNS = engineFuzzRuns(8);
const seed = fuzzSeed();

const ATTACKS = [
  '',
  '..',
  '../x',
  '../../etc/passwd',
  'a/../../x',
  'a/b/../../../x',
  'kubernetes/../../x',
  '/etc/passwd',
  '/',
  '//server/share/x',
  '..\\x',
  'a\\..\\..\\x',
  'a/..\\..\\x',
  'C:\\Windows\\x',
  'C:/x',
  'c:x',
  'a\0b',
  '\0',
  'a/b\0/../../x',
];

/** Segments an attacker would try, encoded or not. */
const segmentArb = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '',
    '...',
    '%2e%2e',
    '%2E%2E',
    '..%2f',
    '%252e%252e',
    '.. ',
    ' ..',
    '..\u2215',
    '\uff0e\uff0e',
    'a\0',
    'C:',
    '~',
    '$HOME',
    'kubernetes',
  ),
  fc.stringMatching(/^[a-z0-9._-]{1,6}$/),
);

const hostilePathArb = fc
  .tuple(
    fc.constantFrom('', '/', './', 'C:\\', '\\\\srv\\share\\', '~/'),
    fc.array(segmentArb, { minLength: 1, maxLength: 5 }),
    fc.array(fc.constantFrom('/', '\\'), { minLength: 5, maxLength: 5 }),
  )
  .map(([prefix, segments, separators]) =>
    segments.reduce(
      (text, segment, index) =>
        index === 0
          ? `${prefix}${segment}`
          : `${text}${separators[index]}${segment}`,
      '',
    ),
  );

describe('assertSafeRelativePath', () => {
  it.each(ATTACKS.map(a => [JSON.stringify(a), a]))(
    'refuses %s',
    (_label, attack) => {
      expect(() => assertSafeRelativePath(attack, '--out')).toThrow(
        UnsafePathError,
      );
    },
  );

  it('a UNC path: refused on Windows; on POSIX a backslash is part of a file name, so it stays inside', () => {
    const unc = '\\\\server\\share\\x';
    const error = thrownBy(() => assertSafeRelativePath(unc, '--out'));
    expect(error instanceof UnsafePathError).toBe(process.platform === 'win32');
    expect(
      error instanceof UnsafePathError ||
        isInside('/pkg', path.join('/pkg', unc)),
    ).toBe(true);
  });

  it('accepts encoded dots only as literal names inside the package', () => {
    for (const p of ['%2e%2e/x', '..%2fx', 'a/%2E%2E/b', '...', 'a/.../b']) {
      expect(() => assertSafeRelativePath(p, '--out')).not.toThrow();
      expect(isInside('/pkg', path.resolve('/pkg', p))).toBe(true);
    }
  });

  it('every path it accepts resolves inside the package root', () => {
    fc.assert(
      fc.property(hostilePathArb, candidate => {
        const error = thrownBy(() =>
          assertSafeRelativePath(candidate, '--out'),
        );
        expect(error === undefined || error instanceof UnsafePathError).toBe(
          true,
        );
        // What writePackage does with an accepted path, on this platform
        const root = path.resolve(os.tmpdir(), 'pkg');
        expect({
          candidate,
          refused: error !== undefined,
          joinedInside: isInside(root, path.join(root, candidate)),
          resolvedInside: isInside(root, path.resolve(root, candidate)),
          nul: candidate.includes('\0'),
        }).toMatchObject(
          error !== undefined
            ? { candidate, refused: true }
            : {
                candidate,
                joinedInside: true,
                resolvedInside: true,
                nul: false,
              },
        );
      }),
      { numRuns: RUNS, seed },
    );
  });
});

describe('writePackage', () => {
  let base: string;
  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-traversal-'));
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it(
    'never writes outside its directory, whatever the file paths',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(hostilePathArb, { minLength: 1, maxLength: 3 }),
          async paths => {
            const run = await fs.mkdtemp(path.join(base, 'run-'));
            const out = path.join(run, 'out');
            const error = await refusalAsync(() =>
              writePackage(
                out,
                paths.map(p => ({ path: p, content: 'pwned' })),
              ),
            );
            // refused, or the file system said no (a name that is a folder)
            expect(
              error === undefined ||
                error instanceof UnsafePathError ||
                ['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOENT'].includes(
                  (error as NodeJS.ErrnoException).code ?? '',
                ),
            ).toBe(true);
            for (const file of await listTree(run)) {
              expect(isInside(out, file)).toBe(true);
            }
            await fs.rm(run, { recursive: true, force: true });
          },
        ),
        { numRuns: WRITE_RUNS, seed },
      );
    },
    Math.max(60_000, WRITE_RUNS * 200),
  );
});

describe('cno generate --out <weird>', () => {
  const spec = [
    'apiVersion: cloud-native.backstage.io/v1alpha1',
    'kind: Architecture',
    'metadata: { name: shop }',
    'spec:',
    '  type: microservices',
    '  cloud: aws',
    '  tier: T1',
    '  requirements: [cost]',
    '  services:',
    '    - { name: web, workload: service, language: node, env: { MODE: "a: b # c" } }',
  ].join('\n');
  let base: string;
  let specFile: string;
  const silent = { stdout: () => {}, stderr: () => {} };

  // No real tools: the tool checks are skipped
  withoutHelmAndKubectl();
  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'cno-out-'));
    specFile = path.join(base, 'spec.yaml');
    await fs.writeFile(specFile, spec);
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  const WEIRD = [
    'out dir',
    'ünïcödé-目录',
    'line\nbreak',
    '%2e%2e',
    '..%2fescape',
    'a/../b',
    'deep/ly/nested',
    '.hidden',
    '-dash',
    '$(touch pwned)',
    '`id`',
    'x;y&z',
    '*',
    '~',
    'quote\'d"',
    'trailing/',
  ];

  async function generateInto(weird: string): Promise<number> {
    const out = path.join(base, 'work', weird);
    const code = await runCli(['generate', specFile, `--out=${out}`], silent);
    const resolved = path.resolve(out);
    const outside = (await listTree(base)).filter(
      file => file !== specFile && !isInside(resolved, file),
    );
    expect({ weird, outside }).toEqual({ weird, outside: [] });
    return code;
  }

  it.each(WEIRD.map(w => [JSON.stringify(w), w]))(
    'writes only inside %s',
    async (_label, weird) => {
      const code = await generateInto(weird);
      expect(code).toBe(0);
      expect(
        (await listTree(path.resolve(base, 'work', weird))).length,
      ).toBeGreaterThan(10);
    },
    60_000,
  );

  it(
    'random directory names: writes only inside the given directory',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc
            .string({ minLength: 1, maxLength: 12, unit: 'binary' })
            .filter(
              s =>
                !s.includes('\0') &&
                !s.split('/').includes('..') &&
                Buffer.byteLength(s) < 200,
            ),
          async weird => {
            await fs.rm(path.join(base, 'work'), {
              recursive: true,
              force: true,
            });
            const code = await generateInto(weird);
            expect([0, 1, 2]).toContain(code);
          },
        ),
        { numRuns: CLI_RUNS, seed },
      );
    },
    Math.max(60_000, CLI_RUNS * 5_000),
  );

  it('a NUL byte in --out: exit code 2 with a message naming --out, and nothing is written', async () => {
    const stderr: string[] = [];
    const code = await runCli(
      ['generate', specFile, `--out=${path.join(base, 'a\0b')}`],
      { stdout: () => {}, stderr: text => stderr.push(text) },
    );
    expect(code).toBe(2);
    expect(stderr.join('')).toMatch(/--out: .*NUL byte/);
    expect(await listTree(base)).toEqual([specFile]);
  });
});
