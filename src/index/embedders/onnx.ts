// Embedder over a local ONNX sentence-embedding model directory (model.onnx + vocab.txt), run by onnxruntime-node.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../errors.ts';
import type { Embedder } from './embedder.ts';
import { inBatches, toUnitVector } from './unit-vectors.ts';
import { createWordPiece, type WordPiece } from './wordpiece.ts';

export interface OnnxEmbedderOptions {
  /** Folder with model.onnx (or onnx/model.onnx) and vocab.txt; nothing is fetched from anywhere. */
  dir: string;
  /** Word pieces per text including [CLS] and [SEP] (default 256). */
  maxTokens?: number;
  /** Texts per inference call (default 32). */
  batchSize?: number;
  /** Threads inside one inference (default 2, the machine's cores). */
  threads?: number;
}

interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(model: Uint8Array, opts: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => OrtTensor;
}

function readModelDir(dir: string): { model: Buffer; wordPiece: WordPiece; hash: string } {
  const modelPath = [join(dir, 'model.onnx'), join(dir, 'onnx', 'model.onnx')].find((p) => existsSync(p));
  const vocabPath = join(dir, 'vocab.txt');
  if (modelPath === undefined || !existsSync(vocabPath)) {
    throw new AppError(
      'EMBEDDER',
      `${dir} must hold model.onnx (or onnx/model.onnx) and vocab.txt; export the model with its tokenizer.`,
    );
  }
  const model = readFileSync(modelPath);
  const configPath = join(dir, 'tokenizer_config.json');
  const lowerCase = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as { do_lower_case?: boolean }).do_lower_case !== false
    : true;
  const hash = createHash('sha256').update(model).digest('hex').slice(0, 10);
  return { model, wordPiece: createWordPiece(readFileSync(vocabPath, 'utf8'), lowerCase), hash };
}

/** Pads a batch of id lists into input_ids / attention_mask / token_type_ids tensors. */
function feedsFor(
  ort: Ort,
  session: OrtSession,
  batch: readonly number[][],
  padId: number,
): { feeds: Record<string, OrtTensor>; mask: BigInt64Array; width: number } {
  const width = Math.max(...batch.map((ids) => ids.length));
  const ids = new BigInt64Array(batch.length * width).fill(BigInt(padId));
  const mask = new BigInt64Array(batch.length * width);
  batch.forEach((row, r) =>
    row.forEach((id, c) => ((ids[r * width + c] = BigInt(id)), (mask[r * width + c] = 1n))),
  );
  const dims = [batch.length, width];
  const all: Record<string, OrtTensor> = {
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
  const feeds = Object.fromEntries(
    session.inputNames.map((n) => [n, all[n]]).filter(([, t]) => t !== undefined),
  ) as Record<string, OrtTensor>;
  return { feeds, mask, width };
}

/** A [B, H] output is used as is; a [B, T, H] output is mean-pooled over real (unmasked) tokens. */
function pool(out: OrtTensor, mask: BigInt64Array, width: number, rows: number): number[][] {
  const data = out.data as Float32Array;
  const h = out.dims[out.dims.length - 1]!;
  if (out.dims.length === 2)
    return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * h, (r + 1) * h)));
  return Array.from({ length: rows }, (_, r) => {
    const sum = new Array<number>(h).fill(0);
    let n = 0;
    for (let t = 0; t < width; t++) {
      if (mask[r * width + t] === 0n) continue;
      n++;
      for (let j = 0; j < h; j++) sum[j]! += data[(r * width + t) * h + j]!;
    }
    return sum.map((x) => x / Math.max(n, 1));
  });
}

/**
 * Loads the model once and embeds in batches with masked mean pooling (or the model's own pooled output).
 * @example const e = await createOnnxEmbedder({ dir: 'models/all-MiniLM-L6-v2' }); await e.embed(['protein folding']);
 */
export async function createOnnxEmbedder(opts: OnnxEmbedderOptions): Promise<Embedder> {
  const { model, wordPiece, hash } = readModelDir(opts.dir);
  const ort = (await import('onnxruntime-node').catch((err: unknown) => {
    throw new AppError(
      'EMBEDDER',
      'The ONNX embedder needs onnxruntime-node; install it with ONNXRUNTIME_NODE_INSTALL=skip npm install.',
      [],
      { cause: err },
    );
  })) as unknown as Ort;
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: opts.threads ?? 2,
    executionProviders: ['cpu'],
  }).catch((err: unknown) => {
    throw new AppError(
      'EMBEDDER',
      `${opts.dir}: onnxruntime cannot load this model (${err instanceof Error ? err.message : String(err)}).`,
      [],
      { cause: err },
    );
  });
  const outputName = session.outputNames.find((n) => n === 'sentence_embedding') ?? session.outputNames[0]!;
  const name = `onnx:${basename(opts.dir)}-${hash}`;
  const embedBatch = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const batch = texts.map((t) => wordPiece.encode(t, opts.maxTokens ?? 256));
    const { feeds, mask, width } = feedsFor(ort, session, batch, wordPiece.padId);
    const out = (await session.run(feeds))[outputName]!;
    const rows = pool(out, mask, width, texts.length);
    return rows.map((r) => toUnitVector(r, rows[0]!.length, name));
  };
  const probe = await embedBatch(['dimension probe']);
  return {
    model: name,
    dimension: probe[0]!.length,
    embed: (texts) => inBatches(texts, opts.batchSize ?? 32, embedBatch),
    close: () => session.release(),
  };
}
