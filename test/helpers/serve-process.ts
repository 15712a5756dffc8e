// Runs the real `paperboy serve` in a child process on a free loopback port, for browser and load tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './cli.ts';

export interface ServeProcess {
  base: string;
  pid: number;
  log(): string;
  stop(): Promise<void>;
  /** Kills the process with SIGKILL (a crash: no shutdown work) and waits for it to be gone. */
  kill(): Promise<void>;
}

/** A port that was free a moment ago (the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts serve with `env` and extra `args` (PORT is chosen here so mailed links carry the real address) and
 * waits until it listens. `nodeArgs` go to node itself (V8 flags, `--cpu-prof`).
 * @example const s = await startServe({ DATABASE_URL: db, PAPERBOY_HARVEST: 'false' }); await s.stop();
 */
export async function startServe(
  env: Record<string, string>,
  timeoutMs = 30_000,
  args: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const until = Date.now() + timeoutMs;
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start:\n${log}`);
    }
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    pid: child.pid ?? -1,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
