// Pure pieces behind the site: trending math, date windows and citation formats.
import { describe, expect, it } from 'vitest';
import {
  citeKey,
  parseWindow,
  toBibtex,
  toCsl,
  windowContaining,
  type Paper,
} from '../../src/domain/index.ts';
import { decayedVotes, trending } from '../../src/rank/trending.ts';
import { paper } from '../helpers/temp-store.ts';

const H = 3_600_000;

describe('trending', () => {
  it('halves a vote per half-life and sums per paper', () => {
    const w = decayedVotes(
      [
        ['a', 0, 1],
        ['a', 24 * H, 1],
        ['b', 24 * H, 3],
      ],
      24,
    );
    expect(w.get('a')).toBeCloseTo(1.5);
    expect(w.get('b')).toBeCloseTo(3);
  });

  it('keeps candidate order for ties and stays finite for windows long ago', () => {
    const old = Date.UTC(2001, 0, 1);
    const r = trending(
      [
        ['x', 0],
        ['y', 0],
        ['z', 0],
      ],
      [
        ['z', old, 1],
        ['y', old - 48 * H, 1],
      ],
      'day',
    );
    expect(r.map(([id]) => id)).toEqual(['z', 'y', 'x']);
    expect(r.every(([, s]) => Number.isFinite(s))).toBe(true);
    expect(
      trending(
        [
          ['p', 0],
          ['q', 0],
        ],
        [],
        'month',
      ).map(([id]) => id),
    ).toEqual(['p', 'q']);
  });
});

describe('date windows', () => {
  it('parses days, ISO weeks and months and rejects impossible ones', () => {
    expect(parseWindow('week', '2026-W01')).toMatchObject({ from: '2025-12-29', to: '2026-01-05' });
    expect(parseWindow('week', '2025-W53')).toBeNull();
    expect(parseWindow('week', '2026-W53')?.to).toBe('2027-01-04');
    expect(parseWindow('month', '2026-02')).toMatchObject({ from: '2026-02-01', to: '2026-03-01' });
    expect(parseWindow('day', '2024-02-29')?.to).toBe('2024-03-01');
    expect(parseWindow('day', '2026-02-29')).toBeNull();
    expect(windowContaining('week', '2026-07-05').key).toBe('2026-W27');
  });
});

describe('citations', () => {
  const p: Paper = {
    ...paper({ title: 'Tokens & {Masks}: 100% of $\\alpha$', comment: '12 pages, #1', doi: '10.1/x' }),
    id: '2501.00001',
    absUrl: 'https://arxiv.org/abs/2501.00001',
    createdAt: '',
    modifiedAt: '',
  };
  it('writes BibTeX with escaped specials and balanced braces', () => {
    expect(citeKey(p)).toBe('lovelace2025tokens');
    const bib = toBibtex(p);
    expect(bib).toContain('title = {{Tokens \\& {Masks}: 100\\% of $\\alpha$}}');
    expect(bib).toContain('author = {Lovelace, Ada and Babbage, Charles}');
    expect(bib).toContain('note = {12 pages, \\#1}');
    expect(toBibtex({ ...p, title: 'Broken } brace {' })).toContain('title = {{Broken brace}}');
  });
  it('writes CSL-JSON items', () => {
    expect(toCsl(p)).toMatchObject({
      type: 'article',
      author: [
        { family: 'Lovelace', given: 'Ada' },
        { family: 'Babbage', given: 'Charles' },
      ],
      issued: { 'date-parts': [[2025, 1, 2]] },
      DOI: '10.1/x',
      number: 'arXiv:2501.00001',
    });
  });
});
