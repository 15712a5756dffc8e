// The vector sidecar file: magic, JSON header, ids, numeric keys and float32 rows, so a restart needs no re-embedding.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors.ts';
import { readFully, writeFully } from '../file-bytes.ts';

const MAGIC = 'PBVECS01';

/** What a sidecar holds. */
export interface SidecarContents {
  dimension: number;
  model: string;
  ids: string[];
  keys: number[];
  data: Float32Array;
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array[] {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(bytes.byteLength);
  return [len, bytes];
}

/**
 * Writes the sidecar atomically (temp file, then rename), part by part: the float rows are written from
 * where they lie, never copied into one big buffer (at 300k × 512 that copy alone would be 600 MB).
 */
export function writeSidecar(path: string, c: SidecarContents): void {
  const header = Buffer.from(JSON.stringify({ dimension: c.dimension, model: c.model, count: c.ids.length }));
  const keys = Float64Array.from(c.keys);
  const parts = [
    Buffer.from(MAGIC, 'ascii'),
    ...lengthPrefixed(header),
    ...lengthPrefixed(Buffer.from(c.ids.join('\n'))),
    ...lengthPrefixed(new Uint8Array(keys.buffer)),
    ...lengthPrefixed(new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength)),
  ];
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    for (const part of parts) writeFully(fd, part);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Reads a sidecar written by writeSidecar; a missing or damaged file is an AppError that says to reindex.
 * The float rows are read straight into the array that is returned, so loading needs no second copy.
 */
export function readSidecar(path: string): SidecarContents {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new AppError('NOT_FOUND', `No vector index at ${path}; run \`paperboy reindex\`.`, [], {
      cause: err,
    });
  }
  try {
    const damaged = (): AppError =>
      new AppError('STORE', `${path} is not a complete vector index file; run \`paperboy reindex\`.`);
    const size = fstatSync(fd).size;
    const magic = Buffer.alloc(MAGIC.length);
    if (!readFully(fd, magic, 0) || magic.toString('ascii') !== MAGIC) throw damaged();
    let at = MAGIC.length;
    /** The next length-prefixed chunk, read into `make(length)` (a fresh Buffer by default). */
    const next = <T extends Uint8Array>(make: (length: number) => T): T => {
      const len = Buffer.alloc(4);
      if (!readFully(fd, len, at)) throw damaged();
      const length = len.readUInt32LE(0);
      if (at + 4 + length > size) throw damaged();
      const out = make(length);
      if (!readFully(fd, out, at + 4)) throw damaged();
      at += 4 + length;
      return out;
    };
    const bytes = (length: number): Buffer => Buffer.alloc(length);
    const header = JSON.parse(next(bytes).toString('utf8')) as {
      dimension: number;
      model: string;
      count: number;
    };
    const idText = next(bytes).toString('utf8');
    const ids = header.count === 0 ? [] : idText.split('\n');
    const k = next((length) => new Uint8Array(new Float64Array(Math.floor(length / 8)).buffer));
    const keys = Array.from(new Float64Array(k.buffer));
    let data = new Float32Array(0);
    next((length) => {
      data = new Float32Array(Math.floor(length / 4));
      return new Uint8Array(data.buffer);
    });
    if (
      ids.length !== header.count ||
      keys.length !== header.count ||
      data.length !== header.count * header.dimension
    )
      throw damaged();
    return { dimension: header.dimension, model: header.model, ids, keys, data };
  } finally {
    closeSync(fd);
  }
}
