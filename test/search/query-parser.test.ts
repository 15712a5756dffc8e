// The search-box language: words, phrases, exclusions, fields, arXiv ids, and clear errors for bad input.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { parseArxivRef } from '../../src/index/lexical/arxiv-ref.ts';
import { MAX_QUERY_CHARS, parseQuery, plainQuery } from '../../src/index/lexical/query.ts';

const badInput = (input: string): AppError => {
  try {
    parseQuery(input);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`expected BAD_INPUT for ${JSON.stringify(input)}`);
};

describe('parseQuery', () => {
  it('splits words, phrases, exclusions and filters', () => {
    const q = parseQuery(
      '"diffusion model" video -gan -"style transfer" author:ho -author:smith cat:cs.CV -cat:cs.GR since:2025-06 before:2026-01-01',
    );
    expect(q.words).toEqual(['video']);
    expect(q.phrases).toEqual(['diffusion model']);
    expect(q.excludeWords).toEqual(['gan']);
    expect(q.excludePhrases).toEqual(['style transfer']);
    expect(q.authors).toEqual(['ho']);
    expect(q.excludeAuthors).toEqual(['smith']);
    expect(q.categories).toEqual(['cs.cv']);
    expect(q.excludeCategories).toEqual(['cs.gr']);
    expect(q.since).toBe('2025-06-01');
    expect(q.before).toBe('2026-01-01');
    expect(q.warnings).toEqual([]);
  });

  it('reads quoted field values and field aliases', () => {
    const q = parseQuery('author:"Geoffrey Hinton" au:lecun category:cs.LG');
    expect(q.authors).toEqual(['Geoffrey Hinton', 'lecun']);
    expect(q.categories).toEqual(['cs.lg']);
  });

  it('reports arXiv ids in every common spelling, without versions', () => {
    const q = parseQuery(
      '2503.11677 2503.11685v2 arXiv:2401.00001 https://arxiv.org/abs/2502.00002v3 https://arxiv.org/pdf/2502.00003.pdf id:hep-th/9901001 attention',
    );
    expect(q.arxivIds).toEqual([
      '2503.11677',
      '2503.11685',
      '2401.00001',
      '2502.00002',
      '2502.00003',
      'hep-th/9901001',
    ]);
    expect(q.words).toEqual(['attention']);
  });

  it('keeps the most restrictive of repeated date bounds', () => {
    const q = parseQuery('llm since:2025 since:2025-06 before:2026-03 before:2026');
    expect(q.since).toBe('2025-06-01');
    expect(q.before).toBe('2026-01-01');
  });

  it('repairs an unbalanced quote and says so', () => {
    const q = parseQuery('graph "neural network');
    expect(q.words).toEqual(['graph']);
    expect(q.phrases).toEqual(['neural network']);
    expect(q.warnings[0]).toMatch(/quote/i);
  });

  it('ignores a lone minus with a warning', () => {
    const q = parseQuery('transformers - attention');
    expect(q.words).toEqual(['transformers', 'attention']);
    expect(q.warnings[0]).toMatch(/"-"/);
  });

  it('treats a trailing colon as punctuation, not a field', () => {
    expect(parseQuery('Note: transformers').words).toEqual(['Note', 'transformers']);
    expect(parseQuery('cat:').words).toEqual(['cat']);
  });

  it('treats non-arXiv URLs as words', () => {
    expect(parseQuery('https://example.org/paper').words).toEqual(['https://example.org/paper']);
  });

  it('wraps plain text without reading operators', () => {
    const q = plainQuery('IL-6: "not" -associated');
    expect(q.words).toEqual(['IL-6: "not" -associated']);
    expect(q.phrases).toEqual([]);
  });
});

describe('parseQuery on running text', () => {
  it('reads an unknown field as words with a warning instead of refusing it', () => {
    const q = parseQuery('a permutation: the order matters');
    expect(q.words).toEqual(['a', 'permutation', 'the', 'order', 'matters']);
    const r = parseQuery('title:attention');
    expect(r.words).toEqual(['title', 'attention']);
    expect(r.warnings.join(' ')).toMatch(/"title:" is not a search field.*read as words/);
  });

  it('needs a word after a minus for an exclusion: numbers and list dashes are words', () => {
    const q = parseQuery('E2f-1, -2, -3 are required for -proliferation');
    expect(q.excludeWords).toEqual(['proliferation']);
    expect(q.words).toEqual(['E2f-1,', '-2,', '-3', 'are', 'required', 'for']);
    expect(parseQuery('--verbose flags').excludeWords).toEqual([]);
  });

  it('keeps exclusions, phrases and filters inside a long query', () => {
    const text = `${'we study graph neural networks for molecules and proteins. '.repeat(8)} "message passing" -vision cat:cs.LG since:2025-06`;
    const q = parseQuery(text);
    expect(q.long).toBe(true);
    expect(q.phrases).toEqual(['message passing']);
    expect(q.excludeWords).toEqual(['vision']);
    expect(q.categories).toEqual(['cs.lg']);
    expect(q.since).toBe('2025-06-01');
  });

  it('does not warn about list dashes in a long text, but does in a short query', () => {
    expect(parseQuery(`${'word '.repeat(50)} - item`).warnings).toEqual([]);
    expect(parseQuery('a - b').warnings).toHaveLength(1);
  });

  it('parses control characters and unbalanced quotes', () => {
    const q = parseQuery('graph\u0000neural\u0007 "net\u00adworks');
    expect(q.words).toEqual(['graph', 'neural']);
    expect(q.phrases).toEqual(['networks']);
    expect(q.warnings[0]).toMatch(/quote/);
  });
});

describe('parseQuery bad input', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['-', /nothing to search/],
    ['author:""', /needs a value/],
    ['cat:"cs CL"', /not an arXiv category/],
    ['since:2025-13', /not a date/],
    ['before:yesterday', /not a date/],
    ['since:2026 before:2025', /no paper can match/],
    ['-since:2025', /not supported/],
    ['id:banana', /not an arXiv id/],
  ])('%j → BAD_INPUT %s', (input, message) => {
    const err = badInput(input);
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(message);
  });

  it('refuses a query over the limit as too large (413), with the limit in the message', () => {
    const err = badInput('a '.repeat(MAX_QUERY_CHARS));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(err.message).toContain(String(MAX_QUERY_CHARS));
  });

  it('accepts 20,000 characters of pasted text as a long query', () => {
    const text = 'protein folding with attention. '.repeat(700).slice(0, 20_000);
    expect(MAX_QUERY_CHARS).toBeGreaterThanOrEqual(20_000);
    const q = parseQuery(text);
    expect(q.long).toBe(true);
    expect(q.words.length).toBeGreaterThan(2000);
  });

  it('accepts a pasted abstract just under the limit', () => {
    const text = 'diffusion models generate images '.repeat(100).slice(0, MAX_QUERY_CHARS);
    expect(parseQuery(text).words.length).toBeGreaterThan(100);
  });
});

describe('parseArxivRef', () => {
  it.each([
    ['2503.11677', '2503.11677'],
    ['2503.11677v12', '2503.11677'],
    ['(2503.11677),', '2503.11677'],
    ['1409.0473', '1409.0473'],
    ['http://www.arxiv.org/abs/1706.03762', '1706.03762'],
    ['math.GT/0309136', 'math.gt/0309136'],
  ])('%s → %s', (text, id) => expect(parseArxivRef(text)).toBe(id));

  it.each(['2513.11677', '1409.04731', '3.14159', 'transformers', '12345.6789'])(
    '%s is not an id',
    (text) => {
      expect(parseArxivRef(text)).toBeNull();
    },
  );
});
