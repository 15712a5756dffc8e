// A sync applies what the store held when it began (#23): with papers or vectors arriving all the while (an import or
// `paperboy embed` writing beside a serving node), a sync that read the logs until they ran dry lasted as long as the
// writing, and every search, which waits for the sync under way, waited with it. A search waits a moment for a large
// sync, then answers from the indexes as they stand and says so (that answer is never cached); so do a paper page's similar
// papers and graph.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPaperGraphService } from '../../src/services/graph/paper-graph.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService } from '../../src/services/search/search-service.ts';
import type { Store } from '../../src/store/store.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

const PAGE = 50;
const ROUNDS = 20;
const BATCH = 60;

const papers = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    paper({
      arxivId: `2601.${String(from + i).padStart(5, '0')}`,
      title: `walrus haul-out ${from + i}`,
      abstract: 'Walruses rest on sea ice between dives.',
    }),
  );

/**
 * The temp store, with a writer beside it: each time the indexes read a page of `log` ('papers' or 'vectors'), the
 * writer stores another batch first, for `ROUNDS` pages. `rounds()` tells how many batches it has stored.
 */
function withWriter(log: 'papers' | 'vectors', write: (round: number) => Promise<void>) {
  let round = 0;
  const writeOne = async (): Promise<void> => {
    if (round < ROUNDS) await write(round++);
  };
  const store: Store =
    log === 'papers'
      ? {
          ...env.store,
          papers: {
            ...env.store.papers,
            changesSince: async (seq, limit) => {
              const page = await env.store.papers.changesSince(seq, limit);
              await writeOne();
              return page;
            },
          },
        }
      : {
          ...env.store,
          vectors: {
            ...env.store.vectors,
            since: async (model, seq, limit) => {
              const page = await env.store.vectors.since(model, seq, limit);
              await writeOne();
              return page;
            },
          },
        };
  return { store, rounds: () => round };
}

it('applies the papers stored when a sync began, not those a writer keeps adding meanwhile', async () => {
  await env.store.papers.upsertMany(papers(1, 120));
  const before = await env.store.papers.latestChangeSeq();
  const writer = withWriter('papers', async (r) => {
    await env.store.papers.upsertMany(papers(1000 + r * BATCH, BATCH));
  });
  const ix = new SearchIndexes(writer.store, { dir: null, changePage: PAGE, approximateAbove: 10_000 });
  // The first sync (at open) meets the writer's first batches only: it ends at the log's end as read once a page
  // came back full, with every paper stored before it began.
  await ix.open();
  expect(ix.lexical.has('2601.00120')).toBe(true);
  expect(ix.lexical.size).toBeGreaterThanOrEqual(120);
  expect(writer.rounds()).toBeLessThan(ROUNDS);
  const firstRounds = writer.rounds();
  // Each later sync goes as far as the log reached when it began, so the writer still has batches to store.
  const stored = await env.store.papers.latestChangeSeq();
  await ix.sync();
  expect(writer.rounds()).toBeLessThan(ROUNDS);
  expect(writer.rounds()).toBeGreaterThan(firstRounds);
  // Nothing stored before the sync began is missing.
  const changes = await env.store.papers.changesSince(before, 10_000);
  for (const c of changes.filter((c) => c.seq <= stored))
    expect(ix.lexical.has(c.paperId), c.paperId).toBe(true);
  // Once the writer stops, syncs catch up with all of it.
  while (writer.rounds() < ROUNDS) await ix.sync();
  await ix.sync();
  expect(ix.lexical.size).toBe(120 + ROUNDS * BATCH);
});

/** How far the index's row of `id` is from `v` (rows are kept as int8: about 1/127 apart); Infinity without one. */
function gap(ix: SearchIndexes, id: string, v: Float32Array): number {
  const row = ix.vectors?.get(id);
  if (row === undefined || row === null) return Number.POSITIVE_INFINITY;
  return Math.max(...v.map((x, i) => Math.abs(x - (row[i] ?? Number.NaN))));
}

it('applies the vectors stored when a sync began, not those a writer keeps adding meanwhile', async () => {
  await env.store.papers.upsertMany(papers(1, 120));
  const vector = (r: number, i: number) => Float32Array.from([Math.cos(r + i), Math.sin(r + i)]);
  const put = async (r: number) => {
    const page = await env.store.papers.changesSince(0, 120);
    const batch = page.slice((r * BATCH) % 120, ((r * BATCH) % 120) + BATCH);
    await env.store.vectors.put(
      'm',
      batch.map((c, i) => ({ paperId: c.paperId, contentHash: `h${r}`, vector: vector(r, i) })),
    );
  };
  await env.store.vectors.put(
    'm',
    (await env.store.papers.changesSince(0, 120)).map((c, i) => ({
      paperId: c.paperId,
      contentHash: 'h',
      vector: vector(-1, i),
    })),
  );
  const writer = withWriter('vectors', put);
  const ix = new SearchIndexes(writer.store, { dir: null, changePage: PAGE, approximateAbove: 10_000 });
  await ix.open();
  // The first load of a model (a rebuild from the store) also ends where the log ended as it began.
  await ix.useModel('m', 2);
  expect(ix.vectors?.size).toBeGreaterThan(0);
  expect(writer.rounds()).toBeLessThan(ROUNDS);
  const loaded = writer.rounds();
  const stored = await env.store.vectors.latestSeq('m');
  await ix.sync();
  expect(writer.rounds()).toBeLessThan(ROUNDS);
  expect(writer.rounds()).toBeGreaterThan(loaded);
  // Every vector stored before the sync began is in the index as stored (those the writer replaced since are in the
  // log past the sync's end: the next sync takes them).
  const upTo = await env.store.vectors.since('m', 0, 10_000);
  const latest = new Map<string, Float32Array>();
  for (const row of upTo) if (row.seq <= stored) latest.set(row.paperId, row.vector);
  for (const [id, v] of latest) expect(gap(ix, id, v), id).toBeLessThan(0.02);
  while (writer.rounds() < ROUNDS) await ix.sync();
  await ix.sync();
  const last = new Map<string, Float32Array>();
  for (const row of await env.store.vectors.since('m', 0, 10_000)) last.set(row.paperId, row.vector);
  for (const [id, v] of last) expect(gap(ix, id, v), id).toBeLessThan(0.02);
});

/**
 * The temp store, whose reads of the papers' change log are held until `release()` from the `free`-th read after
 * `hold(free)` on.
 */
function heldLog() {
  let free = Number.POSITIVE_INFINITY;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store: Store = {
    ...env.store,
    papers: {
      ...env.store.papers,
      changesSince: async (seq, limit) => {
        if (free-- <= 0) await gate;
        return env.store.papers.changesSince(seq, limit);
      },
    },
  };
  return { store, release, hold: (reads: number) => (free = reads) };
}

it('answers a search from the indexes as they stand while a large sync runs, and says so', async () => {
  const held = heldLog();
  const ix = new SearchIndexes(held.store, { dir: null, changePage: PAGE, approximateAbove: 10_000 });
  await ix.open();
  const search = createSearchService({
    store: held.store,
    indexes: ix,
    embedder: async () => null,
    semanticWeight: undefined,
    similarWeight: 0.5,
    depth: 100,
    embedTimeoutMs: 2000,
  });
  // 120 papers stored beside the node: more than a page, so the sync that applies them is a large one. Its second
  // page is held: the first page's papers are in, the rest not yet.
  await env.store.papers.upsertMany(papers(1, 120));
  held.hold(1);
  const during = await search.search('walrus', { k: 100, mode: 'lexical' });
  expect(during.indexing).toBe(true);
  expect(during.notice).toMatch(/being indexed/);
  expect(during.total).toBe(PAGE);
  // Asked again under the same change counter: still not waited for, still said.
  expect((await ix.readable(undefined, 200, 20)).behind).toBe(true);
  // Said beside another notice (semantic search is off here), not instead of it.
  const hybrid = await search.search('walrus', { k: 100 });
  expect(hybrid.notice).toMatch(/Semantic search is off.*being indexed/);
  // Suggestions as one types do not wait for it either.
  expect(Array.isArray(await search.suggest('walrus haul'))).toBe(true);
  // Nor a paper page's similar papers and graph: answered from the index as it stands, and said so; the graph made
  // then is not kept.
  const soon = await search.similarSoon('2601.00001', 5);
  expect(soon.behind).toBe(true);
  expect(soon.hits.length).toBe(5);
  const graphs = createPaperGraphService({ store: held.store, search, indexes: ix });
  expect((await graphs.of('2601.00001')).indexing).toBe(true);
  held.release();
  await ix.upToDate(undefined, 0);
  expect((await search.similarSoon('2601.00001', 5)).behind).toBe(false);
  const graph = await graphs.of('2601.00001');
  expect(graph.indexing).toBeUndefined();
  expect(graph.nodes.length).toBeGreaterThan(1);
  const after = await search.search('walrus', { k: 100, mode: 'lexical' });
  expect(after.indexing).toBeUndefined();
  expect(after.notice).toBeNull();
  expect(after.total).toBe(100);
  expect(after.more).toBe(true);
});

it('waits for a small sync however long it takes', async () => {
  const held = heldLog();
  const ix = new SearchIndexes(held.store, { dir: null, changePage: PAGE, approximateAbove: 10_000 });
  await ix.open();
  await env.store.papers.upsertMany(papers(1, 20));
  held.hold(0);
  // Released by a timer well past the search's 20 ms: an answer before it would not have waited.
  let released = false;
  const release = setTimeout(() => {
    released = true;
    held.release();
  }, 100);
  try {
    expect(await ix.readable(undefined, 0, 20)).toMatchObject({ behind: false });
    expect(released).toBe(true);
    expect(ix.lexical.size).toBe(20);
  } finally {
    clearTimeout(release);
    held.release();
  }
});

it('counts a sync that analyzes its papers on a worker thread as a large one', async () => {
  const ix = new SearchIndexes(env.store, {
    dir: null,
    changePage: 2000,
    approximateAbove: 10_000,
    analyzeInWorkerAbove: 10,
  });
  await ix.open();
  await env.store.papers.upsertMany(papers(1, 40));
  // The thread's answers come turns later (it loads and analyzes first): the search does not wait for them.
  expect(await ix.readable(undefined, 0, 1)).toMatchObject({ behind: true });
  await ix.upToDate(undefined, 0);
  expect(ix.lexical.size).toBe(40);
  expect(await ix.readable(undefined, 0, 1)).toMatchObject({ behind: false });
});
