/*
 * P2: scaling from 50 to 500 services (T2, kubernetes, several workload
 * kinds, one environment), in process with `tools: false` (generation and
 * the whole in-memory validation).
 *
 * Each measurement runs in its own child process so that its peak RSS is
 * its own: the parent alternates 50 / 500 children (rotating order) for
 * BENCH_REPS repetitions (default 3) and reports medians. In a child, RSS is
 * sampled every 5 ms (`process.memoryUsage().rss`) and the kernel's peak
 * (`process.resourceUsage().maxRSS`) is read at the end; the larger counts.
 * `--max-old-space-size` is not set (the parent refuses to run when
 * NODE_OPTIONS sets it).
 *
 * Run: node -r @backstage/cli/config/nodeTransform.cjs bench/p2-scale.ts
 */
import { execFile } from 'node:child_process';
import { parseSpecObject } from '../plugins/cloud-native-node/src/engine/loadSpec';
import { orchestrate } from '../plugins/cloud-native-node/src/engine/orchestrate';
import { envInt, goal, median, mib, ms, printMachine } from './lib';
import { scaleSpec } from './scaleSpec';

const SMALL = envInt('BENCH_P2_SMALL', 50);
const LARGE = envInt('BENCH_P2_LARGE', 500);
const REPS = envInt('BENCH_REPS', 3);
const GIB = 1024 ** 3;

interface ChildResult {
  services: number;
  ms: number;
  warmupMs: number;
  peakRss: number;
  sampledPeakRss: number;
  kernelPeakRss: number;
  files: number;
  objects: number;
  errors: number;
}

async function child(count: number): Promise<void> {
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 5);
  // Warm-up on a small spec: module loading and the schema models are a
  // fixed cost of the process, not of the spec size
  const warmStart = performance.now();
  await orchestrate(parseSpecObject(scaleSpec(5)), { tools: false });
  const warmupMs = performance.now() - warmStart;

  const architecture = parseSpecObject(scaleSpec(count));
  const started = performance.now();
  const pkg = await orchestrate(architecture, { tools: false });
  const elapsed = performance.now() - started;
  sampled = Math.max(sampled, process.memoryUsage().rss);
  clearInterval(sampler);
  const kernel = process.resourceUsage().maxRSS * 1024;
  const result: ChildResult = {
    services: count,
    ms: elapsed,
    warmupMs,
    peakRss: Math.max(sampled, kernel),
    sampledPeakRss: sampled,
    kernelPeakRss: kernel,
    files: pkg.files.length,
    objects: pkg.manifests.reduce((n, m) => n + m.objects.length, 0),
    errors: pkg.findings.filter(f => f.severity === 'error').length,
  };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
}

function runChild(count: number): Promise<ChildResult> {
  const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', transform, __filename, '--child', String(count)],
      { maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find(l => l.startsWith('@@RESULT '));
        if (error || !line) {
          reject(
            new Error(
              `child ${count} failed: ${
                error?.message ?? 'no result'
              }\n${stderr}`,
            ),
          );
          return;
        }
        resolve(JSON.parse(line.slice('@@RESULT '.length)));
      },
    );
  });
}

async function parent(): Promise<void> {
  printMachine(`P2: scale ${SMALL} vs ${LARGE} services (tools: false)`);
  if (/max-old-space-size/.test(process.env.NODE_OPTIONS ?? '')) {
    console.log('NODE_OPTIONS sets --max-old-space-size: unset it for P2');
    process.exitCode = 1;
    return;
  }
  console.log(
    `spec:    T2, kubernetes, aws, 1 environment; service/worker/stateful/job/cronjob/function (+2 daemons)`,
  );
  console.log(
    `reps:    ${REPS} per size, alternating, one child process each\n`,
  );
  const results: Record<number, ChildResult[]> = { [SMALL]: [], [LARGE]: [] };
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? [SMALL, LARGE] : [LARGE, SMALL];
    for (const count of order) {
      const result = await runChild(count);
      results[count].push(result);
      console.log(
        `  rep ${rep + 1} ${String(count).padStart(4)} services: ${ms(
          result.ms,
        )}, peak RSS ${mib(result.peakRss)} (sampled ${mib(
          result.sampledPeakRss,
        )}, kernel ${mib(result.kernelPeakRss)}), ${result.files} files, ${
          result.objects
        } objects, ${result.errors} error(s)`,
      );
    }
  }
  const small = median(results[SMALL].map(r => r.ms));
  const large = median(results[LARGE].map(r => r.ms));
  const peak = Math.max(...results[LARGE].map(r => r.peakRss));
  const smallPeak = Math.max(...results[SMALL].map(r => r.peakRss));
  const ratio = large / small;
  console.log('\nmedians');
  console.log(`  ${SMALL} services: ${ms(small)}   peak RSS ${mib(smallPeak)}`);
  console.log(`  ${LARGE} services: ${ms(large)}   peak RSS ${mib(peak)}`);
  console.log(
    `  time ratio ${LARGE}/${SMALL}: ${ratio.toFixed(2)}x for ${
      LARGE / SMALL
    }x the services   (goal <= 11x: ${goal(ratio <= 11)})`,
  );
  console.log(
    `  peak RSS at ${LARGE}: ${mib(peak)}   (goal <= 1 GiB: ${goal(
      peak <= GIB,
    )})`,
  );
}

if (process.argv.includes('--child')) {
  child(Number(process.argv[process.argv.indexOf('--child') + 1])).catch(
    error => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  parent().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
