// The For-you visit rule: visits closer together than a gap are one session, so reloading keeps the feed.
import type { VisitRule } from '../../store/foryou.ts';

/**
 * The rule the store applies when it records a visit: within `gapMs` of the last visit the reader is still
 * in the same session and keeps the same "visit before"; after a longer pause the last visit becomes it.
 * @example await store.forYou.recordVisit(userId, sessionMerge(30 * 60_000)); // null on the first visit
 */
export function sessionMerge(gapMs: number): VisitRule {
  return (stored, at) => {
    if (stored === null) return null;
    const sameSession = Date.parse(at) - Date.parse(stored.lastAt) < gapMs;
    return sameSession ? stored.previousAt : stored.lastAt;
  };
}
