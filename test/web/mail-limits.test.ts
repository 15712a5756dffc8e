// Every action that makes the site send mail shares per-recipient, per-client and per-account budgets,
// the client address behind a proxy cannot be forged, and one strict address rule holds everywhere.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import { MAIL_RULES } from '../../src/platform/mail-limits.ts';
import { clientAddress } from '../../src/web/auth.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

const VICTIM = 'victim@outside.example';
/** How many mails reached `to`, once the background sends are done. */
const mailsTo = async (e: Env, to: string): Promise<number> => {
  await e.mailed();
  return e.mails.filter((m) => m.to === to).length;
};

describe('mail budgets', () => {
  it('POST /settings/email mails one outside address at most the per-recipient limit, then says why', async () => {
    env = await webEnv();
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'ada@example.org');
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 40; i++) {
      const res = await web.post('/settings/email', { email: VICTIM, password: 'correct horse battery' });
      statuses.push(res.status);
      if (res.status === 429) last = await res.text();
    }
    expect(await mailsTo(env, VICTIM)).toBe(MAIL_RULES.perRecipient.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - MAIL_RULES.perRecipient.limit);
    expect(last).toContain(`as many mails to ${VICTIM} as it will in an hour`);
    // The budget comes back once the hour is over.
    env.clock.advance(MAIL_RULES.perRecipient.windowMs);
    const again = await web.post('/settings/email', { email: VICTIM, password: 'correct horse battery' });
    expect(again.status).toBe(303);
  });

  it('an account cannot mail many fresh addresses either (per-account budget)', async () => {
    env = await webEnv();
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'ada@example.org');
    const before = env.mails.length;
    for (let i = 0; i < 15; i++)
      await web.post('/settings/email', {
        email: `n${i}@outside.example`,
        password: 'correct horse battery',
      });
    await env.mailed();
    expect(env.mails.length - before).toBe(MAIL_RULES.perAccount.limit);
  });

  it('sign-ups from rotating forwarded addresses mail one victim at most the per-recipient limit', async () => {
    env = await webEnv({ PAPERBOY_TRUST_PROXY: 'true' });
    const web = new WebClient(env.app);
    const csrf = await web.csrf();
    let refused = 0;
    for (let i = 0; i < 25; i++) {
      const res = await web.request('/signup', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `198.51.100.${i + 1}`,
        },
        body: new URLSearchParams({
          _csrf: csrf,
          email: VICTIM,
          password: 'correct horse battery',
          name: 'V',
        }),
      });
      if (res.status === 429) {
        refused++;
        expect(await res.text()).toContain('try again in');
      }
    }
    expect(await mailsTo(env, VICTIM)).toBe(MAIL_RULES.perRecipient.limit);
    expect(refused).toBe(25 - MAIL_RULES.perRecipient.limit);
  });

  it('sign-up, reset and digest subscription share one budget per recipient', async () => {
    env = await webEnv();
    const e = env;
    const ada = 'ada@example.org';
    await e.services.accounts.signUp(
      { email: ada, password: 'correct horse battery', name: 'Ada' },
      { address: 'a' },
    );
    await e.services.passwordResets.request(ada, { address: 'b' });
    await e.services.digest.subscriptions.subscribe(ada, 'c');
    await e.services.passwordResets.request(ada, { address: 'd' });
    await e.services.digest.subscriptions.subscribe(ada, 'e');
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (err: AppError) => err.code,
      );
    expect(await code(e.services.passwordResets.request(ada, { address: 'f' }))).toBe('RATE_LIMITED');
    expect(await code(e.services.digest.subscriptions.subscribe(ada, 'g'))).toBe('RATE_LIMITED');
    expect(
      await code(
        e.services.accounts.signUp(
          { email: ada, password: 'correct horse battery', name: 'A' },
          { address: 'h' },
        ),
      ),
    ).toBe('RATE_LIMITED');
    // Five charged: the sign-up link and two digest confirmations went out; the resets sent nothing (no
    // account yet) but counted all the same, so the limit does not tell whether the address has an account.
    await e.mailed();
    expect(e.mails.filter((m) => m.to === ada)).toHaveLength(3);
  });

  it('one client cannot spread mail over many recipients across actions (per-client budget)', async () => {
    env = await webEnv();
    const e = env;
    let sent = 0;
    for (let i = 0; i < 30; i++) {
      const to = `r${i}@outside.example`;
      const client = { address: 'one-client' };
      const action = [
        () => e.services.digest.subscriptions.subscribe(to, client.address),
        () => e.services.passwordResets.request(to, client),
        () => e.services.accounts.signUp({ email: to, password: 'correct horse battery', name: 'R' }, client),
      ][i % 3];
      await action?.().then(
        () => sent++,
        () => {},
      );
    }
    // Digest, reset and sign-up each allow 10 per client on their own; the shared mail budget stops the sum at 20.
    expect(sent).toBe(MAIL_RULES.perClient.limit);
  });
});

describe('client address behind a proxy', () => {
  it('takes the address the trusted proxies added, counted from the right', () => {
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.7', 0)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', '203.0.113.7', 3)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', ' , ', 1)).toBe('10.0.0.2');
  });

  it('a client rotating the left-most X-Forwarded-For value is still one client', async () => {
    env = await webEnv({ PAPERBOY_TRUST_PROXY: '1' });
    const web = new WebClient(env.app);
    const csrf = await web.csrf();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await web.request('/signup', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // What nginx's $proxy_add_x_forwarded_for sends: the client's header, then the real address.
          'x-forwarded-for': `192.0.2.${i + 1}, 203.0.113.7`,
        },
        body: new URLSearchParams({
          _csrf: csrf,
          email: `u${i}@example.org`,
          password: 'correct horse battery',
          name: 'U',
        }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('PAPERBOY_TRUST_PROXY takes true/false words or a hop count', () => {
    expect(loadConfig({}).PAPERBOY_TRUST_PROXY).toBe(0);
    expect(loadConfig({ PAPERBOY_TRUST_PROXY: 'true' }).PAPERBOY_TRUST_PROXY).toBe(1);
    expect(loadConfig({ PAPERBOY_TRUST_PROXY: '2' }).PAPERBOY_TRUST_PROXY).toBe(2);
    expect(() => loadConfig({ PAPERBOY_TRUST_PROXY: '99' })).toThrow(AppError);
  });
});

describe('one strict address rule', () => {
  const hostile = [
    'a\x01b@example.org',
    'ada@exam\x00ple.org',
    'ada\u202e@example.org',
    '\u2066ada@example.org',
    'grp:carl@example.org',
    'carl@example.org, eve@example.org',
    'Carl <carl@example.org>',
  ];

  it('is applied at sign-up, reset, e-mail change and digest subscription', async () => {
    env = await webEnv();
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'ada@example.org');
    const before = env.mails.length;
    for (const email of hostile) {
      const anon = new WebClient(env.app);
      const signup = await anon.post('/signup', { email, password: 'correct horse battery', name: 'X' });
      expect(signup.status, JSON.stringify(email)).toBe(400);
      expect(await signup.text()).toContain('Enter a plain e-mail address');
      expect((await anon.post('/reset', { email })).status, JSON.stringify(email)).toBe(400);
      expect((await anon.post('/digest/subscribe', { email })).status, JSON.stringify(email)).toBe(400);
      const change = await web.post('/settings/email', { email, password: 'correct horse battery' });
      expect(change.status, JSON.stringify(email)).toBe(400);
    }
    await env.mailed();
    expect(env.mails.length).toBe(before);
  });

  it('is applied to ADMIN_EMAILS and to the CLI --user lookup', async () => {
    expect(() => loadConfig({ ADMIN_EMAILS: 'grp:carl@example.org' })).toThrow(AppError);
    expect(() => loadConfig({ ADMIN_EMAILS: 'ada\u202e@example.org' })).toThrow(AppError);
    expect(loadConfig({ ADMIN_EMAILS: 'Ada@Example.org' }).ADMIN_EMAILS).toEqual(['ada@example.org']);
    env = await webEnv();
    await expect(env.services.forYou.userIdByEmail('grp:carl@example.org')).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
