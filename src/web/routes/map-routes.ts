// The map: GET /api/map (every paper's place, compact binary) and the page /map.
import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import type { MapPoints } from '../../services/topics/index.ts';
import { pageOptions } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import { mapPage } from '../views/map-page.ts';
import type { WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'library' | 'topics' | 'votes'>;

/**
 * The map payload, little-endian: "PBM1", uint32 n, n uint16 x, n uint16 y (0–65535 across [0, 1]),
 * n uint16 topic ids, then the n paper ids as UTF-8 joined by "\n". About 6 bytes a paper plus its id,
 * against ~60 for a JSON object.
 */
export function encodeMap(m: MapPoints): Buffer {
  const n = m.ids.length;
  const ids = Buffer.from(m.ids.join('\n'), 'utf8');
  const buf = Buffer.alloc(8 + 6 * n + ids.length);
  buf.write('PBM1', 0, 'latin1');
  buf.writeUInt32LE(n, 4);
  const q = (v: number): number => Math.max(0, Math.min(65535, Math.round(v * 65535)));
  for (let i = 0; i < n; i++) {
    buf.writeUInt16LE(q(m.x[i] ?? 0), 8 + 2 * i);
    buf.writeUInt16LE(q(m.y[i] ?? 0), 8 + 2 * n + 2 * i);
    buf.writeUInt16LE(Math.min(65535, m.topic[i] ?? 0), 8 + 4 * n + 2 * i);
  }
  ids.copy(buf, 8 + 6 * n);
  return buf;
}

export function registerMapRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const topics = deps.services.topics;
  let encoded: { version: number; raw: Buffer; gzip: Buffer } | null = null;
  app.get('/api/map', async (c) => {
    const points = await topics.points();
    if (encoded?.version !== points.version) {
      const raw = encodeMap(points);
      encoded = { version: points.version, raw, gzip: gzipSync(raw, { level: 6 }) };
    }
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const body = gzip ? encoded.gzip : encoded.raw;
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'public, max-age=60',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
  });
  app.get('/map', async (c) => {
    const list = await topics.list();
    const paper = c.req.query('paper') ?? '';
    const q = (c.req.query('q') ?? '').slice(0, 300);
    const body = mapPage({ topics: list, q, paper: paper.slice(0, 100), signedIn: c.get('user') !== null });
    return c.html(page(pageOptions(c, deps, 'Map of the field', { q: '' }), body));
  });
}
