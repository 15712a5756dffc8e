// Trending order of a window's papers: upvotes with exponential time decay (pure, no I/O).
import type { ScoredId } from '../domain/scored.ts';

/*
 * Formula (docs/DESIGN.md, "Trending"): a vote cast at time t weighs 2^(-(t_ref - t) / H), where H is
 * the half-life of the window (day 24 h, week 3 days, month 7 days) and t_ref the newest vote among the
 * candidates. A paper's score is the sum of its votes' weights. Taking t_ref from the votes rather than
 * the wall clock keeps weights in (0, 1] for windows far in the past, and the order is the same as with
 * any other t_ref because every weight scales by the same factor. Ties (most often: no votes at all)
 * keep the order of the candidate list, newest first, so unvoted papers still read sensibly.
 * Votes arrive grouped by paper and hour ([id, hourStartMs, count]): at a half-life of a day or more,
 * treating an hour's votes as cast together changes a weight by under 3%, and a window's ranking then
 * reads one row per paper and hour instead of one per vote.
 */

/** Votes on one paper cast within one hour: [paperId, hourStartMs, count]. */
export type VoteBucket = readonly [id: string, atMs: number, count: number];

export type TrendingWindow = 'day' | 'week' | 'month';

const HOUR_MS = 3_600_000;

/** Half-life of a vote's weight per window, in hours. */
export const HALF_LIFE_HOURS: Readonly<Record<TrendingWindow, number>> = { day: 24, week: 72, month: 168 };

/**
 * Sums decayed vote weights per paper.
 * @example decayedVotes([['a', 0, 1], ['a', 24 * 3600e3, 1]], 24).get('a') // 1.5
 */
export function decayedVotes(votes: readonly VoteBucket[], halfLifeHours: number): Map<string, number> {
  let ref = -Infinity;
  for (const [, at] of votes) if (at > ref) ref = at;
  const out = new Map<string, number>();
  const h = halfLifeHours * HOUR_MS;
  for (const [id, at, n] of votes) out.set(id, (out.get(id) ?? 0) + n * 2 ** (-(ref - at) / h));
  return out;
}

/**
 * Ranks `candidates` (in their fallback order, best first) by decayed votes; returns [id, score] best first.
 * @example trending([['new', 0], ['old', 0]], [['old', Date.now(), 2]], 'day') // [['old', 2], ['new', 0]]
 */
export function trending(
  candidates: readonly ScoredId[],
  votes: readonly VoteBucket[],
  window: TrendingWindow,
): ScoredId[] {
  const weights = decayedVotes(votes, HALF_LIFE_HOURS[window]);
  const scored = candidates.map(([id], i) => ({ id, score: weights.get(id) ?? 0, i }));
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.map(({ id, score }) => [id, score] as const);
}

/**
 * Orders candidates by raw vote count (most upvoted), ties in candidate order.
 * @example mostVoted([['a', 0], ['b', 0]], new Map([['b', 3]])) // [['b', 3], ['a', 0]]
 */
export function mostVoted(candidates: readonly ScoredId[], counts: ReadonlyMap<string, number>): ScoredId[] {
  const scored = candidates.map(([id], i) => ({ id, score: counts.get(id) ?? 0, i }));
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.map(({ id, score }) => [id, score] as const);
}
