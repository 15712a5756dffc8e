// A client for an OpenAI-compatible /chat/completions server that writes a paper's one- or two-sentence TL;DR,
// with retries, a whole-answer deadline, and an answer check that refuses markup, floods and empty text.
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import { parseRetryAfter, unreachableReason } from '../../ingest/http.ts';
import { readAtMost } from '../../ingest/bounded-body.ts';

/** The instructions sent with every paper; SUMMARIZER_PROMPT_VERSION names this text. */
export const SUMMARY_PROMPT =
  'You write TL;DRs of research papers for a list readers skim. Given a title and abstract, answer with one ' +
  'or two plain sentences (at most 60 words) saying what the paper does and finds. Plain text only: no ' +
  'Markdown, no HTML, no preamble such as "This paper", no quotes.';

/** A usable summary is at most this long; anything longer is not one or two sentences. */
export const MAX_SUMMARY_CHARS = 400;
/** Answers larger than this are not read to the end. */
const MAX_BODY_BYTES = 256 * 1024;
/** A Retry-After longer than this is not waited for: the paper counts as failed and waits for the next run. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** One summary attempt: a usable text, or why the answer was refused (it is then not stored as a summary). */
export type SummaryAnswer = { kind: 'ok'; text: string } | { kind: 'refused'; reason: string };

/** The slice of fetch a POST needs. */
export type PostFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ChatSummarizerOptions {
  fetch: PostFetch;
  /** Base URL such as http://127.0.0.1:8000/v1 (".../chat/completions" is added). */
  baseUrl: string;
  model: string;
  apiKey: string;
  /** Deadline of one whole answer, body included (a slow stream fails it). */
  timeoutMs: number;
  /** Retries of a 429, a 5xx or a time-out (default 3, backoff 1, 2, 4 s or Retry-After). */
  retries?: number;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onWait?: (message: string) => void;
}

export interface ChatSummarizer {
  readonly model: string;
  /**
   * Summarizes one paper. Throws AppError NETWORK when the server cannot be reached, refuses the request
   * (401, 404 model) or keeps failing after the retries.
   */
  summarize(paper: { title: string; abstract: string }, signal?: AbortSignal): Promise<SummaryAnswer>;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).then(() => undefined);

/**
 * Creates the client.
 * @example const s = createChatSummarizer({ fetch, baseUrl: 'http://127.0.0.1:8000/v1', model: 'qwen', apiKey: '', timeoutMs: 60_000 });
 */
export function createChatSummarizer(opts: ChatSummarizerOptions): ChatSummarizer {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const retries = opts.retries ?? 3;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(opts.apiKey !== '' ? { authorization: `Bearer ${opts.apiKey}` } : {}),
  };
  const wait = async (ms: number, why: string, signal?: AbortSignal): Promise<void> => {
    opts.onWait?.(`summarizer: ${why}; waiting ${Math.ceil(ms / 1000)} s`);
    await sleep(ms, signal);
  };

  return {
    model: opts.model,
    async summarize(paper, signal) {
      const body = JSON.stringify({
        model: opts.model,
        messages: [
          { role: 'system', content: SUMMARY_PROMPT },
          { role: 'user', content: `Title: ${paper.title}\n\nAbstract: ${paper.abstract}` },
        ],
        temperature: 0.2,
        max_tokens: 160,
        stream: false,
      });
      for (let attempt = 0; ; attempt++) {
        const last = attempt >= retries;
        let status: number;
        let text: string | null;
        let retryAfter: string | null;
        try {
          const deadline = AbortSignal.timeout(opts.timeoutMs);
          const s = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
          const res = await opts.fetch(url, { method: 'POST', headers, body, signal: s });
          status = res.status;
          retryAfter = res.headers.get('retry-after');
          text = await boundedText(res);
        } catch (err) {
          if (signal?.aborted === true) throw err;
          const unreachable = unreachableReason(err, url);
          if (unreachable !== null) throw new AppError('NETWORK', unreachable, [], { cause: err });
          const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : describe(err);
          if (last) throw new AppError('NETWORK', `The summarizer at ${url} ${why}`, [], { cause: err });
          await wait(1000 * 2 ** attempt, why, signal);
          continue;
        }
        if (text === null)
          return { kind: 'refused', reason: `the answer is larger than ${MAX_BODY_BYTES / 1024} KiB` };
        if (status === 200) return checkAnswer(text);
        const message = `The summarizer at ${url} answered ${status}: ${serverMessage(text)}`;
        if (status === 429 || status >= 500) {
          const ms = parseRetryAfter(retryAfter, now().getTime()) ?? 1000 * 2 ** attempt;
          if (last || ms > MAX_RETRY_AFTER_MS) throw new AppError('NETWORK', message);
          await wait(ms, `answered ${status}`, signal);
          continue;
        }
        // 400, 401, 404 (unknown model): every paper would fail the same way; say so and stop.
        throw new AppError(
          'NETWORK',
          `${message}. Check SUMMARIZER_URL, SUMMARIZER_MODEL and SUMMARIZER_API_KEY.`,
        );
      }
    },
  };
}

/** Takes the first choice's text from a chat completion and checks that it is a plain one- or two-sentence TL;DR. */
export function checkAnswer(body: string): SummaryAnswer {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { kind: 'refused', reason: 'the answer is not JSON' };
  }
  const choice = (v as { choices?: unknown } | null)?.choices;
  const first = Array.isArray(choice) ? (choice[0] as Record<string, unknown> | undefined) : undefined;
  const content = (first?.message as { content?: unknown } | undefined)?.content;
  if (typeof content !== 'string')
    return { kind: 'refused', reason: 'the answer has no choices[0].message.content' };
  if (first?.finish_reason === 'length')
    return { kind: 'refused', reason: 'the answer was cut off (finish_reason length)' };
  const text = content
    .replace(/^\s*(tl;?dr|summary)\s*[:-]\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^"(.*)"$/, '$1');
  if (text === '') return { kind: 'refused', reason: 'the answer is empty' };
  if (text.length > MAX_SUMMARY_CHARS)
    return {
      kind: 'refused',
      reason: `the answer is ${content.length} characters, not one or two sentences`,
    };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(content))
    return { kind: 'refused', reason: 'the answer holds control characters' };
  if (/<\/?[a-z!][^>]*>|```|\]\(https?:/i.test(text))
    return { kind: 'refused', reason: 'the answer holds markup (HTML or Markdown), not plain text' };
  return { kind: 'ok', text };
}

/** The server's own error message (OpenAI's {"error":{"message"}}), cut short, or the body's start. */
function serverMessage(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown } | string }).error;
    const m = typeof e === 'string' ? e : e?.message;
    if (typeof m === 'string') return m.slice(0, 200);
  } catch {
    // not JSON
  }
  return body.slice(0, 120).replace(/\s+/g, ' ') || '(empty body)';
}

/** The body as text, or null past MAX_BODY_BYTES (read in chunks, so a flood stops early). */
async function boundedText(res: Response): Promise<string | null> {
  const bytes = await readAtMost(res.body, MAX_BODY_BYTES);
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

function describe(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `failed (${err instanceof Error ? err.message : String(err)}${cause})`;
}
