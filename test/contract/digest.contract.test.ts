// Behaviour every store engine must share for digests: subscriptions, the outbox (claim once), attempts.
import { expect, it } from 'vitest';
import { storedError } from '../../src/services/digest/stored-error.ts';
import type { DigestContentRef } from '../../src/store/digest.ts';
import { forEachEngine } from './engines.ts';

const content = (...ids: string[]): DigestContentRef => ({
  sections: [{ name: 'trending', title: 'Trending', paperIds: ids }],
});

forEachEngine('digest repository', (t) => {
  async function activeSub(email: string): Promise<number> {
    const s = await t.store.digest.upsertPending(email, null, `confirm-${email}`);
    await t.store.digest.confirm(`confirm-${email}`, '2000-01-01T00:00:00.000Z');
    return s.id;
  }

  it('creates a pending subscription, renews its token, confirms it once and keeps its account', async () => {
    const user = await t.store.users.create('ada@example.org', 'Ada', 'h');
    const s = await t.store.digest.upsertPending('ada@example.org', null, 'tok-1');
    expect(s).toMatchObject({
      status: 'pending',
      userId: null,
      frequency: 'daily',
      sendHour: 7,
      timeZone: 'UTC',
    });
    expect(s).toMatchObject({ weekday: 1, sections: ['trending'], maxPapers: 10, confirmedAt: null });
    t.now = new Date('2026-11-28T12:10:00Z');
    const again = await t.store.digest.upsertPending('ada@example.org', user?.id ?? null, 'tok-2');
    expect(again).toMatchObject({ id: s.id, userId: user?.id, createdAt: s.createdAt });
    expect(await t.store.digest.confirm('tok-1', '2000-01-01T00:00:00.000Z')).toBeNull();
    expect(await t.store.digest.confirm('tok-2', '2026-11-28T12:10:00.000Z')).toBeNull();
    const confirmed = await t.store.digest.confirm('tok-2', '2026-11-28T12:00:00.000Z');
    expect(confirmed).toMatchObject({ id: s.id, status: 'active', confirmedAt: '2026-11-28T12:10:00.000Z' });
    expect(await t.store.digest.confirm('tok-2', '2000-01-01T00:00:00.000Z')).toBeNull();
    expect(await t.store.digest.upsertPending('ada@example.org', null, 'tok-3')).toMatchObject({
      userId: user?.id,
    });
    expect(await t.store.digest.byUser(user?.id ?? 0)).toHaveLength(1);
  });

  it('updates settings and status, links accounts, and pages active subscriptions in id order', async () => {
    const a = await activeSub('a@example.org');
    const b = await activeSub('b@example.org');
    const c = await activeSub('c@example.org');
    const user = await t.store.users.create('b@example.org', 'B', 'h');
    await t.store.digest.setStatus(b, 'unsubscribed');
    const settings = {
      frequency: 'weekly' as const,
      sendHour: 18,
      timeZone: 'Europe/Berlin',
      weekday: 5,
      sections: ['trending' as const, 'foryou' as const],
      maxPapers: 25,
    };
    await t.store.digest.updateSettings(c, settings);
    expect(await t.store.digest.get(c)).toMatchObject(settings);
    expect((await t.store.digest.active(0, 10)).map((s) => s.id)).toEqual([a, c]);
    expect((await t.store.digest.active(a, 10)).map((s) => s.id)).toEqual([c]);
    expect((await t.store.digest.active(0, 1)).map((s) => s.id)).toEqual([a]);
    await t.store.digest.linkUser(b, user?.id ?? 0);
    await t.store.digest.linkUser(b, 999);
    expect(await t.store.digest.byEmail('b@example.org')).toMatchObject({
      status: 'unsubscribed',
      userId: user?.id,
    });
    expect(await t.store.digest.get(9999)).toBeNull();
    expect(await t.store.digest.byEmail('nobody@example.org')).toBeNull();
  });

  it('queues one digest per subscriber and date, recording the papers sent', async () => {
    const a = await activeSub('a@example.org');
    expect(await t.store.digest.enqueue(a, '2026-11-28', 'm1', content('p1', 'p2'))).toBe(true);
    expect(await t.store.digest.enqueue(a, '2026-11-28', 'm1b', content('p3'))).toBe(false);
    expect(await t.store.digest.enqueue(a, '2026-11-27', 'm0', content(), 'skipped')).toBe(true);
    expect(await t.store.digest.hasDigest(a, '2026-11-28')).toBe(true);
    expect(await t.store.digest.hasDigest(a, '2026-11-29')).toBe(false);
    expect(await t.store.digest.lastDigestDate(a)).toBe('2026-11-28');
    expect(await t.store.digest.sentAmong(a, ['p1', 'p2', 'p3'])).toEqual(new Set(['p1', 'p2']));
    const items = await t.store.digest.outbox(a);
    expect(items.map((i) => [i.digestDate, i.status, i.messageId])).toEqual([
      ['2026-11-27', 'skipped', 'm0'],
      ['2026-11-28', 'queued', 'm1'],
    ]);
    expect(items[1]).toMatchObject({
      content: content('p1', 'p2'),
      attempts: 0,
      leaseUntil: null,
      owner: null,
    });
    expect(await t.store.digest.counts()).toEqual({
      queued: 1,
      sending: 0,
      sent: 0,
      failed: 0,
      bounced: 0,
      skipped: 1,
    });
  });

  it('claims each due row once, takes over expired or dead leases, and sends exactly once', async () => {
    const subs = [
      await activeSub('a@example.org'),
      await activeSub('b@example.org'),
      await activeSub('c@example.org'),
    ];
    for (const [i, s] of subs.entries())
      await t.store.digest.enqueue(s, '2026-11-28', `m${i}`, content(`p${i}`));
    const lease = '2026-11-28T12:05:00.000Z';
    const [x, y] = await Promise.all([
      t.store.digest.claim('node-a', 2, lease, () => false),
      t.store.digest.claim('node-b', 2, lease, () => false),
    ]);
    const ids = [...x, ...y].map((i) => i.id);
    expect(new Set(ids).size).toBe(3);
    expect(
      [...x, ...y].every((i) => i.status === 'sending' && i.attempts === 1 && i.leaseUntil === lease),
    ).toBe(true);
    expect(await t.store.digest.claim('node-c', 10, lease, () => false)).toEqual([]);
    const deadOwner = x[0]?.owner ?? '';
    const stolen = await t.store.digest.claim('node-c', 10, lease, (o) => o === deadOwner);
    expect(stolen.map((i) => i.id).sort()).toEqual(
      [...x, ...y]
        .filter((i) => i.owner === deadOwner)
        .map((i) => i.id)
        .sort(),
    );
    expect(stolen.every((i) => i.attempts === 2 && i.owner === 'node-c')).toBe(true);
    const first = stolen[0];
    if (!first) throw new Error('nothing stolen');
    await t.store.digest.markSent(first.id, deadOwner);
    expect((await t.store.digest.outbox(first.subscriptionId))[0]?.status).toBe('sending');
    await t.store.digest.markSent(first.id, 'node-c');
    const sent = (await t.store.digest.outbox(first.subscriptionId))[0];
    expect(sent).toMatchObject({ status: 'sent', sentAt: '2026-11-28T12:00:00.000Z', leaseUntil: null });
    t.now = new Date('2026-11-28T12:05:00Z');
    const expired = await t.store.digest.claim('node-d', 10, '2026-11-28T12:10:00.000Z', () => false);
    expect(expired.map((i) => i.id).sort()).toEqual(ids.filter((id) => id !== first.id).sort());
    expect(await t.store.digest.counts()).toMatchObject({ sent: 1, sending: 2, queued: 0 });
  });

  it('retries, gives up, bounces, and logs attempts', async () => {
    const a = await activeSub('a@example.org');
    const b = await activeSub('b@example.org');
    await t.store.digest.enqueue(a, '2026-11-28', 'ma', content('p1'));
    await t.store.digest.enqueue(b, '2026-11-28', 'mb', content('p1'));
    const lease = '2026-11-28T12:05:00.000Z';
    const [ia] = await t.store.digest.claim('n', 1, lease, () => false, a);
    if (!ia) throw new Error('nothing claimed');
    expect(ia.subscriptionId).toBe(a);
    const attempt = {
      outboxId: ia.id,
      attempt: 1,
      at: '2026-11-28T12:00:01.000Z',
      outcome: 'transient' as const,
      smtpCode: 451,
      detail: 'try later',
    };
    await t.store.digest.recordAttempt(attempt);
    await t.store.digest.markRetry(
      ia.id,
      'n',
      storedError('x'.repeat(600)),
      '2026-11-28T12:30:00.000Z',
      false,
    );
    const queued = (await t.store.digest.outbox(a))[0];
    expect(queued).toMatchObject({
      status: 'queued',
      nextAttemptAt: '2026-11-28T12:30:00.000Z',
      leaseUntil: null,
    });
    expect(queued?.lastError).toHaveLength(500);
    expect(await t.store.digest.nextRetryAt()).toBe('2026-11-28T12:00:00.000Z');
    expect(await t.store.digest.claim('n', 5, lease, () => false, a)).toEqual([]);
    t.now = new Date('2026-11-28T12:30:00Z');
    const [again] = await t.store.digest.claim('n', 5, '2026-11-28T12:35:00.000Z', () => false, a);
    expect(again?.attempts).toBe(2);
    await t.store.digest.markRetry(ia.id, 'n', 'gave up', '2026-11-28T13:30:00.000Z', true);
    expect((await t.store.digest.outbox(a))[0]?.status).toBe('failed');
    const [ib] = await t.store.digest.claim('n', 5, '2026-11-28T12:35:00.000Z', () => false);
    if (!ib) throw new Error('nothing claimed');
    await t.store.digest.markBounced(ib.id, 'n', 'mailbox unknown');
    expect((await t.store.digest.outbox(b))[0]).toMatchObject({
      status: 'bounced',
      lastError: 'mailbox unknown',
    });
    expect((await t.store.digest.get(b))?.status).toBe('bouncing');
    expect(await t.store.digest.attempts(ia.id)).toEqual([attempt]);
    expect(await t.store.digest.nextRetryAt()).toBeNull();
    expect(await t.store.digest.counts()).toMatchObject({ failed: 1, bounced: 1, queued: 0 });
  });
});
