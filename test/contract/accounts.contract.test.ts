// Behaviour every store engine must share for accounts: users, sessions, API tokens and e-mailed links.
import { expect, it } from 'vitest';
import { forEachEngine } from './engines.ts';

forEachEngine('accounts repositories', (t) => {
  it('creates users with unique addresses and updates them', async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'hash-1');
    expect(ada).toEqual({
      id: ada?.id,
      email: 'ada@example.org',
      name: 'Ada',
      createdAt: '2026-11-28T12:00:00.000Z',
    });
    expect(await t.store.users.create('ada@example.org', 'Other', 'h')).toBeNull();
    const bob = await t.store.users.create('bob@example.org', '', 'hash-2');
    if (!ada || !bob) throw new Error('users not created');
    expect(await t.store.users.byEmail('ada@example.org')).toEqual({ user: ada, passwordHash: 'hash-1' });
    expect(await t.store.users.setEmail(bob.id, 'ada@example.org')).toBe(false);
    expect(await t.store.users.setEmail(bob.id, 'robert@example.org')).toBe(true);
    await t.store.users.setName(bob.id, 'Robert');
    await t.store.users.setPassword(bob.id, 'hash-3');
    expect(await t.store.users.get(bob.id)).toMatchObject({ email: 'robert@example.org', name: 'Robert' });
    expect(await t.store.users.passwordHash(bob.id)).toBe('hash-3');
    expect(await t.store.users.get(9999)).toBeNull();
    expect(await t.store.users.passwordHash(9999)).toBeNull();
    expect(await t.store.users.byEmail('nobody@example.org')).toBeNull();
    expect(await t.store.users.count()).toBe(2);
  });

  it('authenticates live sessions only, extends, deletes and purges them', async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'h');
    if (!ada) throw new Error('user not created');
    await t.store.sessions.create('s1', ada.id, '2026-11-28T13:00:00.000Z');
    await t.store.sessions.create('s2', ada.id, '2026-11-29T12:00:00.000Z');
    await t.store.sessions.create('s3', ada.id, '2026-11-29T12:00:00.000Z');
    expect(await t.store.sessions.get('s1')).toEqual({
      session: {
        userId: ada.id,
        createdAt: '2026-11-28T12:00:00.000Z',
        expiresAt: '2026-11-28T13:00:00.000Z',
      },
      user: ada,
    });
    t.now = new Date('2026-11-28T13:00:00Z');
    expect(await t.store.sessions.get('s1')).toBeNull();
    await t.store.sessions.extend('s2', '2026-12-30T00:00:00.000Z');
    expect((await t.store.sessions.get('s2'))?.session.expiresAt).toBe('2026-12-30T00:00:00.000Z');
    expect(await t.store.sessions.purgeExpired()).toBe(1);
    expect(await t.store.sessions.deleteForUser(ada.id, 's2')).toBe(1);
    expect(await t.store.sessions.get('s3')).toBeNull();
    await t.store.sessions.delete('s2');
    expect(await t.store.sessions.get('s2')).toBeNull();
    expect(await t.store.sessions.get('unknown')).toBeNull();
  });

  it('lists, uses (recording use at most once a minute) and revokes API tokens', async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'h');
    const bob = await t.store.users.create('bob@example.org', 'Bob', 'h');
    if (!ada || !bob) throw new Error('users not created');
    const a = await t.store.apiTokens.create(ada.id, 'laptop', 'pb_aa', 'hash-a');
    const b = await t.store.apiTokens.create(ada.id, 'ci', 'pb_bb', 'hash-b');
    expect(a).toEqual({
      id: a.id,
      name: 'laptop',
      prefix: 'pb_aa',
      createdAt: '2026-11-28T12:00:00.000Z',
      lastUsedAt: null,
    });
    expect((await t.store.apiTokens.list(ada.id)).map((x) => x.name)).toEqual(['laptop', 'ci']);
    t.now = new Date('2026-11-28T12:00:30Z');
    expect(await t.store.apiTokens.use('hash-a')).toEqual(ada);
    t.now = new Date('2026-11-28T12:00:50Z');
    await t.store.apiTokens.use('hash-a');
    expect((await t.store.apiTokens.list(ada.id))[0]?.lastUsedAt).toBe('2026-11-28T12:00:30.000Z');
    t.now = new Date('2026-11-28T12:01:10Z');
    await t.store.apiTokens.use('hash-a');
    expect((await t.store.apiTokens.list(ada.id))[0]?.lastUsedAt).toBe('2026-11-28T12:01:10.000Z');
    expect(await t.store.apiTokens.revoke(bob.id, b.id)).toBe(false);
    expect(await t.store.apiTokens.revoke(ada.id, b.id)).toBe(true);
    expect(await t.store.apiTokens.use('hash-b')).toBeNull();
    expect(await t.store.apiTokens.list(bob.id)).toEqual([]);
  });

  it("revokes all of one user's API tokens and no one else's", async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'h');
    const bob = await t.store.users.create('bob@example.org', 'Bob', 'h');
    if (!ada || !bob) throw new Error('users not created');
    await t.store.apiTokens.create(ada.id, 'laptop', 'pb_aa', 'hash-a');
    await t.store.apiTokens.create(ada.id, 'ci', 'pb_bb', 'hash-b');
    await t.store.apiTokens.create(bob.id, 'bob', 'pb_cc', 'hash-c');
    expect(await t.store.apiTokens.revokeAll(ada.id)).toBe(2);
    expect(await t.store.apiTokens.use('hash-a')).toBeNull();
    expect(await t.store.apiTokens.use('hash-b')).toBeNull();
    expect(await t.store.apiTokens.use('hash-c')).toEqual(bob);
    expect(await t.store.apiTokens.revokeAll(ada.id)).toBe(0);
  });

  it('consumes an e-mailed link once, never after it expires, and purges expired links', async () => {
    const token = {
      purpose: 'signup' as const,
      email: 'new@example.org',
      userId: null,
      payload: { name: 'New', passwordHash: 'h' },
      expiresAt: '2026-11-28T13:00:00.000Z',
    };
    await t.store.emailTokens.create('link-1', token);
    await t.store.emailTokens.create('link-2', { ...token, purpose: 'reset' });
    const expected = { ...token, createdAt: '2026-11-28T12:00:00.000Z' };
    expect(await t.store.emailTokens.peek('link-1')).toEqual(expected);
    expect(await t.store.emailTokens.consume('link-1')).toEqual(expected);
    expect(await t.store.emailTokens.consume('link-1')).toBeNull();
    expect(await t.store.emailTokens.peek('link-1')).toBeNull();
    t.now = new Date('2026-11-28T13:00:00Z');
    expect(await t.store.emailTokens.peek('link-2')).toBeNull();
    expect(await t.store.emailTokens.consume('link-2')).toBeNull();
    expect(await t.store.emailTokens.purgeExpired()).toBe(2);
  });

  it('ends every unused link of one purpose for a user, and only those', async () => {
    const ada = await t.store.users.create('ada@example.org', 'Ada', 'h');
    const bob = await t.store.users.create('bob@example.org', 'Bob', 'h');
    if (!ada || !bob) throw new Error('users not created');
    const link = (userId: number, purpose: 'reset' | 'email-change') => ({
      purpose,
      email: 'x@example.org',
      userId,
      payload: {},
      expiresAt: '2026-11-29T00:00:00.000Z',
    });
    await t.store.emailTokens.create('r1', link(ada.id, 'reset'));
    await t.store.emailTokens.create('r2', link(ada.id, 'reset'));
    await t.store.emailTokens.create('c1', link(ada.id, 'email-change'));
    await t.store.emailTokens.create('r3', link(bob.id, 'reset'));
    expect(await t.store.emailTokens.consume('r1')).not.toBeNull();
    expect(await t.store.emailTokens.consumeAll(ada.id, 'reset')).toBe(1);
    expect(await t.store.emailTokens.peek('r2')).toBeNull();
    expect(await t.store.emailTokens.consume('r2')).toBeNull();
    expect(await t.store.emailTokens.peek('c1')).not.toBeNull();
    expect(await t.store.emailTokens.peek('r3')).not.toBeNull();
  });

  it('lets exactly one of two concurrent uses consume a link', async () => {
    await t.store.emailTokens.create('link', {
      purpose: 'reset',
      email: 'a@example.org',
      userId: null,
      payload: {},
      expiresAt: '2026-11-29T00:00:00.000Z',
    });
    const results = await Promise.all([
      t.store.emailTokens.consume('link'),
      t.store.emailTokens.consume('link'),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
