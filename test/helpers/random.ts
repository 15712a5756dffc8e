/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator): the same seed, the same run. */
export function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
