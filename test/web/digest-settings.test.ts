// The digest on /settings beyond the account's own address: a subscription kept under the e-mail the reader had
// before a change, linking an address-only subscription to the account, and what the subscribe box links.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let web: WebClient;
const OLD = 'ada@example.org';
const NEW = 'ada@new.example.org';

beforeEach(async () => {
  env = await webEnv();
  web = new WebClient(env.app);
});
afterEach(async () => env.cleanup());

/** The "Daily digest" section of the settings page. */
async function digestSection(): Promise<string> {
  const res = await web.get('/settings');
  expect(res.status).toBe(200);
  const m = /<section aria-labelledby="digest-h">[\s\S]*?<\/section>/.exec(await res.text());
  if (!m) throw new Error('no digest section on /settings');
  return m[0];
}

/** Uses the confirmation link last mailed to `email` (its page's button POSTs; the mail goes out in the background). */
async function confirmDigest(email: string): Promise<void> {
  await env.mailed();
  expect((await web.post(new URL(env.lastLink(email)).pathname)).status).toBe(200);
}

describe('the digest on the settings page, other addresses', () => {
  it('shows and manages the subscription kept under the address the reader had before', async () => {
    await signUpVia(web, env, OLD);
    await web.post('/settings/digest');
    await confirmDigest(OLD);
    const res = await web.post('/settings/email', { email: NEW, password: 'correct horse battery' });
    expect(res.status).toBe(303);
    await env.mailed();
    expect((await web.post(new URL(env.lastLink(NEW)).pathname)).status).toBe(303);

    let section = await digestSection();
    expect(section).toContain(`<strong>${NEW}</strong> gets no digest.`);
    expect(section).toContain(
      `The digest also goes to <strong>${OLD}</strong>, an address you subscribed with before.`,
    );
    const manage = /href="https?:\/\/[^/"]+(\/digest\/manage\/[^"]+)">Manage or unsubscribe ([^<]+)</.exec(
      section,
    );
    expect(manage?.[2]).toBe(OLD);
    const page = await (await web.get(manage?.[1] ?? '')).text();
    expect(page).toContain(`For ${OLD} (active)`);

    const sub = await env.temp.store.digest.byEmail(OLD);
    const { unsubscribeUrl } = env.services.digest.subscriptions.links(sub ?? { id: 0, email: '' });
    expect((await env.app.request(new URL(unsubscribeUrl).pathname, { method: 'POST' })).status).toBe(200);
    section = await digestSection();
    expect(section).not.toContain(OLD);
  });

  it('does not show another reader’s subscription, nor one never linked to the account', async () => {
    await env.services.digest.subscriptions.subscribe('someone@example.org', 'test');
    await signUpVia(web, env, OLD);
    expect(await digestSection()).not.toContain('someone@example.org');
  });

  it('links an address-only subscription of the account address to the account', async () => {
    await env.services.digest.subscriptions.subscribe(OLD, 'test');
    await env.mailed();
    await env.services.digest.subscriptions.confirm(env.lastLink(OLD).split('/').at(-1) ?? '');
    await signUpVia(web, env, OLD);
    let section = await digestSection();
    expect(section).toContain('subscribed with the address alone');
    expect(section).toContain('action="/settings/digest/link"');

    expect((await web.post('/settings/digest/link', {}, '')).status).toBe(403);
    expect((await env.temp.store.digest.byEmail(OLD))?.userId).toBeNull();
    const res = await web.post('/settings/digest/link');
    expect(res.status).toBe(303);
    const user = (await env.temp.store.users.byEmail(OLD))?.user;
    expect(await env.temp.store.digest.byEmail(OLD)).toMatchObject({ status: 'active', userId: user?.id });
    section = await digestSection();
    expect(section).toContain('The digest goes to');
    expect(section).not.toContain('/settings/digest/link');
  });

  it('joins the account to a subscription from the box only for the account’s own address', async () => {
    await signUpVia(web, env, OLD);
    expect((await web.post('/digest/subscribe', { email: 'victim@example.org' })).status).toBe(200);
    expect((await web.post('/digest/subscribe', { email: ` ${OLD.toUpperCase()} ` })).status).toBe(200);
    const user = (await env.temp.store.users.byEmail(OLD))?.user;
    expect((await env.temp.store.digest.byEmail('victim@example.org'))?.userId).toBeNull();
    expect((await env.temp.store.digest.byEmail(OLD))?.userId).toBe(user?.id);
  });

  it('tells address-only subscribers that the personal sections need an account', async () => {
    expect(await (await web.get('/digest')).text()).toContain(
      'saved-search alerts and followed-authors sections need an account',
    );
    await env.services.digest.subscriptions.subscribe(OLD, 'test');
    await env.mailed();
    const sub = await env.services.digest.subscriptions.confirm(env.lastLink(OLD).split('/').at(-1) ?? '');
    const manage = new URL(env.services.digest.subscriptions.links(sub).manageUrl).pathname;
    const page = await (await web.get(manage)).text();
    expect(page).toContain('This subscription has no account, so it gets the trending papers only.');
  });
});
