// The discussion through the API and pages: every posting rule, ownership, votes, moderation, notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
const web: Record<'ada' | 'bob' | 'cy', WebClient> = {} as never;
const token: Record<'ada' | 'bob' | 'cy', string> = {} as never;
const P1 = '2607.00001';
const P2 = '2607.00002';

interface CommentJson {
  id: number;
  parentId: number | null;
  author: { handle: string | null; name: string } | null;
  body: string;
  html: string;
  editedAt: string | null;
  votes: number;
  deleted: boolean;
  hidden?: boolean;
}

async function api(
  who: 'ada' | 'bob' | 'cy',
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token[who]}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return env.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function post(
  who: 'ada' | 'bob' | 'cy',
  body: string,
  parentId?: number,
  p = P1,
): Promise<CommentJson> {
  const res = await api(who, 'POST', `/api/papers/${p}/comments`, { body, parentId });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CommentJson;
}

async function thread(who: 'ada' | 'bob' | 'cy' | null, p = P1, order = 'oldest'): Promise<CommentJson[]> {
  const path = `/api/papers/${p}/comments?order=${order}`;
  const res = who === null ? await env.app.request(path) : await api(who, 'GET', path);
  return ((await res.json()) as { comments: CommentJson[] }).comments;
}

async function errorOf(res: Response): Promise<{ status: number; message: string }> {
  const j = (await res.json()) as { error: { message: string } };
  return { status: res.status, message: j.error.message };
}

beforeAll(async () => {
  env = await webEnv({ ADMIN_EMAILS: 'ada@example.org' });
  await env.addPapers([
    paper({ arxivId: P1, title: 'Alpha paper', announced: '2026-07-01' }),
    paper({ arxivId: P2, title: 'Beta paper', announced: '2026-07-01' }),
  ]);
  for (const who of ['ada', 'bob', 'cy'] as const) {
    web[who] = new WebClient(env.app);
    await signUpVia(web[who], env, `${who}@example.org`);
    const user = (await env.temp.store.users.byEmail(`${who}@example.org`))?.user;
    token[who] = (await env.services.apiTokens.create(user?.id ?? 0, 'test')).token;
  }
  // Past the new-account link rule for Ada and Bob: three comments each on the second paper.
  for (const who of ['ada', 'bob'] as const)
    for (let i = 0; i < 3; i++) await post(who, `warm-up ${i}`, undefined, P2);
  env.clock.advance(11 * 60_000);
});
afterAll(async () => env.cleanup());

describe('posting and reading', () => {
  it('posts, replies two levels deep, and lists the thread in order with authors and HTML', async () => {
    const top = await post('ada', 'Nice result with $x^2$ and *emphasis*.');
    expect(top).toMatchObject({
      parentId: null,
      author: { handle: null, name: 'ada' },
      votes: 0,
      deleted: false,
    });
    expect(top.html).toContain('class="katex"');
    expect(top.html).toContain('<em>emphasis</em>');
    const reply = await post('bob', 'I agree.', top.id);
    const deeper = await post('ada', 'Thanks!', reply.id);
    env.clock.advance(1000);
    const second = await post('bob', 'Another thought.');
    const oldest = await thread(null);
    expect(oldest.map((c) => c.id)).toEqual([top.id, reply.id, deeper.id, second.id]);
    expect(oldest.map((c) => c.parentId)).toEqual([null, top.id, reply.id, null]);
    const newest = await thread(null, P1, 'newest');
    expect(newest.map((c) => c.id)).toEqual([second.id, top.id, reply.id, deeper.id]);
    const json = (await (await env.app.request(`/api/papers/${P1}`)).json()) as { comments: number };
    expect(json.comments).toBe(4);
    const page = await (await web.cy.get(`/papers/${P1}`)).text();
    expect(page).toContain(`id="c-${deeper.id}"`);
    expect(page).toMatch(new RegExp(`class="comment depth-2" id="c-${deeper.id}"`));
    expect(page).toContain(`href="/papers/${P1}#c-${reply.id}"`);
    expect(page).toMatch(/Discussion <small>4 comments<\/small>/);
  });

  it('answers clear 400s for empty, too long, unknown parent and parent on another paper; 404 for no paper', async () => {
    const empty = await errorOf(await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: '   ' }));
    expect(empty).toEqual({ status: 400, message: expect.stringMatching(/empty/) as string });
    const long = await errorOf(
      await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: 'x'.repeat(10_001) }),
    );
    expect(long.status).toBe(400);
    expect(long.message).toMatch(/limited to 10,000 characters; this one has 10,001/);
    const ok = await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: 'y'.repeat(10_000) });
    expect(ok.status).toBe(201);
    const unknown = await errorOf(
      await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: 'hi', parentId: 999_999 }),
    );
    expect(unknown).toEqual({
      status: 400,
      message: expect.stringMatching(/no comment 999999 to reply to/) as string,
    });
    const elsewhere = (await thread(null, P2))[0];
    const other = await errorOf(
      await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: 'hi', parentId: elsewhere?.id }),
    );
    expect(other).toEqual({ status: 400, message: expect.stringMatching(/on another paper/) as string });
    const bad = await errorOf(
      await api('bob', 'POST', `/api/papers/${P1}/comments`, { body: 'hi', parentId: 'x' }),
    );
    expect(bad.status).toBe(400);
    const missing = await api('bob', 'POST', '/api/papers/2607.99999/comments', { body: 'hi' });
    expect(missing.status).toBe(404);
    expect((await env.app.request('/api/papers/2607.99999/comments')).status).toBe(404);
    const anon = await env.app.request(`/api/papers/${P1}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'hi' }),
    });
    expect(anon.status).toBe(401);
  });

  it('keeps raw HTML, script links and remote images out, and marks links nofollow ugc noopener', async () => {
    const c = await post(
      'bob',
      '<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://evil.example/i.png) https://ok.example/a',
    );
    expect(c.html).not.toContain('<script');
    expect(c.html).not.toContain('href="javascript:');
    expect(c.html).not.toContain('<img');
    expect(c.html).toContain('<a href="https://ok.example/a" rel="nofollow ugc noopener">');
    const preview = await api('bob', 'POST', '/api/comments/preview', {
      body: '$$\\href{javascript:alert(1)}{x}$$',
    });
    // KaTeX shows an untrusted \href as red source text, never as a link.
    const html = ((await preview.json()) as { html: string }).html;
    expect(html).not.toMatch(/<a\b|href=/);
    expect(html).toContain('color:#cc0000');
  });
});

describe('ownership', () => {
  it('lets only the author edit or delete; edits are marked; a deleted comment with replies stays as deleted', async () => {
    env.clock.advance(11 * 60_000);
    const mine = await post('ada', 'Original');
    const reply = await post('bob', 'A reply', mine.id);
    const lonely = await post('ada', 'Alone');
    expect((await api('bob', 'PATCH', `/api/comments/${mine.id}`, { body: 'hacked' })).status).toBe(403);
    expect((await api('bob', 'DELETE', `/api/comments/${mine.id}`)).status).toBe(403);
    // Admins moderate by hiding; they cannot rewrite or delete others' words either.
    expect((await api('ada', 'PATCH', `/api/comments/${reply.id}`, { body: 'hacked' })).status).toBe(403);
    expect((await api('ada', 'PATCH', `/api/comments/${mine.id}`, { body: '' })).status).toBe(400);
    const edited = (await (
      await api('ada', 'PATCH', `/api/comments/${mine.id}`, { body: 'Better' })
    ).json()) as CommentJson;
    expect(edited.body).toBe('Better');
    expect(edited.editedAt).not.toBeNull();
    expect((await api('ada', 'DELETE', `/api/comments/${mine.id}`)).status).toBe(200);
    expect((await api('ada', 'DELETE', `/api/comments/${lonely.id}`)).status).toBe(200);
    const list = await thread(null);
    const gone = list.find((c) => c.id === mine.id);
    expect(gone).toMatchObject({ deleted: true, body: '', author: null });
    expect(list.find((c) => c.id === reply.id)?.parentId).toBe(mine.id);
    expect(list.some((c) => c.id === lonely.id)).toBe(false);
    // Replying in a deleted comment's thread is fine.
    expect(
      (await api('cy', 'POST', `/api/papers/${P1}/comments`, { body: 'still here', parentId: reply.id }))
        .status,
    ).toBe(201);
    expect((await api('ada', 'PATCH', `/api/comments/${mine.id}`, { body: 'again' })).status).toBe(400);
  });

  it('counts one upvote per reader', async () => {
    const c = await post('cy', 'Vote me');
    for (let i = 0; i < 2; i++)
      expect((await (await api('bob', 'PUT', `/api/comments/${c.id}/vote`)).json()) as object).toMatchObject({
        votes: 1,
      });
    expect((await (await api('ada', 'PUT', `/api/comments/${c.id}/vote`)).json()) as object).toMatchObject({
      votes: 2,
    });
    expect((await (await api('ada', 'DELETE', `/api/comments/${c.id}/vote`)).json()) as object).toMatchObject(
      { votes: 1 },
    );
    // The page's form toggles the same vote.
    const res = await web.cy.post(`/comments/${c.id}/vote`, { on: '1' });
    expect(res.status).toBe(303);
    expect((await thread(null)).find((x) => x.id === c.id)?.votes).toBe(2);
  });
});

describe('abuse limits', () => {
  it('refuses links in a new account’s first comments, with the rule in the message', async () => {
    const res = await errorOf(
      await api('cy', 'POST', `/api/papers/${P2}/comments`, { body: 'see https://spam.example' }),
    );
    expect(res.status).toBe(400);
    expect(res.message).toMatch(/New accounts cannot post links until they have written 3 comments/);
    expect(
      (await api('bob', 'POST', `/api/papers/${P2}/comments`, { body: 'see https://fine.example' })).status,
    ).toBe(201);
  });

  it('limits posting to 10 comments per 10 minutes per reader', async () => {
    env.clock.advance(11 * 60_000);
    for (let i = 0; i < 10; i++) await post('bob', `burst ${i}`, undefined, P2);
    const refused = await api('bob', 'POST', `/api/papers/${P2}/comments`, { body: 'one more' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(
      (await api('cy', 'POST', `/api/papers/${P2}/comments`, { body: 'others still post' })).status,
    ).toBe(201);
    env.clock.advance(11 * 60_000);
    expect((await api('bob', 'POST', `/api/papers/${P2}/comments`, { body: 'later' })).status).toBe(201);
  });
});

describe('moderation', () => {
  it('queues reports for admins, who hide and restore; hidden comments are gone for all but admins and the author', async () => {
    env.clock.advance(11 * 60_000);
    const c = await post('bob', 'Buy cheap pills');
    expect((await api('bob', 'POST', `/api/comments/${c.id}/report`, { reason: 'mine' })).status).toBe(400);
    expect((await api('cy', 'POST', `/api/comments/${c.id}/report`, { reason: 'spam' })).status).toBe(202);
    expect((await web.cy.get('/admin/reports')).status).toBe(403);
    const queue = await (await web.ada.get('/admin/reports')).text();
    expect(queue).toContain('Buy cheap pills');
    expect(queue).toContain('spam');
    expect((await web.cy.post(`/admin/comments/${c.id}/hide`, { next: '/' })).status).toBe(403);
    expect((await web.ada.post(`/admin/comments/${c.id}/hide`, { next: '/admin/reports' })).status).toBe(303);
    expect(await web.ada.get('/admin/reports').then((r) => r.text())).not.toContain('Buy cheap pills');
    expect((await thread(null)).some((x) => x.id === c.id)).toBe(false);
    expect((await thread('cy')).some((x) => x.id === c.id)).toBe(false);
    expect((await thread('bob')).find((x) => x.id === c.id)).toMatchObject({
      hidden: true,
      body: 'Buy cheap pills',
    });
    expect((await thread('ada')).find((x) => x.id === c.id)?.hidden).toBe(true);
    expect((await api('cy', 'PUT', `/api/comments/${c.id}/vote`)).status).toBe(404);
    expect(await (await web.cy.get(`/papers/${P1}`)).text()).not.toContain('Buy cheap pills');
    await web.ada.post(`/admin/comments/${c.id}/restore`, { next: '/admin/reports' });
    expect((await thread(null)).some((x) => x.id === c.id)).toBe(true);
  });

  it('suspends an account: its tokens and sessions end, and it cannot post, vote or subscribe', async () => {
    const s = env.services;
    const cyUser = (await env.temp.store.users.byEmail('cy@example.org'))?.user;
    const id = cyUser?.id ?? 0;
    expect((await web.bob.post(`/admin/users/${id}/suspend`, { next: '/' })).status).toBe(403);
    expect((await web.ada.post(`/admin/users/${id}/suspend`, { next: '/admin/reports' })).status).toBe(303);
    expect((await api('cy', 'GET', '/api/notifications')).status).toBe(401);
    expect((await web.cy.get('/notifications')).status).toBe(303);
    const user = cyUser ?? { id, email: 'cy@example.org', name: 'cy', createdAt: '' };
    await expect(s.discussion.comments.post(user, P1, 'hello')).rejects.toThrow(/suspended/);
    await expect(s.votes.set(id, P1, true)).rejects.toThrow(/suspended/);
    await expect(s.digest.subscriptions.subscribe('cy@example.org', 'test', id)).rejects.toThrow(/suspended/);
    const [c] = await thread(null);
    await expect(s.discussion.comments.vote(user, c?.id ?? 0, true)).rejects.toThrow(/suspended/);
    await s.discussion.moderation.unsuspend(
      (await env.temp.store.users.byEmail('ada@example.org'))!.user,
      id,
    );
    await expect(s.discussion.comments.post(user, P1, 'back')).resolves.toMatchObject({ body: 'back' });
  });
});

describe('notifications', () => {
  it('tells a reader about replies and comments on papers in their library: page, count, API and feed', async () => {
    env.clock.advance(11 * 60_000);
    await web.ada.post('/notifications/read');
    await web.ada.post('/save', { paper: P2, tags: '', next: '/' });
    const mine = await post('ada', 'Question for all');
    await post('bob', 'An answer', mine.id);
    await post('bob', 'On your saved paper', undefined, P2);
    const n = (await (await api('ada', 'GET', '/api/notifications')).json()) as {
      unread: number;
      notifications: { kind: string; body: string }[];
    };
    expect(n.unread).toBe(2);
    expect(n.notifications.slice(0, 2).map((x) => [x.kind, x.body])).toEqual([
      ['library', 'On your saved paper'],
      ['reply', 'An answer'],
    ]);
    const home = await (await web.ada.get('/')).text();
    expect(home).toMatch(/Notifications <span class="unread-count">2<\/span>/);
    const page = await (await web.ada.get('/notifications')).text();
    expect(page).toContain('bob replied to your comment on Alpha paper');
    const feedPath = /href="(\/feeds\/notifications\/[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const feed = await env.app.request(feedPath);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<title>bob replied to your comment on Alpha paper</title>');
    expect((await env.app.request(feedPath.replace(/key=\w/, 'key=0'))).status).toBe(404);
    await web.ada.post('/notifications/read');
    expect(await (await web.ada.get('/')).text()).not.toContain('unread-count');
  });
});

describe('digest', () => {
  it('puts a "Replies to you" section in the digest of a reader with replies, and none without', async () => {
    const s = env.services;
    const adaId = (await env.temp.store.users.byEmail('ada@example.org'))?.user.id ?? 0;
    await s.digest.subscriptions.subscribe('ada@example.org', 'test', adaId);
    const mail = await s.digest.delivery.preview('ada@example.org');
    expect(mail.text).toContain('REPLIES TO YOU');
    expect(mail.text).toContain('bob on Alpha paper:');
    expect(mail.html).toContain('Replies to you');
    expect(mail.html).toMatch(/href="http[^"]+\/papers\/2607\.00001#c-\d+"/);
    const other = await s.digest.delivery.preview('nobody@example.org');
    expect(other.text).not.toContain('REPLIES TO YOU');
  });
});

describe('pages', () => {
  it('posts through the form to the comment’s permalink, previews, and keeps the text when it is too long', async () => {
    env.clock.advance(11 * 60_000);
    const res = await web.bob.post('/comments', { paper: P1, parentId: '', body: 'From the form' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^/papers/${P1}#c-\\d+$`));
    const preview = await web.bob.post('/comments/preview', {
      paper: P1,
      parentId: '',
      body: 'Preview *me* $y$',
    });
    const text = await preview.text();
    expect(text).toContain('<em>me</em>');
    expect(text).toContain('class="katex"');
    const long = await web.bob.post('/comments', { paper: P1, parentId: '', body: 'z'.repeat(10_050) });
    expect(long.status).toBe(400);
    const body = await long.text();
    expect(body).toContain('limited to 10,000 characters; this one has 10,050');
    expect(body).toContain('z'.repeat(100));
  });

  it('shows comment counts on cards and sorts a day by most discussed', async () => {
    const day = await (await env.app.request('/day/2026-07-01?sort=discussed')).text();
    const order = [...day.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1]);
    const counts = await env.services.discussion.comments.counts([P1, P2]);
    const expected = [P1, P2].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
    expect(order).toEqual(expected);
    expect(day).toContain(`>${counts.get(P1)} comments</a`);
  });

  it('lists a reader’s public comments for their profile (listByAuthor)', async () => {
    const bob = (await env.temp.store.users.byEmail('bob@example.org'))?.user;
    const list = await env.services.discussion.comments.listByAuthor(bob?.id ?? 0, 5);
    expect(list).toHaveLength(5);
    expect(list[0]?.body).toBe('From the form');
    expect(list.every((c) => c.body !== 'Buy cheap pills' || c.html !== '')).toBe(true);
  });
});

describe('API description', () => {
  it('documents every discussion endpoint and the comment count in /api/openapi.json', async () => {
    const doc = (await (await env.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths['/api/papers/{id}/comments'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/comments/{id}'] ?? {})).toEqual(['get', 'patch', 'delete']);
    expect(doc.paths['/api/comments/{id}/report']?.post).toBeDefined();
    expect(doc.paths['/api/notifications']?.get).toBeDefined();
    expect(doc.components.schemas.Paper?.properties?.comments).toBeDefined();
    expect(doc.components.schemas.Comment?.properties?.deleted).toBeDefined();
  });
});
