// The For-you page, its forms (no JS) and its JSON API: follow, not interested, saved searches, seen, import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let ada: WebClient;

function order(page: string): string[] {
  return [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([
    paper({
      arxivId: '2607.00001',
      title: 'Grasping with soft grippers',
      abstract: 'Robot grasping.',
      authors: ['Rae Robot'],
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00002',
      title: 'Parsing grammar with transformers',
      abstract: 'Syntax and parsing of sentences.',
      authors: ['Lin Guist'],
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00003',
      title: 'Sentence parsing at scale',
      abstract: 'Parsing grammar for many sentences.',
      authors: ['Pat Parser'],
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00004',
      title: 'Circuit lower bounds',
      abstract: 'Boolean circuit complexity.',
      authors: ['Grace Hopper'],
      categories: ['cs.CC'],
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2606.00009',
      title: 'Grammar parsing survey',
      abstract: 'Parsing and grammar, surveyed.',
      authors: ['Lin Guist'],
      announced: '2026-06-20',
    }),
  ]);
  ada = new WebClient(env.app);
  await signUpVia(ada, env, 'ada@example.org');
});
afterAll(async () => env.cleanup());

describe('/foryou page', () => {
  it('asks anonymous readers to sign in', async () => {
    const res = await new WebClient(env.app).get('/foryou');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fforyou');
  });

  it('ranks from a saved paper, and following an author puts their new paper first (forms, no JS)', async () => {
    await ada.post('/save', { paper: '2606.00009', next: '/' });
    let page = await (await ada.get('/foryou?days=7')).text();
    expect(page).toContain('<a href="/foryou">For you</a>');
    expect(order(page).slice(0, 2).sort()).toEqual(['2607.00002', '2607.00003']);
    expect(page).toContain('similar to &quot;Grammar parsing survey&quot;');
    const followed = await ada.post('/foryou/follow', {
      kind: 'author',
      name: 'Grace Hopper',
      next: '/foryou?days=7',
    });
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe('/foryou?days=7');
    page = await (await ada.get('/foryou?days=7')).text();
    expect(order(page)[0]).toBe('2607.00004');
    expect(page).toContain('by Grace Hopper');
    expect(page).toMatch(/Author <strong>Grace Hopper<\/strong>/);
  });

  it('hides a paper marked not interested, and re-shows the page with the reason on bad input', async () => {
    await ada.post('/foryou/not-interested', { kind: 'paper', ref: '2607.00001', next: '/foryou?days=7' });
    const page = await (await ada.get('/foryou?days=7')).text();
    expect(order(page)).not.toContain('2607.00001');
    const bad = await ada.post('/foryou/searches', { query: '-survey', next: '/foryou' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('only excludes');
    const forged = await ada.post('/foryou/follow', { kind: 'author', name: 'X' }, 'forged');
    expect(forged.status).toBe(403);
  });

  it('imports a pasted list of arXiv ids from the page', async () => {
    const res = await ada.post('/foryou/import', { text: '2607.00003\n2601.99999\n' });
    expect(res.status).toBe(200);
    expect((await res.text()).replace(/\s+/g, ' ')).toMatch(
      /Read 2 entries \(ids\): 1 saved to your library.* 1 not found/,
    );
  });
});

describe('/api/foryou and friends', () => {
  let token = '';
  beforeAll(async () => {
    const res = await ada.json('POST', '/api/tokens', { name: 'tests' });
    token = ((await res.json()) as { token: string }).token;
  });
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it('returns ranked items with reasons, paging and the window', async () => {
    const res = await env.app.request('/api/foryou?days=30&limit=2', { headers: bearer() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { paper: { id: string }; reason: string }[];
      total: number;
      from: string;
      limit: number;
    };
    expect(body.items[0]?.paper.id).toBe('2607.00004');
    expect(body.items[0]?.reason).toBe('by Grace Hopper');
    expect(body).toMatchObject({ limit: 2, from: '2026-06-03' });
    expect(body.total).toBe(2); // 2607.00001 is hidden, 2606.00009 and 2607.00003 are saved
    expect((await env.app.request('/api/foryou')).status).toBe(401);
    const bad = await env.app.request('/api/foryou?days=0', { headers: bearer() });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_INPUT');
  });

  it('follows and unfollows, marks not interested, keeps saved searches, records seen papers', async () => {
    const h = { ...bearer(), 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, method = 'POST'): Promise<Response> =>
      env.app.request(path, { method, headers: h, body: JSON.stringify(body) });
    expect((await post('/api/follows', { kind: 'category', name: 'cs.CC' })).status).toBe(201);
    expect((await post('/api/follows', { kind: 'planet', name: 'x' })).status).toBe(400);
    const follows = (await (await env.app.request('/api/follows', { headers: bearer() })).json()) as {
      follows: { key: string }[];
    };
    expect(follows.follows.map((f) => f.key).sort()).toEqual(['cs.CC', 'grace hopper']);
    expect((await post('/api/follows', { kind: 'category', name: 'cs.CC' }, 'DELETE')).status).toBe(204);
    expect((await post('/api/follows', { kind: 'category', name: 'cs.CC' }, 'DELETE')).status).toBe(404);
    expect((await post('/api/not-interested', { kind: 'author', ref: 'Pat Parser' })).status).toBe(201);
    const feed = (await (await env.app.request('/api/foryou?days=30', { headers: bearer() })).json()) as {
      items: { paper: { id: string } }[];
    };
    expect(feed.items.map((i) => i.paper.id)).not.toContain('2607.00003');
    const created = await post('/api/saved-searches', { query: 'circuit -survey' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const empty = await post('/api/saved-searches', { query: '' });
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/needs words/);
    expect(
      (await env.app.request(`/api/saved-searches/${id}`, { method: 'DELETE', headers: bearer() })).status,
    ).toBe(204);
    expect(await (await post('/api/seen', { ids: ['2607.00002', '2607.00002'] })).json()).toEqual({
      added: 1,
    });
  });

  it('imports BibTeX and CSL-JSON bodies, and says clearly when CSL-JSON is not an array', async () => {
    const bib = readFileSync(join(import.meta.dirname, '../fixtures/foryou/library.bib'), 'utf8');
    const res = await env.app.request('/api/library/import?tag=imported', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/x-bibtex' },
      body: bib,
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { format: string; interests: number; rejected: { location: string }[] };
    expect(r).toMatchObject({ format: 'bibtex', interests: 3 });
    expect(r.rejected.map((x) => x.location)).toEqual(['upload:20']);
    const notArray = await env.app.request('/api/library/import', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: '{"title":"x"}',
    });
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { error: { message: string } }).error.message).toMatch(
      /not a JSON array/,
    );
    const big = Array.from({ length: 10_000 }, (_, i) => `2501.${String(i).padStart(5, '0')}`).join('\n');
    const many = await env.app.request('/api/library/import', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      body: big,
    });
    expect(many.status).toBe(200);
    expect(await many.json()).toMatchObject({ format: 'ids', entries: 10_000 });
    const csrfLess = await ada.request('/api/library/import', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '2607.00001',
    });
    expect(csrfLess.status).toBe(403);
  }, 30_000);

  it('keeps an amplifying BibTeX import small: macros capped, oversized titles rejected, interests bounded', async () => {
    const doubled = ['@string{a = "xxxxxxxx"}', ...Array.from({ length: 24 }, () => '@string{a = a # a}')];
    const bib = `${doubled.join('\n')}\n@misc{k, title = a}\n@misc{fine, title = {Amplification is refused}}\n`;
    expect(bib.length).toBeLessThan(600);
    const res = await env.app.request('/api/library/import', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/x-bibtex' },
      body: bib,
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { interests: number; rejected: { location: string; reason: string }[] };
    expect(r.interests).toBe(1);
    expect(r.rejected.at(-1)).toEqual({
      location: 'upload:26',
      reason: 'title is 65536 characters; the limit is 2000',
    });
    const user = await env.temp.store.users.byEmail('ada@example.org');
    const texts = await env.temp.store.forYou.interestTexts(user?.user.id ?? 0, 1000);
    expect(Math.max(...texts.map((t) => t.title.length + t.abstract.length))).toBeLessThan(2000);
  });

  it('lets timers and other requests run while a 10,000-entry BibTeX import is parsed and saved', async () => {
    const bib = Array.from(
      { length: 10_000 },
      (_, i) =>
        `@misc{k${i},\n  title = {Unmatched paper number ${i}},\n  author = {Doe, Jane},\n  year = 2024\n}`,
    ).join('\n');
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    try {
      const res = await env.app.request('/api/library/import', {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/x-bibtex' },
        body: bib,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ entries: 10_000, interests: 1000 });
    } finally {
      clearInterval(timer);
    }
    // Parsing alone takes a few hundred milliseconds; a 5 ms timer must have fired throughout.
    expect(ticks).toBeGreaterThan(5);
  }, 30_000);

  it('refuses more than 20,000 entries with 400 and a body over 4 MiB with 413, each saying what to do', async () => {
    const post = (body: string) =>
      env.app.request('/api/library/import', {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'text/plain' },
        body,
      });
    const ids = Array.from({ length: 20_001 }, (_, i) => `2501.${String(i % 100_000).padStart(5, '0')}`);
    const many = await post(ids.join('\n'));
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: { message: string } }).error.message).toBe(
      'upload has more than 20,000 entries; import it in parts, or add papers to the store with `paperboy ingest`.',
    );
    const huge = await post('2501.00001\n'.repeat(400_000));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(
      /^A library import is limited to 4 MiB; split the file into parts/,
    );
  }, 30_000);
});
