// BibTeX: a hand-written file with broken entries, and the syntax corners (macros, #, quotes, parens).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBibtex } from '../../../src/ingest/files/bibtex.ts';
import { MAX_EXPANDED_ENTRY_CHARS, MAX_VALUE_CHARS } from '../../../src/ingest/files/bibtex-entry.ts';
import { parseBibtexNames } from '../../../src/ingest/files/bibtex-names.ts';
import { readLines, type NumberedLine } from '../../../src/ingest/files/lines.ts';
import { collect, papers, rejections } from './collect.ts';

const FILE = resolve(import.meta.dirname, '../../fixtures/files/refs-with-errors.bib');

function linesOf(text: string): NumberedLine[] {
  return text.split('\n').map((line, i) => ({ line, lineNo: i + 1 }));
}

async function parseText(text: string) {
  return collect(parseBibtex(linesOf(text), 'inline.bib'));
}

describe('parseBibtex on a file with broken entries', () => {
  it('keeps the good entries, rejects the broken ones with their line, and resynchronises', async () => {
    const records = await collect(parseBibtex(readLines(FILE), 'refs.bib'));
    expect(records.map((r) => `${r.ok ? 'ok' : 'rejected'} ${r.location}`)).toEqual([
      'ok refs.bib:8',
      'ok refs.bib:20',
      'rejected refs.bib:30',
      'rejected refs.bib:36',
      'ok refs.bib:42',
      'ok refs.bib:50',
    ]);
    expect(rejections(records)).toEqual([
      'refs.bib:30: BibTeX @inproceedings{broken1}: expected "=" after field name "author" (line 32)',
      'refs.bib:36: BibTeX entry: this entry is not closed before the next entry at line 42 (a "}" is missing)',
    ]);
  });

  it('decodes LaTeX, expands @string macros and # concatenation, and reads "Last, First" names', async () => {
    const [muller] = papers(await collect(parseBibtex(readLines(FILE), 'refs.bib')));
    expect(muller).toMatchObject({
      arxivId: null,
      doi: '10.1162/tacl_a_00999',
      title: 'Sparse Retrieval Heads: A Study of Long Contexts',
      authors: ['Jörg Müller', 'Aiko Nakamura', 'Jiří Nie'],
      journalRef: 'Transactions of the Association for Computational Linguistics 12, 101–118 (2024)',
      published: '2024-05-01',
      abstract: 'We study retrieval heads in long-context models and show that öne head suffices.',
    });
  });

  it('finds arXiv ids in eprint, a note and an arXiv DOI', async () => {
    const [, okonkwo, garcia, doiOnly] = papers(await collect(parseBibtex(readLines(FILE), 'refs.bib')));
    expect(okonkwo).toMatchObject({
      arxivId: '2502.01234',
      version: 2,
      categories: ['cs.CL'],
      authors: ['Mira Okonkwo', 'Jean-Luc François'],
      published: '2025-01-01',
      absUrl: 'https://arxiv.org/abs/2502.01234v2',
    });
    expect(garcia).toMatchObject({
      arxivId: '2309.00042',
      authors: ['Lucía García', 'Pedro de la Cruz Jr.'],
      comment: null,
      journalRef: 'Proceedings of the Toy Workshop (2023)',
    });
    expect(doiOnly).toMatchObject({
      arxivId: '2101.00777',
      authors: ['Toy Research Collective'],
      published: '2021-01-04',
    });
  });
});

describe('parseBibtex syntax corners', () => {
  it('handles quotes holding braces, numbers, unknown macros and a trailing comma', async () => {
    const [r] = await parseText(
      '@misc{k,\n title = "A {"}Quoted{"} " # {Title},\n year = 1999, journal = PAMI, month = {March},\n}',
    );
    expect(r?.ok && r.paper).toMatchObject({
      title: 'A "Quoted" Title',
      published: '1999-03-01',
      journalRef: 'PAMI (1999)',
    });
  });

  it('skips @comment, @preamble and text between entries, and accepts a keyless entry', async () => {
    const records = await parseText('junk text\n@comment{x}\n@preamble{"y"}\n@misc{title = {No Key}}\n');
    expect(papers(records).map((p) => p.title)).toEqual(['No Key']);
  });

  it('reports an entry still open at the end of the file', async () => {
    const records = await parseText('@misc{a, title={Fine}}\n\n@article{b,\n title = {Never closed}\n');
    expect(papers(records).map((p) => p.title)).toEqual(['Fine']);
    expect(rejections(records)).toEqual([
      'inline.bib:3: BibTeX entry: the file ends before this entry is closed (a "}" is missing)',
    ]);
  });

  it('parses several entries on one line and a value that is never closed', async () => {
    const records = await parseText(
      '@misc{a, title={One}} @misc{b, title={Two}}\n@misc{c, title = "open}\n@misc{d, title={Four}}',
    );
    expect(papers(records).map((p) => p.title)).toEqual(['One', 'Two', 'Four']);
    expect(rejections(records)[0]).toMatch(/^inline\.bib:2: BibTeX @misc\{c\}: /);
  });

  it('applies a macro only after its @string definition', async () => {
    const records = await parseText(
      '@misc{a, journal = jml, title = {A}}\n@string{jml = {J. Mach. Learn.}}\n@misc{b, journal = jml, title = {B}}',
    );
    expect(papers(records).map((p) => p.journalRef)).toEqual(['jml', 'J. Mach. Learn.']);
  });
});

/** The 500-byte file of issue #15: one 8-character macro doubled `doublings` times, then used as a title. */
function amplifyingBib(doublings: number): string {
  const lines = ['@string{a = "xxxxxxxx"}', ...Array.from({ length: doublings }, () => '@string{a = a # a}')];
  return `${lines.join('\n')}\n@misc{k, title = a}\n@misc{after, title = {Still read}}`;
}

describe('parseBibtex against macro amplification', () => {
  it('stops a doubled @string at the value limit while expanding, and keeps parsing', async () => {
    const records = await parseText(amplifyingBib(24));
    const firstTooLong = Math.ceil(Math.log2(MAX_VALUE_CHARS / 8)); // the doubling that would pass the limit
    const rejected = rejections(records);
    expect(rejected[0]).toBe(
      `inline.bib:${firstTooLong + 1}: BibTeX @string{a}: field "a" is longer than 100,000 characters once its parts and @string macros are joined (line ${firstTooLong + 1})`,
    );
    expect(rejected).toHaveLength(24 - firstTooLong + 1);
    const [title, after] = papers(records).map((p) => p.title);
    expect(title?.length).toBe(8 * 2 ** (firstTooLong - 1));
    expect(after).toBe('Still read');
  });

  it('caps the whole entry and the characters macros add to the file', async () => {
    const big = 'y'.repeat(MAX_VALUE_CHARS - 10);
    const fields = Array.from({ length: 11 }, (_, i) => `f${i} = big`).join(', ');
    const entry = await parseText(`@string{big = "${big}"}\n@misc{k, ${fields}}`);
    expect(rejections(entry)).toEqual([
      `inline.bib:2: BibTeX @misc{k}: the entry is longer than ${MAX_EXPANDED_ENTRY_CHARS.toLocaleString('en')} characters once its @string macros are expanded (line 2)`,
    ]);
    const lines = ['@string{m = "0123456789"}', '@misc{a, title = m # m}', '@misc{b, title = m # m}'];
    const budgeted = await collect(
      parseBibtex(linesOf(lines.join('\n')), 'inline.bib', { maxMacroChars: 30 }),
    );
    expect(papers(budgeted).map((p) => p.title)).toEqual(['01234567890123456789']);
    expect(rejections(budgeted)).toEqual([
      'inline.bib:3: BibTeX @misc{b}: @string macros would add more than 30 characters to this file in all ("m" is not expanded) (line 3)',
    ]);
  });

  it('scans a very long line in pieces, pacing between them', async () => {
    const entries = Array.from({ length: 3000 }, (_, i) => `@misc{k${i}, title = {Paper ${i}}}`).join(' ');
    let paces = 0;
    const pace = async (): Promise<void> => void (paces += 1);
    const records = await collect(parseBibtex(linesOf(entries), 'one-line.bib', { pace }));
    expect(papers(records)).toHaveLength(3000);
    expect(paces).toBeGreaterThan(entries.length / (64 * 1024));
  });
});

describe('parseBibtexNames', () => {
  it('splits on "and" outside braces and orders every name form as "First von Last Jr"', () => {
    expect(
      parseBibtexNames('{Barnes and Noble} and van Rossum, Guido and Knuth, Jr., Donald E. and others'),
    ).toEqual(['Barnes and Noble', 'Guido van Rossum', 'Donald E. Knuth Jr.']);
    expect(parseBibtexNames('Ada  Lovelace AND\n  Alan Turing')).toEqual(['Ada Lovelace', 'Alan Turing']);
  });
});
