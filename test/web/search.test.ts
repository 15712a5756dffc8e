// The search page and feed over the real search service as serve wires it (lexical: no model trained): highlighting, filters, sorts.
import type { Hono } from 'hono';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import type { WebEnv } from '../../src/web/web-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

let env: ReaderEnv;
let app: Hono<WebEnv>;

beforeAll(async () => {
  env = await readerEnv();
  await env.addPapers([
    paper({
      arxivId: '2607.00001',
      title: 'Dense retrieval with <SEG> tokens',
      abstract: 'Retrieval of passages & [MASK] tokens.',
      announced: '2026-07-01',
      categories: ['cs.CL'],
    }),
    paper({
      arxivId: '2607.00002',
      title: 'Sparse retrieval revisited',
      abstract: 'We revisit retrieval with sparse vectors.',
      announced: '2026-07-02',
      categories: ['cs.IR'],
    }),
    paper({
      arxivId: '2607.00003',
      title: 'Diffusion for images',
      abstract: 'Nothing about the other topic.',
      announced: '2026-07-02',
      categories: ['cs.CV'],
    }),
  ]);
  app = createApp(env.services);
});
afterAll(async () => env.cleanup());

function ids(page: string): string[] {
  return [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('paper page with search', () => {
  it('lists similar papers', async () => {
    const page = await (await app.request('/papers/2607.00001')).text();
    expect(page).toContain('Similar papers');
    expect(page).toContain('href="/papers/2607.00002"');
  });
});

describe('search page', () => {
  it('finds papers and marks the matched terms, escaping the rest', async () => {
    const res = await app.request('/search?q=retrieval');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(ids(page).sort()).toEqual(['2607.00001', '2607.00002']);
    expect(page).toContain('Dense <mark>retrieval</mark> with &lt;SEG&gt; tokens');
    expect(page).toContain('&amp; [MASK]');
    expect(page).toContain('value="retrieval"');
    expect(page).toContain('href="/feeds/search.atom?q=retrieval"');
  });

  it('filters by category and dates, sorts by newest and by votes', async () => {
    expect(ids(await (await app.request('/search?q=retrieval&category=cs.IR')).text())).toEqual([
      '2607.00002',
    ]);
    expect(ids(await (await app.request('/search?q=retrieval&before=2026-07-02')).text())).toEqual([
      '2607.00001',
    ]);
    expect(ids(await (await app.request('/search?q=retrieval&sort=newest')).text())[0]).toBe('2607.00002');
    const web = new WebClient(app);
    await signUpVia(web, env, 'ada@example.org');
    const first = ids(await (await web.get('/search?q=retrieval')).text())[1] ?? '';
    await web.post('/vote', { paper: first });
    expect(ids(await (await web.get('/search?q=retrieval&sort=votes')).text())[0]).toBe(first);
  });

  it('answers bad parameters with 400 and shows tips for an empty query', async () => {
    for (const q of ['q=x&since=2026-02-30', 'q=x&sort=best', 'q=x&category=%3Cb%3E', 'q=x&page=99']) {
      expect((await app.request(`/search?${q}`)).status, q).toBe(400);
    }
    expect(await (await app.request('/search')).text()).toContain('Search tips');
  });

  it('serves a search Atom feed', async () => {
    const xml = await (await app.request('/feeds/search.atom?q=retrieval')).text();
    const doc = new XMLParser().parse(xml) as { feed: { title: string; entry: unknown[] } };
    expect(doc.feed.title).toBe('Paperboy search: retrieval');
    expect(doc.feed.entry).toHaveLength(2);
    expect((await app.request('/feeds/search.atom')).status).toBe(404);
  });
});
