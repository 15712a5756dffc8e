// The model-summary job: newest papers first, within the day's budget, a few requests at a time, each
// answer stored on its own (usable text, or the reason it was refused), so a stopped run resumes.
import { describeError, isAppError } from '../../errors.ts';
import type { Paper } from '../../domain/index.ts';
import type { Store } from '../../store/store.ts';
import type { ChatSummarizer } from './chat-summarizer.ts';

export interface SummarizeOptions {
  store: Store;
  summarizer: ChatSummarizer;
  promptVersion: string;
  /** Most attempts per UTC day, all runs together. */
  dailyBudget: number;
  concurrency: number;
  now: () => Date;
  signal?: AbortSignal;
  /** Most papers this run (default: as many as the budget allows). */
  limit?: number;
  onProgress?: (done: number, total: number, status: string) => void;
  /** One line per refused answer or failure, naming the paper and the reason. */
  log?: (line: string) => void;
}

export interface SummarizeSummary {
  model: string;
  promptVersion: string;
  /** Papers chosen for this run. */
  planned: number;
  summarized: number;
  /** Answers that were not a usable summary (markup, too long, empty, not JSON). */
  refused: number;
  /** Papers whose requests kept failing (5xx, 429, time-outs after the retries). */
  failed: number;
  /** Attempts left in today's budget after the run. */
  budgetLeft: number;
  stopped: null | { reason: 'network' | 'interrupted'; message: string };
}

/** After this many failures in a row the server is taken to be down and the run stops. */
const FAILURES_IN_A_ROW = 5;
/** A refused or failed paper is tried again after a day (the model or the server may have changed). */
const RETRY_AFTER_MS = 86_400_000;

/** The newest papers without a summary (or a recent failed attempt) of this model and prompt version. */
async function pickPapers(opts: SummarizeOptions, want: number): Promise<Paper[]> {
  if (want <= 0) return [];
  const failedSince = new Date(opts.now().getTime() - RETRY_AFTER_MS).toISOString();
  const done = await opts.store.enrichment.summarizedIds(
    opts.summarizer.model,
    opts.promptVersion,
    failedSince,
  );
  const out: Paper[] = [];
  for (let offset = 0; out.length < want; offset += 500) {
    const page = await opts.store.papers.newest({ limit: 500, offset });
    for (const p of page) if (!done.has(p.id) && p.abstract.trim() !== '' && out.length < want) out.push(p);
    if (page.length < 500) break;
  }
  return out;
}

/**
 * Summarizes up to `limit` papers within today's budget.
 */
export async function summarizePapers(opts: SummarizeOptions): Promise<SummarizeSummary> {
  const model = opts.summarizer.model;
  const dayStart = `${opts.now().toISOString().slice(0, 10)}T00:00:00.000Z`;
  const used = await opts.store.enrichment.summaryAttemptsSince(dayStart);
  const allowance = Math.max(0, opts.dailyBudget - used);
  const todo = await pickPapers(opts, Math.min(allowance, opts.limit ?? allowance));
  const s: SummarizeSummary = {
    model,
    promptVersion: opts.promptVersion,
    planned: todo.length,
    summarized: 0,
    refused: 0,
    failed: 0,
    budgetLeft: allowance,
    stopped: null,
  };
  let next = 0;
  let inARow = 0;
  const stop = new AbortController();
  const signal = opts.signal === undefined ? stop.signal : AbortSignal.any([opts.signal, stop.signal]);
  const store = async (p: Paper, text: string | null, error: string | null): Promise<void> => {
    const createdAt = opts.now().toISOString();
    await opts.store.enrichment.putSummary({
      paperId: p.id,
      model,
      promptVersion: opts.promptVersion,
      text,
      error,
      createdAt,
    });
    s.budgetLeft--;
    const done = s.summarized + s.refused + s.failed;
    opts.onProgress?.(done, todo.length, `${s.refused + s.failed} not summarized`);
  };
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < todo.length) {
      const p = todo[next++]!;
      try {
        const answer = await opts.summarizer.summarize(p, signal);
        inARow = 0;
        if (answer.kind === 'ok') {
          s.summarized++;
          await store(p, answer.text, null);
        } else {
          s.refused++;
          opts.log?.(`summarize ${p.id}: refused the answer: ${answer.reason}`);
          await store(p, null, answer.reason);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (!isAppError(err) || err.code !== 'NETWORK') throw err;
        s.failed++;
        inARow++;
        opts.log?.(`summarize ${p.id}: ${err.message}`);
        await store(p, null, err.message.slice(0, 500));
        // An unreachable server, a refused key or model, or a run of failures: every paper would fail alike.
        if (inARow >= FAILURES_IN_A_ROW || /Could not reach|Check SUMMARIZER/.test(err.message)) {
          s.stopped = { reason: 'network', message: err.message };
          stop.abort();
        }
      }
    }
  };
  opts.onProgress?.(0, todo.length, '');
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  } catch (err) {
    stop.abort();
    throw new Error(`summarize stopped: ${describeError(err)}`, { cause: err });
  }
  if (s.stopped === null && opts.signal?.aborted === true)
    s.stopped = { reason: 'interrupted', message: 'Interrupted; run again to continue.' };
  return s;
}
