// Trends: papers per week or month for up to four searches (words, categories, authors) or topics, counted
// exactly as the word search lists them.
import { bucketCounts, dayNumber, type Interval } from '../../domain/date-buckets.ts';
import { AppError } from '../../errors.ts';
import type { SearchIndexes } from '../search/index.ts';
import type { TopicsService } from '../topics/index.ts';

export const MAX_SERIES = 4;
export const MAX_TREND_QUERY = 300;

export interface TrendSeries {
  q: string;
  points: { start: string; count: number }[];
}

export interface TrendsService {
  /**
   * One series per query over the whole store, from the week (month) of the oldest paper to that of the
   * newest, empty buckets included. `topic:<id>` counts a topic's papers.
   */
  series(
    queries: readonly string[],
    interval: Interval,
  ): Promise<{ series: TrendSeries[]; interval: Interval }>;
}

export interface TrendsDeps {
  indexes: SearchIndexes;
  topics: TopicsService;
}

/** How often the lexical index is brought up to date with the store, at most. */
const SYNC_MS = 200;
/** Word queries whose per-day counts are kept (the most recently asked). */
const KEPT_SERIES = 256;

export function createTrendsService(deps: TrendsDeps): TrendsService {
  async function ready(): Promise<void> {
    await deps.indexes.upToDate(undefined, SYNC_MS);
  }

  /** Day numbers of YYYYMMDD keys, remembered (a store spans a few hundred distinct days). */
  const dayOf = new Map<number, number>();
  const toDay = (key: number): number => {
    let d = dayOf.get(key);
    if (d === undefined) {
      d = dayNumber(key);
      dayOf.set(key, d);
    }
    return d;
  };

  /**
   * How many matching papers per day (day number → count). Counted in an array over the dates' span, one slot
   * per calendar day (31 per month, 372 per year: a few hundred slots per year of papers), rather than in a
   * map, which cost a map update per matching paper (60,000 for a broad query).
   */
  function perDay(dates: Int32Array): Map<number, number> {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < dates.length; i++) {
      const k = dates[i] ?? 0;
      const slot = daySlot(k);
      if (slot >= 0) {
        if (slot < lo) lo = slot;
        if (slot > hi) hi = slot;
      }
    }
    const out = new Map<number, number>();
    const counts = new Int32Array(lo > hi ? 0 : hi - lo + 1);
    for (let i = 0; i < dates.length; i++) {
      const k = dates[i] ?? 0;
      const slot = daySlot(k);
      if (slot >= 0) counts[slot - lo] = (counts[slot - lo] ?? 0) + 1;
      else if (k > 0) {
        // Not a calendar day (a month 13 from a malformed date): Date.UTC rolls it over, as before.
        const day = toDay(k);
        out.set(day, (out.get(day) ?? 0) + 1);
      }
    }
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i] ?? 0;
      if (n > 0) {
        const day = toDay(slotKey(lo + i));
        out.set(day, (out.get(day) ?? 0) + n);
      }
    }
    return out;
  }

  // Per-day counts of word queries and the store's span, kept while the lexical index is at the same change
  // (any ingest moves it, and everything kept is dropped): a new query costs about a millisecond to count at
  // 75k papers (p99 near 10 ms on the loaded shared machine, phrases included), a kept one a map lookup.
  // Trends pages link to the same few queries again and again.
  let keptAt = -1;
  const kept = new Map<string, Map<number, number>>();
  let span: { first: number; last: number } | null = null;
  const fresh = (): void => {
    if (keptAt === deps.indexes.lexicalSeq) return;
    keptAt = deps.indexes.lexicalSeq;
    kept.clear();
    span = null;
  };

  /** First and last day the store holds (Infinity and -Infinity when it is empty). */
  function storeSpan(): { first: number; last: number } {
    if (span !== null) return span;
    let first = Infinity;
    let last = -Infinity;
    for (const d of perDay(deps.indexes.lexical.matchDates('')).keys()) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
    span = { first, last };
    return span;
  }

  async function daysOf(q: string): Promise<Map<number, number>> {
    const topic = /^topic:(\d{1,9})$/.exec(q);
    if (topic !== null) {
      const days = await deps.topics.topicDays(Number(topic[1]));
      const out = new Map<number, number>();
      for (const d of days) out.set(d, (out.get(d) ?? 0) + 1);
      return out;
    }
    let days = kept.get(q);
    if (days === undefined) {
      days = perDay(deps.indexes.lexical.matchDates(q));
      while (kept.size >= KEPT_SERIES) kept.delete(kept.keys().next().value as string);
    } else kept.delete(q); // re-inserted below as the most recently asked
    kept.set(q, days);
    return days;
  }

  return {
    async series(queries, interval) {
      const qs = queries.map((q) => q.trim()).filter((q) => q !== '');
      if (qs.length === 0)
        throw new AppError('BAD_INPUT', 'Give at least one q, e.g. /api/trends?q=diffusion');
      if (qs.length > MAX_SERIES)
        throw new AppError('BAD_INPUT', `At most ${MAX_SERIES} q values, got ${qs.length}.`);
      for (const q of qs)
        if (q.length > MAX_TREND_QUERY)
          throw new AppError('BAD_INPUT', `Each q is at most ${MAX_TREND_QUERY} characters.`);
      await ready();
      fresh();
      // The whole store's span: every paper's date, from the index's filter-only listing.
      const { first, last } = storeSpan();
      const lists = await Promise.all(qs.map(daysOf));
      if (first === Infinity) return { interval, series: qs.map((q) => ({ q, points: [] })) };
      return {
        interval,
        series: qs.map((q, i) => ({
          q,
          points: bucketCounts(lists[i] ?? new Map<number, number>(), interval, first, last),
        })),
      };
    },
  };
}

/**
 * A YYYYMMDD key's slot in a calendar of 31-day months: increasing with the date, 372 slots a year; -1 for 0
 * (no date) and for keys whose month or day is out of range.
 */
function daySlot(key: number): number {
  const month = Math.floor(key / 100) % 100;
  const day = key % 100;
  if (key <= 0 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
  return Math.floor(key / 10_000) * 372 + (month - 1) * 31 + day - 1;
}

/** The YYYYMMDD key of a `daySlot`. */
function slotKey(slot: number): number {
  const year = Math.floor(slot / 372);
  const rest = slot % 372;
  return year * 10_000 + (Math.floor(rest / 31) + 1) * 100 + (rest % 31) + 1;
}
