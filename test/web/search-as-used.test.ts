// The search page, the search API and /api/suggest as people use them: pasted texts, corrections, suggestions,
// an arXiv id with its similar papers, and Category/From fields that follow cat:/since: in the query.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import type { WebEnv } from '../../src/web/web-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';

let env: ReaderEnv;
let app: Hono<WebEnv>;

beforeAll(async () => {
  env = await readerEnv();
  await env.addPapers([
    paper({
      arxivId: '2607.00001',
      title: 'Dense retrieval with learned tokenization',
      abstract: 'Retrieval of passages with a tokenization learned end to end.',
      announced: '2026-07-01',
      categories: ['cs.CL'],
      authors: ['Grace Hopper', 'Alan Turing'],
    }),
    paper({
      arxivId: '2607.00002',
      title: 'Sparse retrieval revisited',
      abstract: 'We revisit retrieval with sparse vectors and tokenization choices.',
      announced: '2026-07-02',
      categories: ['cs.IR'],
      authors: ['Grace Hopper'],
    }),
    paper({
      arxivId: '2607.00003',
      title: 'Diffusion for images',
      abstract: 'Nothing about the other topic.',
      announced: '2026-07-03',
      categories: ['cs.CV'],
      authors: ['Ada Lovelace'],
    }),
  ]);
  app = createApp(env.services);
});
afterAll(async () => env.cleanup());

const ids = (page: string): string[] =>
  [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1] ?? '');
const text = async (path: string): Promise<string> => (await app.request(path)).text();

describe('long queries on the page and the API', () => {
  const pasted = 'We study dense retrieval of passages and learned tokenization for search. '.repeat(260);

  it('accepts 20,000 characters and says "papers like this text"', async () => {
    const q = pasted.slice(0, 20_000);
    const res = await app.request(`/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Papers like this text');
    expect(ids(page)[0]).toBe('2607.00001');
    const api = await app.request(`/api/search?q=${encodeURIComponent(q)}`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { long: boolean }).long).toBe(true);
  });

  it('answers a 1 MB query with a clear 413', async () => {
    const q = encodeURIComponent('x'.repeat(1_000_000));
    for (const path of [`/search?q=${q}`, `/api/search?q=${q}`]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(413);
      expect(await res.text()).toMatch(/limit is 20000/);
    }
  });
});

describe('spelling on the page', () => {
  it('shows results for the correction and a link to search instead for the original', async () => {
    const page = await text('/search?q=tokenizaton');
    expect(page).toContain('Showing results for');
    expect(page).toContain('<strong>tokenization</strong>');
    expect(page).toContain('href="/search?q=tokenizaton&amp;correct=off"');
    expect(ids(page).sort()).toEqual(['2607.00001', '2607.00002']);
    const original = await text('/search?q=tokenizaton&correct=off');
    expect(original).not.toContain('Showing results for');
    expect(ids(original)).toEqual([]);
  });
});

describe('an arXiv id on the page', () => {
  it('shows the paper, then its similar papers under their own heading', async () => {
    const page = await text('/search?q=2607.00001');
    expect(ids(page)[0]).toBe('2607.00001');
    expect(page).toContain('Papers similar to 2607.00001');
    expect(page.indexOf('Papers similar to')).toBeGreaterThan(page.indexOf('id="paper-2607.00001"'));
    expect(ids(page)).not.toContain('2607.00003');
  });
});

describe('Category and From fields follow the query', () => {
  it('shows cat: and since: typed in the query in the fields, and keeps them out of the hidden query', async () => {
    const page = await text('/search?q=retrieval+cat%3Acs.IR+since%3A2026-07');
    expect(ids(page)).toEqual(['2607.00002']);
    expect(page).toMatch(/<option value="cs\.IR"\s+selected>/);
    expect(page).toContain('name="since" value="2026-07-01"');
    expect(page).toContain('<input type="hidden" name="q" value="retrieval" />');
  });

  it('puts the fields chosen in the form into the query text, replacing what it said', async () => {
    const page = await text('/search?q=retrieval+cat%3Acs.IR&category=cs.CL&since=&before=');
    expect(ids(page)).toEqual(['2607.00001']);
    expect(page).toContain('value="retrieval cat:cs.CL"');
    expect(page).toMatch(/<option value="cs\.CL"\s+selected>/);
    const all = await text('/search?q=retrieval&category=&since=&before=');
    expect(ids(all).sort()).toEqual(['2607.00001', '2607.00002']);
  });
});

describe('GET /api/suggest', () => {
  const suggest = async (q: string) =>
    (
      (await (await app.request(`/api/suggest?q=${encodeURIComponent(q)}`)).json()) as {
        suggestions: { kind: string; label: string; value: string }[];
      }
    ).suggestions;

  it('returns matching titles, authors and categories for a half-typed query', async () => {
    expect((await suggest('sparse retr')).filter((s) => s.kind === 'title')).toEqual([
      { kind: 'title', label: 'Sparse retrieval revisited', value: '2607.00002' },
    ]);
    expect((await suggest('hopp')).find((s) => s.kind === 'author')).toEqual({
      kind: 'author',
      label: 'Grace Hopper',
      value: 'author:"Grace Hopper"',
    });
    expect((await suggest('computation and lang')).find((s) => s.kind === 'category')?.value).toBe(
      'cat:cs.CL',
    );
  });

  it('answers an empty or one-letter query with nothing', async () => {
    expect(await suggest('')).toEqual([]);
    expect(await suggest('   ')).toEqual([]);
    expect(await suggest('r')).toEqual([]);
  });
});
