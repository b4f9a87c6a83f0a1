/*
 * Shared helpers of the benchmarks: the machine, medians, percentiles and
 * A/B runs that alternate their order (so warm-up and thermal drift hit both
 * sides alike).
 */
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
  loadAverage: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' '),
  };
}

export function printMachine(title: string): void {
  const m = machine();
  console.log(`# ${title}`);
  console.log(
    `machine: ${m.cpu}, ${m.cores} core(s), ${m.memoryGiB} GiB, ${m.platform}`,
  );
  console.log(`node:    ${m.node}   load average at start: ${m.loadAverage}`);
}

export function median(values: ReadonlyArray<number>): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile, p in 0..100. */
export function percentile(values: ReadonlyArray<number>, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${value.toFixed(1)} ms`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

/** A positive integer from the environment, or the fallback. */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Runs each variant `reps` times, rotating which variant goes first in each
 * repetition (A B C, B C A, C A B, ...). Returns the durations (ms) and the
 * last result of each variant.
 */
export async function alternate<
  V extends Record<string, () => Promise<unknown>>,
>(
  reps: number,
  variants: V,
  onRun?: (name: keyof V & string, rep: number, durationMs: number) => void,
): Promise<{
  [K in keyof V]: {
    durations: number[];
    last: Awaited<ReturnType<V[K]>> | undefined;
  };
}> {
  const names = Object.keys(variants) as Array<keyof V & string>;
  const out: Record<string, { durations: number[]; last: unknown }> = {};
  for (const name of names) out[name] = { durations: [], last: undefined };
  for (let rep = 0; rep < reps; rep++) {
    const order = names.map((_, i) => names[(i + rep) % names.length]);
    for (const name of order) {
      const started = performance.now();
      const result = await variants[name]();
      const duration = performance.now() - started;
      out[name].durations.push(duration);
      out[name].last = result;
      onRun?.(name, rep, duration);
    }
  }
  return out as {
    [K in keyof V]: {
      durations: number[];
      last: Awaited<ReturnType<V[K]>> | undefined;
    };
  };
}

export function goal(ok: boolean): string {
  return ok ? 'MET' : 'NOT MET';
}
