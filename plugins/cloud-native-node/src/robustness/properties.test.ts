/*
 * Property-based tests of the engine: random valid specs give valid,
 * deterministic packages; random invalid specs are rejected with field paths
 * and never crash the parser; hostile strings are rejected or encoded safely.
 *
 * Runs: small by default (fixed seed); `CNO_FUZZ_RUNS` / `CNO_FUZZ_ENGINE_RUNS`
 * raise them (bench/fuzz.sh). A failure prints the seed and the shrunk
 * counterexample; replay it with CNO_FUZZ_SEED=<seed>.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  Architecture,
  ParseArchitectureResult,
  SpecIssue,
  parseArchitecture,
} from '@internal/backstage-plugin-cloud-native-common';
import { SpecValidationError } from '../core/errors';
import { parseSpecObject, parseSpecText } from '../engine/loadSpec';
import { DeploymentPackage, orchestrate } from '../engine/orchestrate';
import {
  badNameArb,
  engineFuzzRuns,
  fuzzRuns,
  fuzzSeed,
  hostileYamlArb,
  injectionSpecArb,
  invalidSpecArb,
  secretValueArb,
  validSpecArb,
} from '../../testkit/arbitraries';
import {
  filesWithSecrets,
  iamWildcardErrors,
  isKnownSchemaBug,
  schemaFindings,
  unparsableFiles,
  yamlDocuments,
} from '../../testkit/robustness';
import { thrownBy } from './__fixtures__/thrown';

const PARSE_RUNS = fuzzRuns(200);
const ENGINE_RUNS = engineFuzzRuns(25);
const seed = fuzzSeed();
/** Per-test timeout from the number of runs (ms per run, with a floor). */
const budget = (runs: number, msPerRun: number) =>
  Math.max(60_000, runs * msPerRun);
const PARSE_TIMEOUT = budget(PARSE_RUNS, 25);
const ENGINE_TIMEOUT = budget(ENGINE_RUNS, 3_000);

const generate = (architecture: Architecture) =>
  orchestrate(architecture, { tools: false });

/** The issues of a rejected spec; none when it was accepted. */
const issuesOf = (result: ParseArchitectureResult): SpecIssue[] =>
  result.ok ? [] : result.issues;

const describeIssues = (result: ParseArchitectureResult) =>
  issuesOf(result)
    .map(i => `${i.path}: ${i.message}`)
    .join('; ');

const copy = <T>(value: T): any => JSON.parse(JSON.stringify(value));

/** Files whose content or mode differ between two packages of one spec. */
function differences(a: DeploymentPackage, b: DeploymentPackage): string[] {
  const other = new Map(b.files.map(f => [f.path, f]));
  const paths = new Set([...a.files, ...b.files].map(f => f.path));
  return [...paths].filter(p => {
    const x = a.files.find(f => f.path === p);
    const y = other.get(p);
    return !x || !y || x.content !== y.content || x.mode !== y.mode;
  });
}

/**
 * Where env values must appear verbatim: the ConfigMap `<svc>-config` of
 * every environment, and `services.<svc>.config` in the Helm values.
 * Returns what was found next to what was expected.
 */
function envPlacements(pkg: DeploymentPackage) {
  const found: unknown[] = [];
  const expected: unknown[] = [];
  const values =
    pkg.plan.packaging === 'helm'
      ? yamlDocuments(
          pkg.files.find(f => f.path === `helm/${pkg.plan.name}/values.yaml`)
            ?.content ?? '',
        )[0]
      : undefined;
  const withEnv = pkg.plan.services.filter(
    s => s.runtime === 'kubernetes' && Object.keys(s.service.env).length > 0,
  );
  for (const servicePlan of withEnv) {
    const env = servicePlan.service.env;
    for (const environment of pkg.plan.environments) {
      const data = pkg.files
        .filter(f => f.path.startsWith(`kubernetes/${environment}/`))
        .flatMap(f => yamlDocuments(f.content))
        .filter(
          o =>
            o?.kind === 'ConfigMap' &&
            o.metadata?.name === `${servicePlan.name}-config`,
        )
        .map(o => o.data);
      found.push({ service: servicePlan.name, environment, data });
      expected.push({ service: servicePlan.name, environment, data: [env] });
    }
    if (values) {
      found.push({
        service: servicePlan.name,
        helm: values.services?.[servicePlan.name]?.config,
      });
      expected.push({ service: servicePlan.name, helm: env });
    }
  }
  return { found, expected };
}

/** User free text (with shell syntax) that appears in a shell script. */
function scriptProblems(
  pkg: DeploymentPackage,
  userText: ReadonlyArray<unknown>,
): string[] {
  // Long enough not to occur in a script by chance (a bare "#!" would)
  const risky = userText.filter(
    (t): t is string =>
      typeof t === 'string' &&
      t.trim().length >= 8 &&
      /[$`"'\\;|&<>(){}*?!#~]/.test(t),
  );
  const problems: string[] = [];
  for (const script of pkg.files.filter(f => f.path.endsWith('.sh'))) {
    const syntax = spawnSync('bash', ['-n'], {
      input: script.content,
      encoding: 'utf8',
    });
    if (syntax.status !== 0) problems.push(`${script.path}: ${syntax.stderr}`);
    for (const text of risky) {
      if (script.content.includes(text)) {
        problems.push(`${script.path} contains ${JSON.stringify(text)}`);
      }
    }
  }
  return problems;
}

describe('valid specs', () => {
  it(
    'are accepted by the spec validation',
    () => {
      fc.assert(
        fc.property(validSpecArb, input => {
          expect(describeIssues(parseArchitecture(input))).toBe('');
        }),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'give 0 schema findings, byte-identical files on a second run, no IAM wildcard, parseable YAML/JSON and no credential',
    async () => {
      await fc.assert(
        fc.asyncProperty(validSpecArb, async input => {
          const architecture = parseSpecObject(input);
          const before = structuredClone(architecture);
          const first = await generate(architecture);
          // the engine does not modify its input
          expect(architecture).toEqual(before);
          const second = await generate(parseSpecObject(input));

          expect(
            schemaFindings(first.findings).filter(f => !isKnownSchemaBug(f)),
          ).toEqual([]);
          expect(differences(first, second)).toEqual([]);
          expect(iamWildcardErrors(first.files)).toEqual([]);
          expect(unparsableFiles(first.files)).toEqual([]);
          expect(filesWithSecrets(first.files)).toEqual([]);
        }),
        { numRuns: ENGINE_RUNS, seed },
      );
    },
    ENGINE_TIMEOUT,
  );
});

describe('invalid specs', () => {
  it(
    'are rejected with issues at the mutated field, never by throwing',
    () => {
      fc.assert(
        fc.property(invalidSpecArb, ({ spec, expectedPath, mutation }) => {
          const result = parseArchitecture(spec);
          expect({ mutation, ok: result.ok }).toEqual({ mutation, ok: false });
          const issues = issuesOf(result);
          expect(issues.length).toBeGreaterThan(0);
          expect(
            issues.filter(
              i =>
                typeof i.path !== 'string' ||
                i.path.length === 0 ||
                i.message.length === 0,
            ),
          ).toEqual([]);
          expect({
            mutation,
            pathFound: issues.some(i => i.path.startsWith(expectedPath)),
            paths: issues.map(i => i.path),
          }).toMatchObject({ mutation, pathFound: true });
        }),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'as YAML text, make parseSpecText throw SpecValidationError only',
    () => {
      fc.assert(
        fc.property(invalidSpecArb, ({ spec }) => {
          const text = stringify(copy(spec));
          expect(() => parseSpecText(text)).toThrow(SpecValidationError);
        }),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'anything at all: parseArchitecture returns issues with paths, never throws',
    () => {
      fc.assert(
        fc.property(fc.anything({ withNullPrototype: true }), value => {
          const result = parseArchitecture(value);
          expect(result.ok).toBe(false);
          expect(issuesOf(result).length).toBeGreaterThan(0);
          expect(issuesOf(result).every(i => i.path.length > 0)).toBe(true);
        }),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'hostile YAML text: parseSpecText returns a spec or throws SpecValidationError',
    () => {
      // the yaml library warns about odd keys; the verdict is what matters
      const warnings = jest
        .spyOn(process, 'emitWarning')
        .mockImplementation(() => {});
      try {
        fc.assert(
          fc.property(hostileYamlArb, text => {
            const error = thrownBy(() => parseSpecText(text));
            if (
              error !== undefined &&
              !(error instanceof SpecValidationError)
            ) {
              throw error;
            }
            const issues =
              error instanceof SpecValidationError ? error.issues : [];
            expect(issues.every(i => i.path.length > 0)).toBe(true);
            expect(error === undefined || issues.length > 0).toBe(true);
          }),
          { numRuns: PARSE_RUNS, seed },
        );
      } finally {
        warnings.mockRestore();
      }
    },
    PARSE_TIMEOUT,
  );

  const alias = (i: number) => String.fromCharCode(97 + i);
  it.each([
    ['deep flow nesting', `a: ${'['.repeat(5000)}${']'.repeat(5000)}`],
    [
      'deep block nesting',
      Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    ],
    [
      'billion laughs',
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `${alias(i + 1)}: &${alias(i + 1)} [*${alias(i)}, *${alias(
              i,
            )}, *${alias(i)}]`,
        ),
      ].join('\n'),
    ],
    ['huge scalar', `metadata: { name: ${'a'.repeat(1_000_000)} }`],
    ['merge keys', 'base: &b { tier: T1 }\nspec:\n  <<: *b'],
    ['NUL byte', 'apiVersion: "\0"'],
  ])('%s: rejected with SpecValidationError, quickly', (_name, text) => {
    const started = Date.now();
    expect(() => parseSpecText(text)).toThrow(SpecValidationError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/**
 * The injection specs without `*` and `?` in trigger sources: the spec
 * validation rejects those (a wildcard source would become an IAM grant on
 * every matching resource), so they are not free text that must be encoded.
 */
const injectionSpecsWithoutWildcards = injectionSpecArb.map(spec => {
  const out = copy(spec);
  for (const service of out.spec.services) {
    if (service.trigger?.source === undefined) continue;
    const source = service.trigger.source.replace(/[*?]/g, '');
    if (source) service.trigger.source = source;
    else delete service.trigger.source;
  }
  return out as typeof spec;
});

describe('injection', () => {
  it(
    'names with YAML, template or shell syntax are rejected',
    () => {
      fc.assert(
        fc.property(
          validSpecArb,
          badNameArb,
          fc.constantFrom('service', 'metadata', 'environment', 'dependsOn'),
          (valid, name, where) => {
            const spec = copy(valid);
            if (where === 'service') spec.spec.services[0].name = name;
            else if (where === 'metadata') spec.metadata.name = name;
            else if (where === 'environment') spec.spec.environments = [name];
            else spec.spec.services[0].dependsOn = [name];
            expect(parseArchitecture(spec).ok).toBe(false);
          },
        ),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'secret-looking env values are rejected at their field, and the message does not echo them',
    () => {
      fc.assert(
        fc.property(validSpecArb, secretValueArb, (valid, { key, value }) => {
          const spec = copy(valid);
          const service = spec.spec.services[0];
          service.env = { ...(service.env ?? {}), [key]: value };
          service.secrets = (service.secrets ?? []).filter(
            (s: string) => s !== key,
          );
          const result = parseArchitecture(spec);
          expect(result.ok).toBe(false);
          expect(issuesOf(result).map(i => i.path)).toContain(
            `spec.services[0].env.${key}`,
          );
          expect(
            issuesOf(result).filter(i => i.message.includes(value)),
          ).toEqual([]);
        }),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );

  it(
    'hostile free text is encoded safely: files parse back, ConfigMaps and Helm values hold the exact env values, scripts never carry it',
    async () => {
      await fc.assert(
        fc.asyncProperty(injectionSpecsWithoutWildcards, async input => {
          const result = parseArchitecture(input);
          // the injection arbitrary makes valid specs only
          expect(describeIssues(result)).toBe('');
          const architecture = parseSpecObject(input);
          const pkg = await generate(architecture);
          expect(unparsableFiles(pkg.files)).toEqual([]);
          expect(filesWithSecrets(pkg.files)).toEqual([]);

          const { found, expected } = envPlacements(pkg);
          expect(found).toEqual(expected);

          const chart = pkg.files.find(
            f => f.path === `helm/${pkg.plan.name}/Chart.yaml`,
          );
          const meta = architecture.metadata;
          expect(
            chart
              ? yamlDocuments(chart.content)[0].description
              : meta.description ?? meta.title,
          ).toBe(meta.description ?? meta.title);

          expect(
            scriptProblems(pkg, [
              input.metadata.title,
              input.metadata.description,
              input.metadata.owner,
              ...input.spec.services.flatMap(s => [
                ...Object.values(s.env ?? {}),
                s.trigger?.source,
              ]),
            ]),
          ).toEqual([]);
        }),
        { numRuns: ENGINE_RUNS, seed },
      );
    },
    ENGINE_TIMEOUT,
  );

  it(
    'env values with newlines or NUL are rejected, not encoded',
    () => {
      fc.assert(
        fc.property(
          validSpecArb,
          fc.tuple(
            fc.string({ maxLength: 8 }),
            fc.constantFrom('\n', '\r', '\0', '\r\n', '\nkind: Secret\n'),
            fc.string({ maxLength: 8 }),
          ),
          (valid, [head, breaker, tail]) => {
            const spec = copy(valid);
            spec.spec.services[0].env = {
              LOG_LEVEL: `${head}${breaker}${tail}`,
            };
            spec.spec.services[0].secrets = [];
            const result = parseArchitecture(spec);
            expect(result.ok).toBe(false);
            expect(issuesOf(result).map(i => i.path)).toContain(
              'spec.services[0].env.LOG_LEVEL',
            );
          },
        ),
        { numRuns: PARSE_RUNS, seed },
      );
    },
    PARSE_TIMEOUT,
  );
});
