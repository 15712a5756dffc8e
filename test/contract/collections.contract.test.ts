// Behaviour every store engine must share for collections, their votes, profiles and submissions.
import { expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine('collections and profiles', (t) => {
  async function seed(): Promise<{ ada: number; bob: number }> {
    await t.store.papers.upsertMany(
      ['2501.00001', '2501.00002', '2501.00003'].map((id, i) => paper({ arxivId: id, title: `Paper ${i}` })),
    );
    const ada = (await t.store.users.create('ada@example.org', 'Ada', 'x'))?.id ?? 0;
    const bob = (await t.store.users.create('bob@example.org', 'Bob', 'x'))?.id ?? 0;
    return { ada, bob };
  }
  const base = { description: 'Reading list', public: true };

  it('creates with a unique slug, reads, updates and deletes', async () => {
    const { ada } = await seed();
    const made = await t.store.collections.create({ ...base, slug: 'vit-abc', userId: ada, title: 'ViT' });
    expect(made).toMatchObject({
      slug: 'vit-abc',
      ownerId: ada,
      title: 'ViT',
      public: true,
      papers: 0,
      votes: 0,
      createdAt: '2026-11-28T12:00:00.000Z',
    });
    expect(
      await t.store.collections.create({ ...base, slug: 'vit-abc', userId: ada, title: 'Again' }),
    ).toBeNull();
    t.now = new Date('2026-11-29T00:00:00Z');
    await t.store.collections.update(made?.id ?? 0, { title: 'ViTs', description: '', public: false });
    expect(await t.store.collections.bySlug('vit-abc')).toMatchObject({
      title: 'ViTs',
      public: false,
      updatedAt: '2026-11-29T00:00:00.000Z',
    });
    expect(await t.store.collections.countByOwner(ada)).toBe(1);
    expect(await t.store.collections.delete(made?.id ?? 0)).toBe(true);
    expect(await t.store.collections.bySlug('vit-abc')).toBeNull();
  });

  it('adds papers at the end with notes, updates notes, removes, and reorders exactly its papers', async () => {
    const { ada } = await seed();
    const c = await t.store.collections.create({ ...base, slug: 's1', userId: ada, title: 'T' });
    const id = c?.id ?? 0;
    expect(await t.store.collections.putPaper(id, '2501.00002', 'first <b>')).toBe('added');
    expect(await t.store.collections.putPaper(id, '2501.00001', null)).toBe('added');
    expect(await t.store.collections.putPaper(id, '2501.00003', '')).toBe('added');
    expect(await t.store.collections.putPaper(id, 'nope', 'x')).toBeNull();
    expect(await t.store.collections.putPaper(id, '2501.00001', 'later note')).toBe('updated');
    expect(await t.store.collections.putPaper(id, '2501.00002', null)).toBe('updated');
    const entries = await t.store.collections.entries(id);
    expect(entries.map((e) => [e.paperId, e.note, e.position])).toEqual([
      ['2501.00002', 'first <b>', 0],
      ['2501.00001', 'later note', 1],
      ['2501.00003', '', 2],
    ]);
    expect(await t.store.collections.reorder(id, ['2501.00003', '2501.00002'])).toBe(false);
    expect(await t.store.collections.reorder(id, ['2501.00003', '2501.00002', '2501.00002'])).toBe(false);
    expect(await t.store.collections.reorder(id, ['2501.00003', '2501.00002', 'nope'])).toBe(false);
    expect(await t.store.collections.reorder(id, ['2501.00003', '2501.00002', '2501.00001'])).toBe(true);
    expect((await t.store.collections.entries(id)).map((e) => e.paperId)).toEqual([
      '2501.00003',
      '2501.00002',
      '2501.00001',
    ]);
    expect(await t.store.collections.removePaper(id, '2501.00002')).toBe(true);
    expect(await t.store.collections.removePaper(id, '2501.00002')).toBe(false);
    expect(await t.store.collections.putPaper(id, '2501.00002', null)).toBe('added');
    expect((await t.store.collections.entries(id)).map((e) => [e.paperId, e.position])).toEqual([
      ['2501.00003', 0],
      ['2501.00001', 1],
      ['2501.00002', 2],
    ]);
    expect((await t.store.collections.bySlug('s1'))?.papers).toBe(3);
  });

  it('lists public collections by votes and by change, per owner, and by paper; votes once per reader', async () => {
    const { ada, bob } = await seed();
    const a = await t.store.collections.create({ ...base, slug: 'a', userId: ada, title: 'A' });
    t.now = new Date('2026-11-28T13:00:00Z');
    const b = await t.store.collections.create({ ...base, slug: 'b', userId: ada, title: 'B' });
    const hidden = await t.store.collections.create({
      ...base,
      slug: 'h',
      userId: ada,
      title: 'H',
      public: false,
    });
    await t.store.collections.create({ ...base, slug: 'empty', userId: bob, title: 'Empty' });
    for (const c of [a, b, hidden]) await t.store.collections.putPaper(c?.id ?? 0, '2501.00001', null);
    t.now = new Date('2026-11-28T14:00:00Z');
    await t.store.collections.putPaper(a?.id ?? 0, '2501.00002', null);
    expect(await t.store.collections.vote(bob, b?.id ?? 0, true)).toBe(1);
    expect(await t.store.collections.vote(bob, b?.id ?? 0, true)).toBe(1);
    expect(await t.store.collections.vote(ada, b?.id ?? 0, true)).toBe(2);
    expect(await t.store.collections.votedBy(bob, [a?.id ?? 0, b?.id ?? 0])).toEqual(new Set([b?.id]));
    expect(await t.store.collections.votedBy(bob, [])).toEqual(new Set());
    const popular = await t.store.collections.listPublic({ order: 'popular', limit: 10, offset: 0 });
    expect(popular.total).toBe(2);
    expect(popular.collections.map((c) => [c.slug, c.votes])).toEqual([
      ['b', 2],
      ['a', 0],
    ]);
    const recent = await t.store.collections.listPublic({ order: 'recent', limit: 1, offset: 0 });
    expect(recent.collections.map((c) => c.slug)).toEqual(['a']);
    expect((await t.store.collections.publicWithPaper('2501.00001', 10)).map((c) => c.slug)).toEqual([
      'b',
      'a',
    ]);
    expect(
      (await t.store.collections.byOwner(ada, { publicOnly: true, limit: 10, offset: 0 })).map((c) => c.slug),
    ).toEqual(['a', 'b']);
    expect((await t.store.collections.byOwner(ada, { publicOnly: false, limit: 10, offset: 0 })).length).toBe(
      3,
    );
    expect(await t.store.collections.vote(bob, b?.id ?? 0, false)).toBe(1);
    // A deleted paper leaves every collection.
    await t.store.papers.delete('2501.00001');
    expect((await t.store.collections.entries(a?.id ?? 0)).map((e) => e.paperId)).toEqual(['2501.00002']);
  });

  it('moves the data version (anonymous page caches) when collections, submissions or handles change', async () => {
    const { ada } = await seed();
    let last = await t.store.listings.version();
    const moved = async (): Promise<boolean> => {
      const now = await t.store.listings.version();
      const changed = now !== last;
      last = now;
      return changed;
    };
    const c = await t.store.collections.create({ ...base, slug: 'v', userId: ada, title: 'V' });
    expect(await moved()).toBe(true);
    await t.store.collections.putPaper(c?.id ?? 0, '2501.00001', 'n');
    expect(await moved()).toBe(true);
    await t.store.profiles.recordSubmission(ada, '2501.00002');
    expect(await moved()).toBe(true);
    await t.store.profiles.setHandle(ada, 'ada');
    expect(await moved()).toBe(true);
    await t.store.collections.update(c?.id ?? 0, { title: 'V', description: '', public: false });
    expect(await moved()).toBe(true);
  });

  it('keeps handles unique ignoring case, and the upvote setting off until turned on', async () => {
    const { ada, bob } = await seed();
    expect(await t.store.profiles.get(ada)).toBeNull();
    expect(await t.store.profiles.setShowUpvotes(ada, true)).toBe(false);
    expect(await t.store.profiles.setHandle(ada, 'Ada_L')).toBe(true);
    expect(await t.store.profiles.setHandle(bob, 'ada_l')).toBe(false);
    expect(await t.store.profiles.byHandle('ADA_l')).toEqual({
      userId: ada,
      handle: 'Ada_L',
      name: 'Ada',
      showUpvotes: false,
    });
    expect(await t.store.profiles.setHandle(ada, 'ada-lovelace')).toBe(true);
    expect(await t.store.profiles.byHandle('ada_l')).toBeNull();
    expect(await t.store.profiles.setHandle(bob, 'Ada_L')).toBe(true);
    expect(await t.store.profiles.setShowUpvotes(ada, true)).toBe(true);
    expect((await t.store.profiles.get(ada))?.showUpvotes).toBe(true);
    expect(await t.store.profiles.handlesOf([ada, bob, 999])).toEqual(
      new Map([
        [ada, 'ada-lovelace'],
        [bob, 'Ada_L'],
      ]),
    );
  });

  it('records the first submitter of a paper, and lists submissions and upvotes newest first', async () => {
    const { ada, bob } = await seed();
    await t.store.profiles.setHandle(ada, 'ada');
    expect(await t.store.profiles.recordSubmission(ada, '2501.00001')).toBe(true);
    expect(await t.store.profiles.recordSubmission(bob, '2501.00001')).toBe(true);
    expect(await t.store.profiles.recordSubmission(bob, 'nope')).toBe(false);
    t.now = new Date('2026-11-28T13:00:00Z');
    await t.store.profiles.recordSubmission(bob, '2501.00002');
    await t.store.profiles.recordSubmission(ada, '2501.00003');
    expect(await t.store.profiles.submitter('2501.00001')).toEqual({
      userId: ada,
      handle: 'ada',
      name: 'Ada',
      submittedAt: '2026-11-28T12:00:00.000Z',
    });
    const many = await t.store.profiles.submitters(['2501.00001', '2501.00002', 'x']);
    expect(many.get('2501.00002')).toMatchObject({ userId: bob, handle: null, name: 'Bob' });
    expect(many.size).toBe(2);
    expect(await t.store.profiles.submittedBy(ada, 10, 0)).toEqual({
      paperIds: ['2501.00003', '2501.00001'],
      total: 2,
    });
    await t.store.votes.set(ada, '2501.00002', true, 1000);
    await t.store.votes.set(ada, '2501.00001', true, 2000);
    expect(await t.store.profiles.upvotedBy(ada, 1, 0)).toEqual({ paperIds: ['2501.00001'], total: 2 });
  });
});
