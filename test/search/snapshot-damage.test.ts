// Index snapshots are checked when opened: a cut-off or bit-flipped file is refused and rebuilt from the store, never served.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { foreground } from '../../src/index/file-check-worker.ts';
import { openLexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { createVectorIndex } from '../../src/index/vectors/index.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService } from '../../src/services/search/search-service.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { asLexicalFormat4 } from '../helpers/lexical-snapshot.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import type { TempStore } from '../helpers/temp-store.ts';

const MODEL = POLAR_MODEL;
const DIM = POLAR_DIM;
const embedder = polarEmbedder;

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

async function answers(dir: string): Promise<{ lexical: string[]; vectors: number[]; log: string[] }> {
  const log: string[] = [];
  const ix = new SearchIndexes(env.store, {
    dir,
    approximateAbove: 50,
    onProgress: (what) => {
      if (!log.includes(`rebuilt ${what}`)) log.push(`rebuilt ${what}`);
    },
    onSnapshotRefused: (file) => log.push(`refused ${file.split('/').pop()}`),
  });
  await ix.open();
  await ix.useModel(MODEL, DIM);
  const q = (await embedder.embed(['narwhal']))[0]!;
  return {
    lexical: ix.lexical.search('narwhal krill', { k: 10 }).map(([id]) => id),
    // Scores, not ids: the toy vectors tie, and a rebuilt graph may order ties differently.
    vectors: (ix.vectors?.search(q, 10) ?? []).map(([, score]) => Math.round(score * 1e6)),
    log,
  };
}

/** Byte offset of a named section, from the file's own header (so a flip lands inside checked data). */
function sectionOffset(file: string, name: string): number {
  const buf = readFileSync(file);
  const at = 16;
  const header = JSON.parse(buf.toString('utf8', at, at + buf.readUInt32LE(8))) as {
    sections: Record<string, [number, number, number]>;
  };
  const [offset, length] = header.sections[name]!;
  return offset + Math.floor(length / 2);
}

function damagedCopy(name: string, damage: (gen: string) => void): string {
  const dir = join(env.dir, name);
  mkdirSync(dir);
  cpSync(good, join(dir, 'snap-copy'), { recursive: true });
  writeFileSync(join(dir, 'CURRENT'), 'snap-copy\n');
  damage(join(dir, 'snap-copy'));
  return dir;
}

/** Paths of this process's open files, in descriptor order (empty where /proc is absent). */
function openFiles(): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  return readdirSync('/proc/self/fd')
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });
}

function flip(file: string, at: number): void {
  const buf = readFileSync(file);
  buf[at] = (buf[at] ?? 0) ^ 0x10;
  writeFileSync(file, buf);
}

describe('a damaged snapshot', () => {
  it('is refused and rebuilt from the store, answering as an undamaged one does', async () => {
    const reference = await answers(join(env.dir, 'good'));
    expect(reference.log).toEqual([]);
    expect(reference.lexical.length).toBeGreaterThan(0);
    expect(reference.vectors.length).toBe(10);
    const cases: [string, (gen: string) => void, string, string][] = [
      ['lexical-cut', (g) => truncateSync(join(g, 'lexical.bin'), 2000), 'lexical.bin', 'lexical index'],
      [
        'lexical-postings-flip',
        (g) => flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'docs')),
        'lexical.bin',
        'lexical index',
      ],
      [
        'lexical-vocabulary-flip',
        (g) => flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'terms')),
        'lexical.bin',
        'lexical index',
      ],
      [
        'lexical-block-maxima-flip',
        (g) => flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'blockMax')),
        'lexical.bin',
        'lexical index',
      ],
      ['vectors-cut', (g) => truncateSync(join(g, 'vectors.bin'), 3000), 'vectors.bin', 'vector index'],
      [
        'vectors-rows-flip',
        (g) => flip(join(g, 'vectors.bin'), sectionOffset(join(g, 'vectors.bin'), 'rows')),
        'vectors.bin',
        'vector index',
      ],
      ['graph-flip', (g) => flip(join(g, 'vectors.bin.hnsw'), 200), 'vectors.bin', 'vector index'],
      ['graph-cut', (g) => truncateSync(join(g, 'vectors.bin.hnsw'), 100), 'vectors.bin', 'vector index'],
    ];
    for (const [name, damage, file, rebuilt] of cases) {
      const got = await answers(damagedCopy(name, damage));
      expect(got.log, name).toContain(`rebuilt ${rebuilt}`);
      expect(
        got.log.some((l) => l.startsWith('refused')),
        name,
      ).toBe(true);
      expect(got.lexical, name).toEqual(reference.lexical);
      expect(got.vectors, name).toEqual(reference.vectors);
      expect(got.log, name).toContain(`refused ${file}`);
    }
  }, 60_000);

  it('of lexical format 4 (no block maxima) is read, answers the same and is not rewritten while nothing changed', async () => {
    const reference = await answers(join(env.dir, 'good'));
    const dir = damagedCopy('lexical-format-4', (g) =>
      writeFileSync(join(g, 'lexical.bin'), asLexicalFormat4(readFileSync(join(g, 'lexical.bin')))),
    );
    const formatOf = (): number =>
      readFileSync(join(currentSnapshot(dir) ?? '', 'lexical.bin')).readUInt32LE(4);
    expect(formatOf()).toBe(4);
    const got = await answers(dir);
    expect(got.log).toEqual([]); // neither refused nor rebuilt
    expect(got.lexical).toEqual(reference.lexical);
    expect(got.vectors).toEqual(reference.vectors);
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    expect(ix.saveIfChanged()).toBe(false);
    expect(formatOf()).toBe(4);
  });

  it('is refused at open, before any search reads the damaged block', () => {
    const dir = damagedCopy('open-check', (g) =>
      flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'fwdBytes')),
    );
    const file = join(currentSnapshot(dir) ?? '', 'lexical.bin');
    expect(() => openLexicalIndex(file)).toThrow(/corrupt/);
    // Unchecked at open, the block is still checked when first read.
    const lazy = openLexicalIndex(file, { verify: false });
    expect(() => lazy.search('"polar seas"', { k: 5 })).toThrow(/damaged/);
    // Taken as checked by another reader of the file (serve's helper thread after serve's own checks): opened,
    // and the block is not checked again, at open or when read.
    const trusting = openLexicalIndex(file, { checkedElsewhere: true });
    expect(() => trusting.search('"polar seas"', { k: 5 })).not.toThrow();
  });
});

describe('a snapshot checked block by block as it is read (checkOnRead, as the CLI and serve open it)', () => {
  /** Indexes over `dir` checked on read, the search service over them, and what they reported. */
  function lazyIndexes(dir: string): {
    ix: SearchIndexes;
    log: string[];
    search: (q: string) => Promise<string[]>;
  } {
    const log: string[] = [];
    const ix = new SearchIndexes(env.store, {
      dir,
      approximateAbove: 50,
      checkOnRead: true,
      onProgress: (what) => {
        if (!log.includes(`rebuilt ${what}`)) log.push(`rebuilt ${what}`);
      },
      onSnapshotRefused: (file) => log.push(`refused ${file.split('/').pop()}`),
    });
    const service = createSearchService({
      store: env.store,
      indexes: ix,
      embedder: async () => embedder,
      semanticWeight: undefined,
      similarWeight: 0.5,
      depth: 100,
      embedTimeoutMs: 5000,
    });
    const search = async (q: string): Promise<string[]> =>
      (await service.search(q, { k: 10 })).hits.map((h) => h.paper.id);
    return { ix, log, search };
  }

  it('opens a damaged file without reading its large sections, and never answers from the damaged block', async () => {
    const reference = await answers(join(env.dir, 'good'));
    const cases: [string, (gen: string) => void, string, string][] = [
      [
        'lazy-postings-flip',
        (g) => flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'docs')),
        'lexical.bin',
        'lexical index',
      ],
      [
        'lazy-rows-flip',
        (g) => flip(join(g, 'vectors.bin'), sectionOffset(join(g, 'vectors.bin'), 'rows')),
        'vectors.bin',
        'vector index',
      ],
    ];
    for (const [name, damage, file, rebuilt] of cases) {
      const { ix, log } = lazyIndexes(damagedCopy(name, damage));
      await ix.open();
      await ix.useModel(MODEL, DIM);
      // Not checked at open: the damage is not found yet, and nothing was rebuilt.
      expect(log, name).toEqual([]);
      const q = (await embedder.embed(['narwhal']))[0]!;
      const read =
        file === 'lexical.bin'
          ? () => ix.lexical.search('narwhal krill', { k: 10 })
          : () => ix.vectors?.search(q, 10);
      // The first read of the block fails its check: an error, never an answer from the damaged bytes.
      expect(read, name).toThrow(/damaged/);
      expect(ix.damageFound, name).toBe(true);
      // The next sync refuses the file and rebuilds that index from the store.
      await ix.upToDate(async () => embedder);
      expect(log, name).toEqual([`refused ${file}`, `rebuilt ${rebuilt}`]);
      expect(ix.damageFound, name).toBe(false);
      expect(
        ix.lexical.search('narwhal krill', { k: 10 }).map(([id]) => id),
        name,
      ).toEqual(reference.lexical);
      expect(
        (ix.vectors?.search(q, 10) ?? []).map(([, s]) => Math.round(s * 1e6)),
        name,
      ).toEqual(reference.vectors);
    }
  }, 60_000);

  it('answers a search that meets a damaged block again from the rebuilt index, as an undamaged one does', async () => {
    const good = lazyIndexes(join(env.dir, 'good'));
    const expected = await good.search('narwhal krill');
    expect(good.log).toEqual([]);
    expect(expected.length).toBeGreaterThan(0);
    for (const [name, file, section] of [
      ['service-postings-flip', 'lexical.bin', 'docs'],
      ['service-rows-flip', 'vectors.bin', 'rows'],
    ] as const) {
      const { search, log } = lazyIndexes(
        damagedCopy(name, (g) => flip(join(g, file), sectionOffset(join(g, file), section))),
      );
      expect(await search('narwhal krill'), name).toEqual(expected);
      expect(log, name).toContain(`refused ${file}`);
    }
  }, 60_000);
});

describe('a snapshot read ahead after opening (serve, checkOnRead)', () => {
  /** Serve's indexes opened (checked on read) from a copy of the good snapshot with one byte of `section` flipped; nothing refused yet. */
  async function openedWithFlip(
    name: string,
    file: string,
    section: string,
  ): Promise<{ ix: SearchIndexes; log: string[] }> {
    const log: string[] = [];
    const ix = new SearchIndexes(env.store, {
      dir: damagedCopy(name, (g) => flip(join(g, file), sectionOffset(join(g, file), section))),
      approximateAbove: 50,
      checkOnRead: true,
      onProgress: (what) => {
        if (!log.includes(`rebuilt ${what}`)) log.push(`rebuilt ${what}`);
      },
      onSnapshotRefused: (refused) => log.push(`refused ${refused.split('/').pop()}`),
    });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    expect(log).toEqual([]);
    return { ix, log };
  }

  it('has a damaged block found and its index rebuilt from the store before any search meets it', async () => {
    const reference = await answers(join(env.dir, 'good'));
    const { ix, log } = await openedWithFlip('read-ahead-flip', 'lexical.bin', 'fwdBytes');
    await ix.readAhead(1000);
    expect(log).toEqual(['refused lexical.bin', 'rebuilt lexical index']);
    expect(ix.damageFound).toBe(false);
    expect(ix.vectors?.readAhead(1000)).toBe(false);
    expect(ix.lexical.search('narwhal krill', { k: 10 }).map(([id]) => id)).toEqual(reference.lexical);
  });

  it('has a damaged vector row block found too, and the vectors rebuilt from the store, before any search meets it', async () => {
    const reference = await answers(join(env.dir, 'good'));
    const { ix, log } = await openedWithFlip('read-ahead-rows-flip', 'vectors.bin', 'rows');
    // The rows were read ahead and checked (on a worker thread) after start; before h27c they were never read ahead.
    await ix.readAhead(1000);
    expect(log).toEqual(['refused vectors.bin']);
    expect(ix.damageFound).toBe(false);
    await ix.upToDate(async () => embedder);
    expect(log).toEqual(['refused vectors.bin', 'rebuilt vector index']);
    const q = (await embedder.embed(['narwhal']))[0]!;
    expect((ix.vectors?.search(q, 10) ?? []).map(([, s]) => Math.round(s * 1e6))).toEqual(reference.vectors);
    expect(ix.lexical.search('narwhal krill', { k: 10 }).map(([id]) => id)).toEqual(reference.lexical);
  });

  it('leaves no block of an undamaged snapshot unchecked after reading ahead', async () => {
    const ix = new SearchIndexes(env.store, {
      dir: damagedCopy('read-ahead-all-checked', () => undefined),
      approximateAbove: 50,
      checkOnRead: true,
    });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    const sections = ix.pagedSections();
    // Vector rows, postings and term sequences, all left in their files and unchecked after opening.
    expect(sections.map((s) => s.unchecked)).toEqual([true, true, true]);
    await ix.readAhead(1000);
    expect(sections.map((s) => s.unchecked)).toEqual([false, false, false]);
  });

  /** Serve's indexes over an undamaged copy, opened and not read ahead, and their paged sections. */
  async function openedUnchecked(name: string, startCheckWaitMs?: number) {
    const checked: number[] = [];
    const ix = new SearchIndexes(env.store, {
      dir: damagedCopy(name, () => undefined),
      approximateAbove: 50,
      checkOnRead: true,
      ...(startCheckWaitMs === undefined ? {} : { startCheckWaitMs }),
      onChecked: (bytes) => checked.push(bytes),
    });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    const sections = ix.pagedSections();
    expect(sections.map((s) => s.unchecked)).toEqual([true, true, true]);
    return { ix, sections, checked };
  }

  it('holds a search that starts while its blocks are checked on the worker until every block is checked', async () => {
    const { ix, sections, checked } = await openedUnchecked('checks-before-search');
    const ahead = ix.readAhead(1000);
    // Asked at once, as a first request right after start: answered only once the worker checked everything,
    // so it streams no block through a check of its own.
    const seen = await ix.searching(async () => sections.map((s) => s.unchecked));
    expect(seen).toEqual([false, false, false]);
    await ahead;
    // Told once, with every byte of the three sections (serve logs it).
    expect(checked).toEqual([sections.reduce((sum, s) => sum + s.length, 0)]);
  });

  it('holds a search arriving during the start (serve: holdSearches) until the indexes are open and checked', async () => {
    const ix = new SearchIndexes(env.store, {
      dir: damagedCopy('held-from-start', () => undefined),
      approximateAbove: 50,
      checkOnRead: true,
    });
    ix.holdSearches();
    let answered = false;
    const search = ix.searching(async () => {
      answered = true;
      return ix.pagedSections().map((s) => s.unchecked);
    });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    const ahead = ix.readAhead(1000);
    expect(await search).toEqual([false, false, false]);
    await ahead;
    // A start that fails before its checks lets held searches go on (serve calls releaseSearches then).
    ix.holdSearches();
    const late = ix.searching(async () => 'answered');
    ix.releaseSearches();
    expect(await late).toBe('answered');
  });

  it('holds a search no longer than startCheckWaitMs when the checks cannot go on', async () => {
    const { ix, sections } = await openedUnchecked('checks-wait-bounded', 50);
    // A search being answered elsewhere (another process's counter is this one's): the worker reads nothing meanwhile.
    foreground(1);
    let ahead: Promise<void> = Promise.resolve();
    try {
      ahead = ix.readAhead(1000);
      const started = performance.now();
      const seen = await ix.searching(async () => sections.map((s) => s.unchecked));
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
      expect(seen).toEqual([true, true, true]);
    } finally {
      foreground(-1);
    }
    await ahead;
    expect(sections.map((s) => s.unchecked)).toEqual([false, false, false]);
  });

  /**
   * Starts `ix`'s read-ahead and, while its checks cannot go on (a search counted as answered elsewhere), a helper
   * thread, which opens at once: it trusts the checks rather than checking the file itself. Then runs `meanwhile`,
   * lets the checks go on, and waits for the read-ahead.
   */
  async function helperDuringChecks(ix: SearchIndexes, meanwhile: () => Promise<void>): Promise<void> {
    foreground(1);
    let ahead: Promise<void> = Promise.resolve();
    try {
      ahead = ix.readAhead(1000);
      ix.splitLexicalSearches({ minPostings: 1 });
      expect(await ix.lexicalHelperReady()).toBe(true);
      await meanwhile();
    } finally {
      foreground(-1);
    }
    await ahead;
  }

  it('has a helper thread started during the checks (serve) open at once and take no part until they end', async () => {
    const { ix } = await openedUnchecked('helper-during-checks', 50);
    const whole = ix.lexical.search('narwhal krill', { k: 10 });
    await helperDuringChecks(ix, async () => {
      // Answered whole while the checks run (here once the hold of startCheckWaitMs is over).
      expect(await ix.searching(() => ix.searchLexical('narwhal krill', { k: 10 }))).toEqual(whole);
      expect(ix.lexicalHelperStats()?.split).toBe(0);
    });
    // Once they end (every block sound), searches are cut and the helper kept.
    expect(await ix.searchLexical('narwhal krill', { k: 10 })).toEqual(whole);
    expect(ix.lexicalHelperStats()?.split).toBe(1);
    await ix.closeLexicalHelper();
  });

  it('closes a helper that trusted checks which find the lexical file damaged, and answers from the rebuilt index', async () => {
    const reference = await answers(join(env.dir, 'good'));
    const dir = damagedCopy('helper-trusting-damaged', (g) =>
      flip(join(g, 'lexical.bin'), sectionOffset(join(g, 'lexical.bin'), 'docs')),
    );
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50, checkOnRead: true });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    const damaged = ix.lexical.openedFile;
    // Open (one that checked the file itself would have found the damage and refused it).
    await helperDuringChecks(ix, async () => {
      expect(ix.lexicalHelperStats()?.file).toBe(damaged);
    });
    // The checks found the block: no helper reads the damaged file, and the answers are the undamaged snapshot's.
    expect(ix.lexicalHelperStats()?.file).not.toBe(damaged);
    const ids = (await ix.searchLexical('narwhal krill', { k: 10 })).map(([id]) => id);
    expect(ids).toEqual(reference.lexical);
    await ix.closeLexicalHelper();
  });
});

describe('an undamaged snapshot', () => {
  it('answers the same whether read on demand or read ahead whole (as serve does after start)', async () => {
    const reference = await answers(join(env.dir, 'good'));
    // A copy nothing else opened: the files `answers` opened stay open until collected, so files of `good`
    // itself may or may not be open before (that made this check depend on when the GC ran).
    const dir = damagedCopy('read-ahead-whole', () => undefined);
    const copy = join(dir, 'snap-copy');
    const before = openFiles();
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    await ix.readAhead(1000);
    const after = openFiles();
    expect(ix.lexical.readAhead(1000)).toBe(false);
    expect(ix.vectors?.readAhead(1000)).toBe(false);
    expect(ix.lexical.search('narwhal krill', { k: 10 }).map(([id]) => id)).toEqual(reference.lexical);
    // Read ahead, the files stay open: the graph is mapped, and the vector rows and term sequences stay in
    // their files, read from the page cache as used (#23), so a pruned generation's space is held meanwhile.
    const opened = openFiles();
    // Only files still open: one of `before` closed since (collected) is not in `opened`, and splicing at
    // indexOf's -1 would drop the last entry instead, one of the copy's files (a flaky failure in CI).
    for (const f of before) {
      const at = opened.indexOf(f);
      if (at >= 0) opened.splice(at, 1);
    }
    expect(
      opened
        .filter((f) => f.startsWith(copy))
        .map((f) => f.slice(copy.length))
        .sort(),
    ).toEqual(after.length > 0 ? ['/lexical.bin', '/vectors.bin', '/vectors.bin.hnsw'] : []);
  });

  it("is read ahead only while no search is being answered (h24p: slices between a search's awaits)", async () => {
    const ix = new SearchIndexes(env.store, { dir: join(env.dir, 'good'), approximateAbove: 50 });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    const steps = vi.spyOn(ix.lexical, 'readAhead');
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const search = ix.searching(() => held);
    const ahead = ix.readAhead(1000);
    // Turns of the event loop go by (other requests would be served); no slice is read meanwhile.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(steps).not.toHaveBeenCalled();
    release();
    await search;
    await ahead;
    expect(steps).toHaveBeenCalled();
    expect(ix.lexical.readAhead(1000)).toBe(false);
  });

  it('gives the event loop back after 2 ms of steps (READ_AHEAD_SLICE_MS), so a request arriving meanwhile waits little', async () => {
    const ix = new SearchIndexes(env.store, { dir: join(env.dir, 'good'), approximateAbove: 50 });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    // Each step takes 1 ms of a clock the test keeps; 40 steps of work, then none.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    let left = 40;
    let turn = 0;
    const stepsInTurn = new Map<number, number>();
    vi.spyOn(ix.lexical, 'readAhead').mockImplementation(() => {
      clock += 1;
      stepsInTurn.set(turn, (stepsInTurn.get(turn) ?? 0) + 1);
      return --left > 0;
    });
    let done = false;
    const ahead = ix.readAhead().finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turn++;
    }
    await ahead;
    vi.restoreAllMocks();
    expect(left).toBe(0);
    expect(Math.max(...stepsInTurn.values())).toBe(2);
  });
});

describe('snapshots of the previous format (no checksums)', () => {
  it('are still read, and marked for rewriting in the current format', () => {
    const fixture = join(import.meta.dirname, '../fixtures/snapshot-v1');
    const lexical = openLexicalIndex(join(fixture, 'lexical.bin'));
    expect(lexical.search('narwhal tusk', { k: 3 })[0]?.[0]).toBe('2501.00003');
    expect(lexical.search('author:müller', { k: 5 }).length).toBe(3);
    const dir = join(env.dir, 'v1');
    mkdirSync(dir);
    for (const f of ['vectors.bin', 'vectors.bin.hnsw']) copyFileSync(join(fixture, f), join(dir, f));
    const vectors = createVectorIndex({ dimension: 4, approximateAbove: 1, model: 'toy-v1' });
    vectors.load(join(dir, 'vectors.bin'));
    expect(vectors.size).toBe(3);
    expect(vectors.search(Float32Array.from([1, 0, 0, 0]), 1)[0]?.[0]).toBe('2501.00001');
    // Saved again, it is the current format, and opens the same.
    vectors.save(join(dir, 'vectors.bin'));
    expect(readFileSync(join(dir, 'vectors.bin')).toString('ascii', 0, 8)).toBe('PBVECS03');
    const again = createVectorIndex({ dimension: 4, approximateAbove: 1, model: 'toy-v1' });
    again.load(join(dir, 'vectors.bin'));
    expect(again.search(Float32Array.from([1, 0, 0, 0]), 1)[0]?.[0]).toBe('2501.00001');
  });
});
