// The lexical index's behaviour: phrases, exclusions, filters, incremental updates, snapshots and bad input.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import {
  createLexicalIndex,
  loadLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { SEARCH_CORPUS } from '../fixtures/search-corpus.ts';

let index: LexicalIndex;
const ids = (query: string, k = 50): string[] => index.search(query, { k }).map(([id]) => id);
const byId = (id: string): LexicalDoc => SEARCH_CORPUS.find((d) => d.id === id) ?? SEARCH_CORPUS[0]!;

beforeEach(() => {
  index = createLexicalIndex();
  for (const doc of SEARCH_CORPUS) index.add(doc);
});

describe('phrases and exclusions', () => {
  it('requires a quoted phrase word for word, not its words scattered', () => {
    // fx-04 says "large language model"; fx-26 has "language model" but not "large language model".
    expect(ids('"large language model"')).toEqual(['fx-04']);
    expect(ids('large language model')).toContain('fx-26');
  });

  it('does not let a phrase span the title and the abstract', () => {
    // fx-11's title ends "registers" and its abstract starts "Vision"; no field holds "registers vision".
    expect(ids('"registers vision"')).toEqual([]);
  });

  it('excludes words, phrases, authors and categories', () => {
    expect(ids('diffusion')).toContain('fx-16');
    expect(ids('diffusion -depth')).not.toContain('fx-16');
    expect(ids('diffusion -"diffusion transformers"')).not.toContain('fx-21');
    expect(ids('diffusion -"diffusion transformers"')).toContain('fx-01');
    expect(ids('diffusion -author:souza')).toEqual(['fx-02']);
    expect(ids('language -cat:cs.CL')).not.toContain('fx-04');
  });

  it('treats a hyphenated exclusion as a phrase', () => {
    expect(ids('models -self-supervised')).not.toContain('fx-08');
    expect(ids('models -self-supervised')).toContain('fx-01');
  });
});

describe('filters apply before the top k', () => {
  it('filters by category (any of several), case-insensitively', () => {
    expect(ids('robot cat:cs.RO').sort()).toEqual(['fx-09', 'fx-10', 'fx-24']);
    expect(ids('speech retrieval cat:CS.IR cat:eess.as').sort()).toEqual(['fx-08', 'fx-19', 'fx-20']);
  });

  it('filters by author, all names required', () => {
    expect(ids('author:"Wei Chen" author:rossi')).toEqual(['fx-02']);
    expect(ids('diffusion author:chen').sort()).toEqual(['fx-01', 'fx-02']);
  });

  it('filters by date range; undated papers never pass a date filter', () => {
    const got = ids('language since:2025-06 before:2026');
    expect(got.length).toBeGreaterThan(0);
    for (const id of got) {
      const date = byId(id).date ?? '';
      expect(date >= '2025-06-01' && date < '2026-01-01').toBe(true);
    }
    expect(ids('language since:2000')).not.toContain('fx-30');
    expect(ids('language')).toContain('fx-30');
  });

  it('still returns k results when the best matches are filtered out', () => {
    const top = index.search('language cat:cs.LG', { k: 2 }).map(([id]) => id);
    expect(top).toHaveLength(2);
    for (const id of top) expect(byId(id).categories).toContain('cs.LG');
  });

  it('merges filters passed beside the query text', () => {
    const got = index
      .search('diffusion', { filters: { categories: ['cs.LG'], since: '2025-07' } })
      .map(([id]) => id);
    expect(got).toEqual(['fx-02']);
  });

  it('lists a filter-only query newest first with score 0', () => {
    const got = index.search('cat:cs.RO', { k: 5 });
    expect(got.map(([id]) => id)).toEqual(['fx-24', 'fx-10', 'fx-09']);
    expect(got.every(([, s]) => s === 0)).toBe(true);
  });
});

describe('incremental updates', () => {
  const fresh: LexicalDoc = {
    id: 'new-1',
    title: 'Quantum annealing for protein folding',
    abstract: 'Annealers fold small proteins.',
    authors: ['Nova Quinn'],
    categories: ['quant-ph'],
    date: '2026-07-01',
  };

  it('finds an added paper at once, and forgets a removed one', () => {
    expect(ids('protein folding')).toEqual([]);
    index.add(fresh);
    expect(ids('protein folding')).toEqual(['new-1']);
    expect(index.remove('new-1')).toBe(true);
    expect(index.remove('new-1')).toBe(false);
    expect(ids('protein folding')).toEqual([]);
    expect(index.size).toBe(SEARCH_CORPUS.length);
  });

  it('replaces a paper added again under the same id', () => {
    index.add({
      ...byId('fx-22'),
      title: 'Warmup schedules revisited',
      abstract: 'Nothing about the optimizer name here.',
    });
    expect(ids('adam')).not.toContain('fx-22');
    expect(ids('warmup schedules')[0]).toBe('fx-22');
    expect(index.size).toBe(SEARCH_CORPUS.length);
  });

  it('keeps scores consistent through many updates and automatic compaction', () => {
    const reference = index.search('diffusion model', { k: 5 });
    for (let round = 0; round < 80; round++) for (const doc of SEARCH_CORPUS) index.add(doc);
    expect(index.size).toBe(SEARCH_CORPUS.length);
    const again = index.search('diffusion model', { k: 5 });
    expect(again.map(([id]) => id).sort()).toEqual(reference.map(([id]) => id).sort());
    again.forEach(([id, score]) =>
      expect(score).toBeCloseTo(reference.find(([r]) => r === id)?.[1] ?? -1, 9),
    );
  });
});

describe('serialize and load', () => {
  it('round-trips to identical results, and the loaded index stays updatable', () => {
    index.remove('fx-05');
    const loaded = loadLexicalIndex(index.serialize());
    for (const q of [
      'diffusion',
      '"large language model"',
      'graph cat:cs.LG since:2025',
      'author:müller',
      'gpt4',
    ]) {
      expect(loaded.search(q, { k: 10 })).toEqual(index.search(q, { k: 10 }));
    }
    expect(loaded.has('fx-05')).toBe(false);
    loaded.add(byId('fx-05'));
    expect(loaded.search('hallucination')[0]?.[0]).toBe('fx-05');
  });

  it('saves to a file byte for byte as serialize() does, without building the whole buffer', () => {
    index.remove('fx-07');
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-lexical-'));
    try {
      for (const source of [index, createLexicalIndex()]) {
        const path = join(dir, 'lexical.bin');
        source.saveTo(path);
        expect(readFileSync(path).equals(source.serialize())).toBe(true);
      }
      expect(loadLexicalIndex(readFileSync(join(dir, 'lexical.bin'))).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips an empty index', () => {
    const empty = loadLexicalIndex(createLexicalIndex().serialize());
    expect(empty.size).toBe(0);
    expect(empty.search('anything')).toEqual([]);
  });

  it('applies BM25F overrides at load without a rebuild', () => {
    const buf = index.serialize();
    expect(loadLexicalIndex(buf, { k1: 0.5 }).options.k1).toBe(0.5);
  });

  it('rejects foreign and truncated files with a clear error', () => {
    expect(() => loadLexicalIndex(Buffer.from('not an index at all'))).toThrow(
      /not a Paperboy lexical index/,
    );
    const buf = index.serialize();
    expect(() => loadLexicalIndex(buf.subarray(0, buf.length - 100))).toThrow(AppError);
  });
});

describe('bad input', () => {
  it('refuses malformed documents, listing every problem', () => {
    const bad = {
      id: '',
      title: 5,
      abstract: 'x',
      authors: 'me',
      categories: [],
      date: 3,
    } as unknown as LexicalDoc;
    try {
      index.add(bad);
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details).toHaveLength(4);
    }
  });

  it('refuses out-of-range k and BM25F options', () => {
    expect(() => index.search('x', { k: 0 })).toThrow(/k must be/);
    expect(() => createLexicalIndex({ k1: -1, fields: { title: { b: 2 } } })).toThrow(/k1.*title\.b/);
  });

  it('survives hostile but legal queries', () => {
    expect(() => ids('"" "   " -"" $\\frac{a}{b}$ ((((')).not.toThrow();
    expect(ids('zzzz '.repeat(800).slice(0, 4000))).toEqual([]);
  });
});
