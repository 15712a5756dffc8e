// Collections through the JSON API (bearer tokens and sessions) and the pages: every rule of the issue,
// including that another reader's private collection can never be seen or changed.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let ada: WebClient;
let bob: WebClient;
let adaToken: string;
let bobToken: string;

/** A bearer-token API call (no cookies, no CSRF header), as a script would make it. */
async function api(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return env.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { message: string } }).error.message;
}

async function make(token: string, body: object): Promise<string> {
  const res = await api(token, 'POST', '/api/collections', body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { slug: string }).slug;
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([
    paper({ arxivId: '2607.00001', title: 'Alpha paper', announced: '2026-07-01' }),
    paper({ arxivId: '2607.00002', title: 'Beta paper', announced: '2026-07-01' }),
    paper({ arxivId: '2607.00003', title: 'Gamma paper', announced: '2026-07-01' }),
  ]);
  ada = new WebClient(env.app);
  bob = new WebClient(env.app);
  await signUpVia(ada, env, 'ada@example.org');
  await signUpVia(bob, env, 'bob@example.org');
  const a = await env.temp.store.users.byEmail('ada@example.org');
  const b = await env.temp.store.users.byEmail('bob@example.org');
  adaToken = (await env.services.apiTokens.create(a?.user.id ?? 0, 'test')).token;
  bobToken = (await env.services.apiTokens.create(b?.user.id ?? 0, 'test')).token;
  await env.services.profiles.setHandle(a?.user.id ?? 0, 'ada');
});
afterAll(async () => env.cleanup());

describe('collections API', () => {
  it('creates a collection with a slug, adds papers with notes, and reads it back', async () => {
    const res = await api(adaToken, 'POST', '/api/collections', {
      title: 'Vision reading',
      description: 'Papers for Friday',
      public: true,
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { slug: string; title: string; public: boolean };
    expect(made.slug).toMatch(/^vision-reading-[a-z2-9]{6}$/);
    expect(made).toMatchObject({ title: 'Vision reading', public: true });
    const slug = made.slug;
    const put = await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00002`, { note: 'Read §3' });
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({ paperId: '2607.00002', added: true });
    // No body at all: added without a note; again with a note: 200 and the note changes.
    expect((await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`)).status).toBe(201);
    expect(
      (await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`, { note: 'Baseline' })).status,
    ).toBe(200);
    // An arXiv URL names the paper too.
    expect(
      (
        await api(
          adaToken,
          'PUT',
          `/api/collections/${slug}/papers/${encodeURIComponent('https://arxiv.org/abs/2607.00003v2')}`,
        )
      ).status,
    ).toBe(201);
    const got = await (await env.app.request(`/api/collections/${slug}`)).json();
    expect(got).toMatchObject({
      slug,
      title: 'Vision reading',
      description: 'Papers for Friday',
      public: true,
      owner: { handle: 'ada', name: 'ada' },
      papers: [
        { id: '2607.00002', title: 'Beta paper', note: 'Read §3', position: 0, votes: 0 },
        { id: '2607.00001', note: 'Baseline', position: 1 },
        { id: '2607.00003', note: '', position: 2 },
      ],
    });
  });

  it('answers 400 with what was wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /title must be text/i],
      [{ title: '   ' }, /Give the collection a title/],
      [{ title: 'x'.repeat(121) }, /121 characters; the limit is 120/],
      [{ title: 'ok', description: 'd'.repeat(2001) }, /description is 2001 characters/],
      [{ title: 'ok', public: 'maybe' }, /"public" must be true or false/],
    ];
    for (const [body, message] of cases) {
      const res = await api(adaToken, 'POST', '/api/collections', body);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(message);
    }
    // Control characters and bidi overrides are dropped, as in names and paper records.
    const stripped = await api(adaToken, 'POST', '/api/collections', { title: 'bad\u0007bell\u202e' });
    expect(await stripped.json()).toMatchObject({ title: 'badbell' });
    const notJson = await env.app.request('/api/collections', {
      method: 'POST',
      headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'text/plain' },
      body: 'title=x',
    });
    expect(notJson.status).toBe(400);
    const slug = await make(adaToken, { title: 'Notes', public: false });
    const long = await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`, {
      note: 'n'.repeat(1001),
    });
    expect(long.status).toBe(400);
    expect(await errorOf(long)).toMatch(/note is 1001 characters; the limit is 1000/);
    const typed = await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`, { note: 5 });
    expect(await errorOf(typed)).toMatch(/"note" must be a string/);
    const order = await api(adaToken, 'PUT', `/api/collections/${slug}/order`, { papers: 'abc' });
    expect(order.status).toBe(400);
    expect(await errorOf(order)).toMatch(/"papers" must be an array/);
  });

  it('answers 404 for an unknown paper or collection, 401 without a reader', async () => {
    const slug = await make(adaToken, { title: 'Four oh four', public: true });
    const paper404 = await api(adaToken, 'PUT', `/api/collections/${slug}/papers/9999.99999`, {});
    expect(paper404.status).toBe(404);
    expect(await errorOf(paper404)).toMatch(/No paper "9999.99999"/);
    expect((await api(adaToken, 'DELETE', `/api/collections/${slug}/papers/2607.00001`)).status).toBe(404);
    expect((await api(adaToken, 'PUT', '/api/collections/no-such-thing/papers/2607.00001', {})).status).toBe(
      404,
    );
    expect((await env.app.request('/api/collections/no-such-thing')).status).toBe(404);
    expect((await env.app.request('/api/collections/..%2F..%2Fetc')).status).toBe(404);
    const anon = await env.app.request('/api/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"x"}',
    });
    expect(anon.status).toBe(401);
  });

  it("never shows or changes another reader's private collection", async () => {
    const slug = await make(adaToken, { title: 'Secret list', description: 'mine', public: false });
    await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`, { note: 'private note' });
    expect((await api(adaToken, 'GET', `/api/collections/${slug}`)).status).toBe(200);
    expect((await ada.get(`/collections/${slug}`)).status).toBe(200);
    const tries: [string, string, unknown?][] = [
      ['GET', `/api/collections/${slug}`],
      ['PATCH', `/api/collections/${slug}`, { title: 'Mine now' }],
      ['DELETE', `/api/collections/${slug}`],
      ['PUT', `/api/collections/${slug}/papers/2607.00002`, { note: 'x' }],
      ['DELETE', `/api/collections/${slug}/papers/2607.00001`],
      ['PUT', `/api/collections/${slug}/order`, { papers: ['2607.00001'] }],
      ['PUT', `/api/collections/${slug}/vote`],
    ];
    for (const [method, path, body] of tries) {
      const res = await api(bobToken, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain('Secret list');
    }
    for (const path of ['', '/feed.atom', '/export.bib', '/export.json']) {
      expect((await bob.get(`/collections/${slug}${path}`)).status).toBe(404);
      expect((await env.app.request(`/collections/${slug}${path}`)).status).toBe(404);
    }
    for (const action of ['edit', 'delete', 'note', 'move', 'remove', 'vote']) {
      const res = await bob.post(`/collections/${slug}/${action}`, {
        paper: '2607.00001',
        title: 'x',
        note: 'x',
      });
      expect(res.status, action).toBe(404);
    }
    expect((await bob.post('/collections/add', { paper: '2607.00002', collection: slug })).status).toBe(404);
    const still = (await (await api(adaToken, 'GET', `/api/collections/${slug}`)).json()) as {
      title: string;
      papers: { id: string; note: string }[];
    };
    expect(still.title).toBe('Secret list');
    expect(still.papers.map((p) => [p.id, p.note])).toEqual([['2607.00001', 'private note']]);
    expect(await (await bob.get('/collections')).text()).not.toContain('Secret list');
    expect(await (await env.app.request('/papers/2607.00001')).text()).not.toContain('Secret list');
  });

  it("refuses changes to another reader's public collection with 403", async () => {
    const slug = await make(adaToken, { title: 'Open list', public: true });
    for (const [method, path, body] of [
      ['PATCH', `/api/collections/${slug}`, { title: 'x' }],
      ['DELETE', `/api/collections/${slug}`, undefined],
      ['PUT', `/api/collections/${slug}/papers/2607.00001`, {}],
    ] as const) {
      const res = await api(bobToken, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorOf(res)).toMatch(/Only its owner/);
    }
  });

  it('reorders with the whole list, changes and deletes', async () => {
    const slug = await make(adaToken, { title: 'Order', public: true });
    for (const id of ['2607.00001', '2607.00002', '2607.00003'])
      await api(adaToken, 'PUT', `/api/collections/${slug}/papers/${id}`, {});
    const bad = await api(adaToken, 'PUT', `/api/collections/${slug}/order`, { papers: ['2607.00003'] });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatch(/each of the collection's 3 papers exactly once/);
    const ok = await api(adaToken, 'PUT', `/api/collections/${slug}/order`, {
      papers: ['2607.00003', '2607.00001', '2607.00002'],
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { papers: { id: string }[] }).papers.map((p) => p.id)).toEqual([
      '2607.00003',
      '2607.00001',
      '2607.00002',
    ]);
    const mine = (await (await api(adaToken, 'GET', '/api/me/collections')).json()) as {
      collections: { slug: string; papers: number }[];
    };
    expect(mine.collections[0]).toMatchObject({ slug, papers: 3 });
    const theirs = await api(bobToken, 'GET', '/api/me/collections');
    expect(theirs.status).toBe(200);
    expect(JSON.stringify(await theirs.json())).not.toContain(slug);
    const patched = await api(adaToken, 'PATCH', `/api/collections/${slug}`, {
      public: false,
      title: 'Order 2',
    });
    expect(await patched.json()).toMatchObject({ slug, title: 'Order 2', public: false });
    expect((await api(adaToken, 'DELETE', `/api/collections/${slug}/papers/2607.00001`)).status).toBe(204);
    expect((await api(adaToken, 'DELETE', `/api/collections/${slug}`)).status).toBe(204);
    expect((await api(adaToken, 'GET', `/api/collections/${slug}`)).status).toBe(404);
  });

  it('takes one upvote per reader, not from the owner, and lists popular and recent', async () => {
    const slug = await make(adaToken, { title: 'Upvotable', public: true });
    await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00001`, {});
    expect(await (await api(bobToken, 'PUT', `/api/collections/${slug}/vote`)).json()).toEqual({
      voted: true,
      votes: 1,
    });
    expect(await (await api(bobToken, 'PUT', `/api/collections/${slug}/vote`)).json()).toEqual({
      voted: true,
      votes: 1,
    });
    const own = await api(adaToken, 'PUT', `/api/collections/${slug}/vote`);
    expect(own.status).toBe(400);
    expect(await errorOf(own)).toMatch(/your own collection/);
    // Through the session and its CSRF header too; without the header it is refused.
    expect((await bob.json('DELETE', `/api/collections/${slug}/vote`)).status).toBe(200);
    expect((await bob.json('PUT', `/api/collections/${slug}/vote`, undefined, {})).status).toBe(403);
    expect((await bob.json('PUT', `/api/collections/${slug}/vote`)).status).toBe(200);
    const popular = (await (await env.app.request('/api/collections?sort=popular')).json()) as {
      collections: { slug: string; votes: number; owner: { handle: string } }[];
    };
    expect(popular.collections[0]).toMatchObject({ slug, votes: 1, owner: { handle: 'ada' } });
    const page = await (await env.app.request('/collections')).text();
    expect(page).toContain('Upvotable');
    expect(await (await env.app.request('/collections?sort=recent')).text()).toContain('Upvotable');
    expect((await env.app.request('/collections?sort=sideways')).status).toBe(400);
  });

  it('shares a public collection: page, Atom feed, BibTeX and CSL-JSON, and the paper page lists it', async () => {
    const slug = await make(adaToken, { title: 'Shared <list>', public: true });
    await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00002`, { note: 'why' });
    const page = await (await env.app.request(`/collections/${slug}`)).text();
    expect(page).toContain('Shared &lt;list&gt;');
    expect(page).toContain(
      `http://127.0.0.1:8080/collections/${slug}`.replace('http://127.0.0.1:8080', env.services.baseUrl),
    );
    const feed = await env.app.request(`/collections/${slug}/feed.atom`);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const parsed = new XMLParser().parse(await feed.text()) as {
      feed: { title: string; entry: { title: string } };
    };
    expect(parsed.feed.title).toBe('Paperboy collection: Shared <list>');
    expect(parsed.feed.entry.title).toBe('Beta paper');
    const bib = await (await env.app.request(`/collections/${slug}/export.bib`)).text();
    expect(bib).toMatch(/^@misc\{\w+,\n {2}title = \{\{Beta paper\}\},/);
    const csl = (await (await env.app.request(`/collections/${slug}/export.json`)).json()) as {
      title: string;
    }[];
    expect(csl.map((x) => x.title)).toEqual(['Beta paper']);
    const paperPage = await (await env.app.request('/papers/2607.00002')).text();
    expect(paperPage).toContain(`href="/collections/${slug}"`);
  });
});

describe('hostile text', () => {
  it('escapes titles, descriptions and notes on every page and in the feed', async () => {
    const title = '<script>alert("t")</script><img src=x onerror=alert(1)>';
    const description = '"><script>alert("d")</script>';
    const note = '</textarea><script>alert("n")</script>';
    const slug = await make(adaToken, { title, description, public: true });
    await api(adaToken, 'PUT', `/api/collections/${slug}/papers/2607.00003`, { note });
    const raw = /<script>alert|<img src=x|"><script|<\/textarea><script/;
    for (const [who, path] of [
      [ada, `/collections/${slug}`],
      [bob, `/collections/${slug}`],
      [bob, '/collections?sort=recent'],
      [bob, '/papers/2607.00003'],
      [bob, '/u/ada'],
    ] as const) {
      const html = await (await who.get(path)).text();
      expect(html, path).not.toMatch(raw);
      expect(html, path).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    }
    const owner = await (await ada.get(`/collections/${slug}`)).text();
    expect(owner).toContain('&lt;/textarea&gt;&lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt;</textarea');
    const feed = await (await env.app.request(`/collections/${slug}/feed.atom`)).text();
    expect(feed).not.toMatch(raw);
    expect(feed).toContain('&lt;script&gt;');
  });
});

describe('OpenAPI', () => {
  it('describes the collection and profile routes', async () => {
    const doc = (await (await env.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/api/collections'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/collections/{slug}/papers/{paperId}'] ?? {})).toEqual([
      'put',
      'delete',
    ]);
    for (const path of [
      '/api/collections/{slug}',
      '/api/collections/{slug}/order',
      '/api/collections/{slug}/vote',
      '/api/me/profile',
      '/api/users/{handle}',
      '/api/me/collections',
    ])
      expect(doc.paths[path], path).toBeDefined();
    expect(doc.components.schemas.Collection).toBeDefined();
  });
});

describe('collection pages', () => {
  it('makes a collection, adds from the add page with a note, moves, edits the note and removes', async () => {
    const made = await ada.post('/collections', {
      title: 'Form list',
      description: 'via forms',
      public: 'on',
    });
    expect(made.status).toBe(303);
    const path = made.headers.get('location') ?? '';
    expect(path).toMatch(/^\/collections\/form-list-[a-z2-9]{6}$/);
    const slug = path.split('/')[2] ?? '';
    const addPage = await (await ada.get('/collections/add?paper=2607.00001')).text();
    expect(addPage).toContain(`value="${slug}"`);
    expect(
      (await ada.post('/collections/add', { paper: '2607.00001', collection: slug, note: 'first' })).status,
    ).toBe(303);
    await ada.post('/collections/add', { paper: '2607.00002', collection: slug, note: '' });
    expect((await ada.post(`${path}/move`, { paper: '2607.00002', to: 'up' })).status).toBe(303);
    await ada.post(`${path}/note`, { paper: '2607.00001', note: 'second thoughts' });
    const html = await (await ada.get(path)).text();
    expect(
      [...html.matchAll(/data-paper="(2607\.\d+)"/g)]
        .map((m) => m[1])
        .filter((x, i, a) => a.indexOf(x) === i),
    ).toEqual(['2607.00002', '2607.00001']);
    expect(html).toContain('second thoughts');
    expect(html).toContain('Edit collection');
    const tooLong = await ada.post(`${path}/note`, { paper: '2607.00001', note: 'n'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('the limit is 1000');
    await ada.post(`${path}/remove`, { paper: '2607.00002' });
    expect(await (await ada.get(path)).text()).not.toContain('data-paper="2607.00002"');
    // A form without the CSRF token is refused.
    expect((await ada.post(`${path}/remove`, { paper: '2607.00001' }, '')).status).toBe(403);
    // The new-collection form with a first paper and its note.
    const withPaper = await ada.post('/collections', { title: 'One paper', paper: '2607.00003', note: 'n1' });
    const one = (await (await ada.get(withPaper.headers.get('location') ?? '')).text()) as string;
    expect(one).toContain('n1');
    expect(one).toContain('Private');
    const unknown = await ada.post('/collections', { title: 'Never made', paper: '9999.99999' });
    expect(unknown.status).toBe(404);
    expect(await (await ada.get('/collections')).text()).not.toContain('Never made');
    const empty = await ada.post('/collections', { title: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Give the collection a title');
  });

  it('upvotes through the page form once per reader, and deletes from the edit form', async () => {
    const made = await ada.post('/collections', { title: 'Votable form', public: 'on' });
    const path = made.headers.get('location') ?? '';
    expect((await bob.post(`${path}/vote`, { on: '1' })).status).toBe(303);
    expect((await bob.post(`${path}/vote`, { on: '1' })).status).toBe(303);
    const page = await (await bob.get(path)).text();
    expect(page).toMatch(/aria-pressed="true"\s+aria-label="Upvote collection \(1 votes\)"/);
    expect(page).not.toContain('Edit collection');
    expect((await ada.post(`${path}/vote`, { on: '1' })).status).toBe(400);
    expect((await bob.post(`${path}/delete`)).status).toBe(403);
    const gone = await ada.post(`${path}/delete`);
    expect(gone.headers.get('location')).toBe('/collections');
    expect((await ada.get(path)).status).toBe(404);
  });

  it('puts "Add to collection" on cards and the paper page for signed-in readers only', async () => {
    const signedIn = await (await ada.get('/day/2026-07-01')).text();
    expect(signedIn).toContain('href="/collections/add?paper=2607.00001"');
    expect(await (await ada.get('/papers/2607.00001')).text()).toContain('/collections/add?paper=2607.00001');
    expect(await (await env.app.request('/day/2026-07-01')).text()).not.toContain('/collections/add');
    expect((await env.app.request('/collections/add?paper=2607.00001')).status).toBe(303);
    expect((await ada.get('/collections/add?paper=9999.0000')).status).toBe(404);
  });
});
