// The HTTP application: middleware (headers, body limits, who is asking, CSRF), routes, and the one error handler.
import { Hono, type Context } from 'hono';
import { AppError, ERROR_CATALOG, isAppError } from '../errors.ts';
import { RateLimitError } from '../platform/index.ts';
import type { Services } from '../services/services.ts';
import { authenticate, bearerToken } from './auth.ts';
import { limitBody } from './body-limit.ts';
import { createResponseCache } from './response-cache.ts';
import { csrfGuard } from './csrf.ts';
import { localPath } from './request-input.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerApiPaperFallback, registerApiPaperRoutes } from './routes/api-paper-routes.ts';
import { registerApiReaderRoutes } from './routes/api-reader-routes.ts';
import { registerApiForYouRoutes } from './routes/api-foryou-routes.ts';
import { registerForYouRoutes } from './routes/foryou-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerBrowseRoutes } from './routes/browse-routes.ts';
import { registerDigestRoutes } from './routes/digest-routes.ts';
import { registerFeedRoutes } from './routes/feed-routes.ts';
import { registerHomeRoutes } from './routes/home-routes.ts';
import { registerLibraryRoutes } from './routes/library-routes.ts';
import { openApiDocument } from './routes/openapi-document.ts';
import { registerPaperRoutes } from './routes/paper-routes.ts';
import { registerApiSearchRoutes } from './routes/api-search-routes.ts';
import { registerSearchRoutes } from './routes/search-routes.ts';
import { registerSettingsRoutes } from './routes/settings-routes.ts';
import { registerStaticRoutes } from './routes/static-routes.ts';
import { registerSubmitRoutes } from './routes/submit-routes.ts';
import { pageOptions } from './route-helpers.ts';
import { apiDocsBody } from './views/api-docs-page.ts';
import { errorPage, page } from './views/layout.ts';
import { registerApiTopicRoutes, registerTopicPages } from './routes/topics-routes.ts';
import { registerTrendsRoutes } from './routes/trends-routes.ts';
import { registerPictureAssets } from './routes/picture-assets-routes.ts';
import { registerMapRoutes } from './routes/map-routes.ts';
import { registerCollectionRoutes } from './routes/collection-routes.ts';
import { registerApiCollectionRoutes } from './routes/api-collection-routes.ts';
import { registerProfileRoutes } from './routes/profile-routes.ts';
import { registerThumbnailRoutes } from './routes/thumbnail-routes.ts';
import { registerDiscussionRoutes } from './routes/discussion-routes.ts';
import { registerModerationRoutes } from './routes/moderation-routes.ts';
import { registerNotificationRoutes } from './routes/notifications-routes.ts';
import { registerApiDiscussionRoutes } from './routes/api-discussion-routes.ts';
import type { WebDeps, WebEnv } from './web-env.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // KaTeX positions glyphs with style attributes; style elements and inline scripts stay forbidden.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** How long a page cached for anonymous readers may lag a write (see response-cache.ts). */
export const ANONYMOUS_STALE_MS = 1000;

/** Request bodies above this are refused with 413 before they are read. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Library imports (a BibTeX or CSL-JSON export, 10,000 arXiv ids) may be up to this large. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const IMPORT_PATHS = new Set(['/api/library/import', '/foryou/import']);

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Sign in needed',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  410: 'Link expired',
  413: 'Too large',
  429: 'Too many attempts',
  502: 'arXiv unavailable',
};

function isApi(c: Context<WebEnv>): boolean {
  return c.req.path.startsWith('/api/');
}

function handleError(err: Error, c: Context<WebEnv>): Response {
  const code = isAppError(err) ? err.code : 'INTERNAL';
  const status = ERROR_CATALOG[code].status as 400;
  const message = isAppError(err) ? err.message : 'Something went wrong on our side; it has been logged.';
  if (!isAppError(err) || status >= 500) console.error(err);
  if (err instanceof RateLimitError) c.header('Retry-After', String(err.retryAfterSeconds));
  if (isApi(c))
    return c.json(
      {
        error: {
          code,
          message,
          ...(isAppError(err) && err.details.length > 0 ? { details: err.details } : {}),
        },
      },
      status,
    );
  // A refused bearer token gets its 401: sending it to sign in would only send the same header again.
  if (
    code === 'UNAUTHORIZED' &&
    c.req.method === 'GET' &&
    c.get('user') == null &&
    bearerToken(c.req.header('authorization')) === null
  ) {
    // Through the one redirect check, so a huge or odd URL cannot make an unsendable Location header.
    const u = new URL(c.req.url);
    const back = localPath(u.pathname + u.search, localPath(u.pathname, '/'));
    return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
  }
  return c.html(errorPage(TITLES[status] ?? 'Error', message, c.get('user') ?? null), status);
}

function registerRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  registerStaticRoutes(app);
  registerPictureAssets(app);
  app.get('/health', async (c) =>
    c.json({
      status: 'ok',
      papers: await deps.services.papers.count(),
      harvest: await deps.services.harvestStatus(),
    }),
  );
  registerHomeRoutes(app, deps);
  registerPaperRoutes(app, deps);
  registerThumbnailRoutes(app, deps);
  registerBrowseRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerLibraryRoutes(app, deps);
  registerForYouRoutes(app, deps);
  registerSubmitRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerDigestRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerDiscussionRoutes(app, deps);
  registerModerationRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  app.get('/api/openapi.json', (c) => c.json(openApiDocument({ baseUrl: deps.services.baseUrl })));
  app.get('/api/docs', (c) => {
    const doc = openApiDocument({ baseUrl: deps.services.baseUrl });
    return c.html(page(pageOptions(c, deps, 'API'), apiDocsBody(doc)));
  });
  registerApiPaperRoutes(app, deps);
  registerApiDiscussionRoutes(app, deps);
  registerApiReaderRoutes(app, deps);
  registerApiForYouRoutes(app, deps);
  registerApiSearchRoutes(app, deps);
  registerApiTopicRoutes(app, deps);
  registerTrendsRoutes(app, deps);
  registerTopicPages(app, deps);
  registerMapRoutes(app, deps);
  // Collections and profiles (community issue).
  registerCollectionRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerApiCollectionRoutes(app, deps);
  registerApiPaperFallback(app, deps);
}

/**
 * Builds the app; tests call `app.request()` in-process.
 * @example const app = createApp(services); const res = await app.request('/health');
 */
export function createApp(services: Services): Hono<WebEnv> {
  const deps: WebDeps = {
    services,
    secure: services.baseUrl.startsWith('https:'),
    secret: services.serverSecret().value,
    trustProxyHops: services.config.PAPERBOY_TRUST_PROXY,
    cache: createResponseCache(services, { max: 500, staleMs: ANONYMOUS_STALE_MS }),
  };
  const app = new Hono<WebEnv>();
  const securityHeaders = Object.entries({
    ...SECURITY_HEADERS,
    ...(deps.secure ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  });
  app.use('*', async (c, next) => {
    // Set before the handler, they go into the response it builds; setting them on a finished response
    // made Hono copy it (about a tenth of a millisecond per request). A response built some other way
    // (a raw Response) still gets them afterwards, and ours win over a handler's own values either way.
    for (const [k, v] of securityHeaders) c.header(k, v);
    await next();
    const headers = c.res.headers;
    if (securityHeaders.some(([k, v]) => headers.get(k) !== v))
      for (const [k, v] of securityHeaders) c.header(k, v);
  });
  const limitSmall = limitBody(MAX_BODY_BYTES);
  const limitImport = limitBody(
    MAX_IMPORT_BYTES,
    `A library import is limited to ${MAX_IMPORT_BYTES / (1024 * 1024)} MiB; split the file into parts, ` +
      'or add papers to the store with `paperboy ingest`.',
  );
  app.use('*', (c, next) => (IMPORT_PATHS.has(c.req.path) ? limitImport : limitSmall)(c, next));
  app.use('*', authenticate(deps));
  app.use('*', csrfGuard(deps));
  // The header's unread count (community issue): one indexed count, for signed-in page views only.
  app.use('*', async (c, next) => {
    const user = c.get('user');
    c.set(
      'unread',
      user !== null && c.req.method === 'GET' && !isApi(c)
        ? await services.discussion.notifications.unreadCount(user.id)
        : 0,
    );
    return next();
  });
  registerRoutes(app, deps);
  app.notFound((c) => handleError(new AppError('NOT_FOUND', `Nothing at ${c.req.path.slice(0, 200)}.`), c));
  app.onError(handleError);
  return app;
}
