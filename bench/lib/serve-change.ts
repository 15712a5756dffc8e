// A serve bench's change step: new papers written to the store while serve runs, embedded and indexed by serve itself,
// then deleted again, with the time each took to show in answers and the process's memory after each.
import { emptyPaperInput, type PaperInput } from '../../src/domain/index.ts';
import { openStore } from '../../src/store/db.ts';
import type { BenchDoc } from './arxiv-corpus.ts';

/** What the change step measured (seconds from the write to the first answer showing it). */
export interface ChangeFigures {
  changePapers: number;
  /** From writing the papers to semantic search finding nine in ten by their titles (serve embedded and indexed them). */
  changeShownSeconds: number;
  /** From deleting them to semantic search no longer finding them. */
  changeGoneSeconds: number;
  /** Writing the papers, and deleting them one by one (each its own transaction, SQLite's write lock held). */
  changeWriteMs: number;
  changeDeleteMs: number;
}

/** The ids the step writes: far past any generated id, the same every run (a rerun replaces them). */
const changeId = (i: number): string => `2612.${String(90_000 + i).padStart(5, '0')}`;

/**
 * `n` new papers, each joining two corpus papers' titles and abstracts: real text (it embeds and indexes like a real
 * paper), yet unlike any one stored paper (the generated corpus holds a few dozen rewrites of each, as near its title).
 */
function newPapers(docs: readonly BenchDoc[], n: number): PaperInput[] {
  return Array.from({ length: n }, (_, i) => {
    const a = docs[(i * 7919) % docs.length]!;
    const b = docs[(i * 7919 + 104_729) % docs.length]!;
    return {
      ...emptyPaperInput(),
      arxivId: changeId(i),
      version: 1,
      title: `${a.title} and ${b.title}`,
      abstract: `${a.abstract} ${b.abstract}`,
      authors: ['Bench Author'],
      categories: ['cs.LG'],
      published: '2026-12-01',
      announced: '2026-12-02',
    };
  });
}

/** Polls `ok` every 250 ms until it holds; seconds taken, or throws past `limitMs`. */
async function until(ok: () => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await ok()) return Number(((performance.now() - started) / 1000).toFixed(1));
    if (performance.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Writes `n` new papers into serve's store, waits until serve's semantic search finds each (its embed loop embedded
 * them and its indexes took them in), runs `between` (the bench's queries on the changed node), then deletes them and
 * waits until it no longer finds them.
 */
export async function changeWhileServing(
  base: string,
  databaseUrl: string,
  docs: readonly BenchDoc[],
  n: number,
  between: () => Promise<void>,
  limitMs = 300_000,
): Promise<ChangeFigures> {
  const store = await openStore(databaseUrl);
  const papers = newPapers(docs, n);
  /** Whether semantic search for a paper's title finds it (its vector is in serve's index). */
  const found = async (p: PaperInput): Promise<boolean> => {
    const url = `${base}/api/search?mode=semantic&limit=100&q=${encodeURIComponent(p.title)}`;
    // A kept-alive connection the server has just closed fails the request (EPIPE): asked again on a new one.
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await fetch(url);
        if (!r.ok) throw new Error(`search answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
        const body = (await r.json()) as { papers?: { id: string }[] };
        return (body.papers ?? []).some((hit) => hit.id === p.arxivId);
      } catch (err) {
        if (attempt >= 5) throw err;
        console.error(`[serve-change] search failed (${(err as Error).message}); asking again`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  /** How many of the papers semantic search finds. */
  const count = async (): Promise<number> => {
    let n = 0;
    for (const p of papers) if (await found(p)) n++;
    return n;
  };
  // A joined paper can rank below 100 others for its own title (one of 20 did at 2.7M): nine in ten found is shown.
  const most = n - Math.floor(n / 10);
  try {
    let started = performance.now();
    await store.papers.upsertMany(papers);
    const changeWriteMs = Math.round(performance.now() - started);
    const changeShownSeconds = await until(
      async () => (await count()) >= most,
      limitMs,
      'new papers found by semantic search',
    );
    await between();
    started = performance.now();
    for (const p of papers) await store.papers.delete(p.arxivId!);
    const changeDeleteMs = Math.round(performance.now() - started);
    const changeGoneSeconds = await until(
      async () => (await count()) === 0,
      limitMs,
      'deleted papers gone from semantic search',
    );
    return { changePapers: n, changeShownSeconds, changeGoneSeconds, changeWriteMs, changeDeleteMs };
  } finally {
    await store.close();
  }
}
