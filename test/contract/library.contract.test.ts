// Behaviour every store engine must share for readers' libraries: saving, tags, paging and removal.
import { expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine('library repository', (t) => {
  async function seed(): Promise<number> {
    await t.store.papers.upsertMany(
      ['2501.00001', '2501.00002', '2501.00003'].map((id, i) => paper({ arxivId: id, title: `Paper ${i}` })),
    );
    return (await t.store.users.create('ada@example.org', 'Ada', 'x'))?.id ?? 0;
  }

  it('saves with tags, re-tags keeping the first save time, and refuses unknown papers', async () => {
    const ada = await seed();
    expect(await t.store.library.save(ada, '2501.00001', ['to-read', 'nlp'])).toBe(true);
    expect(await t.store.library.save(ada, 'nope', [])).toBe(false);
    const first = await t.store.library.get(ada, '2501.00001');
    expect(first).toEqual({
      paperId: '2501.00001',
      tags: ['to-read', 'nlp'],
      savedAt: '2026-11-28T12:00:00.000Z',
    });
    t.now = new Date('2026-11-29T08:00:00Z');
    expect(await t.store.library.save(ada, '2501.00001', ['nlp'])).toBe(true);
    expect(await t.store.library.get(ada, '2501.00001')).toEqual({ ...first, tags: ['nlp'] });
    expect(await t.store.library.tags(ada)).toEqual([{ tag: 'nlp', count: 1 }]);
    expect(await t.store.library.get(ada, '2501.00002')).toBeNull();
  });

  it('saves many papers at once like one save each, and names the ones it knew', async () => {
    const ada = await seed();
    await t.store.library.save(ada, '2501.00002', ['old']);
    const saved = await t.store.library.saveMany(
      ada,
      ['2501.00001', 'nope', '2501.00002'],
      ['import', 'nlp'],
    );
    expect(saved).toEqual(['2501.00001', '2501.00002']);
    expect(await t.store.library.get(ada, '2501.00001')).toEqual({
      paperId: '2501.00001',
      tags: ['import', 'nlp'],
      savedAt: '2026-11-28T12:00:00.000Z',
    });
    expect((await t.store.library.get(ada, '2501.00002'))?.tags).toEqual(['import', 'nlp']);
    expect(await t.store.library.tags(ada)).toEqual([
      { tag: 'import', count: 2 },
      { tag: 'nlp', count: 2 },
    ]);
    expect(await t.store.library.saveMany(ada, [], ['x'])).toEqual([]);
    expect(await t.store.library.saveMany(ada, ['2501.00003'], [])).toEqual(['2501.00003']);
    expect((await t.store.library.list(ada, { limit: 10, offset: 0 })).total).toBe(3);
  });

  it('lists newest save first, filters by tag, pages, and counts tags', async () => {
    const ada = await seed();
    await t.store.library.save(ada, '2501.00001', ['b', 'a']);
    t.now = new Date('2026-11-28T13:00:00Z');
    await t.store.library.save(ada, '2501.00002', ['a']);
    t.now = new Date('2026-11-28T14:00:00Z');
    await t.store.library.save(ada, '2501.00003', []);
    const all = await t.store.library.list(ada, { limit: 2, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.entries.map((e) => e.paperId)).toEqual(['2501.00003', '2501.00002']);
    expect((await t.store.library.list(ada, { limit: 2, offset: 2 })).entries.map((e) => e.paperId)).toEqual([
      '2501.00001',
    ]);
    const tagged = await t.store.library.list(ada, { tag: 'a', limit: 10, offset: 0 });
    expect(tagged).toMatchObject({ total: 2 });
    expect(tagged.entries.map((e) => e.paperId)).toEqual(['2501.00002', '2501.00001']);
    expect(await t.store.library.tags(ada)).toEqual([
      { tag: 'a', count: 2 },
      { tag: 'b', count: 1 },
    ]);
    expect(await t.store.library.savedAmong(ada, ['2501.00002', '2501.00009'])).toEqual(
      new Set(['2501.00002']),
    );
    expect(await t.store.library.savedAmong(ada, [])).toEqual(new Set());
  });

  it("removes a paper with its tags, and keeps readers' libraries apart", async () => {
    const ada = await seed();
    const bob = (await t.store.users.create('bob@example.org', 'Bob', 'x'))?.id ?? 0;
    await t.store.library.save(ada, '2501.00001', ['x']);
    await t.store.library.save(bob, '2501.00001', ['y']);
    expect(await t.store.library.remove(ada, '2501.00001')).toBe(true);
    expect(await t.store.library.remove(ada, '2501.00001')).toBe(false);
    expect(await t.store.library.remove(ada, 'nope')).toBe(false);
    expect(await t.store.library.tags(ada)).toEqual([]);
    expect(await t.store.library.list(bob, { limit: 10, offset: 0 })).toMatchObject({ total: 1 });
    expect(await t.store.library.tags(bob)).toEqual([{ tag: 'y', count: 1 }]);
  });
});
