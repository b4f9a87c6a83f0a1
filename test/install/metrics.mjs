// Starts metrics-server.mjs in its own process (the install test blocks on kubectl).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function startMetricsServer({ port = 19090, logFile } = {}) {
  const script = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    'metrics-server.mjs',
  );
  const child = spawn(process.execPath, [script, String(port), logFile ?? ''], {
    stdio: 'inherit',
  });
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    close: () => child.kill(),
  };
}
