// A small force-directed layout (Fruchterman–Reingold) for the related-papers graph: a few dozen nodes.
import { createRng } from '../embedders/static/random.ts';

/**
 * Positions in [0, 1]² for `n` nodes joined by weighted edges; node 0 is pinned at the centre. Stronger
 * edges pull harder. Deterministic for a given seed.
 */
export function forceLayout(
  n: number,
  edges: readonly (readonly [number, number, number])[],
  seed = 1,
  iterations = 300,
): { x: number; y: number }[] {
  const rng = createRng(seed);
  const pos = Array.from({ length: n }, (_, i) =>
    i === 0 ? { x: 0.5, y: 0.5 } : { x: 0.2 + 0.6 * rng.next(), y: 0.2 + 0.6 * rng.next() },
  );
  const k = Math.sqrt(1 / Math.max(1, n)) * 0.9;
  for (let it = 0; it < iterations; it++) {
    const temp = 0.08 * (1 - it / iterations) + 0.002;
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const ex = pos[i]!.x - pos[j]!.x;
        const ey = pos[i]!.y - pos[j]!.y;
        const d = Math.max(1e-4, Math.hypot(ex, ey));
        const f = (k * k) / d;
        dx[i] = (dx[i] ?? 0) + (ex / d) * f;
        dy[i] = (dy[i] ?? 0) + (ey / d) * f;
        dx[j] = (dx[j] ?? 0) - (ex / d) * f;
        dy[j] = (dy[j] ?? 0) - (ey / d) * f;
      }
    for (const [a, b, w] of edges) {
      const ex = pos[a]!.x - pos[b]!.x;
      const ey = pos[a]!.y - pos[b]!.y;
      const d = Math.max(1e-4, Math.hypot(ex, ey));
      const f = ((d * d) / k) * (0.5 + w);
      dx[a] = (dx[a] ?? 0) - (ex / d) * f;
      dy[a] = (dy[a] ?? 0) - (ey / d) * f;
      dx[b] = (dx[b] ?? 0) + (ex / d) * f;
      dy[b] = (dy[b] ?? 0) + (ey / d) * f;
    }
    for (let i = 1; i < n; i++) {
      const len = Math.max(1e-9, Math.hypot(dx[i] ?? 0, dy[i] ?? 0));
      const step = Math.min(len, temp);
      pos[i]!.x = Math.min(0.95, Math.max(0.05, pos[i]!.x + ((dx[i] ?? 0) / len) * step));
      pos[i]!.y = Math.min(0.95, Math.max(0.05, pos[i]!.y + ((dy[i] ?? 0) / len) * step));
    }
  }
  return pos;
}
