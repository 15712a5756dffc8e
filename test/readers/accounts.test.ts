// Accounts against a real SQLite store: sign-up by link, sign-in, sessions, reset links, settings, tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';

const client = { address: '10.0.0.1' };
let env: ReaderEnv;

async function signUp(email = 'ada@example.org', password = 'correct horse battery'): Promise<string> {
  await env.services.accounts.signUp({ email, password, name: 'Ada' }, client);
  await env.mailed();
  const token = env.lastLink(email).split('/confirm/')[1] ?? '';
  const { sessionToken } = await env.services.accounts.confirm(token);
  return sessionToken ?? '';
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

beforeEach(async () => {
  env = await readerEnv();
});
afterEach(async () => env.cleanup());

describe('sign-up', () => {
  it('creates the account only when the mailed link is used, and signs in', async () => {
    await env.services.accounts.signUp(
      { email: ' Ada@Example.org ', password: 'correct horse battery', name: 'Ada' },
      client,
    );
    expect(await env.temp.store.users.count()).toBe(0);
    await env.mailed();
    const link = env.lastLink('ada@example.org');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:8080\/confirm\//);
    const { user, sessionToken } = await env.services.accounts.confirm(link.split('/confirm/')[1] ?? '');
    expect(user.email).toBe('ada@example.org');
    expect(await env.services.accounts.authenticate(sessionToken ?? '')).toMatchObject({
      id: user.id,
      name: 'Ada',
    });
    expect(await code(env.services.accounts.confirm(link.split('/confirm/')[1] ?? ''))).toBe('LINK_INVALID');
  });

  it('answers a taken address the same way and mails a reminder instead of a link', async () => {
    await signUp();
    await env.services.accounts.signUp(
      { email: 'ada@example.org', password: 'another password', name: '' },
      client,
    );
    await env.mailed();
    expect(env.mails.at(-1)?.subject).toMatch(/already have/);
    expect(await env.temp.store.users.count()).toBe(1);
  });

  it('rejects bad input before storing anything', async () => {
    expect(
      await code(env.services.accounts.signUp({ email: 'nope', password: 'long enough', name: '' }, client)),
    ).toBe('BAD_INPUT');
    expect(
      await code(env.services.accounts.signUp({ email: 'a@b.org', password: 'short', name: '' }, client)),
    ).toBe('BAD_INPUT');
    const big = 'x'.repeat(300);
    expect(
      await code(env.services.accounts.signUp({ email: 'a@b.org', password: big, name: '' }, client)),
    ).toBe('BAD_INPUT');
    await env.mailed();
    expect(env.mails).toHaveLength(0);
  });
});

describe('sign-in', () => {
  it('gives the same message for an unknown address and a wrong password', async () => {
    await signUp();
    const unknown = env.services.accounts.signIn(
      { email: 'bob@example.org', password: 'whatever pw' },
      client,
    );
    await expect(unknown).rejects.toThrow('Wrong e-mail address or password.');
    const wrong = env.services.accounts.signIn({ email: 'ada@example.org', password: 'whatever pw' }, client);
    await expect(wrong).rejects.toThrow('Wrong e-mail address or password.');
    const ok = await env.services.accounts.signIn(
      { email: 'ADA@example.org', password: 'correct horse battery' },
      client,
    );
    expect(ok.user.email).toBe('ada@example.org');
  });

  it('refuses a flood of attempts on one address, then lets it through after the window', async () => {
    await signUp();
    for (let i = 0; i < 10; i++) {
      expect(
        await code(
          env.services.accounts.signIn({ email: 'ada@example.org', password: `guess ${i}` }, client),
        ),
      ).toBe('UNAUTHORIZED');
    }
    expect(
      await code(
        env.services.accounts.signIn({ email: 'ada@example.org', password: 'correct horse battery' }, client),
      ),
    ).toBe('RATE_LIMITED');
    env.clock.advance(16 * 60_000);
    expect(
      await code(
        env.services.accounts.signIn({ email: 'ada@example.org', password: 'correct horse battery' }, client),
      ),
    ).toBe('ok');
  });

  it('expires sessions and signs out', async () => {
    const token = await signUp();
    expect(await env.services.accounts.authenticate(token)).not.toBeNull();
    await env.services.accounts.signOut(token);
    expect(await env.services.accounts.authenticate(token)).toBeNull();
    const again = await env.services.accounts.signIn(
      { email: 'ada@example.org', password: 'correct horse battery' },
      client,
    );
    env.clock.advance(31 * 86_400_000);
    expect(await env.services.accounts.authenticate(again.sessionToken)).toBeNull();
  });
});

describe('password reset', () => {
  it('mails a one-time link only to existing accounts and ends every session', async () => {
    const old = await signUp();
    await env.services.passwordResets.request('nobody@example.org', client);
    await env.mailed();
    expect(env.mails.filter((m) => m.to === 'nobody@example.org')).toHaveLength(0);
    await env.services.passwordResets.request('ada@example.org', client);
    await env.mailed();
    const token = env.lastLink('ada@example.org').split('/reset/')[1] ?? '';
    await env.services.passwordResets.check(token);
    expect(await code(env.services.passwordResets.reset(token, 'short'))).toBe('BAD_INPUT');
    const { sessionToken } = await env.services.passwordResets.reset(token, 'a brand new password');
    expect(await env.services.accounts.authenticate(old)).toBeNull();
    expect(await env.services.accounts.authenticate(sessionToken)).not.toBeNull();
    expect(await code(env.services.passwordResets.reset(token, 'yet another password'))).toBe('LINK_INVALID');
    expect(await code(env.services.accounts.confirm(token))).toBe('LINK_INVALID');
  });

  it('expires links after an hour', async () => {
    await signUp();
    await env.services.passwordResets.request('ada@example.org', client);
    await env.mailed();
    const token = env.lastLink('ada@example.org').split('/reset/')[1] ?? '';
    env.clock.advance(61 * 60_000);
    expect(await code(env.services.passwordResets.check(token))).toBe('LINK_INVALID');
  });
});

describe('settings and tokens', () => {
  it('changes password (keeping this session) and e-mail by link, and signs out everywhere', async () => {
    const here = await signUp();
    const elsewhere = (
      await env.services.accounts.signIn(
        { email: 'ada@example.org', password: 'correct horse battery' },
        client,
      )
    ).sessionToken;
    const user = (await env.services.accounts.authenticate(here))!;
    expect(
      await code(env.services.accountSettings.changePassword(user.id, 'wrong one!', 'new password 1', here)),
    ).toBe('UNAUTHORIZED');
    await env.services.accountSettings.changePassword(
      user.id,
      'correct horse battery',
      'new password 1',
      here,
    );
    expect(await env.services.accounts.authenticate(elsewhere)).toBeNull();
    expect(await env.services.accounts.authenticate(here)).not.toBeNull();
    await env.services.accountSettings.requestEmailChange(user, 'new password 1', 'ada@lovelace.org', {
      address: '::1',
    });
    await env.mailed();
    await env.services.accounts.confirm(env.lastLink('ada@lovelace.org').split('/confirm/')[1] ?? '');
    expect((await env.temp.store.users.get(user.id))?.email).toBe('ada@lovelace.org');
    expect(await env.services.accountSettings.signOutEverywhere(user.id)).toBe(1);
    expect(await env.services.accounts.authenticate(here)).toBeNull();
  });

  it('creates API tokens shown once, stored hashed, and revokes them', async () => {
    const user = (await env.services.accounts.authenticate(await signUp()))!;
    const { token, info } = await env.services.apiTokens.create(user.id, 'laptop');
    expect(token).toMatch(/^pb_/);
    expect(await env.services.apiTokens.authenticate(token)).toMatchObject({ id: user.id });
    expect(await env.services.apiTokens.authenticate(`${token}x`)).toBeNull();
    await env.services.apiTokens.revoke(user.id, info.id);
    expect(await env.services.apiTokens.authenticate(token)).toBeNull();
    expect(await code(env.services.apiTokens.revoke(user.id, info.id))).toBe('NOT_FOUND');
  });
});
