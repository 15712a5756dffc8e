// `paperboy ingest` keeps every record of a collection: source ids kept and listed, merges reported, re-imports no-ops.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runPaperboyIn } from '../helpers/cli.ts';

const TITLES = ['Erratum', 'Algorithm 97', 'Letters to the editor', 'A note on sorting'];

interface SourceJson {
  merged: number;
  merges: { location: string; into: string; by: string }[];
  ids?: { location: string; sourceId: string | null; paperId: string }[];
}

describe('paperboy ingest with source ids', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'paperboy-ids-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = (name: string): Record<string, string> => ({ DATABASE_URL: join(dir, `${name}.db`) });

  it('keeps every record of repeated titles without authors, lists the ids, and re-imports as a no-op', async () => {
    const file = join(dir, 'collection.jsonl');
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ id: String(1000 + i), title: TITLES[i % TITLES.length], abstract: `Text ${i}.` }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const first = await runPaperboyIn(['ingest', file, '--json', '--ids'], db('plain'));
    expect(first.code).toBe(0);
    const sum = lastJson(first.stdout);
    expect(sum).toMatchObject({ added: 40, merged: 0, rejected: 0 });
    const ids = (sum.sources as SourceJson[])[0]?.ids ?? [];
    expect(ids).toHaveLength(40);
    expect(ids[3]).toMatchObject({ location: 'collection.jsonl:4', sourceId: '1003' });
    expect(new Set(ids.map((x) => x.paperId)).size).toBe(40);
    const again = await runPaperboyIn(['ingest', file, '--json'], db('plain'));
    expect(again.code).toBe(1);
    expect(lastJson(again.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 40, merged: 0 });
  });

  it('merges the same titles with a shared author as before, and shows the merges on a dry run first', async () => {
    const file = join(dir, 'authored.jsonl');
    // The second record of each pair adds a comment; both carry the same authors, so a re-import changes nothing.
    const authors = ['Ann Smith', 'Bo Jones'];
    const lines = TITLES.flatMap((title, i) => [
      JSON.stringify({ id: `a${i}`, title, authors, abstract: `About ${title}.` }),
      JSON.stringify({ id: `b${i}`, title, authors, abstract: '', comment: 'Reprint.' }),
    ]);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const dry = await runPaperboyIn(['ingest', file, '--json', '--dry-run'], db('authored'));
    const dryJson = lastJson(dry.stdout);
    expect(dryJson).toMatchObject({ added: 4, updated: 4, merged: 4 });
    expect((dryJson.sources as SourceJson[])[0]?.merges[0]).toEqual({
      location: 'authored.jsonl:2',
      into: 'authored.jsonl:1',
      paperId: expect.stringMatching(/^pb:/) as unknown,
      by: 'title',
    });
    expect(dry.stderr).toContain('would merge authored.jsonl:2 into authored.jsonl:1 (same title)');
    const real = await runPaperboyIn(['ingest', file, '--json'], db('authored'));
    expect(lastJson(real.stdout)).toMatchObject({ added: 4, merged: 4 });
    const stats = lastJson((await runPaperboyIn(['stats', '--json'], db('authored'))).stdout);
    expect(stats.papers).toBe(4);
    const again = await runPaperboyIn(['ingest', file, '--json'], db('authored'));
    expect(again.code).toBe(1);
    expect(lastJson(again.stdout)).toMatchObject({ added: 0, updated: 0, merged: 0 });
  });

  it('keeps BibTeX keys and CSL-JSON ids of look-alike entries and re-imports both as no-ops', async () => {
    const bib = join(dir, 'refs.bib');
    writeFileSync(
      bib,
      [
        '@article{knuth65a, title={Erratum}, journal={Commun. ACM}, year={1965}}',
        '@article{knuth65b, title={Erratum}, journal={J. ACM}, year={1965}}',
        '',
      ].join('\n'),
    );
    const csl = join(dir, 'zotero.json');
    writeFileSync(
      csl,
      JSON.stringify([
        { id: 'item-1', type: 'article', title: 'Algorithm 97', abstract: 'Shortest path.' },
        { id: 'item-2', type: 'article', title: 'Algorithm 97', abstract: 'Certification.' },
      ]),
    );
    const first = await runPaperboyIn(['ingest', bib, csl, '--json', '--ids'], db('keys'));
    const sum = lastJson(first.stdout);
    expect(sum).toMatchObject({ added: 4, merged: 0 });
    const ids = (sum.sources as SourceJson[]).flatMap((s) => s.ids ?? []).map((x) => x.sourceId);
    expect(ids).toEqual(['knuth65a', 'knuth65b', 'item-1', 'item-2']);
    const again = await runPaperboyIn(['ingest', bib, csl, '--json'], db('keys'));
    expect(again.code).toBe(1);
    expect(lastJson(again.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
  });
});
