// Static assets: the stylesheet, the progressive-enhancement script and KaTeX's stylesheet and fonts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import { SITE_CSS } from '../static/site-css.ts';
import type { WebEnv } from '../web-env.ts';

const SITE_JS = readFileSync(join(import.meta.dirname, '../static/site.js'), 'utf8');
const KATEX_DIR = dirname(createRequire(import.meta.url).resolve('katex'));
const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf' };
const LONG = 'public, max-age=604800';
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M10 24V8h7a5 5 0 0 1 0 10h-4v6z" fill="#fff"/></svg>';
const assets = new Map<string, Buffer>();

function katexAsset(path: string): Buffer {
  let buf = assets.get(path);
  if (buf === undefined) {
    buf = readFileSync(join(KATEX_DIR, path));
    assets.set(path, buf);
  }
  return buf;
}

/**
 * Registers /static/site.css, /static/site.js, the icon, /static/katex/katex.min.css and /static/katex/fonts/*.
 */
export function registerStaticRoutes(app: Hono<WebEnv>): void {
  app.get('/static/site.css', (c) =>
    c.body(SITE_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );
  app.get('/static/site.js', (c) =>
    c.body(SITE_JS, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );
  app.get('/static/icon.svg', (c) =>
    c.body(ICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': LONG }),
  );
  app.get('/favicon.ico', (c) => c.redirect('/static/icon.svg', 301));
  app.get('/static/katex/katex.min.css', (c) =>
    c.body(new Uint8Array(katexAsset('katex.min.css')), 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': LONG,
    }),
  );
  app.get('/static/katex/fonts/:file', (c) => {
    const file = c.req.param('file');
    const m = /^KaTeX_[A-Za-z0-9_-]+\.(woff2|woff|ttf)$/.exec(file);
    if (!m?.[1]) throw new AppError('NOT_FOUND', 'No such font.');
    let buf: Buffer;
    try {
      buf = katexAsset(`fonts/${file}`);
    } catch {
      throw new AppError('NOT_FOUND', 'No such font.');
    }
    return c.body(new Uint8Array(buf), 200, {
      'Content-Type': FONT_TYPES[m[1]] ?? 'application/octet-stream',
      'Cache-Control': LONG,
    });
  });
}
