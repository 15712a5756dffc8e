// Trends: GET /api/trends (JSON or CSV) and the page /trends.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import { MAX_SERIES, type TrendSeries } from '../../services/trends/index.ts';
import { enumQuery } from '../request-input.ts';
import { pageOptions } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import { trendsPage } from '../views/trends-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'library' | 'trends' | 'votes'>;

/** The non-empty q values of the request (at most MAX_SERIES, else BAD_INPUT). */
function queriesOf(c: WebContext): string[] {
  const qs = (c.req.queries('q') ?? []).map((q) => q.trim()).filter((q) => q !== '');
  if (qs.length > MAX_SERIES)
    throw new AppError('BAD_INPUT', `At most ${MAX_SERIES} q values, got ${qs.length}.`);
  return qs;
}

/** One CSV field, quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The series as CSV: a start column, then one count column per query. */
export function trendsCsv(series: readonly TrendSeries[]): string {
  const head = ['start', ...series.map((s) => s.q)].map(csvField).join(',');
  const rows = (series[0]?.points ?? []).map((p, i) =>
    [p.start, ...series.map((s) => String(s.points[i]?.count ?? 0))].join(','),
  );
  return `${[head, ...rows].join('\r\n')}\r\n`;
}

export function registerTrendsRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const trends = deps.services.trends;
  app.get('/api/trends', async (c) => {
    const interval = enumQuery(c, 'interval', ['week', 'month'] as const, 'week');
    const format = enumQuery(c, 'format', ['json', 'csv'] as const, 'json');
    const qs = queriesOf(c);
    const render = async (): Promise<string> => {
      const { series } = await trends.series(qs, interval);
      return format === 'csv' ? trendsCsv(series) : JSON.stringify({ interval, series });
    };
    // The answer is the same for everyone: served from the response cache until the store changes.
    const body = await deps.cache.get(c.req.raw, render);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      ...(format === 'csv' ? { 'Content-Disposition': 'attachment; filename="trends.csv"' } : {}),
    });
  });
  app.get('/trends', async (c) => {
    const interval = enumQuery(c, 'interval', ['week', 'month'] as const, 'week');
    const qs = queriesOf(c);
    const series = qs.length > 0 ? (await trends.series(qs, interval)).series : [];
    const exportQuery = [...qs.map((q) => `q=${encodeURIComponent(q)}`), `interval=${interval}`].join('&');
    return c.html(
      page(
        pageOptions(c, deps, 'Trends', { q: '' }),
        trendsPage({ queries: qs, interval, series, exportQuery }),
      ),
    );
  });
}
