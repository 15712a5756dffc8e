// A long query (a pasted text) is scored on its most informative terms only; a short one on every term.
import { describe, expect, it } from 'vitest';
import {
  createLexicalIndex,
  LONG_QUERY_TERMS,
  PRUNE_MAX_TERMS,
} from '../../src/index/lexical/lexical-index.ts';
import { moreLikeThisQuery, parseQuery, SIMILAR_QUERY_TERMS } from '../../src/index/lexical/query.ts';

const RARE = Array.from(
  { length: 40 },
  (_, i) => `zq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}word`,
);

function index() {
  const ix = createLexicalIndex();
  RARE.forEach((w, i) =>
    ix.add({
      id: `2601.${String(10000 + i)}`,
      title: `A study of ${w}`,
      abstract: 'common filler words about learning models and data',
      authors: ['A. Author'],
      categories: ['cs.LG'],
      date: '2026-01-01',
    }),
  );
  return ix;
}

describe('long queries', () => {
  it(`keep the ${LONG_QUERY_TERMS} most informative terms: frequent words and terms past the limit are dropped`, () => {
    const ix = index();
    const text = `${'learning models and data '.repeat(20)} ${RARE.join(' ')}`;
    const q = parseQuery(text);
    expect(q.long).toBe(true);
    const hits = ix.search(q, { k: 100 });
    // Every paper has "learning models data": scored, they would all match. Only the rare terms count,
    // and of those the first LONG_QUERY_TERMS in the text (equal idf: the text's order breaks ties).
    expect(hits).toHaveLength(LONG_QUERY_TERMS);
    expect(new Set(hits.map(([id]) => id))).toEqual(
      new Set(RARE.slice(0, LONG_QUERY_TERMS).map((_, i) => `2601.${String(10000 + i)}`)),
    );
  });

  it(`keep ${SIMILAR_QUERY_TERMS} terms for similar papers (longTerms), fewer than a pasted text's`, () => {
    // Similar papers' lexical side is a tenth of their fused score; its most common terms cost the most (h24p).
    const ix = index();
    const q = moreLikeThisQuery(
      'learning models',
      `${'learning models and data '.repeat(20)} ${RARE.join(' ')}`,
    );
    const hits = ix.search(q, { k: 100, longTerms: SIMILAR_QUERY_TERMS });
    expect(SIMILAR_QUERY_TERMS).toBeLessThan(LONG_QUERY_TERMS);
    expect(new Set(hits.map(([id]) => id))).toEqual(
      new Set(RARE.slice(0, SIMILAR_QUERY_TERMS).map((_, i) => `2601.${String(10000 + i)}`)),
    );
  });

  it("answer a similar request's lexical side by MaxScore: its terms are few enough to prune (h26q)", () => {
    // 24 terms read about 5 times the postings of the 12 most informative at 300k papers, scored term at a time
    // (past PRUNE_MAX_TERMS): the lexical side was most of a similar request's CPU, for the same MRR@10.
    expect(SIMILAR_QUERY_TERMS).toBeLessThanOrEqual(PRUNE_MAX_TERMS);
    const ix = index();
    const q = moreLikeThisQuery('learning models', RARE.join(' '));
    const pruned = ix.search(q, { k: 100, longTerms: SIMILAR_QUERY_TERMS });
    expect(pruned).toHaveLength(SIMILAR_QUERY_TERMS);
    expect(ix.search(q, { k: 100, longTerms: SIMILAR_QUERY_TERMS, prune: false })).toEqual(pruned);
  });

  it('score every term of a short query', () => {
    const ix = index();
    expect(ix.search(parseQuery('learning zqaaword'), { k: 100 })).toHaveLength(40);
  });
});
