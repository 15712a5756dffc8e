// Behaviour every store engine must share for For-you signals: follows, marks, searches, seen, texts, visits.
import { expect, it } from 'vitest';
import { titleKey } from '../../src/domain/index.ts';
import { sessionMerge } from '../../src/services/foryou/visit-session.ts';
import type { FollowKind, NotInterestedKind } from '../../src/store/foryou.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine('for-you repository', (t) => {
  const user = async (email = 'ada@example.org'): Promise<number> =>
    (await t.store.users.create(email, 'Ada', 'h'))?.id ?? 0;

  it('refuses a follow or mark of an unknown kind instead of reading it as already there', async () => {
    // SQLite's INSERT OR IGNORE used to swallow the CHECK violation and answer "already followed".
    const u = await user();
    await expect(t.store.forYou.follow(u, 'venue' as FollowKind, 'neurips', 'NeurIPS')).rejects.toThrow();
    await expect(
      t.store.forYou.markNotInterested(u, 'venue' as NotInterestedKind, 'neurips', 'NeurIPS'),
    ).rejects.toThrow();
    expect(await t.store.forYou.follow(u, 'category', 'cs.CL', 'cs.CL')).toBe(true);
    expect(await t.store.forYou.follow(u, 'category', 'cs.CL', 'cs.CL')).toBe(false);
  });

  it('follows and unfollows authors and categories, listed by kind then label', async () => {
    const u = await user();
    expect(await t.store.forYou.follow(u, 'category', 'cs.CL', 'cs.CL')).toBe(true);
    expect(await t.store.forYou.follow(u, 'author', 'lovelace ada', 'Ada Lovelace')).toBe(true);
    expect(await t.store.forYou.follow(u, 'author', 'babbage charles', 'Charles Babbage')).toBe(true);
    expect(await t.store.forYou.follow(u, 'author', 'lovelace ada', 'A. Lovelace')).toBe(false);
    expect((await t.store.forYou.follows(u)).map((f) => `${f.kind}:${f.label}`)).toEqual([
      'author:Ada Lovelace',
      'author:Charles Babbage',
      'category:cs.CL',
    ]);
    expect(await t.store.forYou.unfollow(u, 'author', 'lovelace ada')).toBe(true);
    expect(await t.store.forYou.unfollow(u, 'author', 'lovelace ada')).toBe(false);
    expect(await t.store.forYou.follows(await user('bob@example.org'))).toEqual([]);
  });

  it('marks papers and authors not interesting, newest mark first, and undoes marks', async () => {
    const u = await user();
    expect(await t.store.forYou.markNotInterested(u, 'paper', '2501.00001', 'A paper')).toBe(true);
    t.now = new Date('2026-11-28T13:00:00Z');
    expect(await t.store.forYou.markNotInterested(u, 'author', 'x y', 'X Y')).toBe(true);
    expect(await t.store.forYou.markNotInterested(u, 'author', 'x y', 'X Y')).toBe(false);
    expect(await t.store.forYou.notInterested(u)).toEqual([
      { kind: 'author', key: 'x y', label: 'X Y', createdAt: '2026-11-28T13:00:00.000Z' },
      { kind: 'paper', key: '2501.00001', label: 'A paper', createdAt: '2026-11-28T12:00:00.000Z' },
    ]);
    expect(await t.store.forYou.undoNotInterested(u, 'paper', '2501.00001')).toBe(true);
    expect(await t.store.forYou.undoNotInterested(u, 'paper', '2501.00001')).toBe(false);
  });

  it('keeps saved searches unique per text, in creation order', async () => {
    const u = await user();
    const a = await t.store.forYou.addSavedSearch(u, 'diffusion -survey');
    const b = await t.store.forYou.addSavedSearch(u, 'cat:cs.CL');
    expect(await t.store.forYou.addSavedSearch(u, 'diffusion -survey')).toEqual(a);
    expect((await t.store.forYou.savedSearches(u)).map((s) => s.query)).toEqual([
      'diffusion -survey',
      'cat:cs.CL',
    ]);
    expect(await t.store.forYou.removeSavedSearch(u, b.id)).toBe(true);
    expect(await t.store.forYou.removeSavedSearch(u, b.id)).toBe(false);
    expect(await t.store.forYou.savedSearches(u)).toEqual([a]);
  });

  it('records seen papers once and stores interest texts once per normalized title, newest first', async () => {
    const u = await user();
    expect(await t.store.forYou.markSeen(u, ['p1', 'p2', 'p1'])).toBe(2);
    expect(await t.store.forYou.markSeen(u, ['p2', 'p3'])).toBe(1);
    expect(await t.store.forYou.markSeen(u, [])).toBe(0);
    expect(await t.store.forYou.seenAmong(u, ['p1', 'p3', 'p9'])).toEqual(new Set(['p1', 'p3']));
    const text = (title: string) => ({ title, abstract: `About ${title}`, source: 'refs.bib' });
    expect(
      await t.store.forYou.addInterestTexts(
        u,
        [text('Deep Nets'), text('deep nets!'), text('Graphs'), text('')],
        100,
      ),
    ).toBe(2);
    expect(await t.store.forYou.addInterestTexts(u, [text('GRAPHS'), text('Trees')], 100)).toBe(1);
    expect((await t.store.forYou.interestTexts(u, 2)).map((x) => x.title)).toEqual(['Trees', 'Graphs']);
  });

  it('keeps only the newest interest texts of a reader, whatever one import or many add', async () => {
    const u = await user();
    const other = await user('bob@example.org');
    const text = (title: string) => ({ title, abstract: '', source: 'refs.bib' });
    await t.store.forYou.addInterestTexts(other, [text('Kept elsewhere')], 3);
    await t.store.forYou.addInterestTexts(u, ['One', 'Two', 'Three', 'Four'].map(text), 3);
    expect((await t.store.forYou.interestTexts(u, 10)).map((x) => x.title)).toEqual(['Four', 'Three', 'Two']);
    await t.store.forYou.addInterestTexts(u, [text('Five')], 3);
    expect((await t.store.forYou.interestTexts(u, 10)).map((x) => x.title)).toEqual([
      'Five',
      'Four',
      'Three',
    ]);
    expect((await t.store.forYou.interestTexts(other, 10)).map((x) => x.title)).toEqual(['Kept elsewhere']);
  });

  it('lists upvoted papers newest vote first, and tracks visits across sessions', async () => {
    const u = await user();
    await t.store.papers.upsertMany([paper(), paper({ arxivId: '2501.00002', title: 'Other' })]);
    await t.store.votes.set(u, '2501.00001', true, 1000);
    await t.store.votes.set(u, '2501.00002', true, 2000);
    expect(await t.store.forYou.votedPapers(u, 10)).toEqual([
      { paperId: '2501.00002', atMs: 2000 },
      { paperId: '2501.00001', atMs: 1000 },
    ]);
    const gap = 30 * 60_000;
    expect(await t.store.forYou.recordVisit(u, sessionMerge(gap))).toBeNull();
    t.now = new Date('2026-11-28T12:10:00Z');
    expect(await t.store.forYou.recordVisit(u, sessionMerge(gap))).toBeNull();
    t.now = new Date('2026-11-28T14:00:00Z');
    expect(await t.store.forYou.recordVisit(u, sessionMerge(gap))).toBe('2026-11-28T12:10:00.000Z');
    t.now = new Date('2026-11-28T14:05:00Z');
    expect(await t.store.forYou.recordVisit(u, sessionMerge(gap))).toBe('2026-11-28T12:10:00.000Z');
  });

  it('gives ranking candidates of a window and matches references by arXiv id, DOI, then title', async () => {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', announced: '2025-01-03' }),
      paper({ arxivId: '2501.00002', title: 'Second', announced: '2025-01-05', doi: '10.1/b' }),
      paper({ arxivId: null, version: null, title: 'Bib only', doi: null, announced: '2025-01-04' }),
    ]);
    const cands = await t.store.forYou.candidates('2025-01-03', '2025-01-05', 10);
    expect(cands.map((c) => [c.id.startsWith('pb:') ? 'pb' : c.id, c.day])).toEqual([
      ['pb', '2025-01-04'],
      ['2501.00001', '2025-01-03'],
    ]);
    expect(cands[1]).toMatchObject({
      title: 'A Study of Things',
      authors: ['Ada Lovelace', 'Charles Babbage'],
    });
    const bibKey = titleKey('Bib only', ['Ada Lovelace', 'Charles Babbage']);
    const matched = await t.store.forYou.matchPapers([
      { arxivId: '2501.00001', doi: null, titleKey: null },
      { arxivId: '9999.99999', doi: '10.1/b', titleKey: null },
      { arxivId: null, doi: null, titleKey: bibKey },
      { arxivId: null, doi: null, titleKey: '|no title' },
      { arxivId: null, doi: '10.9/none', titleKey: null },
    ]);
    expect(matched.map((m) => (m?.startsWith('pb:') ? 'pb' : m))).toEqual([
      '2501.00001',
      '2501.00002',
      'pb',
      null,
      null,
    ]);
  });

  it('gives a window as slim rows, its papers by given authors with their place, and what was seen in it', async () => {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', announced: '2025-01-03' }),
      paper({
        arxivId: '2501.00002',
        announced: '2025-01-04',
        authors: ['Grace Hopper', 'Ada Lovelace'],
        categories: ['cs.RO'],
      }),
      paper({ arxivId: '2501.00003', announced: '2025-01-09', authors: ['Ada Lovelace'] }),
    ]);
    const rows = await t.store.forYou.windowPapers('2025-01-03', '2025-01-05', 10);
    const cands = await t.store.forYou.candidates('2025-01-03', '2025-01-05', 10);
    expect(rows).toEqual(cands.map((c) => ({ id: c.id, day: c.day, categories: c.categories })));
    expect(rows[0]).toEqual({ id: '2501.00002', day: '2025-01-04', categories: ['cs.RO'] });
    const byAuthor = await t.store.forYou.authorPapers(
      ['ada lovelace', 'nobody'],
      '2025-01-03',
      '2025-01-05',
    );
    expect(byAuthor.sort((a, b) => a.paperId.localeCompare(b.paperId))).toEqual([
      { paperId: '2501.00001', position: 0, key: 'ada lovelace' },
      { paperId: '2501.00002', position: 1, key: 'ada lovelace' },
    ]);
    expect(await t.store.forYou.authorPapers([], '2025-01-03', '2025-01-05')).toEqual([]);
    const u = (await t.store.users.create('ada@example.org', 'Ada', 'h'))?.id ?? 0;
    await t.store.forYou.markSeen(u, ['2501.00002', '2501.00003']);
    expect(await t.store.forYou.seenBetween(u, '2025-01-03', '2025-01-05')).toEqual(new Set(['2501.00002']));
  });
});
