// Seeded random unit vectors for the vector index tests.
import type { createRng } from '../../src/index/embedders/static/random.ts';

export type Rng = ReturnType<typeof createRng>;

/** A d-dimensional vector of normal draws, scaled to unit length. */
export function randomUnit(d: number, rng: Rng): Float32Array {
  const v = Float32Array.from({ length: d }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
