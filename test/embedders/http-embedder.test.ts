// The OpenAI-compatible embedder against a real HTTP server on loopback: happy path, batching, auth, and failures.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpEmbedder } from '../../src/index/embedders/http.ts';
import { AppError } from '../../src/errors.ts';

const DIM = 8;
const KEY = 'test-key-123';
const requests: Array<{ path: string; auth: string | undefined; inputs: number }> = [];

/** A deterministic, unnormalised embedding: character codes folded into DIM buckets. */
function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIM).fill(0.5);
  for (let i = 0; i < text.length; i++) v[i % DIM]! += text.charCodeAt(i) / 100;
  return v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/** Routes by base path: /ok speaks the protocol, /hang never answers, /garbage and /short answer badly, /down fails. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const path = req.url ?? '';
  if (path.startsWith('/hang')) return; // never respond
  const send = (status: number, payload: string): void =>
    void res.writeHead(status, { 'content-type': 'application/json' }).end(payload);
  if (path.startsWith('/garbage')) return send(200, '<html>definitely not json');
  if (path.startsWith('/down')) return send(503, '{"error":"model loading"}');
  const { input, model } = JSON.parse(body) as { input: string[]; model: string };
  requests.push({ path, auth: req.headers.authorization, inputs: input.length });
  if (req.headers.authorization !== `Bearer ${KEY}`) return send(401, '{"error":"bad key"}');
  if (path.startsWith('/short'))
    return send(200, JSON.stringify({ data: [{ embedding: [1, 2], index: 0 }] }));
  // Answer in reverse order with explicit indexes, as some servers do.
  const data = input
    .map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t) }))
    .reverse();
  send(200, JSON.stringify({ object: 'list', model, data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
}

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('createHttpEmbedder', () => {
  it('embeds in batches, in input order, as unit vectors, sending the bearer key', async () => {
    const e = createHttpEmbedder({
      baseUrl: `${base}/ok`,
      model: 'm1',
      dimension: DIM,
      apiKey: KEY,
      batchSize: 2,
    });
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const before = requests.length;
    const vecs = await e.embed(texts);
    expect(requests.slice(before).map((r) => r.inputs)).toEqual([2, 2, 1]);
    expect(requests[before]?.path).toBe('/ok/v1/embeddings');
    vecs.forEach((v, i) => {
      const want = fakeEmbedding(texts[i]!);
      const norm = Math.hypot(...want);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      expect(v[3]).toBeCloseTo(want[3]! / norm, 5);
    });
    expect(e.model).toBe('openai-compatible:m1');
  });

  it('accepts a base URL that already ends in /v1', async () => {
    const e = createHttpEmbedder({ baseUrl: `${base}/ok/v1/`, model: 'm1', dimension: DIM, apiKey: KEY });
    expect(await e.embed(['x'])).toHaveLength(1);
  });

  it('times out on a server that never answers', async () => {
    const e = createHttpEmbedder({ baseUrl: `${base}/hang`, model: 'm', dimension: DIM, timeoutMs: 300 });
    const started = Date.now();
    const err = await failure(e.embed(['x']));
    expect(err.code).toBe('EMBEDDER');
    expect(err.message).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects garbage, wrong shapes, HTTP errors and a bad key with clear messages', async () => {
    const make = (path: string, apiKey?: string) =>
      createHttpEmbedder({ baseUrl: `${base}${path}`, model: 'm', dimension: DIM, apiKey });
    expect((await failure(make('/garbage').embed(['x']))).message).toMatch(/not JSON/);
    expect((await failure(make('/short', KEY).embed(['x', 'y']))).message).toMatch(/without 2 embeddings/);
    expect((await failure(make('/short', KEY).embed(['x']))).message).toMatch(/2-d vector; expected 8/);
    expect((await failure(make('/down').embed(['x']))).message).toMatch(/HTTP 503/);
    const bad = await failure(make('/ok', 'wrong').embed(['x']));
    expect(bad.message).toMatch(/HTTP 401.*API key/);
    expect(bad.message).not.toContain('wrong');
  });

  it('reports an unreachable server as an EMBEDDER error', async () => {
    const e = createHttpEmbedder({
      baseUrl: 'http://127.0.0.1:9',
      model: 'm',
      dimension: DIM,
      timeoutMs: 2_000,
    });
    expect((await failure(e.embed(['x']))).code).toBe('EMBEDDER');
  });
});
