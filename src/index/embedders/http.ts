// Embedder for any OpenAI-compatible /v1/embeddings endpoint (OpenAI, vLLM, llama.cpp, Ollama, TEI...).
import { AppError } from '../../errors.ts';
import type { Embedder } from './embedder.ts';
import { inBatches, toUnitVector } from './unit-vectors.ts';

export interface HttpEmbedderOptions {
  /** e.g. "https://api.openai.com" or "http://127.0.0.1:8080"; a trailing "/v1" is accepted too. */
  baseUrl: string;
  /** Model name sent to the server, e.g. "text-embedding-3-small". */
  model: string;
  /** Vector length the model returns; every response is checked against it. */
  dimension: number;
  /** Sent as `Authorization: Bearer <apiKey>` when set; never logged. */
  apiKey?: string;
  /** Texts per request (default 64; 1–2048). */
  batchSize?: number;
  /** Per-request timeout in milliseconds (default 30,000). */
  timeoutMs?: number;
  /** Texts are cut to this many characters so one long abstract cannot overflow the model's context (default 8,000). */
  maxChars?: number;
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The endpoint URL with exactly one "/v1". */
function endpoint(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/embeddings` : `${base}/v1/embeddings`;
}

/** Sends one request; maps network failures and timeouts to AppError('EMBEDDER'). */
async function post(url: string, body: string, opts: HttpEmbedderOptions): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    return await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const why = timedOut
      ? `did not answer within ${timeoutMs} ms`
      : `could not be reached (${err instanceof Error ? err.message : String(err)})`;
    throw new AppError(
      'EMBEDDER',
      `Embedding endpoint ${url} ${why}; check the URL and that the server is up.`,
      [],
      { cause: err },
    );
  }
}

/** Reads the body (still under the timeout) and checks the status. */
async function readJson(res: Response, url: string, timeoutMs: number): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new AppError(
      'EMBEDDER',
      `Embedding endpoint ${url} stopped sending its answer (timeout ${timeoutMs} ms).`,
      [],
      { cause: err },
    );
  }
  if (!res.ok) {
    const hint =
      res.status === 401 || res.status === 403
        ? ' Check the API key.'
        : res.status === 404
          ? ' Check the base URL and model name.'
          : '';
    throw new AppError(
      'EMBEDDER',
      `Embedding endpoint ${url} answered HTTP ${res.status}: ${text.slice(0, 200)}.${hint}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError(
      'EMBEDDER',
      `Embedding endpoint ${url} answered with something that is not JSON: ${JSON.stringify(text.slice(0, 80))}.`,
    );
  }
}

/** Picks `data[].embedding` in `index` order and checks there is one per input. */
function vectorsOf(json: unknown, count: number, opts: HttpEmbedderOptions, url: string): Float32Array[] {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== count) {
    throw new AppError(
      'EMBEDDER',
      `Embedding endpoint ${url} answered without ${count} embeddings in "data"; is it OpenAI-compatible?`,
    );
  }
  const rows = data.map((item: unknown, pos) => {
    const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
    if (!Array.isArray(embedding))
      throw new AppError(
        'EMBEDDER',
        `Embedding endpoint ${url} answered an item without an "embedding" array.`,
      );
    return { at: typeof index === 'number' ? index : pos, embedding: embedding as unknown[] };
  });
  rows.sort((a, b) => a.at - b.at);
  return rows.map((r) =>
    toUnitVector(r.embedding, opts.dimension, `Embedding endpoint ${url} (model ${opts.model})`),
  );
}

/**
 * Embeds through an OpenAI-compatible server in batches; every failure is an AppError with code EMBEDDER.
 * @example const e = createHttpEmbedder({ baseUrl: 'http://127.0.0.1:8080', model: 'bge-small-en-v1.5', dimension: 384 });
 */
export function createHttpEmbedder(opts: HttpEmbedderOptions): Embedder {
  const url = endpoint(opts.baseUrl);
  const maxChars = opts.maxChars ?? 8_000;
  const batch = Math.min(Math.max(opts.batchSize ?? 64, 1), 2048);
  const embedBatch = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const input = texts.map((t) => (t.trim() === '' ? ' ' : t.slice(0, maxChars)));
    const res = await post(url, JSON.stringify({ model: opts.model, input }), opts);
    return vectorsOf(await readJson(res, url, opts.timeoutMs ?? 30_000), texts.length, opts, url);
  };
  return {
    model: `openai-compatible:${opts.model}`,
    dimension: opts.dimension,
    embed: (texts) => inBatches(texts, batch, embedBatch),
  };
}
