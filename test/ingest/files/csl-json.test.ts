// CSL-JSON as Zotero exports it: a hand-written export, chunk boundaries, and files that are not arrays.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCslJson } from '../../../src/ingest/files/csl-json.ts';
import { readTextChunks } from '../../../src/ingest/files/lines.ts';
import { collect, papers, rejections } from './collect.ts';

const FILE = resolve(import.meta.dirname, '../../fixtures/files/zotero-export.json');

describe('parseCslJson on a Zotero export', () => {
  it('maps items and rejects the ones of the wrong shape, with line and item number', async () => {
    const records = await collect(parseCslJson(readTextChunks(FILE), 'zotero.json'));
    expect(records.map((r) => r.location)).toEqual([
      'zotero.json:2 (item 1)',
      'zotero.json:19 (item 2)',
      'zotero.json:34 (item 3)',
      'zotero.json:41 (item 4)',
      'zotero.json:42 (item 5)',
    ]);
    expect(rejections(records)).toEqual([
      'zotero.json:34 (item 3): field "author" should be an array of names, not a string',
      'zotero.json:41 (item 4): item is a number, not an object',
    ]);
    const [preprint, article, report] = papers(records);
    expect(preprint).toMatchObject({
      arxivId: '2502.01234',
      version: 2,
      doi: '10.48550/arxiv.2502.01234',
      title: 'Token Budgets for LLM Agents',
      abstract: 'We measure how many tokens agents spend and propose budgets.',
      authors: ['Mira Okonkwo', 'Jean-Luc François'],
      categories: ['cs.CL'],
      published: '2025-02-03',
      comment: '9 pages, 3 figures',
      journalRef: null,
    });
    expect(article).toMatchObject({
      arxivId: null,
      doi: '10.1162/tacl_a_00999',
      authors: ['Jörg Müller', 'Pedro de la Cruz Jr.', 'Toy Research Collective'],
      published: '2024-05-01',
      journalRef: 'Transactions of the Association for Computational Linguistics 12, 101-118',
    });
    expect(report).toMatchObject({ arxivId: 'hep-th/9901001', published: '1999-01-01' });
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    const text = readFileSync(FILE, 'utf8');
    const whole = await collect(parseCslJson([text], 'z'));
    const oneCharAtATime = await collect(parseCslJson(Array.from(text), 'z'));
    expect(oneCharAtATime).toEqual(whole);
    expect(whole).toHaveLength(5);
  });

  it('finds the arXiv id in `number` and a note, and handles escapes and brackets inside strings', async () => {
    const items = JSON.stringify([
      { title: 'Quote \\" and ] and } inside', number: 'arXiv:2401.00001', publisher: 'arXiv' },
      { title: 'From the note', note: 'arXiv:2402.00002 [cs.LG]' },
      [],
    ]);
    const records = await collect(parseCslJson([items], 'z.json'));
    expect(papers(records).map((p) => [p.title, p.arxivId, p.categories])).toEqual([
      ['Quote \\" and ] and } inside', '2401.00001', []],
      ['From the note', '2402.00002', ['cs.LG']],
    ]);
    expect(rejections(records)).toEqual(['z.json:1 (item 3): item is an array, not an object']);
  });
});

describe('parseCslJson on files that are not CSL arrays', () => {
  it('refuses a single object with a message that says an array is expected', async () => {
    await expect(collect(parseCslJson(['{"title": "x"}'], 'one.json'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/one\.json is a single JSON object, not a JSON array of items/),
    });
  });

  it('yields the complete items of a truncated array, then reports the truncation', async () => {
    const seen: string[] = [];
    const run = async () => {
      for await (const r of parseCslJson(['[{"title": "One"}, {"title": "Tw'], 'cut.json'))
        if (r.ok) seen.push(r.paper.title);
    };
    await expect(run()).rejects.toMatchObject({
      code: 'SOURCE_UNREADABLE',
      message: 'cut.json ends inside the JSON array, after item 1; is the file truncated?',
    });
    expect(seen).toEqual(['One']);
  });

  it('reads an empty array as no records', async () => {
    expect(await collect(parseCslJson(['  [ ]  '], 'empty.json'))).toEqual([]);
  });
});
