// Pages and API from the first hour of a new reader (#17): chips, author page, counts, digest boxes, API page,
// /api/search limit, /api/trending, anonymous API writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let ada: WebClient;

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([
    paper({
      arxivId: '2607.00001',
      title: 'Coded categories beside arXiv ones',
      authors: ['Ada Lovelace', 'Charles Babbage'],
      categories: ['cs.CL', '68T50', 'I.2.7'],
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00002',
      title: 'Engines of analysis',
      authors: ['Ada Lovelace', 'Charles Babbage', 'Mary Somerville'],
      categories: ['cs.LG'],
      announced: '2026-07-01',
    }),
    // More widget papers than the search's candidate depth.
    ...Array.from({ length: 130 }, (_, i) =>
      paper({
        arxivId: `2606.${String(i + 100).padStart(5, '0')}`,
        title: `Widget study number ${i}`,
        abstract: 'Widgets in depth.',
        authors: ['Wendy Widget'],
        announced: '2026-06-20',
      }),
    ),
  ]);
  ada = new WebClient(env.app);
  await signUpVia(ada, env, 'ada@example.org');
});
afterAll(async () => env.cleanup());

describe('category chips', () => {
  it('show arXiv categories on cards and MSC/ACM codes apart on the paper page', async () => {
    const day = await (await env.app.request('/day/2026-07-01')).text();
    expect(day).toContain('href="/categories/cs.CL"');
    expect(day).not.toContain('>68T50<');
    expect(day).not.toContain('I.2.7');
    const page = await (await env.app.request('/papers/2607.00001')).text();
    expect(page).toContain('Classification (MSC/ACM): 68T50, I.2.7');
    expect(page).not.toContain('href="/categories/68T50"');
  });
});

describe('author page', () => {
  it('says how many papers, with whom and in which categories', async () => {
    const page = await (await env.app.request('/authors/Ada%20Lovelace')).text();
    expect(page).toContain('2 papers by Ada Lovelace in this collection, newest first.');
    expect(page).not.toContain('in this library.');
    expect(page).toMatch(/Co-authors:\s*<a href="\/authors\/Charles%20Babbage">Charles Babbage<\/a> \(2\)/);
    expect(page).toContain('Mary Somerville');
    expect(page).toMatch(/Categories:\s*<a class="cat" href="\/categories\/cs\.(CL|LG)">/);
    expect(page).toContain('href="/categories/cs.LG">cs.LG</a>');
  });
});

describe('search counts', () => {
  it('say "100+" when the candidate depth cut the matches short, the exact count otherwise', async () => {
    const many = await (await env.app.request('/search?q=widget&mode=lexical')).text();
    expect(many).toContain('100+ results for “widget”');
    const few = await (await env.app.request('/search?q=engines&mode=lexical')).text();
    expect(few).toContain('1 result for “engines”');
  });
});

describe('digest boxes', () => {
  it('subscribe straight from the footer box, without a form token, with the usual confirmation', async () => {
    const home = await (await env.app.request('/day/2026-07-01')).text();
    expect(home).toMatch(/<form class="digest-box" method="post" action="\/digest\/subscribe">/);
    const anon = new WebClient(env.app);
    const res = await anon.request('/digest/subscribe', {
      method: 'POST',
      body: new URLSearchParams({ email: 'footer@example.org' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    await env.mailed();
    expect(env.lastLink('footer@example.org')).toMatch(/\/digest\/confirm\//);
  });

  it('still needs the token from a signed-in reader', async () => {
    const res = await ada.post('/digest/subscribe', { email: 'ada@example.org' }, '');
    expect(res.status).toBe(403);
  });

  it('tells a signed-in reader about Settings, not to sign in, and shows no second box', async () => {
    const page = await (await ada.get('/digest')).text();
    expect(page).not.toContain('(or <a href="/signup">sign up</a>)');
    expect(page).toContain('<a href="/settings">Settings</a>');
    expect(page.match(/action="\/digest\/subscribe"/g)).toHaveLength(1);
    expect(page).not.toContain('class="digest-box"');
  });

  it('labels personal sections "(needs an account)" only for a subscription without one', async () => {
    const me = (await (await ada.json('GET', '/api/me')).json()) as { id: number };
    const subs = env.services.digest.subscriptions;
    await subs.subscribe('ada@example.org', '127.0.0.1', me.id);
    await env.mailed();
    const token = env.lastLink('ada@example.org').split('/').at(-1) ?? '';
    const own = await subs.confirm(token);
    const ownPage = await (await env.app.request(new URL(subs.links(own).manageUrl).pathname)).text();
    expect(ownPage).toContain('For you</label');
    expect(ownPage).not.toContain('(needs an account)');
    await env.mailed();
    const anonToken = env.lastLink('footer@example.org').split('/').at(-1) ?? '';
    const anon = await subs.confirm(anonToken);
    const anonPage = await (await env.app.request(new URL(subs.links(anon).manageUrl).pathname)).text();
    expect(anonPage).toContain('For you (needs an account)');
  });
});

describe('API', () => {
  it('has a readable page for the OpenAPI document, linked from every page', async () => {
    const res = await env.app.request('/api/docs');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<code>GET /api/search</code>');
    expect(page).toContain('<code>GET /api/trending</code>');
    expect(page).toMatch(/<code>limit<\/code><\/td>\s*<td>query<\/td>\s*<td>integer 1–100, default 20<\/td>/);
    expect(page).not.toMatch(/<script>|style="/);
    expect(page).toContain('<a href="/api/docs">API</a>');
  });

  it('/api/search honours limit 1–100 and rejects out-of-range values clearly', async () => {
    const five = (await (await env.app.request('/api/search?q=widget&mode=lexical&limit=5')).json()) as {
      papers: unknown[];
      limit: number;
      more: boolean;
    };
    expect(five.papers).toHaveLength(5);
    expect(five.limit).toBe(5);
    expect(five.more).toBe(true);
    for (const bad of ['0', '101', 'ten']) {
      const res = await env.app.request(`/api/search?q=widget&limit=${bad}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toBe('limit must be a whole number from 1 to 100.');
    }
    expect((await env.app.request('/api/search?q=widget&limit=5&k=6')).status).toBe(400);
  });

  it('/api/trending lists papers by trending', async () => {
    const res = await env.app.request('/api/trending?period=day&date=2026-07-01');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sort: string; papers: { id: string }[] };
    expect(body.sort).toBe('trending');
    expect(body.papers.map((p) => p.id).sort()).toEqual(['2607.00001', '2607.00002']);
  });

  it('answers an anonymous write with 401 and how to authenticate, not a form error', async () => {
    const res = await env.app.request('/api/papers/2607.00001/vote', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.message).toContain('Authorization: Bearer');
    expect(body.error.message).not.toContain('out of date');
  });
});
