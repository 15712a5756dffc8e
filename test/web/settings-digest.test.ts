// The "Daily digest" section of /settings: subscribe the account's address (with its user id), confirm by the
// mailed link, then a signed manage link; unsubscribed or bouncing addresses get the button again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let web: WebClient;
const EMAIL = 'ada@example.org';

beforeEach(async () => {
  env = await webEnv();
  web = new WebClient(env.app);
});
afterEach(async () => env.cleanup());

/** The "Daily digest" section of the settings page. */
async function digestSection(client: WebClient, path = '/settings'): Promise<string> {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  const body = await res.text();
  const m = /<section aria-labelledby="digest-h">[\s\S]*?<\/section>/.exec(body);
  if (!m) throw new Error(`no digest section on ${path}`);
  return m[0];
}

describe('the digest on the settings page', () => {
  it('subscribes the account address with its user id, then links to the signed manage page', async () => {
    await signUpVia(web, env, EMAIL);
    let section = await digestSection(web);
    expect(section).toContain('Daily digest');
    expect(section).toContain('gets no digest');
    expect(section).toContain('action="/settings/digest"');
    expect(section).toContain('Subscribe to the digest');

    const res = await web.post('/settings/digest');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings?notice=digest-sent');
    const page = await (await web.get('/settings?notice=digest-sent')).text();
    expect(page).toContain('We mailed a link to confirm your digest subscription.');
    const user = (await env.temp.store.users.byEmail(EMAIL))?.user;
    const pending = await env.temp.store.digest.byEmail(EMAIL);
    expect(pending).toMatchObject({ status: 'pending', userId: user?.id });
    section = await digestSection(web);
    expect(section).toContain('A confirmation link was mailed to');
    expect(section).toContain('Send the link again');

    await env.mailed();
    const confirm = new URL(env.lastLink(EMAIL)).pathname;
    expect(confirm).toMatch(/^\/digest\/confirm\//);
    expect((await web.post(confirm)).status).toBe(200);
    expect((await env.temp.store.digest.byEmail(EMAIL))?.status).toBe('active');

    section = await digestSection(web);
    expect(section).toContain('The digest goes to');
    expect(section).not.toContain('action="/settings/digest"');
    const manage = /href="https?:\/\/[^/"]+(\/digest\/manage\/\d+\.[\w-]{43})"/.exec(section)?.[1];
    if (manage === undefined) throw new Error(`no manage link in ${section}`);
    const managePage = await (await web.get(manage)).text();
    expect(managePage).toContain(`For ${EMAIL} (active)`);
    expect(managePage).toContain('name="section-foryou"');

    const sub = await env.temp.store.digest.byEmail(EMAIL);
    const { unsubscribeUrl } = env.services.digest.subscriptions.links(sub ?? { id: 0, email: '' });
    expect((await env.app.request(new URL(unsubscribeUrl).pathname, { method: 'POST' })).status).toBe(200);
    section = await digestSection(web);
    expect(section).toContain('gets no digest');
    expect(section).toContain('Subscribe to the digest');
    expect(section).not.toContain('/digest/manage/');
  });

  it('keeps an earlier anonymous subscription and adds the account to it', async () => {
    await env.services.digest.subscriptions.subscribe(EMAIL, 'test');
    await signUpVia(web, env, EMAIL);
    expect((await env.temp.store.digest.byEmail(EMAIL))?.userId).toBeNull();
    expect(await digestSection(web)).toContain('Send the link again');
    expect((await web.post('/settings/digest')).status).toBe(303);
    const user = (await env.temp.store.users.byEmail(EMAIL))?.user;
    expect(await env.temp.store.digest.byEmail(EMAIL)).toMatchObject({
      status: 'pending',
      userId: user?.id,
    });
  });

  it('shows a bouncing address as stopped, with the button again', async () => {
    await signUpVia(web, env, EMAIL);
    await web.post('/settings/digest');
    const sub = await env.temp.store.digest.byEmail(EMAIL);
    await env.temp.store.digest.setStatus(sub?.id ?? 0, 'bouncing');
    const section = await digestSection(web);
    expect(section).toContain('bounced');
    expect(section).toContain('Subscribe to the digest');
  });

  it('needs a signed-in reader and a CSRF token', async () => {
    const anon = await web.post('/settings/digest');
    expect(anon.status).toBe(401); // as every other settings form
    await signUpVia(web, env, EMAIL);
    expect((await web.post('/settings/digest', {}, '')).status).toBe(403);
    expect(await env.temp.store.digest.byEmail(EMAIL)).toBeNull();
  });
});
