// Hostile records through the CLI (in this process) and the site: links other than http(s) are dropped with a warning in
// the ingest report, and control characters and bidi overrides are removed from every text field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { lastJson, runPaperboyIn } from '../helpers/cli.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';

/** Every kind of character that must go: NUL, BEL, ESC, DEL, a C1 control, bidi embeddings, overrides, isolates. */
const UNSAFE = '\u0000\u0007\u001b\u007f\u0085\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const LEFT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('paperboy ingest of hostile records', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-'));
    env = { DATABASE_URL: join(dir, 'pb.db') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops javascript: links from JSONL with a warning and strips unsafe characters from every field', async () => {
    const file = join(dir, 'hostile.jsonl');
    const rec = {
      doi: '10.1234/hostile.1',
      title: `Safe${UNSAFE}Title \u202Etxt.exe`,
      abstract: `An${UNSAFE} abstract.\nSecond line\tkept.`,
      authors: [`Ada${UNSAFE} Lovelace`, UNSAFE, 'Grace Hopper'],
      categories: [`cs.CL${UNSAFE}`],
      comment: `12 pages${UNSAFE}`,
      journal_ref: `J. Hostile${UNSAFE}`,
      date: '2026-07-01',
      url: 'javascript:alert(1)',
      pdf: ' JaVaScRiPt:alert(document.cookie)',
    };
    const fine = { ...rec, doi: '10.1234/fine', title: 'Fine', url: 'https://example.org/x', pdf: '/x.pdf' };
    writeFileSync(file, `${JSON.stringify(rec)}\n${JSON.stringify(fine)}\n`);
    const res = await runPaperboyIn(['ingest', file, '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /warning hostile\.jsonl:1: dropped the abstract page link "javascript:alert\(1\)"/,
    );
    expect(res.stderr).toMatch(
      /warning hostile\.jsonl:1: dropped the PDF link .*only http and https links are kept/,
    );
    const summary = lastJson(res.stdout) as { added: number; sources: { warned: number }[] };
    expect(summary.added).toBe(2);
    expect(summary.sources[0]?.warned).toBe(1);

    const store = await openStore(env.DATABASE_URL!);
    try {
      const p = await store.papers.get('doi:10.1234/hostile.1');
      expect(p).not.toBeNull();
      expect(p!.absUrl).toBeNull();
      expect(p!.pdfUrl).toBeNull();
      expect(p!.title).toBe('SafeTitle txt.exe');
      expect(p!.abstract).toBe('An abstract. Second line kept.');
      expect(p!.authors).toEqual(['Ada Lovelace', 'Grace Hopper']);
      for (const text of [p!.title, p!.abstract, ...p!.authors, ...p!.categories, p!.comment, p!.journalRef])
        expect(text ?? '', JSON.stringify(text)).not.toMatch(LEFT);
      const ok = await store.papers.get('doi:10.1234/fine');
      expect([ok?.absUrl, ok?.pdfUrl]).toEqual(['https://example.org/x', '/x.pdf']);
    } finally {
      await store.close();
    }
  });

  it('drops a BibTeX url = {javascript:...} with a warning', async () => {
    const file = join(dir, 'hostile.bib');
    writeFileSync(
      file,
      `@article{evil,\n  title = {Bib\u202Eevil},\n  author = {Eve\u0007 Hacker},\n  year = {2026},\n  doi = {10.1234/bib.1},\n  url = {javascript:alert(1)}\n}\n`,
    );
    const res = await runPaperboyIn(['ingest', file], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /warning hostile\.bib:1: dropped the abstract page link "javascript:alert\(1\)"/,
    );
    const store = await openStore(env.DATABASE_URL!);
    try {
      const p = await store.papers.get('doi:10.1234/bib.1');
      expect([p?.title, p?.authors, p?.absUrl]).toEqual(['Bibevil', ['Eve Hacker'], null]);
    } finally {
      await store.close();
    }
  });
});

describe('text entered on the site', () => {
  let env: ReaderEnv;
  let userId: number;
  beforeAll(async () => {
    env = await readerEnv();
    const u = await env.temp.store.users.create('reader@example.org', 'Reader', 'x');
    userId = u!.id;
  });
  afterAll(async () => env.cleanup());

  it('removes unsafe characters from names, followed authors and saved searches', async () => {
    await env.services.accountSettings.rename(userId, `Ada\u202E Lovelace\u2066`);
    expect((await env.temp.store.users.get(userId))?.name).toBe('Ada Lovelace');
    const follow = await env.services.forYou.follow(userId, 'author', `Grace\u202E Hopper\u0007`);
    expect(follow.label).toBe('Grace Hopper');
    const saved = await env.services.forYou.addSavedSearch(userId, `diffusion\u202E models\u0000`);
    expect(saved.query).toBe('diffusion models');
  });

  it('removes them from library import interest texts', async () => {
    const bib = `@article{x,\n  title = {Unmatched\u202E interest\u0000 paper},\n  abstract = {Abs\u2067tract\u0001.},\n  year = {2026}\n}\n`;
    const report = await env.services.forYou.importLibrary(userId, bib, { source: 'lib.bib' });
    expect(report.interests).toBe(1);
    const texts = await env.temp.store.forYou.interestTexts(userId, 10);
    expect(texts.map((t) => [t.title, t.abstract])).toEqual([['Unmatched interest paper', 'Abstract.']]);
  });
});
