// Quantiles of in-process timings, to two decimals: the summary the lexical benches print per way of searching.

/** x rounded to two decimals. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** p50/p90/p95/p99 (nearest rank), max and mean of `xs` (milliseconds), each to two decimals. */
export function latencySummary(xs: readonly number[]): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => round2(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round2(s[s.length - 1] ?? 0),
    mean: round2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}
