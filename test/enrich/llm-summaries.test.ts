// Model summaries through a local server speaking the OpenAI chat completions protocol: retries on 429 and
// 5xx, deadlines on hangs and slow streams, garbage refused and never stored, the budget, prompt versions,
// and the TL;DR label and escaping on cards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatSummarizer, type ChatSummarizer } from '../../src/services/enrich/chat-summarizer.ts';
import { summarizePapers } from '../../src/services/enrich/summarize-job.ts';
import {
  clearEnrichmentOverlay,
  reloadEnrichmentOverlay,
} from '../../src/services/enrich/enrichment-overlay.ts';
import { enrichPaper } from '../../src/services/enrich/index.ts';
import { summaryLine } from '../../src/web/views/paper-extras.ts';
import { startFakeChat, type FakeChat } from '../helpers/fake-chat.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let chat: FakeChat;
let t: TempStore;
let waits: number[];
let clock: number;
const now = (): Date => new Date(clock);
const sleep = async (ms: number): Promise<void> => {
  waits.push(ms);
  clock += ms;
};
const summarizer = (extra: Partial<Parameters<typeof createChatSummarizer>[0]> = {}): ChatSummarizer =>
  createChatSummarizer({
    fetch: (u, i) => fetch(u, i),
    baseUrl: chat.url,
    model: 'tiny-llm',
    apiKey: 'sk-test',
    timeoutMs: 1500,
    retries: 2,
    now,
    sleep,
    ...extra,
  });
const abstract = 'We study a thing. It works well on three benchmarks. We release code.';

beforeEach(async () => {
  chat = await startFakeChat();
  t = await tempStore(now);
  waits = [];
  clock = Date.parse('2026-12-01T10:00:00Z');
});
afterEach(async () => {
  clearEnrichmentOverlay();
  await chat.close();
  await t.cleanup();
});

describe('chat summarizer', () => {
  it('sends the model, key, title and abstract, and cleans the answer', async () => {
    const a = await summarizer().summarize({ title: 'Graph ok', abstract });
    expect(a).toEqual({ kind: 'ok', text: 'A model summary of Graph ok.' });
    expect(chat.requests[0]).toEqual({ model: 'tiny-llm', title: 'Graph ok', auth: 'Bearer sk-test' });
  });

  it('waits out a 429 by its Retry-After and retries 500s with backoff', async () => {
    expect((await summarizer().summarize({ title: 'A flaky429', abstract })).kind).toBe('ok');
    expect(waits).toEqual([3000]);
    waits = [];
    expect((await summarizer().summarize({ title: 'B flaky500', abstract })).kind).toBe('ok');
    expect(waits).toEqual([1000, 2000]);
  });

  it('fails with the server message after the retries, and at once on a wrong key', async () => {
    await expect(summarizer().summarize({ title: 'C down500', abstract })).rejects.toThrow(
      /answered 503: The engine is currently overloaded/,
    );
    await expect(summarizer({ apiKey: 'wrong' }).summarize({ title: 'ok', abstract })).rejects.toThrow(
      /401: Incorrect API key.*Check SUMMARIZER_URL/,
    );
    expect(chat.requests.filter((r) => r.auth === 'Bearer wrong')).toHaveLength(1);
  });

  it('gives a hanging server and a slow stream the whole-answer deadline', async () => {
    const started = Date.now();
    await expect(
      summarizer({ retries: 0, timeoutMs: 300 }).summarize({ title: 'hang', abstract }),
    ).rejects.toThrow(/timed out/);
    await expect(
      summarizer({ retries: 0, timeoutMs: 600 }).summarize({ title: 'slowstream', abstract }),
    ).rejects.toThrow(/timed out|failed/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['html', /markup/],
    ['huge', /characters, not one or two sentences/],
    ['garbage', /not JSON/],
    ['cutoff', /cut off/],
    ['empty', /empty/],
  ])('refuses a %s answer with a reason', async (word, reason) => {
    const a = await summarizer().summarize({ title: `X ${word}`, abstract });
    expect(a.kind).toBe('refused');
    expect(a.kind === 'refused' && a.reason).toMatch(reason);
  });
});

describe('summarize job', () => {
  async function seed(titles: string[]): Promise<void> {
    await t.store.papers.upsertMany(
      titles.map((title, i) =>
        paper({ arxivId: `2511.0000${i + 1}`, title, abstract, announced: `2026-11-${String(20 + i)}` }),
      ),
    );
  }

  it('stores usable summaries only, logs each refusal, and shows them labelled and escaped', async () => {
    await seed(['Alpha ok', 'Beta html', 'Gamma huge', 'Delta lessthan', 'Eps garbage']);
    const lines: string[] = [];
    const r = await summarizePapers({
      store: t.store,
      summarizer: summarizer(),
      promptVersion: 'v1',
      dailyBudget: 100,
      concurrency: 3,
      now,
      log: (l) => lines.push(l),
    });
    expect(r).toMatchObject({
      planned: 5,
      summarized: 2,
      refused: 3,
      failed: 0,
      budgetLeft: 95,
      stopped: null,
    });
    expect(lines.filter((l) => /refused the answer/.test(l))).toHaveLength(3);
    const stored = await t.store.enrichment.summaries('tiny-llm', 'v1');
    expect(stored.map((s) => s.paperId).sort()).toEqual(['2511.00001', '2511.00004']);

    await reloadEnrichmentOverlay(t.store, {
      summarizer: { model: 'tiny-llm', promptVersion: 'v1' },
      thumbnails: false,
    });
    const delta = (await t.store.papers.get('2511.00004'))!;
    expect(enrichPaper(delta).summary).toEqual({
      text: 'The bound holds when n < m & k > 0, in "all" cases.',
      kind: 'abstractive',
      model: 'tiny-llm',
    });
    const line = summaryLine(delta).value;
    expect(line).toContain('TL;DR <small>(AI)</small>');
    expect(line).toContain('n &lt; m &amp; k &gt; 0');
    // A refused paper keeps its extractive TL;DR: readers see no error.
    const beta = (await t.store.papers.get('2511.00002'))!;
    expect(enrichPaper(beta).summary?.kind).toBe('extractive');
    expect(summaryLine(beta).value).toContain('(extractive)');
  });

  it('keeps to the daily budget and --limit, resumes, and a new prompt version re-summarizes lazily', async () => {
    await seed(['P1 ok', 'P2 ok', 'P3 ok', 'P4 ok']);
    const run = (extra: { limit?: number; dailyBudget?: number; promptVersion?: string } = {}) =>
      summarizePapers({
        store: t.store,
        summarizer: summarizer(),
        promptVersion: extra.promptVersion ?? 'v1',
        dailyBudget: extra.dailyBudget ?? 3,
        concurrency: 2,
        now,
        limit: extra.limit,
      });
    expect(await run({ limit: 1 })).toMatchObject({ planned: 1, summarized: 1, budgetLeft: 2 });
    expect((await t.store.enrichment.summaries('tiny-llm', 'v1'))[0]!.paperId).toBe('2511.00004');
    expect(await run()).toMatchObject({ planned: 2, summarized: 2, budgetLeft: 0 });
    expect(await run()).toMatchObject({ planned: 0, budgetLeft: 0 });
    clock += 86_400_000;
    expect(await run()).toMatchObject({ planned: 1, summarized: 1 });
    expect(chat.requests).toHaveLength(4);
    await reloadEnrichmentOverlay(t.store, {
      summarizer: { model: 'tiny-llm', promptVersion: 'v2' },
      thumbnails: false,
    });
    expect(enrichPaper((await t.store.papers.get('2511.00001'))!).summary?.kind).toBe('extractive');
    expect(await run({ promptVersion: 'v2', dailyBudget: 100, limit: 2 })).toMatchObject({ summarized: 2 });
  });

  it('stops when the server is down or refuses the key, storing no summary text', async () => {
    await seed(['Q1 down500', 'Q2 down500', 'Q3 down500', 'Q4 down500', 'Q5 down500', 'Q6 down500', 'Q7 ok']);
    const down = await summarizePapers({
      store: t.store,
      summarizer: summarizer({ retries: 0 }),
      promptVersion: 'v1',
      dailyBudget: 100,
      concurrency: 1,
      now,
    });
    expect(down.stopped?.reason).toBe('network');
    expect(down.failed).toBe(5);
    // Only the one good answer (the newest paper, first in line) holds text; the failures hold reasons.
    expect((await t.store.enrichment.summaries('tiny-llm', 'v1')).map((s) => s.paperId)).toEqual([
      '2511.00007',
    ]);
    const wrongKey = await summarizePapers({
      store: t.store,
      summarizer: summarizer({ apiKey: 'wrong' }),
      promptVersion: 'v1',
      dailyBudget: 100,
      concurrency: 2,
      now,
    });
    expect(wrongKey.stopped?.message).toMatch(/Incorrect API key/);
    expect(wrongKey.failed).toBeLessThanOrEqual(2);
  });
});
