// When a subscriber's digest is due: their local date, hour and weekday in their IANA time zone (pure).

export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatFor(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formats.set(tz, f);
  }
  return f;
}

/**
 * The wall-clock date, hour and weekday at instant `at` in zone `tz` (an unknown zone reads as UTC).
 * @example localTime(new Date('2026-07-02T23:30:00Z'), 'Asia/Tokyo') // { date: '2026-07-03', hour: 8, weekday: 5 }
 */
export function localTime(at: Date, tz: string): LocalTime {
  let f: Intl.DateTimeFormat;
  try {
    f = formatFor(tz);
  } catch {
    f = formatFor('UTC');
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour) % 24,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
  };
}

export interface DigestTiming {
  frequency: 'daily' | 'weekly';
  sendHour: number;
  timeZone: string;
  weekday: number;
}

/**
 * The local date whose digest is due at `at`, or null. Daily digests go out Monday to Friday (the days
 * arXiv announces new papers), weekly ones on the chosen weekday; either at or after the chosen hour,
 * so a server that was down at that hour catches up later the same local day.
 * @example dueDate({ frequency: 'daily', sendHour: 7, timeZone: 'Europe/Berlin', weekday: 1 }, new Date('2026-07-02T05:00:00Z')) // '2026-07-02'
 */
export function dueDate(t: DigestTiming, at: Date): string | null {
  const local = localTime(at, t.timeZone);
  if (local.hour < t.sendHour) return null;
  if (t.frequency === 'weekly') return local.weekday === t.weekday ? local.date : null;
  return local.weekday >= 1 && local.weekday <= 5 ? local.date : null;
}
