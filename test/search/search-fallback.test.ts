// Search over an OpenAI-compatible embeddings server on loopback that works, then answers garbage, then hangs:
// search falls back to words and says why, never an error; the API answers 200.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';

const DIM = 16;
let mode: 'ok' | 'garbage' | 'hang' = 'ok';
let server: Server;
let env: ReaderEnv & { app: Hono<WebEnv> };

/** Bag-of-characters vectors: good enough for a test, deterministic. */
function vectorOf(text: string): number[] {
  const v = new Array<number>(DIM).fill(0.01);
  for (const w of text.toLowerCase().split(/\W+/)) if (w) v[(w.charCodeAt(0) + w.length) % DIM]! += 1;
  return v;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  if (mode === 'hang') return;
  res.writeHead(200, { 'content-type': 'application/json' });
  if (mode === 'garbage') return void res.end('{"data": "nope"}');
  const { input } = JSON.parse(body) as { input: string[] };
  res.end(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: vectorOf(t) })) }));
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  env = await webEnv({
    EMBEDDER: 'http',
    EMBEDDER_URL: `http://127.0.0.1:${port}/v1`,
    EMBEDDER_MODEL: 'toy-embed',
    EMBEDDER_DIMENSION: String(DIM),
  });
  await env.addPapers(topicCorpus(10).papers);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await env.cleanup();
});

describe('search with a remote embedder', () => {
  it('says papers still need embedding, then fuses once they are embedded', async () => {
    const before = await env.services.search.search('robot gripper', { k: 3 });
    expect(before.mode).toBe('lexical');
    expect(before.notice).toContain('paperboy embed');
    const e = await env.services.semantic.embed();
    expect(e.embedded).toBe(40);
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const after = await env.services.search.search('robot gripper', { k: 3 });
    expect(after.mode).toBe('hybrid');
    expect(after.notice).toBeNull();
  });

  it('falls back to words with a notice when the server answers garbage, and the API still answers 200', async () => {
    mode = 'garbage';
    const r = await env.services.search.search('robot gripper', { k: 3 });
    expect(r.mode).toBe('lexical');
    expect(r.notice).toMatch(/Semantic search is unavailable/);
    expect(r.hits).toHaveLength(3);
    const res = await env.app.request('/api/search?q=robot+gripper');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { notice: string }).notice).toMatch(/unavailable/);
    const page = await env.app.request('/search?q=robot+gripper');
    expect(page.status).toBe(200);
  });

  it('stops waiting for a hanging server after the query timeout and answers by words', async () => {
    mode = 'hang';
    const started = Date.now();
    const r = await env.services.search.search('robot gripper', { k: 3 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.mode).toBe('lexical');
    expect(r.notice).toMatch(/longer than/);
    mode = 'ok';
  }, 20_000);
});
