// Votes and the library through pages, forms, the script's JSON calls, exports and the tag feed.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let ada: WebClient;
let bob: WebClient;

function order(page: string): string[] {
  return [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([
    paper({ arxivId: '2607.00001', title: 'Alpha paper', announced: '2026-07-01' }),
    paper({ arxivId: '2607.00002', title: 'Beta paper & more', announced: '2026-07-01' }),
    paper({ arxivId: '2607.00003', title: 'Gamma paper', announced: '2026-07-01' }),
  ]);
  ada = new WebClient(env.app);
  bob = new WebClient(env.app);
  await signUpVia(ada, env, 'ada@example.org');
  await signUpVia(bob, env, 'bob@example.org');
});
afterAll(async () => env.cleanup());

describe('votes', () => {
  it('reorders the day by upvotes, one vote per reader, toggled by the form', async () => {
    expect(order(await (await ada.get('/day/2026-07-01')).text())).toEqual([
      '2607.00001',
      '2607.00002',
      '2607.00003',
    ]);
    const voted = await ada.post('/vote', { paper: '2607.00003', next: '/day/2026-07-01' });
    expect(voted.status).toBe(303);
    expect(voted.headers.get('location')).toBe('/day/2026-07-01');
    const page = await (await ada.get('/day/2026-07-01')).text();
    expect(order(page)).toEqual(['2607.00003', '2607.00001', '2607.00002']);
    expect(page).toMatch(/aria-pressed="true"\s+aria-label="Upvote \(1 votes\)"/);
    await ada.post('/vote', { paper: '2607.00003', next: '/' });
    expect(order(await (await ada.get('/day/2026-07-01')).text())[0]).toBe('2607.00001');
  });

  it('votes through the JSON API with the CSRF header, idempotently', async () => {
    const put = await bob.json('PUT', '/api/papers/2607.00002/vote');
    expect(await put.json()).toEqual({ paperId: '2607.00002', voted: true, count: 1 });
    expect(await (await bob.json('PUT', '/api/papers/2607.00002/vote')).json()).toMatchObject({ count: 1 });
    expect(await (await ada.json('POST', '/api/papers/2607.00002/vote')).json()).toMatchObject({
      voted: true,
      count: 2,
    });
    expect((await bob.json('PUT', '/api/papers/2607.00002/vote', undefined, {})).status).toBe(403);
    expect((await bob.json('PUT', '/api/papers/9999.00000/vote')).status).toBe(404);
    expect((await new WebClient(env.app).json('PUT', '/api/papers/2607.00002/vote')).status).toBe(401);
    const api = (await (await env.app.request('/api/papers?period=day&date=2026-07-01')).json()) as {
      papers: { id: string; votes: number }[];
    };
    expect(api.papers[0]).toMatchObject({ id: '2607.00002', votes: 2 });
    await bob.json('DELETE', '/api/papers/2607.00002/vote');
    await ada.json('DELETE', '/api/papers/2607.00002/vote');
  });
});

describe('library', () => {
  it('saves with tags, filters, exports BibTeX and CSL-JSON, and removes', async () => {
    expect(
      (await ada.post('/save', { paper: '2607.00001', tags: 'to-read, NLP', next: '/papers/2607.00001' }))
        .status,
    ).toBe(303);
    await ada.post('/save', { paper: '2607.00002', tags: 'to-read' });
    const paperPage = await (await ada.get('/papers/2607.00001')).text();
    expect(paperPage).toContain('value="to-read, nlp"');
    const all = await (await ada.get('/library')).text();
    expect(order(all)).toEqual(['2607.00002', '2607.00001']);
    const tagged = await (await ada.get('/library?tag=nlp')).text();
    expect(order(tagged)).toEqual(['2607.00001']);
    const bib = await ada.get('/library/export.bib?tag=to-read');
    expect(bib.headers.get('content-disposition')).toContain('library.bib');
    const bibText = await bib.text();
    expect(bibText).toContain('title = {{Beta paper \\& more}}');
    expect(bibText.match(/^@misc\{/gm)).toHaveLength(2);
    const csl = (await (await ada.get('/library/export.json')).json()) as { id: string }[];
    expect(csl.map((c) => c.id).sort()).toEqual(['2607.00001', '2607.00002']);
    expect((await ada.post('/save', { paper: '2607.00003', tags: 'bad<tag>' })).status).toBe(400);
    expect((await ada.post('/save', { paper: '2607.99999', tags: '' })).status).toBe(404);
    await ada.post('/unsave', { paper: '2607.00002' });
    expect(order(await (await ada.get('/library')).text())).toEqual(['2607.00001']);
    expect(await (await bob.get('/library')).text()).toContain('Nothing saved yet');
  });

  it('serves a tag feed only with its signed key', async () => {
    const page = await (await ada.get('/library?tag=nlp')).text();
    const href = /href="(\/feeds\/library\/[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const feed = await env.app.request(href);
    expect(feed.headers.get('content-type')).toContain('application/atom+xml');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(await feed.text()) as {
      feed: { entry: { title: string } };
    };
    expect(parsed.feed.entry.title).toBe('Alpha paper');
    expect((await env.app.request(href.replace(/key=[^&]+/, 'key=forged'))).status).toBe(404);
    expect((await env.app.request(href.replace('/nlp.atom', '/to-read.atom'))).status).toBe(404);
  });

  it('rotates the tag-feed keys from the library page and the API; the old links stop working', async () => {
    const feedHref = async (): Promise<string> => {
      const page = await (await ada.get('/library?tag=nlp')).text();
      return /href="(\/feeds\/library\/[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';
    };
    const before = await feedHref();
    expect((await env.app.request(before)).status).toBe(200);
    const rotated = await ada.post('/library/feed-keys?tag=nlp');
    expect(rotated.status).toBe(303);
    expect(rotated.headers.get('location')).toBe('/library?notice=feeds-rotated&tag=nlp');
    expect(await (await ada.get(rotated.headers.get('location') ?? '')).text()).toContain('have new links');
    const after = await feedHref();
    expect(after).not.toBe(before);
    expect((await env.app.request(before)).status).toBe(404);
    expect((await env.app.request(after)).status).toBe(200);
    // The API does the same for a client holding a session or token; a form post needs its CSRF token.
    expect((await ada.post('/library/feed-keys', {}, '')).status).toBe(403);
    expect((await ada.json('POST', '/api/library/feed-keys/rotate')).status).toBe(204);
    expect((await env.app.request(after)).status).toBe(404);
    expect((await env.app.request(await feedHref())).status).toBe(200);
    const stranger = { method: 'POST', headers: { authorization: 'Bearer not-a-token' } };
    expect((await env.app.request('/api/library/feed-keys/rotate', stranger)).status).toBe(401);
  });
});
