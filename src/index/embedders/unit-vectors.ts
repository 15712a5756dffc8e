// Validation and L2 normalisation shared by embedders whose backends may return unnormalised or malformed vectors.
import { AppError } from '../../errors.ts';

/**
 * Copies numbers into a unit Float32Array; rejects wrong length, non-finite values or a zero vector.
 * @example toUnitVector([3, 4], 2, 'my-model') // Float32Array [0.6, 0.8]
 */
export function toUnitVector(values: ArrayLike<unknown>, dimension: number, source: string): Float32Array {
  if (values.length !== dimension) {
    throw new AppError(
      'EMBEDDER',
      `${source} returned a ${values.length}-d vector; expected ${dimension}. Check the configured model and dimension.`,
    );
  }
  const out = new Float32Array(dimension);
  let sq = 0;
  for (let i = 0; i < dimension; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new AppError('EMBEDDER', `${source} returned a vector with a non-numeric value at ${i}.`);
    out[i] = v;
    sq += v * v;
  }
  if (sq === 0) throw new AppError('EMBEDDER', `${source} returned an all-zero vector.`);
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < dimension; i++) out[i]! *= inv;
  return out;
}

/**
 * Runs `fn` over consecutive slices of at most `size` items and concatenates the results in order.
 */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (chunk: readonly T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}
