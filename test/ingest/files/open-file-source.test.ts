// Opening files end to end: detection from content, gzip, saved arXiv XML, and the errors a user sees.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/domain/record.ts';
import { AppError } from '../../../src/errors.ts';
import { MAX_LINE_CHARS } from '../../../src/ingest/files/lines.ts';
import { openFileSource } from '../../../src/ingest/files/open-file-source.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { collect, papers, rejections } from './collect.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/files');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(path: string): Promise<{ format: string; records: SourceRecord[] }> {
  const source = await openFileSource(path);
  return { format: source.format, records: await collect(source.records) };
}

describe('openFileSource on hand-written fixtures', () => {
  it.each([
    ['kaggle-sample.jsonl', 'kaggle-jsonl', 3, 1],
    ['bad.jsonl', 'paperboy-jsonl', 2, 4],
    ['refs-with-errors.bib', 'bibtex', 4, 2],
    ['zotero-export.json', 'csl-json', 3, 2],
    ['papers-page-blocks.txt', 'plain-text', 3, 1],
  ])('%s is %s with %i records and %i rejections', async (name, format, good, bad) => {
    const opened = await open(`${FIXTURES}/${name}`);
    expect(opened.format).toBe(format);
    expect(papers(opened.records)).toHaveLength(good);
    expect(rejections(opened.records)).toHaveLength(bad);
    expect(opened.records.every((r) => r.location.startsWith(`${name}:`))).toBe(true);
  });

  it('detects a gzip-compressed file whatever its name', async () => {
    const path = join(dir, 'refs.download');
    writeFileSync(path, gzipSync(readFileSync(`${FIXTURES}/refs-with-errors.bib`)));
    const opened = await open(path);
    expect(opened.format).toBe('bibtex');
    expect(papers(opened.records).map((p) => p.arxivId)).toEqual([
      null,
      '2502.01234',
      '2309.00042',
      '2101.00777',
    ]);
  });
});

describe('openFileSource errors', () => {
  it('refuses a PNG with UNKNOWN_FORMAT naming the file and every supported format', async () => {
    const err = await openFileSource(`${FIXTURES}/tiny.png`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'UNKNOWN_FORMAT' });
    const message = (err as AppError).message;
    expect(message).toContain('tiny.png');
    expect(message).toContain('a PNG image');
    for (const format of [
      'paperboy-jsonl',
      'kaggle-jsonl',
      'bibtex',
      'csl-json',
      'arxiv-atom',
      'oai-pmh',
      'plain-text',
    ]) {
      expect(message).toContain(format);
    }
  });

  it('refuses random binary data and an empty file', async () => {
    const random = join(dir, 'random.bin');
    writeFileSync(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    await expect(openFileSource(random)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(openFileSource(empty)).rejects.toMatchObject({
      code: 'UNKNOWN_FORMAT',
      message: expect.stringContaining('an empty file'),
    });
  });

  it('reports a missing file as SOURCE_UNREADABLE', async () => {
    await expect(openFileSource(join(dir, 'missing.jsonl'))).rejects.toMatchObject({
      code: 'SOURCE_UNREADABLE',
      message: expect.stringContaining('missing.jsonl: no such file'),
    });
  });

  it('yields the records before a gzip truncation, then fails with the last good line', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        arxiv_id: `2501.${String(i + 1).padStart(5, '0')}`,
        title: `Paper ${i + 1}`,
        abstract: `Abstract ${i}`.repeat(8),
      }),
    );
    const path = join(dir, 'cut.jsonl.gz');
    const gz = gzipSync(lines.join('\n'));
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const { format, records } = await openFileSource(path);
    expect(format).toBe('paperboy-jsonl');
    const got: string[] = [];
    let failure: unknown;
    try {
      for await (const r of records) if (r.ok) got.push(r.paper.title);
    } catch (err) {
      failure = err;
    }
    expect(got.length).toBeGreaterThan(10);
    expect(got).toEqual(lines.slice(0, got.length).map((_, i) => `Paper ${i + 1}`));
    expect(failure).toMatchObject({ code: 'SOURCE_UNREADABLE' });
    expect((failure as Error).message).toMatch(
      new RegExp(`^cut\\.jsonl\\.gz: gzip data is truncated or corrupt .*after line ${got.length} `),
    );
  });
});

describe('openFileSource on saved arXiv responses', () => {
  it('hands an export-API Atom file to the Atom parser', async () => {
    const opened = await open(fixturePath('arxiv', 'atom-api', 'q_testing_s0_m10_bc5a6c384fe9.xml'));
    expect(opened.format).toBe('arxiv-atom');
    expect(papers(opened.records)).toHaveLength(10);
    expect(papers(opened.records)[0]?.arxivId).toBe('2202.12139');
  });

  it('hands an OAI-PMH file to the OAI parser, even gzip-compressed', async () => {
    const path = join(dir, 'oai.xml.gz');
    const xml = fixturePath('arxiv', 'oai-pmh', 'listrecords_oai_dc_cs_2024-01-25_with_resumptionToken.xml');
    writeFileSync(path, gzipSync(readFileSync(xml)));
    const opened = await open(path);
    expect(opened.format).toBe('oai-pmh');
    expect(papers(opened.records).map((p) => p.arxivId)).toContain('1303.2033');
  });

  it('reads the seed page as plain text', async () => {
    const path = join(dir, 'page');
    copyFileSync(fixturePath('seed', 'papers-page.txt'), path);
    const opened = await open(path);
    expect(opened.format).toBe('plain-text');
    expect(papers(opened.records)[0]?.title).toBe(
      'Instance-aware Dynamic Prompt Tuning for Pre-trained Point Cloud Models',
    );
  });
});

describe('a line too long to read', () => {
  it('is rejected with file:line and reason, and the lines after it are imported', async () => {
    const rec = (n: number) =>
      JSON.stringify({ arxiv_id: `2501.0000${n}`, title: `Paper ${n}`, authors: ['A B'] });
    const huge = `{"title": "${'x'.repeat(MAX_LINE_CHARS)}"}`;
    const path = join(dir, 'one-runaway-line.jsonl');
    writeFileSync(path, [rec(1), huge, rec(3), rec(4)].join('\n'));
    const opened = await open(path);
    expect(opened.format).toBe('paperboy-jsonl');
    expect(papers(opened.records).map((p) => p.title)).toEqual(['Paper 1', 'Paper 3', 'Paper 4']);
    expect(rejections(opened.records)).toEqual([
      'one-runaway-line.jsonl:2: line is longer than 32 Mi characters; is this a text file?',
    ]);
    expect(opened.records.map((r) => r.location)).toEqual(
      [1, 2, 3, 4].map((n) => `one-runaway-line.jsonl:${n}`),
    );
  }, 60_000);
});
