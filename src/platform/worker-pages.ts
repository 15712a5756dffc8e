// Pages made on a worker thread and handed over with credits: the worker sends a page only while it holds a
// credit, so at most a few pages wait in memory however large the input.
import type { MessagePort, TransferListItem, Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, isAppError } from '../errors.ts';

/** What a page-producing worker posts: a page, the end, or its own failure as an AppError code and message. */
export type WorkerPageMessage<P> =
  | { type: 'page'; page: P }
  | { type: 'done' }
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * The pages `worker` posts, in order. A credit ('credit') goes back to the worker for each page, before the
 * page is handed on when `creditFirst` (the worker makes the next one while this one is used) or after (one
 * page fewer in memory). Stopping early (break, a throw) terminates the worker; a crash or an unexpected exit
 * becomes `AppError('INTERNAL', `${what} failed: …`)`.
 */
export async function* pagesFromWorker<P>(
  worker: Worker,
  what: string,
  creditFirst: boolean,
): AsyncGenerator<P> {
  const queue: WorkerPageMessage<P>[] = [];
  let notify: (() => void) | null = null;
  let crashed: Error | null = null;
  worker.on('message', (m: WorkerPageMessage<P>) => {
    queue.push(m);
    notify?.();
  });
  worker.on('error', (err) => {
    crashed = err;
    notify?.();
  });
  worker.on('exit', () => {
    crashed ??= new Error('the worker exited');
    notify?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && crashed === null) await new Promise<void>((resolve) => (notify = resolve));
      const m = queue.shift();
      if (m === undefined) throw new AppError('INTERNAL', `${what} failed: ${String(crashed)}`);
      if (m.type === 'done') return;
      if (m.type === 'error') throw new AppError(m.code, m.message);
      if (creditFirst) worker.postMessage('credit');
      yield m.page;
      if (!creditFirst) worker.postMessage('credit');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The worker's side of `pagesFromWorker`: `page` waits until the worker holds a credit (each 'credit' message
 * from the parent adds one), then posts the page; `done` and `fail` post the end or the failure at once.
 */
export function workerPageSender<P>(port: MessagePort, credit: number) {
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  const post = (m: WorkerPageMessage<P>, transfer?: readonly TransferListItem[]): void =>
    port.postMessage(m, transfer);
  return {
    async page(page: P, transfer: readonly TransferListItem[] = []): Promise<void> {
      while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      credit--;
      post({ type: 'page', page }, transfer);
    },
    done: (): void => post({ type: 'done' }),
    fail: (err: unknown): void =>
      post({
        type: 'error',
        code: isAppError(err) ? err.code : 'INTERNAL',
        message: err instanceof Error ? err.message : String(err),
      }),
  };
}
