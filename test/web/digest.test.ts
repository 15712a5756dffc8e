// Digest pages in-process: subscribe → confirm → manage → unsubscribe, hostile addresses, forged links, CSRF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;

beforeAll(async () => {
  env = await webEnv();
});
afterAll(async () => env.cleanup());

async function csrfFrom(web: WebClient, path: string): Promise<string> {
  const body = await (await web.get(path)).text();
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error(`no CSRF token on ${path}`);
  return m[1];
}

describe('digest pages', () => {
  it('has a subscribe box on every page that subscribes directly', async () => {
    const home = await (await env.app.request('/')).text();
    expect(home).toContain('action="/digest/subscribe"');
    const page = await (await env.app.request('/digest?email=ada%40example.org')).text();
    expect(page).toContain('value="ada@example.org"');
  });

  it('subscribes with double opt-in, manages and unsubscribes by signed links', async () => {
    const web = new WebClient(env.app);
    const csrf = await csrfFrom(web, '/digest');
    const res = await web.post('/digest/subscribe', { email: ' Ada@Example.org ' }, csrf);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    await env.mailed();
    const store = env.temp.store.digest;
    expect((await store.byEmail('ada@example.org'))?.status).toBe('pending');

    const confirm = new URL(env.lastLink('ada@example.org')).pathname;
    // Opening the link (as a mail scanner does) only shows a button; the POST starts the digest.
    const opened = await web.get(confirm);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('<button type="submit">Start the digest</button>');
    expect((await store.byEmail('ada@example.org'))?.status).toBe('pending');
    const confirmed = await web.post(confirm, {}, await csrfFrom(web, confirm));
    expect(confirmed.status).toBe(200);
    const body = await confirmed.text();
    expect((await store.byEmail('ada@example.org'))?.status).toBe('active');
    expect((await web.post(confirm, {}, await csrfFrom(web, confirm))).status).toBe(410); // used

    const manage = /href="https?:\/\/[^/"]+(\/digest\/manage\/[^"]+)"/.exec(body)?.[1] ?? '';
    const mcsrf = await csrfFrom(web, manage);
    const saved = await web.request(manage, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['_csrf', mcsrf],
        ['frequency', 'weekly'],
        ['weekday', '5'],
        ['sendHour', '18'],
        ['timeZone', 'Europe/Berlin'],
        ['maxPapers', '7'],
        ['section-trending', 'on'],
        ['section-foryou', 'on'],
      ]),
    });
    expect(saved.status).toBe(200);
    expect(await store.byEmail('ada@example.org')).toMatchObject({
      frequency: 'weekly',
      weekday: 5,
      sendHour: 18,
      timeZone: 'Europe/Berlin',
      maxPapers: 7,
      sections: ['trending', 'foryou'],
    });
    const badZone = await web.post(
      manage,
      { frequency: 'daily', weekday: '1', sendHour: '7', timeZone: 'Mars/Olympus', maxPapers: '5' },
      mcsrf,
    );
    expect(badZone.status).toBe(400);
    expect(await badZone.text()).toContain('time zone');

    const sub = await store.byEmail('ada@example.org');
    const { unsubscribeUrl } = env.services.digest.subscriptions.links(sub ?? { id: 0, email: '' });
    const path = new URL(unsubscribeUrl).pathname;
    const page = await env.app.request(path);
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    expect((await store.byEmail('ada@example.org'))?.status).toBe('active'); // a GET changes nothing
    const done = await env.app.request(path, { method: 'POST' });
    expect(done.status).toBe(200);
    expect((await store.byEmail('ada@example.org'))?.status).toBe('unsubscribed');
  });

  it('rejects hostile addresses with a clear message', async () => {
    const web = new WebClient(env.app);
    const csrf = await csrfFrom(web, '/digest');
    for (const email of [
      'eve@example.org\r\nBcc: all@example.org',
      `${'a'.repeat(300)}@example.org`,
      'jörg@exämple.org',
      'eve@example.org, bob@example.org',
      '"quoted"@example.org',
    ]) {
      const res = await web.post('/digest/subscribe', { email }, csrf);
      expect(res.status, email).toBe(400);
      expect(await res.text()).toContain('Enter a plain e-mail address');
    }
    await env.mailed();
    expect(env.mails.filter((m) => m.to.includes('eve') || m.to.includes('\n'))).toEqual([]);
  });

  it('refuses forged tokens and keeps CSRF on every other form', async () => {
    expect(
      (await env.app.request('/digest/unsubscribe/1.' + 'A'.repeat(43), { method: 'POST' })).status,
    ).toBe(410);
    expect((await env.app.request('/digest/manage/1.' + 'A'.repeat(43))).status).toBe(410);
    const forged = new WebClient(env.app);
    const forgedPath = '/digest/confirm/' + 'A'.repeat(43);
    expect((await forged.post(forgedPath, {}, await csrfFrom(forged, forgedPath))).status).toBe(410);
    expect((await env.app.request(forgedPath, { method: 'POST', body: '' })).status).toBe(403);
    // The footer box on shared pages has no token: an anonymous subscribe only mails a confirmation link.
    const noCsrf = await env.app.request('/digest/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=x%40example.org',
    });
    expect(noCsrf.status).toBe(200);
    const manage = await env.app.request('/digest/manage/1.' + 'A'.repeat(43), { method: 'POST', body: '' });
    expect(manage.status).toBe(403);
  });
});
