// The Kaggle arXiv snapshot shape, on a hand-written sample of made-up papers.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperFromKaggleJson, parseKaggleJsonl } from '../../../src/ingest/files/kaggle.ts';
import { readLines } from '../../../src/ingest/files/lines.ts';
import { collect, papers, rejections } from './collect.ts';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/files/kaggle-sample.jsonl');

describe('parseKaggleJsonl', () => {
  it('maps ids, authors_parsed, space-separated categories, versions and dates', async () => {
    const records = await collect(parseKaggleJsonl(readLines(SAMPLE), 'kaggle-sample.jsonl'));
    expect(records.map((r) => r.location)).toEqual([
      'kaggle-sample.jsonl:1',
      'kaggle-sample.jsonl:2',
      'kaggle-sample.jsonl:4',
      'kaggle-sample.jsonl:5',
    ]);
    const [sparse, boundary, greedy] = papers(records);
    expect(sparse).toMatchObject({
      arxivId: '2407.01234',
      version: 2,
      title: 'Sparse Retrieval Heads for Long-Context Question Answering',
      authors: ['Mira Okonkwo', 'Jens Müller', 'Ana Beatriz Souza'],
      categories: ['cs.CL', 'cs.IR', 'cs.LG'],
      published: '2024-07-01',
      updated: '2024-10-15',
      comment: '12 pages, 4 figures',
      license: 'http://creativecommons.org/licenses/by/4.0/',
      absUrl: 'https://arxiv.org/abs/2407.01234',
      pdfUrl: 'https://arxiv.org/pdf/2407.01234',
    });
    expect(sparse?.abstract).toBe(
      'We study which attention heads carry retrieval in long-context question answering and show that pruning the rest keeps 97% of accuracy.',
    );
    expect(boundary).toMatchObject({
      arxivId: 'hep-th/9901001',
      version: 1,
      authors: ['P. Lindqvist', 'K. J. van der Berg Jr'],
      doi: '10.1016/s0550-3213(99)00101-x',
      journalRef: 'Nucl.Phys. B550 (1999) 101-120',
      published: '1999-01-01',
    });
    // No authors_parsed: the byline is split, and its TeX accents decoded.
    expect(greedy).toMatchObject({
      arxivId: '0801.0042',
      version: 3,
      authors: ['Chen Wei', 'François Dubois'],
      updated: '2008-01-03',
    });
    expect(rejections(records)).toEqual([
      'kaggle-sample.jsonl:5: field "id" is "not-an-arxiv-id", which is not an arXiv identifier',
    ]);
  });
});

describe('paperFromKaggleJson', () => {
  it('falls back to update_date without versions and rejects malformed versions', () => {
    expect(paperFromKaggleJson({ id: '1501.00001', title: 'T', update_date: '2015-01-09' })).toMatchObject({
      published: null,
      updated: '2015-01-09',
      version: null,
    });
    expect(() => paperFromKaggleJson({ id: '1501.00001', versions: 'v1' })).toThrow(
      'field "versions" should be an array',
    );
    expect(() => paperFromKaggleJson({ id: '1501.00001', authors_parsed: ['Smith'] })).toThrow(
      'authors_parsed" item 1',
    );
  });
});
