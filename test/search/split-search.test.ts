// A lexical search cut in parts (LexicalIndex.splitPlan): the parts searched by two indexes opened from the same
// snapshot file, each carrying its k-th best score into its next part as a floor (and sharing its scores with the
// other thread as it goes, SharedTop), the lists joined by mergeSplitParts — the same answer, ids and scores, as one
// search, ties included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { compileFilter } from '../../src/index/lexical/search-filter.ts';
import { SharedTop, type SharedScores } from '../../src/index/lexical/shared-top.ts';
import {
  createLexicalIndex,
  mergeSplitParts,
  mergeSplitTops,
  openLexicalIndex,
  searchSplitParts,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { rng } from '../helpers/random.ts';
import {
  CATEGORY_EXTRA,
  EXCLUSION_EXTRA,
  SINCE_EXTRA,
  skewedPapers,
  skewedQuery,
} from '../helpers/skewed-corpus.ts';

// The real filter compiler, counted: a cut search builds its filter once per thread.
vi.mock('../../src/index/lexical/search-filter.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/index/lexical/search-filter.ts')>();
  return { ...real, compileFilter: vi.fn(real.compileFilter) };
});

const dir = mkdtempSync(join(tmpdir(), 'split-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function papers(seed: number, n: number): LexicalDoc[] {
  return skewedPapers(seed, n, {
    titleWords: 8,
    abstractWords: 120,
    twins: 60,
    idPrefix: 's',
    authors: () => ['Ana Souza'],
  });
}

function query(random: () => number): string {
  return skewedQuery(random, 5, [CATEGORY_EXTRA(0.2), SINCE_EXTRA(0.1), EXCLUSION_EXTRA(0.1)]);
}

/** An index written to its snapshot file and read from it, and a second index opened from that file. */
function pair(name: string, docs: LexicalDoc[]): { here: LexicalIndex; there: LexicalIndex } {
  const here = createLexicalIndex();
  for (const d of docs) here.add(d);
  const file = join(dir, `${name}.bin`);
  here.saveAndReopen(file);
  return { here, there: openLexicalIndex(file) };
}

/** A `take` for `searchSplitParts` that hands out `parts` in order, then -1. */
function handing(parts: readonly number[]): () => number {
  let i = 0;
  return () => parts[i++] ?? -1;
}

describe('a search cut in parts', () => {
  const { here, there } = pair('main', papers(7, 4000));

  it('gives the same list as one search, for every k, filter, tie and share of the parts', () => {
    const random = rng(11);
    let planned = 0;
    let tiedAcross = 0;
    let carried = 0;
    for (let i = 0; i < 120; i++) {
      const q = query(random);
      for (const k of [1, 10, 100]) {
        const whole = here.search(q, { k });
        const parts = 2 + Math.floor(random() * 7);
        const plan = here.splitPlan(q, { k }, 1, parts);
        if (plan === null) continue;
        planned++;
        expect(plan.file).toBe(here.openedFile);
        expect(plan.cuts[0]).toBe(0);
        expect(plan.cuts.at(-1)).toBe(here.size);
        expect(plan.cuts.length).toBeGreaterThanOrEqual(3);
        expect(plan.cuts.length).toBeLessThanOrEqual(parts + 1);
        // Each part goes to one of the two indexes at random, as two threads taking turns would share them.
        const mine: number[] = [];
        const theirs: number[] = [];
        for (let p = 0; p + 1 < plan.cuts.length; p++) (random() < 0.5 ? mine : theirs).push(p);
        const a = searchSplitParts(here, plan, {}, handing(mine));
        const b = searchSplitParts(there, plan, {}, handing(theirs));
        expect(a.map(([p]) => p)).toEqual(mine);
        expect(b.map(([p]) => p)).toEqual(theirs);
        if (mine.length > 1 || theirs.length > 1) carried++;
        expect(mergeSplitParts([...b, ...a], k), `${q} (k=${k}, ${parts} parts)`).toEqual(whole);
        // Ties across a cut: the lowest score kept by one part met again in a later one.
        const tops = [...a, ...b].sort((x, y) => x[0] - y[0]).map(([, top]) => top);
        for (let p = 0; p + 1 < tops.length; p++) {
          const lowest = tops[p]!.at(-1)?.[1];
          if (lowest !== undefined && tops.slice(p + 1).some((t) => t.some(([, s]) => s === lowest)))
            tiedAcross++;
        }
      }
    }
    expect(planned).toBeGreaterThan(300);
    expect(carried).toBeGreaterThan(100);
    // The twins put equal scores in early and late parts: ties across cuts were met and went to the lower part.
    expect(tiedAcross).toBeGreaterThan(0);
  });

  it('gives the same list with the parts sharing their scores, also when the floor rises in the middle of a part', () => {
    const random = rng(29);
    const buffer = new SharedArrayBuffer(2 * SharedTop.slotBytes);
    let planned = 0;
    let raisedMidPart = 0;
    let offeredShared = 0;
    let offeredAlone = 0;
    for (let i = 0; i < 80; i++) {
      const q = query(random);
      for (const k of [1, 10, 100]) {
        const whole = here.search(q, { k });
        const plan = here.splitPlan(q, { k }, 1, 2 + (i % 5));
        if (plan === null) continue;
        planned++;
        const count = plan.cuts.length - 1;
        // The two threads in turn, one top shared: each part starts from the best floor either has found.
        const top = new SharedTop(buffer, 0).reset(k);
        const mine: number[] = [];
        const theirs: number[] = [];
        for (let p = 0; p < count; p++) (random() < 0.5 ? mine : theirs).push(p);
        const a = searchSplitParts(here, plan, {}, handing(mine), top);
        const b = searchSplitParts(there, plan, {}, handing(theirs), top);
        expect(mergeSplitParts([...a, ...b], k), `${q} (k=${k})`).toEqual(whole);
        // The first part walked while the other thread, done with the rest, raises the floor under it: the first
        // read (the part's start) finds nothing yet, the walk's later reads find the rest's floor; its offers do
        // not tell it (a floor told late is still a floor), so only the walk's own reads raise it.
        const others = new SharedTop(buffer, 1).reset(k);
        const rest = searchSplitParts(there, plan, {}, handing([...Array(count).keys()].slice(1)), others);
        let reads = 0;
        let offers = 0;
        const late: SharedScores = {
          floor: () => (++reads > 1 ? others.floor() : -Infinity),
          offer: (score) => {
            offers++;
            others.offer(score);
            return -Infinity;
          },
        };
        const first = searchSplitParts(here, plan, {}, handing([0]), late);
        expect(mergeSplitParts([...first, ...rest], k), `${q} (k=${k}, raised mid-part)`).toEqual(whole);
        if (reads > 1) raisedMidPart++;
        // The same part with no other thread: every document it offers, counted.
        let alone = 0;
        const lonely: SharedScores = {
          floor: () => -Infinity,
          offer: () => {
            alone++;
            return -Infinity;
          },
        };
        searchSplitParts(here, plan, {}, handing([0]), lonely);
        offeredShared += offers;
        offeredAlone += alone;
      }
    }
    expect(planned).toBeGreaterThan(150);
    expect(raisedMidPart).toBeGreaterThan(50);
    // The raised floor left out documents the part alone would have offered.
    expect(offeredShared).toBeLessThan(offeredAlone * 0.8);
  });

  it('searches its parts with lists lent by the other index, reading none of them from its own file', () => {
    const random = rng(19);
    const lent = openLexicalIndex(here.openedFile!);
    let searched = 0;
    for (let i = 0; i < 60; i++) {
      const q = query(random);
      const k = [1, 10, 100][i % 3]!;
      const plan = here.splitPlan(q, { k }, 1, 4);
      if (plan === null) continue;
      // Lists are lent from the lender's cache only: none is read for it.
      const cold = openLexicalIndex(here.openedFile!);
      expect(cold.splitLists(plan).size).toBe(0);
      expect(cold.listReads).toBe(0);
      here.search(q, { k });
      const lists = here.splitLists(plan);
      expect([...lists.keys()].sort()).toEqual([...plan.terms].sort());
      for (const bytes of lists.values()) expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      const all = (): (() => number) => handing(plan.cuts.slice(1).map((_, p) => p));
      const reads = lent.listReads;
      const built = vi.mocked(compileFilter).mock.calls.length;
      const parts = lent.withLentLists(lists, () => searchSplitParts(lent, plan, {}, all()));
      // The scored words' lists are all lent; a category or an exclusion is a filter mask, read here.
      if (!/cat:|(^| )-/.test(q)) expect(lent.listReads, q).toBe(reads);
      // The filter is built once for all the parts this thread took (four here), not once a part.
      expect(vi.mocked(compileFilter).mock.calls.length - built).toBe(1);
      expect(mergeSplitParts(parts, k), q).toEqual(here.search(q, { k }));
      // Lent only for that call: a search after it reads its lists from the file again.
      expect(searchSplitParts(lent, plan, {}, all())).toEqual(parts);
      searched++;
    }
    expect(searched).toBeGreaterThan(40);
    expect(lent.listReads).toBeGreaterThan(0);
  });

  it('lends lists kept in shared memory from their first read as they are, moving none', () => {
    const random = rng(23);
    const shared = openLexicalIndex(here.openedFile!).limitMemory({ sharedLists: true });
    const plain = openLexicalIndex(here.openedFile!);
    const copies = vi.spyOn(Uint8Array.prototype, 'set');
    const plainLent = new Set<number>();
    let lent = 0;
    try {
      for (let i = 0; i < 30; i++) {
        const q = query(random);
        const plan = shared.splitPlan(q, { k: 10 }, 1, 4);
        if (plan === null) continue;
        expect(shared.search(q, { k: 10 }), q).toEqual(plain.search(q, { k: 10 }));
        copies.mockClear();
        const fromShared = shared.splitLists(plan);
        // Each list is in a SharedArrayBuffer already: none is copied into one.
        expect(copies).not.toHaveBeenCalled();
        for (const bytes of fromShared.values()) expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
        // An index reading into ordinary buffers moves a list the first time it lends it.
        const moved = plain.splitLists(plan);
        const firstLent = [...moved.keys()].filter((t) => !plainLent.has(t));
        if (firstLent.length > 0) expect(copies).toHaveBeenCalledTimes(firstLent.length);
        for (const t of firstLent) plainLent.add(t);
        const parts = here.withLentLists(fromShared, () =>
          searchSplitParts(here, plan, {}, handing(plan.cuts.slice(1).map((_, p) => p))),
        );
        expect(mergeSplitParts(parts, 10), q).toEqual(plain.search(q, { k: 10 }));
        lent += fromShared.size;
      }
    } finally {
      copies.mockRestore();
    }
    expect(lent).toBeGreaterThan(20);
  });

  it('leaves out only documents below a floor that k others reach', () => {
    const random = rng(13);
    let pruned = 0;
    for (let i = 0; i < 80; i++) {
      const q = query(random);
      const k = [1, 10, 50][i % 3]!;
      const whole = here.search(q, { k: 200 });
      if (whole.length < k + 5) continue;
      // At the k-th score (ties included), and at a higher score: the documents reaching it, in order.
      for (const at of [k - 1, Math.floor((k - 1) / 2)]) {
        const floor = whole[at]![1];
        const reaching = whole.filter(([, s]) => s >= floor).slice(0, k);
        const got = here.search(q, { k, floor });
        expect(
          got.filter(([, s]) => s >= floor),
          `${q} (k=${k}, floor ${floor})`,
        ).toEqual(reaching);
        if (got.length < k) pruned++;
      }
    }
    expect(pruned).toBeGreaterThan(10);
  });

  it('limits term-at-a-time and MaxScore searches to the span alike', () => {
    const random = rng(12);
    for (let i = 0; i < 40; i++) {
      const q = query(random);
      const span = { from: 1000, to: 2500 };
      const pruned = here.search(q, { k: 50, span });
      expect(here.search(q, { k: 50, span, prune: false }), q).toEqual(pruned);
      for (const [id] of pruned) {
        const n = Number(id.slice(id.indexOf('-') + 1));
        expect(id.startsWith('s-') && n >= 1000 && n < 2500, id).toBe(true);
      }
    }
  });

  it('shares a changed index: the other takes on its removals and statistics, and only it searches papers added since', () => {
    const docs = papers(31, 3000);
    const { here: changed } = pair('changing', docs);
    const file = changed.splitFile!;
    const there = openLexicalIndex(file);
    const random = rng(37);
    const newWords = ['zzfresh', 'zzother'];
    let sent = 0;
    let planned = 0;
    let tailHits = 0;
    for (let round = 0; round < 12; round++) {
      // Papers added (some with words the file never held, some replacing a paper of the file under its id) and
      // papers removed, as harvests and corrections change a serving index.
      for (let i = 0; i < 40; i++) {
        const base = docs[Math.floor(random() * docs.length)]!;
        const replace = random() < 0.3;
        changed.add({
          ...base,
          id: replace ? base.id : `new-${round}-${i}`,
          title: `${base.title} ${random() < 0.3 ? newWords[i % 2] : ''}`,
          abstract: base.abstract.split(' ').reverse().join(' '),
        });
      }
      for (let i = 0; i < 25; i++) changed.remove(docs[Math.floor(random() * docs.length)]!.id);
      expect(changed.openedFile).toBeNull();
      expect(changed.splitFile).toBe(file);
      for (let i = 0; i < 15; i++) {
        const q = `${query(random)}${random() < 0.3 ? ` ${newWords[0]}` : ''}`;
        const k = [1, 10, 100][i % 3]!;
        const plan = changed.splitPlan(q, { k }, 1, 2 + Math.floor(random() * 7));
        if (plan === null) continue;
        planned++;
        // The file's documents are cut; those added since are the last part, beyond the shared ones.
        expect(plan.cuts[plan.shared]).toBe(docs.length);
        expect(plan.cuts.length - 1).toBe(plan.shared + 1);
        // The other index is told of the removals once each, in order, as the helper thread is.
        const removed = changed.splitRemovals(sent);
        sent += removed.length;
        there.adoptSplit(plan, removed);
        const mine: number[] = [];
        const theirs: number[] = [];
        for (let p = 0; p < plan.shared; p++) (random() < 0.5 ? mine : theirs).push(p);
        mine.push(plan.shared);
        const a = searchSplitParts(changed, plan, {}, handing(mine));
        const b = searchSplitParts(there, plan, {}, handing(theirs));
        const whole = changed.search(q, { k });
        expect(mergeSplitParts([...a, ...b], k), `${q} (k=${k}, round ${round})`).toEqual(whole);
        // And the one search is right: every posting scored term at a time, no bound involved.
        expect(whole, q).toEqual(changed.search(q, { k, prune: false }));
        if (a.some(([p, top]) => p === plan.shared && top.length > 0)) tailHits++;
      }
    }
    expect(planned).toBeGreaterThan(100);
    expect(sent).toBeGreaterThan(200);
    // Papers added since were among the parts' answers.
    expect(tailHits).toBeGreaterThan(50);
  });

  it('is not planned for a small search, a phrase, rewritten lists or an index never written to a file', () => {
    expect(here.splitPlan('w0x w1x', { k: 10 }, 1)).not.toBeNull();
    // The default threshold is far above this index's lists.
    expect(here.splitPlan('w0x w1x', { k: 10 })).toBeNull();
    // Phrases are checked after scoring (term at a time): not cut.
    expect(here.splitPlan('"w0x w1x"', { k: 10 }, 1)).toBeNull();
    expect(here.splitPlan('w0x', { k: 10, prune: false }, 1)).toBeNull();

    const memory = createLexicalIndex();
    for (const d of papers(8, 300)) memory.add(d);
    expect(memory.openedFile).toBeNull();
    expect(memory.splitPlan('w0x w1x', { k: 10 }, 1)).toBeNull();

    const { here: changed } = pair('changed', papers(9, 500));
    expect(changed.splitPlan('w0x', { k: 10 }, 1)).not.toBeNull();
    changed.add({
      id: 'new-1',
      title: 'w0x',
      abstract: 'w0x w1x',
      authors: [],
      categories: ['cs.CL'],
      date: '2026-01-01',
    });
    expect(changed.openedFile).toBeNull();
    expect(changed.splitPlan('w0x', { k: 10 }, 1)).not.toBeNull();
    // A compaction (on save, or once a quarter of the papers are removed) renumbers the papers and rewrites the
    // lists in memory: the file no longer holds what is searched.
    changed.compact();
    expect(changed.splitFile).toBeNull();
    expect(changed.splitPlan('w0x', { k: 10 }, 1)).toBeNull();
  });

  it('joins two lists best first, ties to the lower part, at most k', () => {
    const lower: [string, number][] = [
      ['a', 5],
      ['b', 3],
      ['c', 3],
    ];
    const upper: [string, number][] = [
      ['x', 4],
      ['y', 3],
      ['z', 1],
    ];
    expect(mergeSplitTops(lower, upper, 5)).toEqual([
      ['a', 5],
      ['x', 4],
      ['b', 3],
      ['c', 3],
      ['y', 3],
    ]);
    expect(mergeSplitTops([], upper, 2)).toEqual([
      ['x', 4],
      ['y', 3],
    ]);
  });
});
