// The HTTP application: routes, security headers and the one error handler.
import { Hono } from 'hono';
import { ERROR_CATALOG, isAppError } from '../errors.ts';
import type { Services } from '../services/services.ts';
import { html } from './views/html.ts';
import { layout } from './views/layout.ts';
import { newestPage } from './views/papers-list.ts';
import { SITE_CSS } from './static/site-css.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

function intParam(raw: string | undefined, fallback: number, max: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : null;
}

/**
 * Builds the app; tests call `app.request()` in-process.
 * @example const app = createApp(services); const res = await app.request('/health');
 */
export function createApp(services: Services): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  });
  app.get('/health', async (c) => c.json({ status: 'ok', papers: await services.papers.stats().then((s) => s.papers) }));
  app.get('/static/site.css', (c) => c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/', async (c) => {
    const page = intParam(c.req.query('page'), 0, 10_000);
    if (page === null) return c.html(layout('Bad request', html`<h1>Bad request</h1><p>page must be a whole number.</p>`), 400);
    return c.html(newestPage(await services.papers.newest({ limit: 50, offset: page * 50 })));
  });
  app.get('/api/papers', async (c) => {
    const limit = intParam(c.req.query('limit'), 20, 100);
    const offset = intParam(c.req.query('offset'), 0, 1_000_000);
    if (limit === null || offset === null) {
      return c.json({ error: { code: 'BAD_INPUT', message: 'limit must be 0..100 and offset a non-negative whole number' } }, 400);
    }
    return c.json({ papers: await services.papers.newest({ limit: Math.max(1, limit), offset }), limit, offset });
  });
  app.get('/api/papers/:id{.+}', async (c) => c.json(await services.papers.get(c.req.param('id'))));
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: { code: 'NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}` } }, 404)
      : c.html(layout('Not found', html`<h1>Not found</h1><p><a href="/">Back to the newest papers</a></p>`), 404),
  );
  app.onError((err, c) => {
    const code = isAppError(err) ? err.code : 'INTERNAL';
    const status = ERROR_CATALOG[code].status as 400 | 404 | 500;
    const message = isAppError(err) ? err.message : 'Internal error';
    if (!isAppError(err)) console.error(err);
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code, message } }, status);
    return c.html(layout('Error', html`<h1>${message}</h1><p><a href="/">Back to the newest papers</a></p>`), status);
  });
  return app;
}
