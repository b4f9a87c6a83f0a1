/*
 * P3: scaffolder dry-run of the full template
 * (templates/cloud-native-deployment/template.yaml) vs a trivial one-step
 * template (`debug:log`), against a running backend.
 *
 * Environment:
 *   BACKEND_URL        default http://localhost:7007
 *   BACKSTAGE_TOKEN    a token the backend accepts (Authorization: Bearer)
 *   BENCH_REPS         repetitions per template, alternating (default 5)
 *   BENCH_P3_VALUES    a YAML/JSON file with the template's parameter values
 *                      (default: the defaults declared by its parameters)
 *
 * The template's folder (every file but template.yaml) is sent as the
 * dry-run's directoryContents, like the template editor does.
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p3-dry-run.ts
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { alternate, envInt, median, ms, printMachine } from './lib';

const BACKEND_URL = (
  process.env.BACKEND_URL ?? 'http://localhost:7007'
).replace(/\/+$/, '');
const TOKEN = process.env.BACKSTAGE_TOKEN;
const REPS = envInt('BENCH_REPS', 5);
const TEMPLATE_DIR = path.resolve(
  __dirname,
  '..',
  'templates',
  'cloud-native-deployment',
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface DryRunBody {
  template: unknown;
  values: Record<string, Json>;
  secrets: Record<string, string>;
  directoryContents: Array<{ path: string; base64Content: string }>;
}

interface DryRunOutcome {
  status: number;
  steps: number;
  logLines: number;
  files: number;
  error?: string;
}

const TRIVIAL_TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'bench-trivial', title: 'Benchmark: one debug:log step' },
  spec: {
    owner: 'group:default/platform-team',
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'log',
        name: 'Log',
        action: 'debug:log',
        input: { message: 'hello from the P3 benchmark' },
      },
    ],
  },
};

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(root, dir), {
    withFileTypes: true,
  })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

interface ParameterProperty {
  type?: string;
  default?: Json;
  enum?: Json[];
  minimum?: number;
}

/**
 * Values for the template's form: the `default` of every parameter property
 * (over all parameter steps); required properties without one get a
 * placeholder (the first enum value, `bench-p3`, an owner, [] ...).
 */
function defaultValues(template: { spec?: { parameters?: unknown } }) {
  const values: Record<string, Json> = {};
  const steps = [template.spec?.parameters ?? []].flat() as Array<{
    required?: string[];
    properties?: Record<string, ParameterProperty>;
  }>;
  for (const step of steps) {
    for (const [key, property] of Object.entries(step?.properties ?? {})) {
      if (property && property.default !== undefined) {
        values[key] = property.default;
      }
    }
    for (const key of step?.required ?? []) {
      if (values[key] !== undefined) continue;
      const property = step.properties?.[key] ?? {};
      if (property.enum?.length) values[key] = property.enum[0];
      else if (property.type === 'array') values[key] = [];
      else if (property.type === 'boolean') values[key] = false;
      else if (property.type === 'number' || property.type === 'integer') {
        values[key] = property.minimum ?? 1;
      } else if (key === 'owner') values[key] = 'group:default/platform-team';
      else values[key] = 'bench-p3';
    }
  }
  return values;
}

async function dryRun(body: DryRunBody): Promise<DryRunOutcome> {
  const response = await fetch(`${BACKEND_URL}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: {
    steps?: unknown[];
    log?: Array<{ body?: { status?: string; message?: string } }>;
    directoryContents?: unknown[];
    errors?: unknown;
    error?: { message?: string };
  } = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  const failed = json.log?.find(l => l.body?.status === 'failed');
  return {
    status: response.status,
    steps: json.steps?.length ?? 0,
    logLines: json.log?.length ?? 0,
    files: json.directoryContents?.length ?? 0,
    error:
      response.status !== 200
        ? `${response.status}: ${
            json.error?.message ??
            (json.errors ? JSON.stringify(json.errors) : text.slice(0, 500))
          }`
        : failed?.body?.message,
  };
}

async function main() {
  printMachine('P3: scaffolder dry-run, full template vs trivial template');
  console.log(
    `backend: ${BACKEND_URL}${TOKEN ? '' : ' (no BACKSTAGE_TOKEN set)'}`,
  );
  const templateFile = path.join(TEMPLATE_DIR, 'template.yaml');
  let templateText: string;
  try {
    templateText = await fs.readFile(templateFile, 'utf8');
  } catch {
    console.log(
      `\n${path.relative(
        process.cwd(),
        templateFile,
      )} does not exist (yet): nothing to measure. P3 skipped.`,
    );
    return;
  }
  const template = parse(templateText) as {
    spec?: { parameters?: unknown; steps?: unknown[] };
  };
  const directoryContents = await Promise.all(
    (
      await listFiles(TEMPLATE_DIR)
    )
      .filter(f => f !== 'template.yaml')
      .map(async f => ({
        path: f,
        base64Content: (
          await fs.readFile(path.join(TEMPLATE_DIR, f))
        ).toString('base64'),
      })),
  );
  const values = process.env.BENCH_P3_VALUES
    ? (parse(await fs.readFile(process.env.BENCH_P3_VALUES, 'utf8')) as Record<
        string,
        Json
      >)
    : defaultValues(template);
  console.log(
    `template: ${path.relative(process.cwd(), templateFile)} (${
      template.spec?.steps?.length ?? 0
    } steps, ${directoryContents.length} other files); values: ${
      Object.keys(values).join(', ') || '(none)'
    }`,
  );

  const full: DryRunBody = {
    template,
    values,
    secrets: {},
    directoryContents,
  };
  const trivial: DryRunBody = {
    template: TRIVIAL_TEMPLATE,
    values: {},
    secrets: {},
    directoryContents: [],
  };

  // One of each first: fails fast (auth, parameters) and warms the backend
  for (const [name, body] of [
    ['full', full],
    ['trivial', trivial],
  ] as const) {
    let outcome: DryRunOutcome;
    try {
      outcome = await dryRun(body);
    } catch (error) {
      console.log(`cannot reach ${BACKEND_URL}: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    if (outcome.status !== 200) {
      console.log(`${name} dry-run failed: ${outcome.error}`);
      if (name === 'full') {
        console.log(
          'Pass the parameter values with BENCH_P3_VALUES=<file.yaml> if the template needs some without defaults.',
        );
      }
      process.exitCode = 1;
      return;
    }
    console.log(
      `warm-up ${name}: ${outcome.steps} steps, ${
        outcome.logLines
      } log lines, ${outcome.files} files${
        outcome.error ? `, a step failed: ${outcome.error}` : ''
      }`,
    );
  }

  const results = await alternate(
    REPS,
    { full: () => dryRun(full), trivial: () => dryRun(trivial) },
    (name, rep, duration) =>
      console.log(`  rep ${rep + 1} ${name.padEnd(7)} ${ms(duration)}`),
  );
  const a = median(results.full.durations);
  const b = median(results.trivial.durations);
  console.log('\nmedians');
  console.log(
    `  full template:    ${ms(a)} (${results.full.last?.steps} steps)`,
  );
  console.log(`  trivial template: ${ms(b)}`);
  console.log(`  ratio full / trivial: ${(a / b).toFixed(2)}x`);
  const errors = [results.full.last, results.trivial.last].filter(
    o => o && (o.status !== 200 || o.error),
  );
  if (errors.length > 0) {
    console.log(
      `  last runs reported: ${errors.map(e => e!.error).join('; ')}`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
