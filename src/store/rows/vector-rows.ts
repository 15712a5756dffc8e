// Column encodings of paper vectors and trained models shared by the SQLite and PostgreSQL engines: a vector is
// stored as the bytes of its little-endian float32 values (BLOB / bytea), a model's info as JSON text.
import type { StoredModel } from '../vectors.ts';

/** One row of the models table. */
export interface ModelRow {
  name: string;
  kind: string;
  created_at: string;
  info: string;
  data: Buffer;
}

/**
 * The bytes of a vector as stored in paper_vectors.vector (a view, not a copy).
 * @example vectorToBytes(new Float32Array([1, 2])).byteLength; // 8
 */
export function vectorToBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * A vector read back from stored bytes, copied into its own aligned buffer.
 * @example bytesToVector(vectorToBytes(new Float32Array([1, 2]))); // Float32Array [1, 2]
 */
export function bytesToVector(b: Buffer): Float32Array {
  const copy = new Float32Array(b.byteLength / 4);
  new Uint8Array(copy.buffer).set(b);
  return copy;
}

/**
 * Maps a models row without its data to the model's description, parsing its JSON info.
 * @example toModelInfo({ name: 'static-v1', kind: 'static', created_at: t, info: '{}' }).kind; // 'static'
 */
export function toModelInfo(r: Omit<ModelRow, 'data'>): Omit<StoredModel, 'data'> {
  return {
    name: r.name,
    kind: r.kind,
    createdAt: r.created_at,
    info: JSON.parse(r.info) as Record<string, unknown>,
  };
}
