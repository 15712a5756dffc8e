// Symmetric int8 codes with one float scale per vector: a quarter of float32's bytes, cosines within ~1e-3.

/**
 * Quantizes `vec` into `codes` at `offset` (code = round(x / scale), scale = max |x| / 127) and returns the
 * scale. A per-vector scale needs no corpus statistics, so a vector added later is coded like the first
 * (a per-dimension scale fixed at build time would clip new vectors; docs/BENCHMARKS.md "#23" compares them).
 */
export function quantizeRow(vec: Float32Array, codes: Int8Array, offset: number): number {
  const d = vec.length;
  let max = 0;
  for (let i = 0; i < d; i++) {
    const a = Math.abs(vec[i] ?? 0);
    if (a > max) max = a;
  }
  // A zero (or non-finite) vector codes as zeros with scale 0, so every score against it is 0, as in float.
  if (!(max > 0) || !Number.isFinite(max)) {
    codes.fill(0, offset, offset + d);
    return 0;
  }
  const inv = 127 / max;
  for (let i = 0; i < d; i++) codes[offset + i] = Math.round((vec[i] ?? 0) * inv);
  return Math.fround(max / 127);
}

/**
 * Writes the float vector a row of codes stands for into `out` at `outOffset`.
 */
export function dequantizeRow(
  codes: Int8Array,
  offset: number,
  scale: number,
  d: number,
  out: Float32Array,
  outOffset: number,
): void {
  for (let i = 0; i < d; i++) out[outOffset + i] = (codes[offset + i] ?? 0) * scale;
}

/**
 * Dot product of a float query with a coded row: the query is kept in float, so only the stored side
 * carries quantization error (asymmetric scoring, better than coding the query too).
 */
export function int8Dot(q: Float32Array, codes: Int8Array, offset: number, scale: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    s0 += (q[k] as number) * (codes[offset + k] as number);
    s1 += (q[k + 1] as number) * (codes[offset + k + 1] as number);
    s2 += (q[k + 2] as number) * (codes[offset + k + 2] as number);
    s3 += (q[k + 3] as number) * (codes[offset + k + 3] as number);
  }
  for (; k < d; k++) s0 += (q[k] as number) * (codes[offset + k] as number);
  return (s0 + s1 + s2 + s3) * scale;
}
