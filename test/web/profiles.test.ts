// Profiles: handles at sign-up and in settings (unique ignoring case, URL-safe, reserved words refused),
// /u/<handle> with public collections, submissions ("submitted by") and opt-in upvotes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomRecordings, replayFetch } from '../helpers/arxiv-replay.ts';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

describe('handles', () => {
  let env: Env;
  let ada: WebClient;
  beforeAll(async () => {
    env = await webEnv();
    ada = new WebClient(env.app);
  });
  afterAll(async () => env.cleanup());

  it('takes a handle at sign-up, and refuses bad, reserved or taken ones with the reason', async () => {
    const res = await ada.post('/signup', {
      email: 'ada@example.org',
      password: 'correct horse battery',
      name: 'Ada',
      handle: 'Ada_L',
    });
    expect(res.status).toBe(200);
    await env.mailed();
    await ada.post(new URL(env.lastLink('ada@example.org')).pathname);
    expect(await (await ada.json('GET', '/api/me/profile')).json()).toEqual({
      handle: 'Ada_L',
      showUpvotes: false,
    });
    const bob = new WebClient(env.app);
    for (const [handle, status, message] of [
      ['ada_l', 409, 'The handle &quot;ada_l&quot; is taken'],
      ['a', 400, 'A handle is 2 to 30'],
      ['has space', 400, 'A handle is 2 to 30'],
      ['<script>', 400, 'A handle is 2 to 30'],
      ['Admin', 400, 'is reserved'],
      ['x'.repeat(31), 400, 'A handle is 2 to 30'],
      ['ünïcode', 400, 'A handle is 2 to 30'],
    ] as const) {
      const r = await bob.post('/signup', {
        email: 'bob@example.org',
        password: 'correct horse battery',
        name: '',
        handle,
      });
      expect(r.status, handle).toBe(status);
      expect(await r.text()).toContain(message);
    }
    await env.mailed();
    expect(env.mails.filter((m) => m.to === 'bob@example.org')).toEqual([]);
  });

  it('lets existing accounts choose a handle in settings, unique ignoring case', async () => {
    const bob = new WebClient(env.app);
    await signUpVia(bob, env, 'bob@example.org');
    expect(await (await bob.json('GET', '/api/me/profile')).json()).toEqual({
      handle: null,
      showUpvotes: false,
    });
    expect(await (await bob.get('/settings/profile')).text()).toContain('You have no handle yet');
    const taken = await bob.post('/settings/profile', { handle: 'ADA_L' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('is taken');
    // Showing upvotes needs a handle first.
    const early = await bob.json('PUT', '/api/me/profile', { showUpvotes: true });
    expect(early.status).toBe(400);
    const ok = await bob.post('/settings/profile', { handle: '@bob-b' });
    expect(ok.status).toBe(303);
    expect(await (await bob.json('GET', '/api/me/profile')).json()).toEqual({
      handle: 'bob-b',
      showUpvotes: false,
    });
    expect((await bob.json('PUT', '/api/me/profile', { handle: 'Ada_L' })).status).toBe(409);
    expect((await bob.json('PUT', '/api/me/profile', { handle: 7 })).status).toBe(400);
    // The same reader may change the case of their own handle.
    expect(await (await bob.json('PUT', '/api/me/profile', { handle: 'Bob-B' })).json()).toMatchObject({
      handle: 'Bob-B',
    });
    // Other spellings of the handle lead to the one address.
    const other = await env.app.request('/u/bob-b');
    expect(other.status).toBe(301);
    expect(other.headers.get('location')).toBe('/u/Bob-B');
    expect((await env.app.request('/u/nobody-here')).status).toBe(404);
    expect((await env.app.request('/u/%3Cscript%3E')).status).toBe(404);
  });
});

describe('profile page', () => {
  let env: Env;
  let ada: WebClient;
  let bob: WebClient;
  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers([
      paper({ arxivId: '2607.00001', title: 'Alpha paper', announced: '2026-07-01' }),
      paper({ arxivId: '2607.00002', title: 'Beta paper', announced: '2026-07-01' }),
    ]);
    ada = new WebClient(env.app);
    bob = new WebClient(env.app);
    await signUpVia(ada, env, 'ada@example.org');
    await signUpVia(bob, env, 'bob@example.org');
    await ada.json('PUT', '/api/me/profile', { handle: 'ada' });
  });
  afterAll(async () => env.cleanup());

  it('shows public collections only, and upvotes only when the reader opts in', async () => {
    const pub = await ada.json('POST', '/api/collections', { title: 'Open shelf', public: true });
    expect(pub.status).toBe(201);
    await ada.json('POST', '/api/collections', { title: 'Hidden shelf', public: false });
    await ada.json('PUT', '/api/papers/2607.00002/vote');
    const page = await (await bob.get('/u/ada')).text();
    expect(page).toContain('Open shelf');
    expect(page).not.toContain('Hidden shelf');
    expect(page).not.toContain('Upvoted papers');
    expect(page).toContain('None yet.');
    // Comments the reader posted are listed, rendered as Markdown and linked to their place.
    const posted = await ada.json('POST', '/api/papers/2607.00002/comments', {
      body: 'A *careful* ablation',
    });
    expect(posted.status).toBe(201);
    const withComment = await (await bob.get('/u/ada')).text();
    expect(withComment).toContain('<em>careful</em> ablation');
    expect(withComment).toMatch(/href="\/papers\/2607\.00002#c-\d+"/);
    // Under the paper, the comment names its author with a link to the profile, in the API by handle.
    expect(await (await bob.get('/papers/2607.00002')).text()).toMatch(/<a href="\/u\/ada">[^<]+<\/a>/);
    const thread = (await (await env.app.request('/api/papers/2607.00002/comments')).json()) as {
      comments: { author: { handle: string | null } }[];
    };
    expect(thread.comments.map((c) => c.author.handle)).toEqual(['ada']);
    const api = (await (await env.app.request('/api/users/ada')).json()) as {
      upvoted: unknown;
      collections: { title: string }[];
    };
    expect(api.upvoted).toBeNull();
    expect(api.collections.map((c) => c.title)).toEqual(['Open shelf']);
    await ada.post('/settings/profile', { handle: 'ada', show_upvotes: 'on' });
    const shown = await (await bob.get('/u/ada')).text();
    expect(shown).toContain('Upvoted papers');
    expect(shown).toContain('Beta paper');
    const json = (await (await env.app.request('/api/users/ada')).json()) as {
      upvoted: { papers: { id: string }[] };
    };
    expect(json.upvoted.papers.map((p) => p.id)).toEqual(['2607.00002']);
    // Saving the form without the box turns it off again.
    await ada.post('/settings/profile', { handle: 'ada' });
    expect(await (await bob.get('/u/ada')).text()).not.toContain('Upvoted papers');
  });
});

describe('submitted by', () => {
  let env: Env;
  beforeAll(async () => {
    env = await webEnv({}, { fetch: replayFetch(loadAtomRecordings()), sleep: async () => undefined });
  });
  afterAll(async () => env.cleanup());

  it('credits the first submitter with a handle on the paper page, in paper JSON and on their profile', async () => {
    const ada = new WebClient(env.app);
    const bob = new WebClient(env.app);
    await signUpVia(ada, env, 'ada@example.org');
    await signUpVia(bob, env, 'bob@example.org');
    await ada.json('PUT', '/api/me/profile', { handle: 'ada' });
    expect((await ada.post('/submit', { id: 'https://arxiv.org/abs/1605.08386' })).status).toBe(303);
    expect((await bob.post('/submit', { id: '1605.08386' })).status).toBe(303);
    const page = await (await env.app.request('/papers/1605.08386')).text();
    expect(page).toMatch(/Submitted by <a href="\/u\/ada">@ada<\/a>/);
    const json = (await (await env.app.request('/api/papers/1605.08386')).json()) as { submittedBy: unknown };
    expect(json.submittedBy).toEqual({ handle: 'ada', name: 'ada' });
    expect(await (await env.app.request('/u/ada')).text()).toContain(
      'Heat-bath random walks with Markov bases',
    );
  });

  it('names nobody while the submitter has no handle', async () => {
    const cy = new WebClient(env.app);
    await signUpVia(cy, env, 'cy@example.org');
    expect((await cy.json('POST', '/api/submit', { id: '1707.08567' })).status).toBe(201);
    const json = (await (await env.app.request('/api/papers/1707.08567')).json()) as { submittedBy: unknown };
    expect(json.submittedBy).toBeNull();
    expect(await (await env.app.request('/papers/1707.08567')).text()).not.toContain('Submitted by');
  });
});
