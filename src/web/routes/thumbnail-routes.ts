// Serves papers' first-page thumbnails from the store, as PNG, under the site's own origin and headers.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import type { WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'enrich'>;

/**
 * Registers GET /thumbnails/<paper id>.png.
 */
export function registerThumbnailRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/thumbnails/:file{.+\\.png}', async (c) => {
    const id = c.req.param('file').replace(/\.png$/, '');
    const t = await deps.services.enrich.thumbnail(id);
    if (t === null || t.image === null) throw new AppError('NOT_FOUND', `No thumbnail for ${id}.`);
    return c.body(Buffer.from(t.image), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=86400',
      'Content-Disposition': 'inline',
    });
  });
}
