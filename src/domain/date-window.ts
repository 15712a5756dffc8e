// Calendar windows for browsing papers: a day, an ISO week or a month, as [from, to) day strings.

export type Period = 'day' | 'week' | 'month';

/** A window of days: `from` inclusive, `to` exclusive, both YYYY-MM-DD; `key` as it appears in URLs. */
export interface DateWindow {
  period: Period;
  key: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

function utc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * True for a real calendar day in YYYY-MM-DD form.
 * @example isDay('2026-02-30') // false
 */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = utc(s);
  return !Number.isNaN(t) && dayString(t) === s;
}

/**
 * Adds days to a day string.
 * @example addDays('2026-02-28', 1) // '2026-03-01'
 */
export function addDays(day: string, n: number): string {
  return dayString(utc(day) + n * DAY_MS);
}

/** The ISO week key (YYYY-Www) of a day. */
function isoWeekKey(day: string): string {
  const t = new Date(utc(day));
  const weekday = (t.getUTCDay() + 6) % 7;
  const thursday = new Date(t.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The window of `period` that contains `day`.
 * @example windowContaining('week', '2026-07-01') // { key: '2026-W27', from: '2026-06-29', to: '2026-07-06', ... }
 */
export function windowContaining(period: Period, day: string): DateWindow {
  if (period === 'day') return { period, key: day, from: day, to: addDays(day, 1) };
  if (period === 'week') {
    const from = addDays(day, -((new Date(utc(day)).getUTCDay() + 6) % 7));
    return { period, key: isoWeekKey(day), from, to: addDays(from, 7) };
  }
  const from = `${day.slice(0, 7)}-01`;
  const d = new Date(utc(from));
  const to = dayString(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return { period, key: day.slice(0, 7), from, to };
}

/**
 * Parses a window key from a URL (YYYY-MM-DD, YYYY-Www or YYYY-MM); null when it is not a real one.
 * @example parseWindow('month', '2026-07') // { from: '2026-07-01', to: '2026-08-01', ... }
 */
export function parseWindow(period: Period, key: string): DateWindow | null {
  if (period === 'day') return isDay(key) ? windowContaining('day', key) : null;
  if (period === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(key);
    return m && isDay(`${key}-01`) ? windowContaining('month', `${key}-01`) : null;
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (Number(m[2]) - 1) * 7 * DAY_MS;
  if (year < 1000 || Number(m[2]) < 1) return null;
  const w = windowContaining('week', dayString(monday));
  return w.key === key ? w : null;
}
