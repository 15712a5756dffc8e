// Recovering an account ends what an intruder held (sessions, API tokens, reset links, the CSRF nonce), and
// sign-in throttling keeps guessing out without letting a stranger lock the owner out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let web: WebClient;
const ADA = 'ada@example.org';
const PASSWORD = 'correct horse battery';

beforeEach(async () => {
  env = await webEnv({ PAPERBOY_TRUST_PROXY: 'true' });
  web = new WebClient(env.app);
});
afterEach(async () => env.cleanup());

async function newToken(client: WebClient): Promise<string> {
  const page = await (await client.post('/settings/tokens', { name: 'laptop' })).text();
  const token = /<code class="token">(pb_[\w-]+)<\/code>/.exec(page)?.[1];
  if (token === undefined) throw new Error('no token shown');
  return token;
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function tokenWorks(token: string): Promise<boolean> {
  const res = await env.app.request('/api/me', { headers: bearer(token) });
  if (res.status !== 200 && res.status !== 401) throw new Error(`/api/me answered ${res.status}`);
  return res.status === 200;
}

/** Signs in from another client address (X-Forwarded-For, trusted here), keeping the client's cookies. */
async function signInFrom(client: WebClient, address: string, password: string): Promise<Response> {
  const _csrf = await client.csrf();
  return client.request('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
    body: new URLSearchParams({ _csrf, email: ADA, password, next: '/library' }),
  });
}

describe('API tokens end with the account holder', () => {
  beforeEach(async () => signUpVia(web, env, ADA, PASSWORD));

  it('are revoked by a password change, and the notice says so', async () => {
    const token = await newToken(web);
    expect(await tokenWorks(token)).toBe(true);
    const res = await web.post('/settings/password', { current: PASSWORD, password: 'a brand new password' });
    expect(res.headers.get('location')).toBe('/settings?notice=password-changed');
    expect(await tokenWorks(token)).toBe(false);
    expect(await (await web.get('/settings?notice=password-changed')).text()).toContain(
      'every API token is revoked',
    );
  });

  it('are revoked by a password reset, and the reset form and notice say so', async () => {
    const token = await newToken(web);
    const anon = new WebClient(env.app);
    await anon.post('/reset', { email: ADA });
    await env.mailed();
    const path = new URL(env.lastLink(ADA)).pathname;
    expect(await (await anon.get(path)).text()).toContain('every API token revoked');
    const done = await anon.post(path, { password: 'a brand new password' });
    expect(done.headers.get('location')).toBe('/settings?notice=password-reset');
    expect(await tokenWorks(token)).toBe(false);
    expect(await (await anon.get('/settings?notice=password-reset')).text()).toContain(
      'every API token is revoked',
    );
  });

  it('are revoked by signing out everywhere, and the page says so beforehand and after', async () => {
    const token = await newToken(web);
    expect(await (await web.get('/settings')).text()).toMatch(
      /this one included, and revokes every API\s+token/,
    );
    const res = await web.post('/settings/signout-everywhere');
    expect(res.headers.get('location')).toBe('/?notice=signed-out-everywhere');
    expect(await tokenWorks(token)).toBe(false);
    expect(await (await web.get('/?notice=signed-out-everywhere')).text()).toContain(
      'every API token is revoked',
    );
  });

  it('cannot mint more tokens; a signed-in session can, with its CSRF token', async () => {
    const token = await newToken(web);
    const api = await env.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spare' }),
    });
    expect(api.status).toBe(403);
    const form = await env.app.request('/settings/tokens', {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'spare' }),
    });
    expect(form.status).toBe(403);
    expect(await env.temp.store.apiTokens.list(1)).toHaveLength(1);
    expect((await web.json('POST', '/api/tokens', { name: 'from the page' })).status).toBe(201);
    expect((await web.json('POST', '/api/tokens', { name: 'no csrf' }, {})).status).toBe(403);
  });
});

describe('reset links and the CSRF nonce', () => {
  it('ends every older reset link once one is used', async () => {
    await signUpVia(web, env, ADA, PASSWORD);
    const anon = new WebClient(env.app);
    await anon.post('/reset', { email: ADA });
    await env.mailed();
    const older = new URL(env.lastLink(ADA)).pathname;
    await anon.post('/reset', { email: ADA });
    await env.mailed();
    const newer = new URL(env.lastLink(ADA)).pathname;
    expect(newer).not.toBe(older);
    expect((await anon.post(newer, { password: 'a brand new password' })).status).toBe(303);
    expect((await anon.get(older)).status).toBe(410);
    expect((await new WebClient(env.app).post(older, { password: 'the intruder password' })).status).toBe(
      410,
    );
  });

  it('starts a new CSRF nonce at sign-in, so a token from before it forges nothing', async () => {
    await signUpVia(web, env, ADA, PASSWORD);
    await web.post('/signout');
    const before = await web.csrf();
    const nonceBefore = web.cookies.get('pb_csrf');
    const res = await web.post('/signin', { email: ADA, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(web.cookies.get('pb_csrf')).toMatch(/^[\w-]{10,60}$/);
    expect(web.cookies.get('pb_csrf')).not.toBe(nonceBefore);
    expect((await web.post('/settings/name', { name: 'Forged' }, before)).status).toBe(403);
    expect((await web.post('/settings/name', { name: 'Ada' })).status).toBe(303);
  });
});

describe('authorization schemes Paperboy does not use', () => {
  it('ignores Basic (from an auth_basic proxy): pages answer, sessions work, no redirect loop', async () => {
    await signUpVia(web, env, ADA, PASSWORD);
    const basic = { authorization: `Basic ${Buffer.from('proxy:secret').toString('base64')}` };
    const anon = new WebClient(env.app);
    expect((await anon.get('/', basic)).status).toBe(200);
    const settings = await anon.get('/settings', basic);
    expect(settings.status).toBe(303);
    const signin = settings.headers.get('location') ?? '';
    expect(signin).toBe('/signin?next=%2Fsettings');
    expect((await anon.get(signin, basic)).status).toBe(200);
    expect((await web.get('/settings', basic)).status).toBe(200);
    expect((await web.get('/settings', { authorization: 'Digest username="x"' })).status).toBe(200);
    const form = await web.request('/settings/name', {
      method: 'POST',
      headers: { ...basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Ada', _csrf: await web.csrf() }),
    });
    expect(form.status).toBe(303);
  });

  it('answers a refused bearer token on a page with 401, not a redirect to sign in', async () => {
    const res = await web.get('/settings', bearer('pb_not-a-token'));
    expect(res.status).toBe(401);
    expect((await web.get('/api/me', { authorization: 'Bearer' })).status).toBe(401);
  });
});

describe('sign-in throttling', () => {
  beforeEach(async () => {
    await signUpVia(web, env, ADA, PASSWORD);
    await web.post('/signout');
    // The owner's browser signed in before (at sign-up): it is a known browser for the address.
  });

  async function guess(from: string, n: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const client = new WebClient(env.app);
      statuses.push((await signInFrom(client, from, `wrong guess ${i}`)).status);
    }
    return statuses;
  }

  it('lets no stranger lock the owner out of a browser they signed in with before', async () => {
    const fromOne = await guess('203.0.113.9', 12);
    expect(fromOne.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(fromOne.slice(10)).toEqual([429, 429]);
    for (let i = 0; i < 20; i++) await guess(`198.51.100.${i}`, 1);
    const owner = await signInFrom(web, '192.0.2.1', PASSWORD);
    expect(owner.status).toBe(303);
    expect(owner.headers.get('location')).toBe('/library');
  });

  it('caps guesses at an address from all unknown browsers together, and points to the reset link', async () => {
    const spread: number[] = [];
    for (let i = 0; i < 15; i++) spread.push(...(await guess(`198.51.100.${i}`, 1)));
    expect(spread.filter((s) => s === 401)).toHaveLength(10);
    expect(spread.slice(10).every((s) => s === 429)).toBe(true);
    const newBrowser = new WebClient(env.app);
    const refused = await signInFrom(newBrowser, '192.0.2.1', PASSWORD);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('reset your password');
    await newBrowser.post('/reset', { email: ADA });
    await env.mailed();
    const reset = await newBrowser.post(new URL(env.lastLink(ADA)).pathname, {
      password: 'another good one',
    });
    expect(reset.status).toBe(303);
    // The reset marked this browser as known: after signing out it signs in despite the full bucket.
    await newBrowser.post('/signout');
    expect((await signInFrom(newBrowser, '192.0.2.1', 'another good one')).status).toBe(303);
  });

  it('limits wrong passwords from a known browser for that browser alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signInFrom(web, '192.0.2.1', `typo ${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await signInFrom(new WebClient(env.app), '192.0.2.7', PASSWORD)).status).toBe(303);
  });

  it('does not take a known-browser proof made for another address, or a forged one', async () => {
    const mallory = new WebClient(env.app);
    await signUpVia(mallory, env, 'mallory@example.org', PASSWORD);
    await mallory.post('/signout');
    const forged = new WebClient(env.app);
    forged.cookies.set('pb_device', `${'a'.repeat(24)}.${'b'.repeat(43)}`);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signInFrom(mallory, '203.0.113.5', `x ${i}`)).status);
    for (let i = 0; i < 6; i++) statuses.push((await signInFrom(forged, '203.0.113.50', `y ${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await signInFrom(web, '192.0.2.1', PASSWORD)).status).toBe(303);
  });
});
