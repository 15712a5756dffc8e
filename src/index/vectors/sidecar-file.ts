// The vector sidecar file: magic, JSON header, ids, numeric keys and float32 rows, so a restart needs no re-embedding.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors.ts';

const MAGIC = 'PBVECS01';

/** What a sidecar holds. */
export interface SidecarContents {
  dimension: number;
  model: string;
  ids: string[];
  keys: number[];
  data: Float32Array;
}

function lengthPrefixed(bytes: Uint8Array): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(bytes.byteLength);
  return [len, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * Writes the sidecar atomically (temp file, then rename).
 * @example writeSidecar('data/vectors.bin', { dimension: 256, model: 'paperboy-static-v1-…', ...store.entries() });
 */
export function writeSidecar(path: string, c: SidecarContents): void {
  const header = Buffer.from(JSON.stringify({ dimension: c.dimension, model: c.model, count: c.ids.length }));
  const keys = Float64Array.from(c.keys);
  const body = Buffer.concat([
    Buffer.from(MAGIC, 'ascii'),
    ...lengthPrefixed(header),
    ...lengthPrefixed(Buffer.from(c.ids.join('\n'))),
    ...lengthPrefixed(new Uint8Array(keys.buffer)),
    ...lengthPrefixed(new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength)),
  ]);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
}

/**
 * Reads a sidecar written by writeSidecar; a missing or damaged file is an AppError that says to reindex.
 * @example const saved = readSidecar('data/vectors.bin');
 */
export function readSidecar(path: string): SidecarContents {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new AppError('NOT_FOUND', `No vector index at ${path}; run \`paperboy reindex\`.`, [], {
      cause: err,
    });
  }
  const damaged = (): AppError =>
    new AppError('STORE', `${path} is not a complete vector index file; run \`paperboy reindex\`.`);
  if (buf.subarray(0, MAGIC.length).toString('ascii') !== MAGIC) throw damaged();
  let at = MAGIC.length;
  const next = (): Buffer => {
    if (at + 4 > buf.length || at + 4 + buf.readUInt32LE(at) > buf.length) throw damaged();
    const len = buf.readUInt32LE(at);
    const out = Buffer.from(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
    return out;
  };
  const header = JSON.parse(next().toString('utf8')) as { dimension: number; model: string; count: number };
  const idText = next().toString('utf8');
  const ids = header.count === 0 ? [] : idText.split('\n');
  const k = next();
  const keys = Array.from(new Float64Array(k.buffer, k.byteOffset, k.byteLength / 8));
  const v = next();
  const data = new Float32Array(v.buffer, v.byteOffset, v.byteLength / 4);
  if (
    ids.length !== header.count ||
    keys.length !== header.count ||
    data.length !== header.count * header.dimension
  )
    throw damaged();
  return { dimension: header.dimension, model: header.model, ids, keys, data };
}
