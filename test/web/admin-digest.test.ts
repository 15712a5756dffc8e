// The admin digest preview in-process: who may open it, what it shows (HTML and plain text, escaped), and that it
// sends and records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { webEnv, TEST_SECRET } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
const ADMIN = 'boss@example.org';
const DAY = '2026-07-02';
const HOSTILE = 'Attention <script>alert(1)</script> & "quotes"';

beforeAll(async () => {
  env = await webEnv({ ADMIN_EMAILS: ` ${ADMIN.toUpperCase()} , other@example.org` });
  await env.addPapers([
    paper({ arxivId: '2607.00001', title: 'Diffusion for images', announced: DAY, published: DAY }),
    paper({ arxivId: '2607.00002', title: HOSTILE, announced: DAY, published: DAY }),
  ]);
});
afterAll(async () => env.cleanup());

const PREVIEW = `/admin/digest/preview?to=reader%40example.org&date=${DAY}`;

describe('the admin digest preview', () => {
  it('sends anonymous readers to sign in and refuses readers who are not admins', async () => {
    const anon = await env.app.request(PREVIEW);
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(PREVIEW)}`);
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'reader@example.org');
    const res = await web.get(PREVIEW);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('Diffusion for images');
  });

  it('shows an admin the HTML digest an address would get, escaped, and records nothing', async () => {
    const web = new WebClient(env.app);
    await signUpVia(web, env, ADMIN);
    const form = await web.get('/admin/digest/preview');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('action="/admin/digest/preview"');

    await env.mailed();
    const mailsBefore = env.mails.length;
    const res = await web.get(PREVIEW);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = await res.text();
    expect(body).toContain('What reader@example.org would get');
    expect(body).toContain('This address has no subscription, so the preview uses the default settings');
    expect(body).toContain(`Daily papers ${DAY}`);
    expect(body).toContain('>Diffusion for images</a>');
    expect(body).toContain('href="http://127.0.0.1:8080/papers/2607.00001"');
    expect(body).toContain('Attention &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(body).not.toContain('<script>alert(1)');
    for (const tag of body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="/);
    expect(body).toContain(
      `href="/admin/digest/preview?to=reader%40example.org&amp;date=${DAY}&amp;format=text"`,
    );

    const text = await (await web.get(`${PREVIEW}&format=text`)).text();
    expect(text).toContain('<pre class="digest-text"');
    expect(text).toMatch(/TRENDING\n\n1\. (Diffusion for images|Attention)/);
    expect(text).toContain('Attention &lt;script&gt;');

    await env.mailed();
    expect(env.mails.length).toBe(mailsBefore);
    const sub = await env.temp.store.digest.byEmail('reader@example.org');
    expect(sub).toBeNull();
    expect(await env.temp.store.digest.counts()).toMatchObject({ queued: 0, sent: 0, skipped: 0 });
  });

  it('answers a bad address or date with the form and the reason', async () => {
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'other@example.org');
    const bad = await web.get('/admin/digest/preview?to=%3Cx%3E%0d%0aBcc%3A%20a%40b.c');
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('Enter a plain e-mail address');
    expect(body).toContain('value="&lt;x&gt;');
    const date = await web.get('/admin/digest/preview?to=a%40example.org&date=2026-02-30');
    expect(date.status).toBe(400);
    expect(await date.text()).toContain('Give the date as YYYY-MM-DD');
  });

  it('has no admins unless ADMIN_EMAILS names them, and rejects a malformed list', () => {
    const base = { DATABASE_URL: ':memory:', PAPERBOY_SECRET: TEST_SECRET };
    expect(loadConfig(base).ADMIN_EMAILS).toEqual([]);
    expect(loadConfig({ ...base, ADMIN_EMAILS: 'A@x.org,b@y.org' }).ADMIN_EMAILS).toEqual([
      'a@x.org',
      'b@y.org',
    ]);
    expect(() => loadConfig({ ...base, ADMIN_EMAILS: 'a@x.org;b@y.org' })).toThrow(/Invalid configuration/);
  });
});
