// Account pages in-process: sign-up by mailed link, sign-in, floods, sign-out, reset links, CSRF, settings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let web: WebClient;

beforeEach(async () => {
  env = await webEnv();
  web = new WebClient(env.app);
});
afterEach(async () => env.cleanup());

async function signedInAs(client: WebClient): Promise<string | null> {
  const text = await (await client.get('/settings')).text();
  return /Signed in as <strong>([^<]+)<\/strong>/.exec(text)?.[1] ?? null;
}

describe('sign up and sign in', () => {
  it('signs up through the mailed link, with secure cookie attributes', async () => {
    const res = await web.post('/signup', {
      email: 'ada@example.org',
      password: 'correct horse battery',
      name: 'Ada',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    await env.mailed();
    const confirm = await web.get(new URL(env.lastLink('ada@example.org')).pathname);
    expect(confirm.status).toBe(200);
    expect(await env.temp.store.users.count()).toBe(0);
    await env.mailed();
    const done = await web.post(new URL(env.lastLink('ada@example.org')).pathname);
    expect(done.status).toBe(303);
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith('pb_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(await signedInAs(web)).toBe('ada@example.org');
    await env.mailed();
    expect((await web.post(new URL(env.lastLink('ada@example.org')).pathname)).status).toBe(410);
  });

  it('answers sign-up for a taken address exactly like a new one', async () => {
    await signUpVia(web, env, 'ada@example.org');
    const other = new WebClient(env.app);
    const taken = await (
      await other.post('/signup', { email: 'ada@example.org', password: 'something else', name: '' })
    ).text();
    const fresh = await (
      await other.post('/signup', { email: 'bob@example.org', password: 'something else', name: '' })
    ).text();
    expect(taken.replace('ada@', 'bob@').replace(/name="_csrf" value="[^"]+"/g, '')).toBe(
      fresh.replace(/name="_csrf" value="[^"]+"/g, ''),
    );
  });

  it('uses one message for unknown addresses and wrong passwords, and signs in and out', async () => {
    await signUpVia(web, env, 'ada@example.org');
    await web.post('/signout');
    expect(await signedInAs(web)).toBeNull();
    const unknown = await web.post('/signin', { email: 'nobody@example.org', password: 'whatever it is' });
    const wrong = await web.post('/signin', { email: 'ada@example.org', password: 'whatever it is' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.text()).toContain('Wrong e-mail address or password.');
    expect(await wrong.text()).toContain('Wrong e-mail address or password.');
    const ok = await web.post('/signin', {
      email: 'ada@example.org',
      password: 'correct horse battery',
      next: '/library',
    });
    expect(ok.headers.get('location')).toBe('/library');
    const evil = await web.post('/signin', {
      email: 'ada@example.org',
      password: 'correct horse battery',
      next: '//evil.example/',
    });
    expect(evil.headers.get('location')).toBe('/');
  });

  it('refuses a flood of sign-in attempts with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await web.post('/signin', { email: 'ada@example.org', password: `guess number ${i}` })).status,
      );
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const last = await web.post('/signin', { email: 'ada@example.org', password: 'guess again' });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last.text()).toContain('Too many sign-in attempts');
  });

  it('sends signed-out readers of private pages to sign in', async () => {
    for (const path of ['/library', '/settings', '/submit']) {
      const res = await web.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path)}`);
    }
  });
});

describe('over https', () => {
  it('uses Secure __Host- cookies and HSTS when the base URL is https', async () => {
    const secure = await webEnv({ PAPERBOY_BASE_URL: 'https://papers.example.org' });
    try {
      const client = new WebClient(secure.app);
      await signUpVia(client, secure, 'ada@example.org');
      await secure.mailed();
      expect(secure.lastLink('ada@example.org')).toMatch(/^https:\/\/papers\.example\.org\/confirm\//);
      expect([...client.cookies.keys()].sort()).toEqual([
        '__Host-pb_csrf',
        '__Host-pb_device',
        '__Host-pb_session',
      ]);
      const res = await client.get('/settings');
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    } finally {
      await secure.cleanup();
    }
  });
});

describe('bad input', () => {
  it('refuses forged or missing CSRF tokens and stores nothing', async () => {
    const forged = await web.post(
      '/signup',
      { email: 'eve@example.org', password: 'long enough pw' },
      'forged-token',
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Reload the page');
    const none = await new WebClient(env.app).request('/signup', {
      method: 'POST',
      body: new URLSearchParams({ email: 'eve@example.org', password: 'long enough pw' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(none.status).toBe(403);
    await env.mailed();
    expect(env.mails).toHaveLength(0);
    const stolen = new WebClient(env.app);
    await stolen.csrf();
    const crossed = await web.post(
      '/signup',
      { email: 'eve@example.org', password: 'long enough pw' },
      await stolen.csrf(),
    );
    expect(crossed.status).toBe(403);
  });

  it('refuses oversized, malformed and file fields with 4xx', async () => {
    const big = await web.post('/signup', { email: 'a@b.org', password: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    const long = await web.post('/signup', { email: `${'a'.repeat(300)}@b.org`, password: 'long enough pw' });
    expect(long.status).toBe(400);
    const form = new FormData();
    form.set('_csrf', await web.csrf());
    form.set('email', new Blob(['x']), 'file.txt');
    form.set('password', 'long enough pw');
    expect((await web.request('/signup', { method: 'POST', body: form })).status).toBe(400);
    const json = await web.request('/signup', {
      method: 'POST',
      body: '{"email":1}',
      headers: { 'content-type': 'application/json', 'x-csrf-token': await web.csrf() },
    });
    expect(json.status).toBe(400);
    await env.mailed();
    expect(env.mails).toHaveLength(0);
  });
});

describe('password reset', () => {
  it('mails a link that works once and answers unknown addresses the same', async () => {
    await signUpVia(web, env, 'ada@example.org');
    const anon = new WebClient(env.app);
    const a = await (await anon.post('/reset', { email: 'ada@example.org' })).text();
    const b = await (await anon.post('/reset', { email: 'nobody@example.org' })).text();
    expect(a.replace('ada@', 'nobody@')).toBe(b);
    await env.mailed();
    const path = new URL(env.lastLink('ada@example.org')).pathname;
    expect((await anon.get(path)).status).toBe(200);
    expect((await anon.post(path, { password: 'short' })).status).toBe(400);
    const done = await anon.post(path, { password: 'a new long password' });
    expect(done.status).toBe(303);
    expect(await signedInAs(anon)).toBe('ada@example.org');
    expect(await signedInAs(web)).toBeNull();
    const replay = await new WebClient(env.app).post(path, { password: 'another new password' });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain('already used or has expired');
    expect((await anon.get('/reset/not-a-real-token')).status).toBe(410);
  });
});

describe('reset floods', () => {
  it('limits reset requests per address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await web.post('/reset', { email: 'ada@example.org' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('settings', () => {
  it('changes the name, password and e-mail, manages tokens and signs out everywhere', async () => {
    await signUpVia(web, env, 'ada@example.org');
    const other = new WebClient(env.app);
    await other.post('/signin', { email: 'ada@example.org', password: 'correct horse battery' });
    expect((await web.post('/settings/name', { name: 'Ada L.' })).headers.get('location')).toBe(
      '/settings?notice=name-changed',
    );
    expect(await (await web.get('/settings?notice=name-changed')).text()).toContain('Your name is saved.');
    const wrong = await web.post('/settings/password', {
      current: 'not my password',
      password: 'brand new password',
    });
    expect(wrong.status).toBe(401);
    expect(
      (
        await web.post('/settings/password', {
          current: 'correct horse battery',
          password: 'brand new password',
        })
      ).status,
    ).toBe(303);
    expect(await signedInAs(other)).toBeNull();
    expect(
      (await web.post('/settings/email', { email: 'ada@lovelace.org', password: 'brand new password' }))
        .status,
    ).toBe(303);
    await env.mailed();
    await web.post(new URL(env.lastLink('ada@lovelace.org')).pathname);
    expect(await signedInAs(web)).toBe('ada@lovelace.org');
    const created = await (await web.post('/settings/tokens', { name: 'laptop <b>' })).text();
    const token = /<code class="token">(pb_[\w-]+)<\/code>/.exec(created)?.[1] ?? '';
    expect(created).toContain('laptop &lt;b&gt;');
    expect((await env.app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    const id = /\/settings\/tokens\/(\d+)\/revoke/.exec(created)?.[1] ?? '';
    await web.post(`/settings/tokens/${id}/revoke`);
    expect((await env.app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
    expect((await web.post('/settings/signout-everywhere')).headers.get('location')).toBe(
      '/?notice=signed-out-everywhere',
    );
    expect(await signedInAs(web)).toBeNull();
  });
});
