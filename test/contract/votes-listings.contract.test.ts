// Behaviour every store engine must share for votes and listings: the inputs of trending and browsing.
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

const H = 3_600_000;

async function seed(store: Store): Promise<{ ada: number; bob: number }> {
  await store.papers.upsertMany([
    paper({ arxivId: '2501.00003', title: 'Gamma', announced: '2025-01-03', categories: ['cs.CL'] }),
    paper({ arxivId: '2501.00001', title: 'Alpha', announced: '2025-01-03', categories: ['cs.CV'] }),
    paper({ arxivId: '2501.00002', title: 'Beta', announced: '2025-01-02', authors: ['Grace Hopper'] }),
    paper({ arxivId: '2501.00009', title: 'Later', announced: '2025-01-07' }),
  ]);
  const ada = (await store.users.create('ada@example.org', 'Ada', 'x'))?.id ?? 0;
  const bob = (await store.users.create('bob@example.org', 'Bob', 'x'))?.id ?? 0;
  return { ada, bob };
}

forEachEngine('votes and listings', (t) => {
  it('allows one vote per reader per paper, toggled, and counts them', async () => {
    const { ada, bob } = await seed(t.store);
    expect(await t.store.votes.set(ada, '2501.00001', true, 10 * H)).toEqual({ voted: true, count: 1 });
    expect(await t.store.votes.set(ada, '2501.00001', true, 11 * H)).toEqual({ voted: true, count: 1 });
    expect(await t.store.votes.set(bob, '2501.00001', true, 12 * H)).toEqual({ voted: true, count: 2 });
    expect(await t.store.votes.set(bob, '2501.00002', true, 12 * H)).toEqual({ voted: true, count: 1 });
    expect(await t.store.votes.set(ada, 'nope', true, 12 * H)).toBeNull();
    expect(await t.store.votes.counts(['2501.00001', '2501.00002', '2501.00003'])).toEqual(
      new Map([
        ['2501.00001', 2],
        ['2501.00002', 1],
      ]),
    );
    expect(await t.store.votes.counts([])).toEqual(new Map());
    expect(await t.store.votes.votedBy(bob, ['2501.00001', '2501.00002', '2501.00003'])).toEqual(
      new Set(['2501.00001', '2501.00002']),
    );
    expect(await t.store.votes.set(bob, '2501.00001', false, 13 * H)).toEqual({ voted: false, count: 1 });
    expect(await t.store.votes.has(bob, '2501.00001')).toBe(false);
    expect(await t.store.votes.has(ada, '2501.00001')).toBe(true);
  });

  it('lists a window newest day first, then by id, optionally in one category', async () => {
    await seed(t.store);
    const w = { from: '2025-01-02', to: '2025-01-04' };
    expect(await t.store.listings.windowIds(w)).toEqual(['2501.00001', '2501.00003', '2501.00002']);
    expect(await t.store.listings.windowIds({ ...w, category: 'cs.CL' })).toEqual([
      '2501.00003',
      '2501.00002',
    ]);
    expect(await t.store.listings.windowIds({ ...w, category: 'cs.CV' })).toEqual(['2501.00001']);
    expect(await t.store.listings.windowIds({ from: '2025-01-04', to: '2025-01-07' })).toEqual([]);
  });

  it('groups the votes on a window by paper and hour', async () => {
    const { ada, bob } = await seed(t.store);
    await t.store.votes.set(ada, '2501.00001', true, 10 * H + 5);
    await t.store.votes.set(bob, '2501.00001', true, 10 * H + 59 * 60_000);
    await t.store.votes.set(bob, '2501.00003', true, 12 * H);
    await t.store.votes.set(bob, '2501.00009', true, 12 * H);
    const rows = await t.store.listings.windowVotes({ from: '2025-01-02', to: '2025-01-04' });
    const sorted = [...rows].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    expect(sorted).toEqual([
      ['2501.00001', 10 * H, 2],
      ['2501.00003', 12 * H, 1],
    ]);
    expect(
      await t.store.listings.windowVotes({ from: '2025-01-02', to: '2025-01-04', category: 'cs.CV' }),
    ).toEqual([['2501.00001', 10 * H, 2]]);
  });

  it('finds neighbouring and latest days', async () => {
    await seed(t.store);
    expect(await t.store.listings.neighbours('2025-01-03')).toEqual({
      prev: '2025-01-02',
      next: '2025-01-07',
    });
    expect(await t.store.listings.neighbours('2025-01-02')).toEqual({ prev: null, next: '2025-01-03' });
    expect(await t.store.listings.neighbours('2025-01-07')).toEqual({ prev: '2025-01-03', next: null });
    expect(await t.store.listings.latestDay('2025-01-05')).toBe('2025-01-03');
    expect(await t.store.listings.latestDay('2025-01-07')).toBe('2025-01-07');
    expect(await t.store.listings.latestDay('2024-12-31')).toBeNull();
  });

  it('lists an author across spellings and a category, newest first, with totals', async () => {
    await seed(t.store);
    const byAda = await t.store.listings.byAuthor('LOVELACE, Ada', 2, 0);
    expect(byAda.total).toBe(3);
    expect(byAda.papers.map((p) => p.id)).toEqual(['2501.00009', '2501.00001']);
    expect((await t.store.listings.byAuthor('Ada Lovelace', 10, 2)).papers.map((p) => p.id)).toEqual([
      '2501.00003',
    ]);
    const cl = await t.store.listings.byCategory('cs.CL', 2, 0);
    expect(cl.total).toBe(3);
    expect(cl.papers.map((p) => p.id)).toEqual(['2501.00009', '2501.00003']);
  });

  it('moves the listing version when papers or votes change', async () => {
    const { ada } = await seed(t.store);
    const v1 = await t.store.listings.version();
    await t.store.votes.set(ada, '2501.00001', true, H);
    const v2 = await t.store.listings.version();
    expect(v2).not.toBe(v1);
    await t.store.papers.upsertMany([paper({ arxivId: '2501.00010', title: 'New' })]);
    expect(await t.store.listings.version()).not.toBe(v2);
  });
});
