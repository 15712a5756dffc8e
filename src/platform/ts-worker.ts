// Starting a worker thread on a TypeScript module: workers do not inherit the parent's tsx loader.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Code for `new Worker(code, { eval: true })` that registers tsx in the worker, then imports `moduleUrl`. */
export function tsWorkerSource(moduleUrl: string): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); });`;
}

/** A worker thread running the TypeScript module at `moduleUrl` (with `workerData` and any other options). */
export function startTsWorker(moduleUrl: string, options: WorkerOptions = {}): Worker {
  return new Worker(tsWorkerSource(moduleUrl), { ...options, eval: true });
}

/**
 * Calls `fail` with why `worker` went away: an uncaught error in it, or its exit. An exit after the worker
 * posted its result is normal, so `fail` must ignore calls once the caller has settled.
 */
export function onWorkerFailure(worker: Worker, fail: (why: string) => void): void {
  worker.on('error', (err) => fail(err instanceof Error ? err.message : String(err)));
  worker.on('exit', (code) => fail(`the worker exited early (code ${code})`));
}
