// Behaviour every store engine must share for the discussion: threads, votes, reports, notifications, suspensions.
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

async function seed(store: Store): Promise<{ ada: number; bob: number; cy: number }> {
  await store.papers.upsertMany([
    paper({ arxivId: '2501.00001', title: 'Alpha', announced: '2025-01-03' }),
    paper({ arxivId: '2501.00002', title: 'Beta', announced: '2025-01-03' }),
  ]);
  const ada = (await store.users.create('ada@example.org', 'Ada', 'x'))?.id ?? 0;
  const bob = (await store.users.create('bob@example.org', 'Bob', 'x'))?.id ?? 0;
  const cy = (await store.users.create('cy@example.org', 'Cy', 'x'))?.id ?? 0;
  return { ada, bob, cy };
}

forEachEngine('discussion', (t) => {
  it('stores a thread in order, with authors, edits, deletions and hiding', async () => {
    const { ada, bob } = await seed(t.store);
    const d = t.store.discussion;
    expect(await d.add({ paperId: 'nope', userId: ada, parentId: null, body: 'x' })).toBeNull();
    const top = await d.add({ paperId: '2501.00001', userId: ada, parentId: null, body: 'First $x$' });
    expect(top).toMatchObject({ paperId: '2501.00001', parentId: null, authorName: 'Ada', votes: 0 });
    t.now = new Date(t.now.getTime() + 60_000);
    const reply = await d.add({ paperId: '2501.00001', userId: bob, parentId: top?.id ?? 0, body: 'Reply' });
    expect(reply?.parentId).toBe(top?.id);
    expect((await d.forPaper('2501.00001')).map((c) => c.body)).toEqual(['First $x$', 'Reply']);
    await d.edit(reply?.id ?? 0, 'Reply, edited');
    expect((await d.get(reply?.id ?? 0))?.editedAt).toBe(t.now.toISOString());
    await d.markDeleted(top?.id ?? 0);
    const gone = await d.get(top?.id ?? 0);
    expect(gone).toMatchObject({ body: '', deletedAt: t.now.toISOString() });
    expect(await d.counts(['2501.00001', '2501.00002'])).toEqual(new Map([['2501.00001', 1]]));
    await d.setHidden(reply?.id ?? 0, true);
    expect(await d.counts(['2501.00001'])).toEqual(new Map());
    expect(await d.byAuthor(bob, 10)).toEqual([]);
    await d.setHidden(reply?.id ?? 0, false);
    expect((await d.byAuthor(bob, 10)).map((c) => c.body)).toEqual(['Reply, edited']);
    expect(await d.countByAuthor(ada, '')).toBe(1);
    expect(await d.countByAuthor(ada, t.now.toISOString())).toBe(0);
  });

  it('counts one vote per reader per comment', async () => {
    const { ada, bob } = await seed(t.store);
    const d = t.store.discussion;
    const c = await d.add({ paperId: '2501.00001', userId: ada, parentId: null, body: 'Hi' });
    const id = c?.id ?? 0;
    expect(await d.vote(bob, id, true, 1)).toBe(1);
    expect(await d.vote(bob, id, true, 2)).toBe(1);
    expect(await d.vote(ada, id, true, 3)).toBe(2);
    expect(await d.votedAmong(bob, [id, 999])).toEqual(new Set([id]));
    expect(await d.vote(bob, id, false, 4)).toBe(1);
    expect((await d.get(id))?.votes).toBe(1);
  });

  it('queues reports once per reader until resolved', async () => {
    const { ada, bob, cy } = await seed(t.store);
    const d = t.store.discussion;
    const c = await d.add({ paperId: '2501.00001', userId: ada, parentId: null, body: 'Spam' });
    const id = c?.id ?? 0;
    expect(await d.report(id, bob, 'spam')).toBe(true);
    expect(await d.report(id, bob, 'again')).toBe(false);
    t.now = new Date(t.now.getTime() + 1000);
    expect(await d.report(id, cy, 'rude')).toBe(true);
    const queue = await d.openReports(10);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ commentId: id, reports: 2, reasons: ['rude', 'spam'] });
    expect(queue[0]?.comment.body).toBe('Spam');
    expect(await d.resolveReports(id)).toBe(2);
    expect(await d.openReports(10)).toEqual([]);
  });

  it('notifies the parent author and library readers, never the writer, once each', async () => {
    const { ada, bob, cy } = await seed(t.store);
    const d = t.store.discussion;
    await t.store.library.save(ada, '2501.00001', []);
    await t.store.library.save(cy, '2501.00001', []);
    const top = await d.add({ paperId: '2501.00001', userId: ada, parentId: null, body: 'Mine' });
    // Ada wrote it: Cy (library) hears, Ada does not.
    expect(await d.unreadCount(ada)).toBe(0);
    expect((await d.notifications(cy, 10)).map((n) => n.kind)).toEqual(['library']);
    const reply = await d.add({ paperId: '2501.00001', userId: bob, parentId: top?.id ?? 0, body: 'Yours' });
    const adas = await d.notifications(ada, 10);
    expect(adas).toHaveLength(1);
    expect(adas[0]).toMatchObject({
      kind: 'reply',
      commentId: reply?.id,
      paperId: '2501.00001',
      paperTitle: 'Alpha',
      authorName: 'Bob',
      body: 'Yours',
      readAt: null,
    });
    expect(await d.unreadCount(cy)).toBe(2);
    expect(await d.markAllRead(cy)).toBe(2);
    expect(await d.unreadCount(cy)).toBe(0);
    // Hidden comments drop out of notifications.
    await d.setHidden(reply?.id ?? 0, true);
    expect(await d.notifications(ada, 10)).toEqual([]);
    expect(await d.unreadCount(ada)).toBe(0);
    expect(await d.notifications(cy, 10, '2999-01-01')).toEqual([]);
  });

  it('suspends and restores an account', async () => {
    const { ada, bob } = await seed(t.store);
    const d = t.store.discussion;
    expect(await d.isSuspended(bob)).toBe(false);
    await d.suspend(bob, ada);
    await d.suspend(bob, ada);
    expect(await d.isSuspended(bob)).toBe(true);
    await d.unsuspend(bob);
    expect(await d.isSuspended(bob)).toBe(false);
  });

  it('moves the listing version when comments change (cached pages show counts)', async () => {
    const { ada } = await seed(t.store);
    const before = await t.store.listings.version();
    await t.store.discussion.add({ paperId: '2501.00001', userId: ada, parentId: null, body: 'Hi' });
    expect(await t.store.listings.version()).not.toBe(before);
  });
});
