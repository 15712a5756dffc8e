// Calendar buckets for charts: ISO weeks (starting Monday) and months, as YYYY-MM-DD start days.

export type Interval = 'week' | 'month';

/** Days since 1970-01-01 of a YYYY-MM-DD day (or a YYYYMMDD number). */
export function dayNumber(day: string | number): number {
  const s = typeof day === 'number' ? String(day) : day.replaceAll('-', '');
  return Math.floor(
    Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))) / 86_400_000,
  );
}

/** The YYYY-MM-DD of a day number. */
export function dayString(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first day of the bucket holding `day`: its week's Monday, or its month's first day.
 * @example bucketStart(dayNumber('2026-07-09'), 'week') // day number of 2026-07-06
 */
export function bucketStart(day: number, interval: Interval): number {
  if (interval === 'week') return day - ((new Date(day * 86_400_000).getUTCDay() + 6) % 7);
  const d = new Date(day * 86_400_000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000);
}

/** The first day of the bucket after the one starting at `start`. */
export function nextBucket(start: number, interval: Interval): number {
  if (interval === 'week') return start + 7;
  const d = new Date(start * 86_400_000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 86_400_000);
}

/**
 * Counts per bucket from `first` to `last` (day numbers, both included), empty buckets as zeros.
 */
export function bucketCounts(
  days: Iterable<number> | ReadonlyMap<number, number>,
  interval: Interval,
  first: number,
  last: number,
): { start: string; count: number }[] {
  const counts = new Map<number, number>();
  // A map is day → how many (a few hundred distinct days instead of one entry per paper).
  const pairs: Iterable<[number, number]> =
    days instanceof Map
      ? days.entries()
      : (function* () {
          for (const d of days as Iterable<number>) yield [d, 1] as [number, number];
        })();
  for (const [d, n] of pairs) {
    if (d < first || d > last) continue;
    const b = bucketStart(d, interval);
    counts.set(b, (counts.get(b) ?? 0) + n);
  }
  const out: { start: string; count: number }[] = [];
  for (let b = bucketStart(first, interval); b <= last; b = nextBucket(b, interval))
    out.push({ start: dayString(b), count: counts.get(b) ?? 0 });
  return out;
}
