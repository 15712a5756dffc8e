// `serve --workers N`: the primary process forks N workers that share the port, restarts crashed ones, and stops them.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/index.ts';
import { EXIT, INTERNAL_EXIT } from './exit-codes.ts';

/** Environment variable that tells a forked worker its place: "index/count", index from 0. */
const WORKER_ENV = 'PAPERBOY_SERVE_WORKER';
/** The IPC message that asks a worker to finish its requests and exit. */
export const SHUTDOWN_MESSAGE = 'paperboy:shutdown';
const MAX_WORKERS = 64;

/** Which server process this is: worker `index` of `count` (0 of 1 without --workers). Worker 0 runs the jobs. */
export interface ServeRole {
  index: number;
  count: number;
}

/**
 * Parses `--workers`: a whole number from 1 to 64, or `auto` (one per CPU core); default 1.
 * @example workersOption('auto') // 2 on a 2-core machine
 */
export function workersOption(raw: string | undefined): number {
  if (raw === undefined) return 1;
  if (raw === 'auto') return Math.min(availableParallelism(), MAX_WORKERS);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
    throw new AppError(
      'USAGE',
      `paperboy serve: --workers must be "auto" or a whole number from 1 to ${MAX_WORKERS}, got "${raw}"`,
    );
  return n;
}

/**
 * This process's role: a forked worker reads it from its environment; anything else is the only server.
 * @example const role = serveRole(); if (role.index === 0) startJobs();
 */
export function serveRole(): ServeRole {
  const m = cluster.isWorker ? /^(\d+)\/(\d+)$/.exec(process.env[WORKER_ENV] ?? '') : null;
  return m === null ? { index: 0, count: 1 } : { index: Number(m[1]), count: Number(m[2]) };
}

export interface PrimaryOptions {
  workers: number;
  log: Logger;
  signal: AbortSignal;
  /** Printed once every worker listens, e.g. "(./data/paperboy.db)". */
  describe: (port: number) => string;
  /** Longest wait for workers to finish their requests on shutdown before they are killed. */
  stopTimeoutMs?: number;
}

/**
 * Runs the primary until `signal` aborts: forks the workers, re-forks one that crashes after it was up,
 * and gives up (stopping the rest) when one exits before it ever listened. Resolves to the exit code.
 * @example return runPrimary({ workers: 2, log, signal: ctx.signal, describe: (p) => `port ${p}` });
 */
export function runPrimary(opts: PrimaryOptions): Promise<number> {
  const { workers, log } = opts;
  const indexOf = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let stopping = false;
  let code: number = EXIT.OK;
  const fork = (index: number): void => {
    const w = cluster.fork({ [WORKER_ENV]: `${index}/${workers}` });
    indexOf.set(w, index);
  };
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    const kill = setTimeout(() => {
      for (const w of indexOf.keys()) w.process.kill('SIGKILL');
    }, opts.stopTimeoutMs ?? 30_000);
    kill.unref();
    for (const w of indexOf.keys()) if (w.isConnected()) w.send(SHUTDOWN_MESSAGE);
  };
  return new Promise<number>((resolve) => {
    cluster.on('listening', (w, address) => {
      listening.add(w);
      if (listening.size === workers && !stopping)
        log.info(`Paperboy listening on ${opts.describe(address.port)} with ${workers} workers`);
    });
    cluster.on('exit', (w, exitCode, signal) => {
      const index = indexOf.get(w) ?? 0;
      indexOf.delete(w);
      const wasUp = listening.delete(w);
      if (!stopping) {
        if (wasUp) {
          log.warn(`worker ${index + 1} stopped (${signal ?? `exit ${exitCode}`}); starting another`);
          setTimeout(() => (stopping ? undefined : fork(index)), 1000).unref();
        } else {
          log.error(`worker ${index + 1} exited before it could serve (exit ${exitCode}); stopping`);
          code = exitCode > 0 ? exitCode : INTERNAL_EXIT;
          stopAll();
        }
      }
      if (stopping && indexOf.size === 0) resolve(code);
    });
    opts.signal.addEventListener('abort', stopAll, { once: true });
    for (let i = 0; i < workers; i++) fork(i);
  });
}

/**
 * Resolves when this server should stop: on `signal`, and in a worker also when the primary asks or is gone.
 */
export function stopRequested(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('message', onMessage);
      process.off('disconnect', done);
      resolve();
    };
    const onMessage = (m: unknown): void => {
      if (m === SHUTDOWN_MESSAGE) done();
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', done, { once: true });
    if (cluster.isWorker) {
      process.on('message', onMessage);
      process.once('disconnect', done);
    }
  });
}
