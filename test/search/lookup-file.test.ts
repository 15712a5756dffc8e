// The spelling and suggestion tables on file (#23): answers equal to tables in memory, opened not built, damage and changes handled.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { categoryNames } from '../../src/ingest/arxiv-taxonomy.ts';
import { checkSectionsInWorker } from '../../src/index/file-check-worker.ts';
import { openLookupFile } from '../../src/index/lookup/lookup-file.ts';
import { writeLookupFile } from '../../src/index/lookup/lookup-file-write.ts';
import { mergedSpelling, mergedSuggest } from '../../src/index/lookup/merged-lookup.ts';
import { correctWith, SpellingVocabulary } from '../../src/index/lookup/spelling-vocabulary.ts';
import { SuggestIndex, suggestFrom, type SuggestDoc } from '../../src/index/lookup/suggest-index.ts';
import { createSearchParts } from '../../src/services/search-services.ts';
import type { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchLookup, type SearchLookup } from '../../src/services/search/search-lookup.ts';
import type { Store } from '../../src/store/store.ts';
import { paper, tempStore } from '../helpers/temp-store.ts';

interface Doc extends SuggestDoc {
  abstract: string;
}

/** Seeded papers whose titles, abstracts and names share a small vocabulary (long lists, typos, topics). */
function corpus(n: number): Doc[] {
  let seed = 7;
  const next = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const vocab = Array.from({ length: 600 }, (_, i) =>
    ['graph', 'neural', 'diffusion', 'sparse', 'attention', 'retrieval', 'tokenization', 'learning'][
      i % 8
    ]!.concat(i < 8 ? '' : i.toString(36)),
  );
  const cats = ['cs.CL', 'cs.LG', 'math.PR', 'hep-th', 'x.UNKNOWN'];
  return Array.from({ length: n }, (_, i) => {
    // Skewed: low word numbers are common, so some lists run to thousands and some words are rare.
    const word = (): string => vocab[Math.min(next(600), next(600), next(600))]!;
    const title = Array.from({ length: 3 + next(7) }, word).join(' ');
    return {
      id: `2501.${String(i).padStart(5, '0')}`,
      title: next(5) === 0 ? `Ünïcode ${title}` : title,
      abstract: Array.from({ length: 20 }, word).join(' '),
      authors: Array.from({ length: 1 + next(3) }, () => `Given${next(40)} Family${next(300)}`),
      categories: [cats[next(cats.length)]!],
    };
  });
}

function heapTables(docs: readonly Doc[]): { suggest: SuggestIndex; spelling: SpellingVocabulary } {
  const suggest = new SuggestIndex(categoryNames());
  const spelling = new SpellingVocabulary();
  for (const d of docs) {
    suggest.add(d);
    spelling.addText(`${d.title} ${d.abstract} ${d.authors.join(' ')}`);
  }
  return { suggest, spelling };
}

/** What a reader types: title starts, a whole word then a prefix, surnames, categories, nonsense. */
function queries(docs: readonly Doc[]): string[] {
  const out = [
    'gr',
    'graph neu',
    'learning sparse att',
    'family1',
    'given3 fam',
    'cs.c',
    'hep',
    'zzzz',
    'ün',
  ];
  for (const d of docs.slice(0, 300)) {
    out.push(d.title.slice(0, 2 + (d.title.length % 17)));
    out.push(d.authors[0]!.split(' ')[1]!.slice(0, 3 + (d.id.length % 5)));
  }
  return out;
}

function misspellings(docs: readonly Doc[]): string[] {
  const out = ['grpah', 'nueral', 'difusion', 'atention', 'tokenizaton', 'learnnig', 'qqqqqq'];
  for (const d of docs.slice(0, 200)) {
    const w = d.abstract.split(' ')[d.id.length % 20]!;
    out.push(w.slice(0, 2) + w.slice(3), w + 'x', w.slice(0, 3) + (w[4] ?? '') + (w[3] ?? '') + w.slice(5));
  }
  return out;
}

describe('lookup file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-lookup-'));

  it('answers every suggestion and correction exactly as the tables in memory', () => {
    const docs = corpus(4000);
    const heap = heapTables(docs);
    const path = join(dir, 'whole.bin');
    writeLookupFile(path, { suggest: heap.suggest.contents(), spelling: heap.spelling, seq: 9 });
    const file = openLookupFile(path);
    try {
      expect(file.seq).toBe(9);
      const delta = new SuggestIndex(categoryNames(), file.base);
      const source = mergedSuggest(file, delta);
      let shown = 0;
      for (const q of queries(docs)) {
        const want = heap.suggest.suggest(q);
        shown += want.length;
        expect(suggestFrom(source, q), q).toEqual(want);
      }
      expect(shown).toBeGreaterThan(1000);
      const spelling = mergedSpelling(file, new SpellingVocabulary(1));
      let corrected = 0;
      for (const w of misspellings(docs)) {
        const want = heap.spelling.correct(w);
        if (want !== null) corrected++;
        expect(correctWith(spelling, w), w).toBe(want);
        expect(spelling.countOf(w), w).toBe(heap.spelling.count(w));
      }
      expect(corrected).toBeGreaterThan(100);
      // Only block indexes and the word filter are read into memory: a small part of the file.
      expect(file.memoryBytes).toBeLessThan(statSync(path).size / 10);
    } finally {
      file.close();
    }
  }, 60_000);

  it('merged with the papers added after it, answers as tables built over all of them', () => {
    const docs = corpus(3000);
    const older = docs.slice(0, 2700);
    const heapOld = heapTables(older);
    const path = join(dir, 'older.bin');
    writeLookupFile(path, { suggest: heapOld.suggest.contents(), spelling: heapOld.spelling, seq: 1 });
    const file = openLookupFile(path);
    try {
      const delta = new SuggestIndex(categoryNames(), file.base);
      const deltaSpelling = new SpellingVocabulary(1);
      for (const d of docs.slice(2700)) {
        delta.add(d);
        deltaSpelling.addText(`${d.title} ${d.abstract} ${d.authors.join(' ')}`);
      }
      const all = heapTables(docs);
      const source = mergedSuggest(file, delta);
      for (const q of [...queries(docs.slice(2700)), ...queries(docs)])
        expect(suggestFrom(source, q), q).toEqual(all.suggest.suggest(q));
      const spelling = mergedSpelling(file, deltaSpelling);
      for (const w of misspellings(docs)) expect(correctWith(spelling, w), w).toBe(all.spelling.correct(w));
    } finally {
      file.close();
    }
  }, 60_000);

  it('refuses a file of another format, a cut one and one with a flipped header byte', () => {
    const heap = heapTables(corpus(200));
    const path = join(dir, 'refused.bin');
    writeLookupFile(path, { suggest: heap.suggest.contents(), spelling: heap.spelling, seq: 1 });
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    expect(() => openLookupFile(path)).toThrow(/damaged/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40] = (flipped[bytes.length - 40] ?? 0) ^ 0xff;
    writeFileSync(path, flipped);
    expect(() => openLookupFile(path)).toThrow(/damaged \(header checksum\)/);
    const older = Buffer.from(bytes.toString('latin1').replace('"format":1', '"format":0'), 'latin1');
    writeFileSync(path, older);
    expect(() => openLookupFile(path)).toThrow(/damaged/);
  });

  it('has its large sections checked on a worker thread, and a flipped record byte found there (h27c)', async () => {
    const heap = heapTables(corpus(400));
    const path = join(dir, 'worker-checked.bin');
    writeLookupFile(path, { suggest: heap.suggest.contents(), spelling: heap.spelling, seq: 1 });
    const file = openLookupFile(path);
    try {
      expect(file.pagedSections().some((s) => s.unchecked)).toBe(true);
      expect(await checkSectionsInWorker(file.pagedSections())).toBeNull();
      expect(file.pagedSections().map((s) => s.unchecked)).toEqual(file.pagedSections().map(() => false));
      expect(file.checkAhead(1 << 30)).toBe(false);
    } finally {
      file.close();
    }
    const bytes = readFileSync(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0x5a;
    writeFileSync(path, bytes);
    const damaged = openLookupFile(path);
    try {
      expect((await checkSectionsInWorker(damaged.pagedSections()))?.message).toMatch(
        /worker-checked\.bin is damaged \(checksum of block 0\)/,
      );
    } finally {
      damaged.close();
    }
  });

  it.sequential('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});

/** Stands in for the search indexes' change log: `fire` is what a sync that found changes tells listeners. */
function changeLog(): { indexes: SearchIndexes; fire(ids: readonly string[] | null): void } {
  const listeners: ((ids: readonly string[] | null) => void)[] = [];
  return {
    indexes: {
      onPapersChanged: (l: (ids: readonly string[] | null) => void) => listeners.push(l),
    } as unknown as SearchIndexes,
    fire: (ids) => listeners.forEach((l) => l(ids)),
  };
}

async function addPapers(store: Store, n: number): Promise<void> {
  await store.papers.upsertMany(
    corpus(n).map((d, i) =>
      paper({
        arxivId: `2501.${String(i + 1).padStart(5, '0')}`,
        title: d.title,
        abstract: d.abstract,
        authors: [...d.authors],
        categories: [...d.categories],
      }),
    ),
  );
}

interface Lines {
  info: string[];
  warn: string[];
  log: { info(l: string): void; warn(l: string): void };
  /** Resolves once `n` info lines match `re`. */
  until(re: RegExp, n: number): Promise<void>;
}

function lines(): Lines {
  const info: string[] = [];
  const warn: string[] = [];
  const waits: (() => void)[] = [];
  const told = (): void => waits.splice(0).forEach((w) => w());
  return {
    info,
    warn,
    log: {
      info: (l) => (info.push(l), told()),
      warn: (l) => (warn.push(l), told()),
    },
    until(re, n) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (info.filter((l) => re.test(l)).length >= n) resolve();
          else waits.push(check);
        };
        check();
      });
    },
  };
}

async function answers(lookup: SearchLookup): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of ['graph neu', 'sparse', 'family1', 'cs.c']) out.push(await lookup.suggest(q));
  const spelling = await lookup.spelling(['grpah', 'difusion'], true);
  out.push(spelling?.correct('grpah'), spelling?.correct('difusion'), spelling?.count('graph'));
  return out;
}

describe('search lookup with a lookup file', () => {
  it('opens the file written by reindex instead of building the tables, with papers added since', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 1500);
      const file = join(t.dir, 'paperboy.db.index', 'lookup.bin');
      const writer = createSearchLookup(t.store, changeLog().indexes, { file });
      expect((await writer.saveFile())?.papers).toBe(1500);
      const inMemory = await answers(createSearchLookup(t.store, changeLog().indexes));

      // A paper stored after the file was written (while no server ran): replayed from the change log.
      await t.store.papers.upsertMany([
        paper({ arxivId: '2601.00001', title: 'Zyxomorphic tilings', authors: ['Quentin Ozymandias'] }),
      ]);
      const out = lines();
      const log = changeLog();
      const lookup = createSearchLookup(t.store, log.indexes, { file, log: out.log });
      lookup.warm();
      expect((await lookup.suggest('zyxomorph')).map((s) => s.value)).toEqual(['2601.00001']);
      expect(lookup.stats()).toEqual({ builds: 0, opens: 1, deltaPapers: 1 });
      expect(out.info.join('\n')).toMatch(/opened .*lookup\.bin \(1500 papers, 1 changed since\)/);
      expect(out.warn).toEqual([]);
      expect(await answers(lookup)).toEqual(inMemory);

      // One stored while serving: the indexes' sync names it.
      await t.store.papers.upsertMany([
        paper({ arxivId: '2601.00002', title: 'Xylotomous beetles', authors: ['Quentin Ozymandias'] }),
      ]);
      log.fire(['2601.00002']);
      expect((await lookup.suggest('xylotom')).map((s) => s.value)).toEqual(['2601.00002']);
      expect((await lookup.suggest('ozyman')).map((s) => s.label)).toEqual(['Quentin Ozymandias']);
      expect(lookup.stats().builds).toBe(0);
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('catches up with many changed papers in slices, and an offered correction does not wait for it', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 200);
      const file = join(t.dir, 'paperboy.db.index', 'lookup.bin');
      await createSearchLookup(t.store, changeLog().indexes, { file }).saveFile();
      const log = changeLog();
      const lookup = createSearchLookup(t.store, log.indexes, { file });
      await lookup.ready();
      // 1,500 papers stored while serving (10,001 held every request 2.8 s at 2.7M when added in one go).
      const more = corpus(1700).slice(200);
      await t.store.papers.upsertMany(
        more.map((d, i) =>
          paper({
            arxivId: `2602.${String(i + 1).padStart(5, '0')}`,
            title: d.title,
            abstract: d.abstract,
            authors: [...d.authors],
            categories: [...d.categories],
          }),
        ),
      );
      log.fire(more.map((_, i) => `2602.${String(i + 1).padStart(5, '0')}`));
      // Offered only: the tables as they are, the catch-up behind it.
      expect(await lookup.spelling(['grpah'], false)).not.toBeNull();
      expect(lookup.stats().deltaPapers).toBeLessThan(1500);
      // The event loop turns while it runs: timers fire before it ends.
      let turns = 0;
      const timer = setInterval(() => turns++, 1);
      try {
        // Applied when it matters (a correction that may replace the query waits for every paper).
        await lookup.spelling(['grpah'], true);
      } finally {
        clearInterval(timer);
      }
      expect(lookup.stats().deltaPapers).toBe(1500);
      expect(turns).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('answers a waiting correction once the papers changed before it are in, while more keep arriving', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 200);
      const file = join(t.dir, 'paperboy.db.index', 'lookup.bin');
      await createSearchLookup(t.store, changeLog().indexes, { file }).saveFile();
      // An import beside serve: each page the catch-up reads, the sync has passed on 200 more papers.
      const log = changeLog();
      const ids = Array.from({ length: 2000 }, (_, i) => `2501.${String(i + 201).padStart(5, '0')}`);
      let feeding = false;
      let fed = 500;
      const store: Store = {
        ...t.store,
        papers: {
          ...t.store.papers,
          getMany: async (wanted) => {
            if (feeding && fed < ids.length) {
              log.fire(ids.slice(fed, fed + 200));
              fed += 200;
            }
            return t.store.papers.getMany(wanted);
          },
        },
      };
      const lookup = createSearchLookup(store, log.indexes, { file });
      await lookup.ready();
      await addPapers(t.store, 2200);
      feeding = true;
      log.fire(ids.slice(0, 500));
      await lookup.spelling(['grpah'], true);
      // Back once the 500 pending when it asked were in, with the catch-up still behind the feed.
      expect(lookup.stats().deltaPapers).toBeGreaterThanOrEqual(500);
      expect(fed).toBeLessThan(ids.length);
      // A later call waits for those pending then; once the feed ends, every paper is in.
      while (fed < ids.length) await lookup.spelling(['grpah'], true);
      await lookup.spelling(['grpah'], true);
      expect(lookup.stats().deltaPapers).toBe(2000);
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('builds the tables in memory for a store at most `fileAbove` papers, where memory answers faster', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 900);
      const file = join(t.dir, 'paperboy.db.index', 'lookup.bin');
      await createSearchLookup(t.store, changeLog().indexes, { file }).saveFile();
      const out = lines();
      const lookup = createSearchLookup(t.store, changeLog().indexes, { file, fileAbove: 900, log: out.log });
      expect(await answers(lookup)).toEqual(await answers(createSearchLookup(t.store, changeLog().indexes)));
      expect(lookup.stats()).toMatchObject({ builds: 1, opens: 0 });
      expect(out.info.join('\n')).toMatch(/building them in memory \(900 papers/);
      // One paper more than the bound: the file answers.
      const big = createSearchLookup(t.store, changeLog().indexes, { file, fileAbove: 899 });
      await answers(big);
      expect(big.stats()).toMatchObject({ builds: 0, opens: 1 });
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('builds the tables and writes the file when it is missing', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 800);
      const file = join(t.dir, 'index', 'lookup.bin');
      const out = lines();
      const lookup = createSearchLookup(t.store, changeLog().indexes, { file, log: out.log });
      const got = await answers(lookup);
      expect(got).toEqual(await answers(createSearchLookup(t.store, changeLog().indexes)));
      expect(out.warn.join('\n')).toMatch(/lookup\.bin is missing; building them from the store/);
      expect(out.info.join('\n')).toMatch(/wrote .*lookup\.bin \(800 papers/);
      expect(lookup.stats()).toMatchObject({ builds: 1, opens: 1 });
      expect(statSync(file).size).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('rebuilds a damaged file from the store and answers right meanwhile', async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 1500);
      const file = join(t.dir, 'paperboy.db.index', 'lookup.bin');
      await createSearchLookup(t.store, changeLog().indexes, { file }).saveFile();
      const want = await answers(createSearchLookup(t.store, changeLog().indexes));
      // A flipped byte inside the records (a large section, checked block by block as read).
      const bytes = readFileSync(file);
      bytes[100] = (bytes[100] ?? 0) ^ 0x5a;
      writeFileSync(file, bytes);
      const out = lines();
      const lookup = createSearchLookup(t.store, changeLog().indexes, { file, log: out.log });
      expect(await answers(lookup)).toEqual(want);
      await out.until(/opened/, 2);
      expect(lookup.stats()).toMatchObject({ builds: 1, opens: 2 });
      expect(out.warn.join('\n')).toMatch(
        /lookup\.bin is damaged \(checksum of block 0\); rebuilding them from the store/,
      );
      expect(await answers(lookup)).toEqual(want);
      // The rewritten file opens cleanly in the next process.
      const next = createSearchLookup(t.store, changeLog().indexes, { file });
      expect(await answers(next)).toEqual(want);
      expect(next.stats()).toEqual({ builds: 0, opens: 1, deltaPapers: 0 });
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});

describe('LOOKUP_FILE_ABOVE', () => {
  it("sets the store size above which serve's search answers from lookup.bin (0: a small store takes the large-store path)", async () => {
    const t = await tempStore();
    try {
      await addPapers(t.store, 600);
      const config = (above?: string): Config =>
        loadConfig({
          DATABASE_URL: t.path,
          PAPERBOY_SECRET: 'x'.repeat(32),
          ...(above === undefined ? {} : { LOOKUP_FILE_ABOVE: above }),
        });
      expect(config().LOOKUP_FILE_ABOVE).toBe(500_000); // unset: the default
      // What `paperboy reindex` does: writes lookup.bin into the index folder beside the database.
      const writer = createSearchParts(t.store, config('0'));
      expect((await writer.search.saveLookupFile())?.papers).toBe(600);
      expect(existsSync(join(`${t.path}.index`, 'lookup.bin'))).toBe(true);
      // The default (600 papers is far below 500,000): the tables are built in memory.
      const small = createSearchParts(t.store, config());
      const built = await small.search.suggest('graph neu');
      expect(small.search.lookupStats()).toMatchObject({ builds: 1, opens: 0 });
      // 0: the file answers, with the same suggestions.
      const fromFile = createSearchParts(t.store, config('0'));
      expect(await fromFile.search.suggest('graph neu')).toEqual(built);
      expect(fromFile.search.lookupStats()).toMatchObject({ builds: 0, opens: 1 });
      for (const parts of [writer, small, fromFile]) await parts.search.close();
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});
