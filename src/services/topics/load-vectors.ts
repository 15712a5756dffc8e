// Reads every stored vector of a model into one packed matrix, in pages, for clustering and the map.
import { normalizeRow, type Rows } from '../../index/topics/spherical-kmeans.ts';
import type { Store } from '../../store/store.ts';

export interface LoadedVectors extends Rows {
  ids: string[];
  /** The highest vector sequence number read (new vectors come after it). */
  lastSeq: number;
}

const PAGE = 5000;

/**
 * All vectors of `model` (unit length), growing one buffer as pages arrive.
 */
export async function loadVectors(
  store: Store,
  model: string,
  onPage?: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<LoadedVectors> {
  const ids: string[] = [];
  let dim = 0;
  let data = new Float32Array(0);
  let seq = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page = await store.vectors.since(model, seq, PAGE);
    if (page.length === 0) break;
    for (const v of page) {
      if (dim === 0) {
        dim = v.vector.length;
        data = new Float32Array(dim * 1024);
      }
      if (v.vector.length !== dim) continue;
      if ((ids.length + 1) * dim > data.length) {
        const bigger = new Float32Array(data.length * 2);
        bigger.set(data);
        data = bigger;
      }
      data.set(v.vector, ids.length * dim);
      normalizeRow(data, ids.length * dim, dim);
      ids.push(v.paperId);
      seq = v.seq;
    }
    seq = page[page.length - 1]?.seq ?? seq;
    onPage?.(ids.length);
  }
  return { ids, dim, n: ids.length, data: data.subarray(0, ids.length * dim), lastSeq: seq };
}
