import { describe, expect, it } from 'vitest';
import { onWorkerFailure, startTsWorker } from '../../src/platform/index.ts';

const FIXTURE = new URL('../fixtures/workers/echo.worker.ts', import.meta.url).href;

/** The first message or failure reason the worker gives, then it is stopped. */
async function outcome(act: string): Promise<{ message?: unknown; failure?: string }> {
  const worker = startTsWorker(FIXTURE, { workerData: { act } });
  try {
    return await new Promise((resolve) => {
      worker.on('message', (message: unknown) => resolve({ message }));
      onWorkerFailure(worker, (failure) => resolve({ failure }));
    });
  } finally {
    await worker.terminate();
  }
}

describe('TypeScript worker threads', () => {
  it('runs a TypeScript module with its workerData', async () => {
    expect(await outcome('echo')).toEqual({ message: { echoed: 'echo' } });
  });

  it('reports an uncaught error in the worker with its message', async () => {
    expect((await outcome('throw')).failure).toBe('the fixture worker threw');
  });

  it('reports an exit before any result with its code', async () => {
    expect((await outcome('exit')).failure).toBe('the worker exited early (code 3)');
  });
});
