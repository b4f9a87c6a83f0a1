import os from 'node:os';

/**
 * How many tool processes the engine runs at once by default: the number of
 * CPUs the process may use, at least 4 (a process start waits on the disk
 * and the loader as well as on the CPU).
 */
export function defaultToolConcurrency(): number {
  const cpus =
    typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  return Math.max(4, cpus);
}

/**
 * A concurrency limit: `limit(task)` runs `task` once fewer than `max`
 * tasks run, in the order they were submitted.
 */
export function createLimiter(
  max: number,
): <T>(task: () => Promise<T>) => Promise<T> {
  const size = Math.max(1, Math.floor(max));
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        let running: Promise<T>;
        try {
          running = task();
        } catch (error) {
          running = Promise.reject(error);
        }
        running.then(resolve, reject).finally(next);
      };
      if (active < size) start();
      else waiting.push(start);
    });
}
