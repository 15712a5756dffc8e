// Title/abstract text: the real seed page (with its chrome) and a hand-written page with blank lines and wrapping.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, type NumberedLine } from '../../../src/ingest/files/lines.ts';
import { parsePlainText } from '../../../src/ingest/files/plain-text.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { collect, papers, rejections } from './collect.ts';

const BLOCKS = resolve(import.meta.dirname, '../../fixtures/files/papers-page-blocks.txt');
const SEED = fixturePath('seed', 'papers-page.txt');

function linesOf(text: string): NumberedLine[] {
  return text.split('\n').map((line, i) => ({ line, lineNo: i + 1 }));
}

describe('the seed papers page', () => {
  it('strips the subscribe chrome and pairs every title with its abstract', async () => {
    const records = await collect(parsePlainText(readLines(SEED), 'papers-page.txt'));
    expect(rejections(records)).toEqual([]);
    const all = papers(records);
    expect(all).toHaveLength(119);
    expect(records[0]?.location).toBe('papers-page.txt:3');
    expect(all[0]?.title).toBe('Instance-aware Dynamic Prompt Tuning for Pre-trained Point Cloud Models');
    expect(
      all[0]?.abstract.startsWith('Pre-trained point cloud models have found extensive applications'),
    ).toBe(true);
    expect(all[1]?.title).toBe(
      'CompressKV: Semantic Retrieval Heads Know What Tokens are Not Important Before Generation',
    );
    expect(all.at(-1)?.title.startsWith('Token Prepending: A Training-Free Approach')).toBe(true);
    expect(all.every((p) => p.arxivId === null && p.doi === null && p.authors.length === 0)).toBe(true);
    expect(all.some((p) => /subscribe|trending papers/i.test(p.title))).toBe(false);
    expect(all.every((p) => p.abstract.length > p.title.length)).toBe(true);
  });

  it('reads the same pairs with blank lines added between papers', async () => {
    const text = readFileSync(SEED, 'utf8');
    const spaced = text
      .split('\n')
      .flatMap((line, i) => (i >= 4 && i % 2 === 0 ? ['', line] : [line]))
      .join('\n');
    const tight = papers(await collect(parsePlainText(linesOf(text), 'a')));
    const loose = papers(await collect(parsePlainText(linesOf(spaced), 'b')));
    expect(loose).toEqual(tight);
  });
});

describe('a hand-written page with blank lines and wrapped abstracts', () => {
  it('joins wrapped abstract lines, skips chrome, and rejects a title without abstract', async () => {
    const records = await collect(parsePlainText(readLines(BLOCKS), 'blocks.txt'));
    expect(papers(records).map((p) => p.title)).toEqual([
      'Greedy Tokenizers Are Nearly Optimal',
      'Sparse Retrieval Heads: A Study of Long Contexts',
      'Token Budgets for LLM Agents',
    ]);
    expect(papers(records)[0]?.abstract).toBe(
      'We show that greedy tokenization is within a constant factor of optimal for a broad family of toy ' +
        'vocabularies, and we give an algorithm that closes the remaining gap in linear time.',
    );
    expect(records.map((r) => r.location)).toEqual([
      'blocks.txt:4',
      'blocks.txt:8',
      'blocks.txt:13',
      'blocks.txt:16',
    ]);
    expect(rejections(records)).toEqual([
      'blocks.txt:16: line 16 looks like a title, but no abstract follows it',
    ]);
  });

  it('treats unknown short lines above the first title as page chrome', async () => {
    const abstract = 'This abstract is long enough to be a whole abstract on one line. '.repeat(4);
    const records = await collect(
      parsePlainText(linesOf(`My Lab\nReading list\nA Real Title\n${abstract}\nSecond\n${abstract}`), 'x'),
    );
    expect(
      papers(records).map((p) => [p.title, records.find((r) => r.ok && r.paper === p)?.location]),
    ).toEqual([
      ['A Real Title', 'x:3'],
      ['Second', 'x:5'],
    ]);
  });

  it('rejects an abstract-length line in a title position and recovers the next pair', async () => {
    const abstract = 'An abstract that runs on for quite a while, as abstracts do. '.repeat(12);
    const text = `Title One\n${abstract}\n${abstract}\nTitle Three\n${abstract}`;
    const records = await collect(parsePlainText(linesOf(text), 'x'));
    expect(papers(records).map((p) => p.title)).toEqual(['Title One', 'Title Three']);
    expect(rejections(records)[0]).toMatch(/^x:3: line 3 is \d+ characters, too long for a title/);
  });
});
