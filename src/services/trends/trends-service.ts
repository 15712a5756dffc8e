// Trends: papers per week or month for up to four searches (words, categories, authors) or topics, counted
// exactly as the word search lists them.
import { bucketCounts, dayNumber, type Interval } from '../../domain/date-buckets.ts';
import { AppError } from '../../errors.ts';
import type { SearchIndexes } from '../search-indexes.ts';
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

/**
 * @example const { series } = await trends.series(['"diffusion model"', 'cat:cs.RO'], 'month');
 */
export function createTrendsService(deps: TrendsDeps): TrendsService {
  let lastSync = 0;
  async function ready(): Promise<void> {
    await deps.indexes.open();
    if (Date.now() - lastSync >= SYNC_MS) {
      lastSync = Date.now();
      await deps.indexes.sync();
    }
  }

  async function daysOf(q: string): Promise<number[]> {
    const topic = /^topic:(\d{1,9})$/.exec(q);
    if (topic !== null) {
      const days = await deps.topics.topicDays(Number(topic[1]));
      return Array.from(days);
    }
    const dates = deps.indexes.lexical.matchDates(q);
    const out: number[] = [];
    for (const d of dates) if (d > 0) out.push(dayNumber(d));
    return out;
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
      // The whole store's span: every paper's date, from the index's filter-only listing.
      const all = deps.indexes.lexical.matchDates('');
      let first = Infinity;
      let last = -Infinity;
      for (const d of all)
        if (d > 0) {
          const n = dayNumber(d);
          if (n < first) first = n;
          if (n > last) last = n;
        }
      const lists = await Promise.all(qs.map(daysOf));
      if (first === Infinity) return { interval, series: qs.map((q) => ({ q, points: [] })) };
      return {
        interval,
        series: qs.map((q, i) => ({ q, points: bucketCounts(lists[i] ?? [], interval, first, last) })),
      };
    },
  };
}
