// Runs the real `paperboy serve` in a child process on a free loopback port, for browser and load tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './cli.ts';
import { waitFor, watchOutput } from './wait-for.ts';

export interface ServeProcess {
  base: string;
  pid: number;
  log(): string;
  /** Resolves once the output so far matches `test` (a data event, not a poll); fails when serve exits first. */
  waitForLog(test: RegExp | ((log: string) => boolean), what: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
  /** How the process ended (`exit 0`, `signal SIGKILL`), or null while it runs. */
  ended(): string | null;
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
 * waits until it says it listens (or, with LOG_LEVEL above info, until /health answers). `nodeArgs` go to
 * node itself (V8 flags, `--cpu-prof`).
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
  const out = watchOutput(child.stdout, child.stderr);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const what = `serve listening on ${base}`;
  try {
    // The line is logged from the listen callback (in a cluster, once every worker listens): the moment to go.
    if (['info', 'debug'].includes(env.LOG_LEVEL ?? 'info'))
      await out.until(/Paperboy listening on /, { what, timeoutMs });
    // A quieter serve (benchmarks) says nothing when it listens: only /health tells.
    else
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode})\n${out.text()}`);
          return fetch(`${base}/health`).then(
            (r) => r.ok,
            () => false,
          );
        },
        { what, timeoutMs },
      );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`serve did not start: ${(err as Error).message}`);
  }
  return {
    base,
    pid: child.pid ?? -1,
    log: () => out.text(),
    waitForLog: (test, what, ms) => out.until(test, { what, timeoutMs: ms }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    ended: () =>
      child.exitCode !== null
        ? `exit ${child.exitCode}`
        : child.signalCode !== null
          ? `signal ${child.signalCode}`
          : null,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
