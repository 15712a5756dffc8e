// Votes, the library and listings against a real SQLite store: toggles, tags, exports, trending windows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/index.ts';
import { paper } from '../helpers/temp-store.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';

let env: ReaderEnv;
let ada: User;
let bob: User;

beforeEach(async () => {
  env = await readerEnv();
  const store = env.temp.store;
  ada = (await store.users.create('ada@example.org', 'Ada', 'x'))!;
  bob = (await store.users.create('bob@example.org', 'Bob', 'x'))!;
  await env.addPapers([
    paper({ arxivId: '2607.00001', title: 'First of the day', announced: '2026-07-01' }),
    paper({
      arxivId: '2607.00002',
      title: 'Second of the day',
      announced: '2026-07-01',
      authors: ['Grace Hopper'],
    }),
    paper({ arxivId: '2607.00003', title: 'A day later', announced: '2026-07-02', categories: ['cs.CV'] }),
    paper({ arxivId: '2606.00009', title: 'Last month', announced: '2026-06-10' }),
  ]);
});
afterEach(async () => env.cleanup());

describe('votes', () => {
  it('allows one vote per reader per paper, toggled', async () => {
    const v = env.services.votes;
    expect(await v.toggle(ada.id, '2607.00002')).toEqual({ paperId: '2607.00002', voted: true, count: 1 });
    expect(await v.set(ada.id, 'arXiv:2607.00002v3', true)).toMatchObject({ voted: true, count: 1 });
    expect(await v.toggle(bob.id, 'https://arxiv.org/abs/2607.00002')).toMatchObject({ count: 2 });
    expect(await v.toggle(ada.id, '2607.00002')).toMatchObject({ voted: false, count: 1 });
    await expect(v.toggle(ada.id, '9999.99999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await v.votedBy(bob.id, ['2607.00001', '2607.00002'])).toEqual(new Set(['2607.00002']));
  });
});

describe('listings', () => {
  it('ranks a day by trending and keeps newest-then-listing order without votes', async () => {
    const day = {
      period: 'day' as const,
      key: '2026-07-01',
      sort: 'trending' as const,
      limit: 10,
      offset: 0,
    };
    let l = await env.services.listings.window(day);
    expect(l.items.map((i) => i.paper.id)).toEqual(['2607.00001', '2607.00002']);
    expect(l.prev?.key).toBe('2026-06-10');
    expect(l.next?.key).toBe('2026-07-02');
    await env.services.votes.toggle(ada.id, '2607.00002');
    l = await env.services.listings.window(day);
    expect(l.items.map((i) => [i.paper.id, i.votes])).toEqual([
      ['2607.00002', 1],
      ['2607.00001', 0],
    ]);
  });

  it('lets fresh votes outweigh old ones in a week, and sorts by count or date on request', async () => {
    await env.services.votes.toggle(ada.id, '2607.00001');
    await env.services.votes.toggle(bob.id, '2607.00001');
    env.clock.advance(10 * 86_400_000);
    await env.services.votes.toggle(ada.id, '2607.00003');
    const week = { period: 'week' as const, key: '2026-W27', limit: 10, offset: 0 };
    const trending = await env.services.listings.window({ ...week, sort: 'trending' });
    expect(trending.items.map((i) => i.paper.id)).toEqual(['2607.00003', '2607.00001', '2607.00002']);
    const votes = await env.services.listings.window({ ...week, sort: 'votes' });
    expect(votes.items.map((i) => i.paper.id)).toEqual(['2607.00001', '2607.00003', '2607.00002']);
    const newest = await env.services.listings.window({ ...week, sort: 'newest', category: 'cs.CL' });
    expect(newest.items.map((i) => i.paper.id)).toEqual(['2607.00001', '2607.00002']);
  });

  it('defaults to the latest day with papers and refuses bad dates', async () => {
    const l = await env.services.listings.window({ period: 'day', sort: 'trending', limit: 5, offset: 0 });
    expect(l.window.key).toBe('2026-07-02');
    expect(l.next).toBeNull();
    for (const key of ['2026-02-30', '2026-13', 'yesterday', '2026-W54']) {
      const period = key.includes('W') ? 'week' : key.length === 7 ? 'month' : 'day';
      await expect(
        env.services.listings.window({ period, key, sort: 'newest', limit: 5, offset: 0 }),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
  });

  it('lists an author across spellings and a category', async () => {
    const a = await env.services.listings.author('hopper, grace', 10, 0);
    expect(a.total).toBe(1);
    expect(a.items[0]?.paper.id).toBe('2607.00002');
    expect((await env.services.listings.category('cs.CV', 10, 0)).total).toBe(1);
    await expect(env.services.listings.category('<script>', 10, 0)).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});

describe('library', () => {
  it('saves with tags, filters by tag, exports BibTeX and CSL-JSON, and removes', async () => {
    const lib = env.services.library;
    await lib.save(ada.id, '2607.00001', 'To Read, vision');
    await lib.save(ada.id, '2607.00002', ['to-read']);
    await lib.save(bob.id, '2607.00003', 'other');
    const page = await lib.list(ada.id, { tag: 'to-read', limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.tags).toEqual([
      { tag: 'to-read', count: 2 },
      { tag: 'vision', count: 1 },
    ]);
    const bib = await lib.export(ada.id, 'bibtex', 'vision');
    expect(bib).toMatch(/^@misc\{lovelace2025first,/);
    expect(bib).toContain('eprint = {2607.00001}');
    const csl = JSON.parse(await lib.export(ada.id, 'csl-json')) as { id: string; author: unknown[] }[];
    expect(csl.map((c) => c.id).sort()).toEqual(['2607.00001', '2607.00002']);
    await lib.save(ada.id, '2607.00001', '');
    expect((await lib.list(ada.id, { tag: 'vision', limit: 10, offset: 0 })).total).toBe(0);
    await lib.remove(ada.id, '2607.00001');
    await expect(lib.remove(ada.id, '2607.00001')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(lib.save(ada.id, '2607.00002', '<b>bad</b>')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(lib.save(ada.id, '2607.99999', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await lib.entry(ada.id, '2607.00002'))?.tags).toEqual(['to-read']);
  });

  it('signs tag-feed keys per user and tag', async () => {
    const key = await env.services.library.feedKey(ada.id, 'to-read');
    await expect(env.services.library.checkFeedKey(ada.id, 'to-read', key)).resolves.toBeUndefined();
    await expect(env.services.library.checkFeedKey(bob.id, 'to-read', key)).rejects.toThrow();
    await expect(env.services.library.checkFeedKey(ada.id, 'other', key)).rejects.toThrow();
  });
});
