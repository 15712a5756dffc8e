// The standing hostile-file suite: amplifying BibTeX, entity XML, control characters, bidi overrides and
// script links pushed through every import path (CLI ingest, harvest and library import; the web's import
// API and form; /submit), asserting no crash, clear reasons with file:line, good records kept, a clean store.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { startArxivStub, type ArxivStub } from '../helpers/arxiv-stub.ts';
import { lastJson, runPaperboy } from '../helpers/cli.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

/** Override with PAPERBOY_FUZZ_SEED to replay a failure; PAPERBOY_FUZZ_COUNT sets the records per file. */
const SEED = Number(process.env.PAPERBOY_FUZZ_SEED ?? 20261204);
const COUNT = Number(process.env.PAPERBOY_FUZZ_COUNT ?? 40);

/** What must never reach a stored text: C0 controls but tab/LF/CR, DEL, C1 controls, bidi embeddings, isolates. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const UNSAFE_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u202d', '\u2066', '\u2069'];
const BAD_LINKS = [
  'javascript:alert(1)',
  ' JavaScript:alert(2)',
  'data:text/html,<script>alert(3)</script>',
  'java\tscript:alert(4)',
  'vbscript:msgbox(5)',
];
/** The text every entity of the billion-laughs document expands to; it must never be stored. */
const LAUGH = 'LAUGHLAUGH';
const PAPER_TITLE_MAX = 2000;

/** The project's seeded generator (mulberry32), so a failure replays exactly. */
const rng = (seed: number): (() => number) => createRng(seed).next;

const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;

/** `text` with one to three unsafe characters at random places (never at the ends, so a word stays). */
function dirty(text: string, allowNul = true): string {
  let out = text;
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const at = 1 + Math.floor(random() * (out.length - 1));
    const ch = allowNul ? pick(UNSAFE) : pick(UNSAFE.filter((c) => c !== '\u0000'));
    out = out.slice(0, at) + ch + out.slice(at);
  }
  return out;
}

/** A unique, plain title for record `i` of a file, dirtied. */
const title = (file: string, i: number, allowNul = true): string =>
  dirty(`Hostile ${file} paper number ${i} on robust parsing`, allowNul);

/** The 500-byte BibTeX whose 24 doubled macros once made a 134-million-character title, then a good entry. */
function amplifyingBib(): string {
  const lines = ['@string{a="xxxxxxxx"}'];
  for (let i = 0; i < 24; i++) lines.push('@string{a = a # a}');
  lines.push('@article{amp, title = a, author = {Amp Lifier}, year = 2026, doi = {10.1234/amp.1}}');
  lines.push('@article{ampgood, title = {Beside the amplifier}, author = {Good Neighbour}, year = 2026,');
  lines.push('  doi = {10.1234/amp.good}}');
  return `${lines.join('\n')}\n`;
}

/** An Atom document whose internal DTD nests entities ten deep (a billion laughs if expanded). */
function billionLaughs(): string {
  const ents = [`<!ENTITY l0 "${LAUGH}">`];
  for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE feed [\n${ents.join('\n')}\n]>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2601.00001v1</id><title>&l9;</title><summary>&l9;</summary><author><name>Lol</name></author><published>2026-01-01T00:00:00Z</published><updated>2026-01-01T00:00:00Z</updated></entry></feed>\n`;
}

/** An arXiv export-API answer with one entry whose title and author carry unsafe characters and script links. */
function dirtyAtom(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
<opensearch:totalResults>1</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>1</opensearch:itemsPerPage>
<entry>
<id>http://arxiv.org/abs/${id}v1</id>
<updated>2026-11-02T10:00:00Z</updated>
<published>2026-11-02T10:00:00Z</published>
<title>Atom \u202Eevil\u202C title \u2066iso\u2069 with &#x7; bell</title>
<summary>An abstract \u202E with overrides.</summary>
<author><name>Mal\u202Elory \u0007Atom</name></author>
<link href="javascript:alert(1)" rel="alternate" type="text/html"/>
<link title="pdf" href=" JavaScript:alert(2)" rel="related" type="application/pdf"/>
<arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
<category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
</entry>
</feed>
`;
}

interface Files {
  [name: string]: string | Buffer;
}

/** Every hostile file, by name; `good` lists the DOIs that must be stored from them. */
function hostileFiles(): { files: Files; good: string[] } {
  const good: string[] = [];
  const jsonl: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const doi = `10.1234/jsonl.${i}`;
    good.push(doi);
    jsonl.push(
      JSON.stringify({
        doi,
        title: title('jsonl', i),
        abstract: dirty('An abstract about hostile input handling.'),
        authors: [dirty('Ada Lovelace'), pick(UNSAFE), dirty('Grace Hopper')],
        categories: ['cs.CR'],
        date: '2026-07-01',
        url: pick(BAD_LINKS),
        pdf: random() < 0.5 ? pick(BAD_LINKS) : 'https://example.org/ok.pdf',
      }),
    );
  }
  jsonl.push('{"doi": "10.1234/broken", "title": "cut off');
  jsonl.push(
    JSON.stringify({ doi: '10.1234/long', title: 'T'.repeat(PAPER_TITLE_MAX + 1), date: '2026-07-01' }),
  );

  const bib: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const doi = `10.1234/bib.${i}`;
    good.push(doi);
    bib.push(
      `@article{bib${i},\n  title = {${title('bib', i, false)}},\n  author = {${dirty('Eve Hacker', false)} and ${dirty('Bob Builder', false)}},\n  year = {2026},\n  doi = {${doi}},\n  url = {${pick(BAD_LINKS.filter((l) => !l.includes('\t')))}}\n}`,
    );
  }

  const csl = [];
  for (let i = 0; i < COUNT; i++) {
    const doi = `10.1234/csl.${i}`;
    good.push(doi);
    csl.push({
      id: `csl${i}`,
      type: 'article-journal',
      title: title('csl', i),
      author: [{ family: dirty('Lovelace'), given: dirty('Ada') }],
      issued: { 'date-parts': [[2026, 7, 1]] },
      DOI: doi,
      URL: pick(BAD_LINKS),
    });
  }

  const text: string[] = [];
  for (let i = 0; i < 3; i++) {
    text.push(title('text', i, false));
    text.push(dirty(`${'This abstract is long enough to be read as one. '.repeat(6)}Number ${i}.`, false));
    text.push('');
  }

  const gzipped = gzipSync(Buffer.from(jsonl.slice(0, 5).join('\n')));
  return {
    good: [...good, '10.1234/amp.good', '10.1234/before.long', '10.1234/after.long'],
    files: {
      'amp.bib': amplifyingBib(),
      'laughs.xml': billionLaughs(),
      'hostile.jsonl': `${jsonl.join('\n')}\n`,
      'hostile.bib': `${bib.join('\n\n')}\n`,
      'hostile.csl.json': JSON.stringify(csl, null, 1),
      'hostile.txt': `${text.join('\n')}\n`,
      'cut.jsonl.gz': gzipped.subarray(0, Math.floor(gzipped.length / 2)),
      // One line past the long-line limit (32 Mi characters), then a good record that must still go in.
      'long.jsonl': [
        JSON.stringify({
          doi: '10.1234/before.long',
          title: 'Before the long line',
          abstract: 'A.',
          authors: ['Al Long'],
          date: '2026-07-01',
        }),
        `{"title": "${'L'.repeat(32 * 1024 * 1024)}"}`,
        JSON.stringify({
          doi: '10.1234/after.long',
          title: 'After the long line',
          abstract: 'A.',
          authors: ['Al Long'],
          date: '2026-07-01',
        }),
        '',
      ].join('\n'),
    },
  };
}

/** Every string in every row of every table of a SQLite file, with where it was. */
function everyText(path: string): { where: string; text: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    const out: { where: string; text: string }[] = [];
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .all() as { name: string }[];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
        for (const [col, v] of Object.entries(row))
          if (typeof v === 'string') out.push({ where: `${name}.${col}`, text: v });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** The store-wide checks every path must leave true. */
function assertCleanStore(path: string): void {
  const texts = everyText(path);
  expect(texts.length).toBeGreaterThan(0);
  const unsafe = texts.filter((t) => UNSAFE_RE.test(t.text));
  expect(
    unsafe.slice(0, 5).map((t) => `${t.where}: ${JSON.stringify(t.text.slice(0, 120))}`),
    'control or bidi characters stored',
  ).toEqual([]);
  const links = texts.filter((t) => /^papers\.(abs_url|pdf_url)$/.test(t.where));
  // Read as a browser would, from a page of this site: relative links stay on http(s).
  const scheme = (link: string): string => new URL(link, 'https://paperboy.example/papers/x').protocol;
  expect(links.filter((t) => !['http:', 'https:'].includes(scheme(t.text))).map((t) => t.text)).toEqual([]);
  expect(texts.filter((t) => t.text.includes(LAUGH)).map((t) => t.where)).toEqual([]);
  expect(texts.filter((t) => t.text.includes('x'.repeat(1000))).map((t) => t.where)).toEqual([]);
  const titles = texts.filter((t) => /^(papers|interest_texts)\.title$/.test(t.where));
  expect(Math.max(...titles.map((t) => t.text.length))).toBeLessThanOrEqual(PAPER_TITLE_MAX);
  const db = new Database(path, { readonly: true });
  try {
    const per = db
      .prepare(
        'SELECT user_id, count(*) AS n, max(length(title)) AS t, max(length(abstract)) AS a FROM interest_texts GROUP BY user_id',
      )
      .all() as { n: number; t: number; a: number }[];
    for (const r of per) {
      expect(r.n).toBeLessThanOrEqual(1000);
      expect(r.t).toBeLessThanOrEqual(PAPER_TITLE_MAX);
      expect(r.a).toBeLessThanOrEqual(65_536);
    }
  } finally {
    db.close();
  }
}

/** No crash: not the internal-error exit code, no stack trace. */
function assertNoCrash(r: { code: number | null; stderr: string }): void {
  expect(r.code, r.stderr.slice(-2000)).not.toBe(70);
  expect(r.code).not.toBeNull();
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

const { files, good } = hostileFiles();
let dir = '';
let stub: ArxivStub;
let answer: 'laughs' | 'dirty' = 'dirty';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-files-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  stub = await startArxivStub((url) => {
    if (answer === 'laughs') return { status: 200, body: billionLaughs() };
    const id = /id_list=([\d.]+)/.exec(url.search)?.[1] ?? '2611.00001';
    return { status: 200, body: dirtyAtom(id) };
  });
});
afterAll(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`hostile files through the CLI (seed ${SEED})`, () => {
  const db = (): string => join(dir, 'cli.db');
  const env = (): Record<string, string> => ({
    DATABASE_URL: db(),
    ARXIV_API_URL: stub.url,
    ARXIV_DELAY_MS: '0',
    ARXIV_RETRIES: '0',
  });

  it('paperboy ingest rejects what it must with file:line, cleans the rest and keeps the good records', async () => {
    const names = Object.keys(files).map((n) => join(dir, n));
    const r = await runPaperboy(['ingest', ...names, '--json'], env());
    assertNoCrash(r);
    const err = r.stderr;
    // The amplifying macros stop at the 14th doubling, with the @string's line; the entry using them goes too.
    expect(err).toMatch(/amp\.bib:15\b.*(100,000|characters)/);
    expect(err).toMatch(/amp\.bib:26\b/);
    // Named with its reason even under --json (it once vanished from the run without a word).
    expect(err).toMatch(/laughs\.xml: .*(DOCTYPE|not an arXiv response)/);
    expect(err).toMatch(new RegExp(`hostile\\.jsonl:${COUNT + 1}\\b`));
    expect(err).toMatch(new RegExp(`hostile\\.jsonl:${COUNT + 2}\\b.*title`));
    expect(err).toMatch(/cut\.jsonl\.gz.*(gzip|compressed|truncated|end)/i);
    expect(err).toMatch(/rejected long\.jsonl:2: .*line/);
    expect(err).toMatch(/warning hostile\.jsonl:1: dropped the abstract page link/);
    expect(err).toMatch(/warning hostile\.bib:1: dropped the abstract page link/);
    expect(err).toMatch(/warning hostile\.csl\.json.*dropped the abstract page link/);
    const summary = lastJson(r.stdout) as { added: number };
    expect(summary.added).toBeGreaterThanOrEqual(good.length);

    const store = await openStore(db());
    try {
      for (const doi of good) expect(await store.papers.get(`doi:${doi}`), doi).not.toBeNull();
      expect(await store.papers.get('doi:10.1234/amp.1')).toBeNull();
      const p = await store.papers.get('doi:10.1234/jsonl.0');
      expect(p?.title).toBe('Hostile jsonl paper number 0 on robust parsing');
      expect(p?.authors).toEqual(['Ada Lovelace', 'Grace Hopper']);
      expect(p?.absUrl).toBeNull();
    } finally {
      await store.close();
    }
    assertCleanStore(db());
  });

  it('paperboy harvest refuses an entity document and cleans a hostile Atom entry', async () => {
    const args = [
      'harvest',
      'arxiv',
      '--categories',
      'cs.CL',
      '--since',
      '2026-11-01',
      '--until',
      '2026-11-03',
    ];
    answer = 'laughs';
    const bomb = await runPaperboy([...args, '--json'], env());
    assertNoCrash(bomb);
    expect(bomb.code).not.toBe(0);
    expect(bomb.stderr).toContain('declares a DOCTYPE or entities');
    answer = 'dirty';
    const ok = await runPaperboy([...args, '--json'], env());
    assertNoCrash(ok);
    expect(lastJson(ok.stdout)).toMatchObject({ added: 1 });
    expect(ok.stderr).toMatch(/dropped the abstract page link/);
    assertCleanStore(db());
  });

  it('paperboy library import rejects the amplifier with its line and keeps clean interests', async () => {
    const store = await openStore(db());
    await store.users.create('lib@example.org', 'Lib', 'x');
    await store.close();
    for (const name of ['amp.bib', 'hostile.csl.json']) {
      const r = await runPaperboy(['library', 'import', join(dir, name), '--user', 'lib@example.org'], env());
      assertNoCrash(r);
      if (name === 'amp.bib') {
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/rejected amp\.bib:15\b/);
        expect(r.stderr).toMatch(/rejected amp\.bib:26\b/);
      } else expect([0, 3]).toContain(r.code);
    }
    assertCleanStore(db());
  });
});

describe(`hostile files through the site (seed ${SEED})`, () => {
  let web: Awaited<ReturnType<typeof webEnv>>;
  let client: WebClient;
  beforeAll(async () => {
    web = await webEnv({ ARXIV_API_URL: stub.url, ARXIV_RETRIES: '0' });
    client = new WebClient(web.app);
    await signUpVia(client, web, 'ada@example.org');
  });
  afterAll(() => web.cleanup());

  it('POST /api/library/import answers each hostile file with reasons and lines, never a 5xx', async () => {
    const amp = await client.request('/api/library/import', {
      method: 'POST',
      body: files['amp.bib'],
      headers: { 'x-csrf-token': await client.csrf(), 'content-type': 'text/plain' },
    });
    expect(amp.status).toBe(200);
    const report = (await amp.json()) as {
      rejected: { location: string; reason: string }[];
      interests: number;
    };
    expect(report.rejected.map((x) => x.location)).toEqual(
      expect.arrayContaining([expect.stringMatching(/:15$/)]),
    );
    expect(report.rejected.find((x) => /:26$/.test(x.location))?.reason).toMatch(/title|characters/);
    expect(report.interests).toBe(1);
    // More entries than a reader keeps as interests, every one dirty.
    const many = Array.from({ length: 1050 }, (_, i) => ({
      id: `m${i}`,
      type: 'article-journal',
      title: title('many', i),
      author: [{ family: dirty('Hopper'), given: 'Grace' }],
      URL: pick(BAD_LINKS),
    }));
    for (const body of [
      JSON.stringify(many),
      files['hostile.bib'],
      files['laughs.xml'],
      files['hostile.txt'],
    ]) {
      const res = await client.request('/api/library/import', {
        method: 'POST',
        body: body as string,
        headers: { 'x-csrf-token': await client.csrf(), 'content-type': 'text/plain' },
      });
      expect(res.status, String(body).slice(0, 80)).toBeLessThan(500);
    }
    assertCleanStore(web.temp.path);
  });

  it('the /foryou import form takes the same files and answers with a page, never a 5xx', async () => {
    for (const name of ['amp.bib', 'hostile.csl.json', 'hostile.bib', 'laughs.xml']) {
      const res = await client.post('/foryou/import', { text: files[name] as string });
      expect(res.status, name).toBeLessThan(500);
      const page = await res.text();
      if (name === 'amp.bib') expect(page).toMatch(/upload:15/);
    }
    assertCleanStore(web.temp.path);
  });

  it('/submit refuses an entity answer from arXiv and stores a hostile Atom entry cleaned', async () => {
    answer = 'laughs';
    const bomb = await client.post('/submit', { id: '2611.00002' });
    expect(bomb.status).toBe(422);
    expect(await bomb.text()).toContain('declares a DOCTYPE or entities');
    answer = 'dirty';
    const ok = await client.post('/submit', { id: '2611.00003' });
    expect(ok.status, await ok.clone().text()).toBe(303);
    const id = decodeURIComponent((ok.headers.get('location') ?? '').replace(/^.*\/papers\//, ''));
    const p = await web.temp.store.papers.get(id);
    expect(p?.title).toBe('Atom evil title iso with bell');
    expect(p?.authors).toEqual(['Mallory Atom']);
    assertCleanStore(web.temp.path);
  });
});
