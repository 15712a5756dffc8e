// Turns the value of a since:/before: filter ("2025", "2025-06", "2025-06-15") into a YYYY-MM-DD bound.
import { AppError } from '../../errors.ts';

const DATE_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;

/**
 * The first day a partial date names, as `YYYY-MM-DD`; `since:` includes it and `before:` excludes it.
 * Throws AppError('BAD_INPUT') for anything that is not a real calendar date.
 * @example parseDateBound('2025-06', 'since') // '2025-06-01'
 */
export function parseDateBound(value: string, field: string): string {
  const m = DATE_RE.exec(value);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2] ?? '1');
  const d = Number(m?.[3] ?? '1');
  const date = new Date(Date.UTC(y, mo - 1, d));
  const valid =
    m !== null && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  if (!valid || y < 1900 || y > 2999) {
    throw new AppError(
      'BAD_INPUT',
      `${field}:${value} is not a date; write ${field}:2025, ${field}:2025-06 or ${field}:2025-06-15.`,
    );
  }
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A date string (`YYYY-MM-DD` or an ISO timestamp) as the integer YYYYMMDD, or 0 when absent or unreadable.
 * @example dateKey('2025-06-15T10:00:00Z') // 20250615
 */
export function dateKey(date: string | null | undefined): number {
  if (date === null || date === undefined) return 0;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m === null ? 0 : Number(`${m[1]}${m[2]}${m[3]}`);
}
