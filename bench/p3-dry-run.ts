/*
 * P3: scaffolder dry-run of the full template
 * (templates/cloud-native-deployment/template.yaml) vs a trivial one-step
 * template (`debug:log`), against a running backend. Goal: at most 2x. For
 * context also the full template without its orchestrate step.
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
 * Then, unless BENCH_P3_BREAKDOWN=0, where the time of the full template goes,
 * measured in this process (not in the backend) on the architecture the
 * template's orchestrate step builds from the same values: the engine without
 * external tools vs with them (what the action runs), and every helm / kubectl
 * process it spawns (counted and timed by wrapping child_process.spawn): their
 * summed wall time and the wall time during which at least one ran.
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p3-dry-run.ts
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  alternate,
  envInt,
  goal,
  machine,
  median,
  ms,
  printMachine,
} from './lib';

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
  // For context: the full template without its orchestrate step (the
  // scaffolder's own work: fetch:template, the publish step's dry run, the
  // files in the answer)
  const skeleton: DryRunBody = {
    ...full,
    template: {
      ...template,
      spec: {
        ...template.spec,
        steps: (template.spec?.steps ?? []).filter(
          (st: any) => st?.action !== 'cloud-native:orchestrate',
        ),
      },
    },
  };

  // One of each first: fails fast (auth, parameters) and warms the backend
  for (const [name, body] of [
    ['full', full],
    ['trivial', trivial],
    ['skeleton', skeleton],
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
    {
      full: () => dryRun(full),
      trivial: () => dryRun(trivial),
      skeleton: () => dryRun(skeleton),
    },
    (name, rep, duration) =>
      console.log(`  rep ${rep + 1} ${name.padEnd(8)} ${ms(duration)}`),
  );
  const a = median(results.full.durations);
  const b = median(results.trivial.durations);
  const c = median(results.skeleton.durations);
  console.log('\nmedians');
  console.log(
    `  full template:    ${ms(a)} (${results.full.last?.steps} steps)`,
  );
  console.log(`  trivial template: ${ms(b)}`);
  console.log(
    `  (context) full template without its orchestrate step: ${ms(c)} (${
      results.skeleton.last?.steps
    } steps)`,
  );
  console.log(
    `  ratio full / trivial: ${(a / b).toFixed(2)}x (goal: at most 2x, ${goal(
      a / b <= 2,
    )}); without orchestrate / trivial: ${(c / b).toFixed(2)}x`,
  );
  const errors = [
    results.full.last,
    results.trivial.last,
    results.skeleton.last,
  ].filter(o => o && (o.status !== 200 || o.error));
  if (errors.length > 0) {
    console.log(
      `  last runs reported: ${errors.map(e => e!.error).join('; ')}`,
    );
  }

  if (process.env.BENCH_P3_BREAKDOWN !== '0') {
    try {
      await breakdown(template, values);
    } catch (error) {
      console.log(`  (breakdown failed: ${(error as Error).message})`);
    }
  }
  console.log(`load average at the end: ${machine().loadAverage}`);
}

/** `${{ parameters.x }}` → values.x, recursively; other strings as they are. */
function substituteParameters(
  value: unknown,
  values: Record<string, Json>,
): unknown {
  if (typeof value === 'string') {
    const match = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(value.trim());
    return match ? values[match[1]] : value;
  }
  if (Array.isArray(value))
    return value.map(v => substituteParameters(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        substituteParameters(v, values),
      ]),
    );
  }
  return value;
}

interface Spawned {
  what: string;
  start: number;
  end?: number;
}

/** Wall time covered by at least one of the intervals. */
function covered(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [a, b] of sorted) {
    if (a > to) {
      if (to > from) total += to - from;
      [from, to] = [a, b];
    } else if (b > to) to = b;
  }
  if (to > from) total += to - from;
  return total;
}

async function breakdown(
  template: { spec?: { steps?: unknown[] } },
  values: Record<string, Json>,
) {
  console.log(
    '\nwhere the time goes (in this process, the same architecture as the orchestrate step)',
  );
  // loaded here so that an engine being edited cannot break the figures above
  /* eslint-disable @typescript-eslint/no-var-requires */
  const childProcess = require('node:child_process');
  const {
    orchestrate,
  } = require('../plugins/cloud-native-node/src/engine/orchestrate');
  const {
    loadArchitecture,
  } = require('../plugins/scaffolder-backend-module-cloud-native/src/actions/workspace');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const step = (template.spec?.steps ?? []).find(
    (st: any) => st?.action === 'cloud-native:orchestrate',
  ) as { input?: { architecture?: unknown } } | undefined;
  if (!step?.input?.architecture) {
    console.log(
      '  the template has no cloud-native:orchestrate step with an inline architecture',
    );
    return;
  }
  const architecture = await loadArchitecture({
    workspacePath: os.tmpdir(),
    architecture: substituteParameters(step.input.architecture, values),
    defaults: { tier: 'T2' }, // app-config.yaml's cloudNative.tier
  });

  const spawned: Spawned[] = [];
  const originalSpawn = childProcess.spawn;
  childProcess.spawn = function spawnAndTime(this: unknown, ...args: any[]) {
    const child = originalSpawn.apply(this, args);
    const entry: Spawned = {
      what: `${path.basename(String(args[0]))} ${
        Array.isArray(args[1]) ? args[1].slice(0, 1).join(' ') : ''
      }`.trim(),
      start: performance.now(),
    };
    spawned.push(entry);
    child.once('close', () => {
      entry.end = performance.now();
    });
    return child;
  };
  try {
    const runs = { tools: [] as number[], notools: [] as number[] };
    let toolRun: { spawned: Spawned[]; duration: number } | undefined;
    await orchestrate(architecture, { tools: true });
    await orchestrate(architecture, { tools: false });
    for (let rep = 0; rep < REPS; rep++) {
      for (const variant of rep % 2
        ? (['notools', 'tools'] as const)
        : (['tools', 'notools'] as const)) {
        spawned.length = 0;
        const t0 = performance.now();
        await orchestrate(architecture, { tools: variant === 'tools' });
        const duration = performance.now() - t0;
        runs[variant].push(duration);
        if (variant === 'tools') toolRun = { spawned: [...spawned], duration };
      }
    }
    const withTools = median(runs.tools);
    const without = median(runs.notools);
    console.log(
      `  engine with helm/kubectl checks (what the action runs): ${ms(
        withTools,
      )} (median of ${REPS})`,
    );
    console.log(
      `  engine without external tools:                         ${ms(without)}`,
    );
    if (toolRun) {
      const done = toolRun.spawned.filter(s => s.end !== undefined);
      const byWhat = new Map<string, number[]>();
      for (const s of done) {
        byWhat.set(s.what, [...(byWhat.get(s.what) ?? []), s.end! - s.start]);
      }
      const total = done.reduce((n, s) => n + (s.end! - s.start), 0);
      const wall = covered(done.map(s => [s.start, s.end!]));
      console.log(
        `  last run with tools: ${ms(toolRun.duration)}; ${
          done.length
        } processes spawned, ${ms(total)} summed, ${ms(wall)} (${(
          (100 * wall) /
          toolRun.duration
        ).toFixed(0)}%) of the run with at least one running`,
      );
      for (const [what, durations] of byWhat) {
        console.log(
          `    ${what.padEnd(18)} ${durations.length}x, median ${ms(
            median(durations),
          )}, sum ${ms(durations.reduce((a, b) => a + b, 0))}`,
        );
      }
    }
  } finally {
    childProcess.spawn = originalSpawn;
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
