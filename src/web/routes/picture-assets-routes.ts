// Self-hosted assets of the pictures (map, graph, charts): a stylesheet and the map script, read on first use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { WebEnv } from '../web-env.ts';

const DIR = join(import.meta.dirname, '../static');
const ASSETS: Record<string, [string, string]> = {
  '/static/pictures.css': ['pictures.css', 'text/css; charset=utf-8'],
  '/static/map.js': ['map.js', 'text/javascript; charset=utf-8'],
};

/**
 * Registers /static/pictures.css and /static/map.js.
 */
export function registerPictureAssets(app: Hono<WebEnv>): void {
  for (const [path, [file, type]] of Object.entries(ASSETS)) {
    let body: string | null = null;
    app.get(path, (c) => {
      body ??= readFileSync(join(DIR, file), 'utf8');
      return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
    });
  }
}
