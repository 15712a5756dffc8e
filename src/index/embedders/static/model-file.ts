// The static model's compact binary file: magic, JSON header, vocabulary, idf, per-token scales, int8 vectors.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../errors.ts';
import { headerMismatch, modelHeader, type ModelHeader } from './model-header.ts';
import { assembleModel, STATIC_MODEL_VERSION, type StaticModel } from './static-model.ts';
import { tokenizerFingerprint } from './tokenizer.ts';
import { vocabularyFrom } from './vocabulary.ts';

const MAGIC = 'PBSTATIC';

/** Little-endian u32 length followed by the bytes. */
function chunk(bytes: Uint8Array): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(bytes.byteLength);
  return [len, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * The model as bytes (about dimension + 8 bytes per token), for a file or a database row.
 */
export function encodeStaticModel(model: StaticModel): Buffer {
  const parts = [
    Buffer.from(MAGIC, 'ascii'),
    ...chunk(Buffer.from(JSON.stringify(modelHeader(model)))),
    ...chunk(Buffer.from(model.vocab.tokens.join('\n'))),
    ...chunk(new Uint8Array(model.vocab.idf.buffer, model.vocab.idf.byteOffset, model.vocab.idf.byteLength)),
    ...chunk(new Uint8Array(model.scales.buffer, model.scales.byteOffset, model.scales.byteLength)),
    ...chunk(new Uint8Array(model.quantized.buffer, model.quantized.byteOffset, model.quantized.byteLength)),
  ];
  return Buffer.concat(parts);
}

/**
 * Writes the model atomically (temp file, then rename).
 */
export async function saveStaticModel(model: StaticModel, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, encodeStaticModel(model));
  await rename(tmp, path);
}

/** Reads length-prefixed sections in order, failing with a clear error on truncation. */
function sectionReader(buf: Buffer, path: string): () => Buffer {
  let at = MAGIC.length;
  return () => {
    if (at + 4 > buf.length)
      throw new AppError('EMBEDDER', `${path}: model file is truncated; retrain with \`paperboy train\`.`);
    const len = buf.readUInt32LE(at);
    if (at + 4 + len > buf.length)
      throw new AppError('EMBEDDER', `${path}: model file is truncated; retrain with \`paperboy train\`.`);
    const out = Buffer.from(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
    return out;
  };
}

const f32 = (b: Buffer): Float32Array => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);

/**
 * Loads a model written by saveStaticModel; it embeds exactly as the saved model did.
 */
export async function loadStaticModel(path: string): Promise<StaticModel> {
  const buf = await readFile(path).catch((err: unknown) => {
    throw new AppError('EMBEDDER', `Cannot read static model ${path}; run \`paperboy train\` first.`, [], {
      cause: err,
    });
  });
  return decodeStaticModel(buf, path);
}

/**
 * Reads bytes written by encodeStaticModel; `path` names where they came from in errors.
 */
export function decodeStaticModel(buf: Buffer, path: string): StaticModel {
  if (buf.subarray(0, MAGIC.length).toString('ascii') !== MAGIC)
    throw new AppError('EMBEDDER', `${path} is not a Paperboy static model file.`);
  const next = sectionReader(buf, path);
  const header = JSON.parse(next().toString('utf8')) as ModelHeader;
  const mismatch = headerMismatch(header);
  if (mismatch?.kind === 'format') {
    throw new AppError(
      'EMBEDDER',
      `${path} has model format ${mismatch.found}; this Paperboy reads ${STATIC_MODEL_VERSION}. Retrain with \`paperboy train\`.`,
    );
  }
  if (mismatch?.kind === 'tokenizer') {
    throw new AppError(
      'EMBEDDER',
      `${path} was trained with a different tokenizer (${mismatch.found}, now ${tokenizerFingerprint()}); retrain with \`paperboy train\`.`,
    );
  }
  const vocabText = next().toString('utf8');
  const tokens = header.vocabSize === 0 ? [] : vocabText.split('\n');
  const idf = f32(next());
  const scales = f32(next());
  const q = next();
  const quantized = new Int8Array(q.buffer, q.byteOffset, q.byteLength);
  if (tokens.length !== header.vocabSize || quantized.length !== header.vocabSize * header.dimension) {
    throw new AppError(
      'EMBEDDER',
      `${path}: model file sections disagree with its header; retrain with \`paperboy train\`.`,
    );
  }
  const vocab = vocabularyFrom(tokens, idf);
  return assembleModel({
    dimension: header.dimension,
    vocab,
    quantized,
    scales,
    createdAt: header.createdAt,
    training: header.training,
  });
}
