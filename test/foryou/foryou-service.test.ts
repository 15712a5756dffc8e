// For you over a real SQLite store: signals, golden rankings (words, then the trained model), windows, import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { topicCorpus, type Topic } from '../fixtures/topic-corpus.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/foryou');
let env: ReaderEnv;
let topicOf: Map<string, Topic>;
let nextUser = 0;

async function newUser(): Promise<number> {
  nextUser += 1;
  const u = await env.temp.store.users.create(`reader${nextUser}@example.org`, `Reader ${nextUser}`, 'x');
  if (!u) throw new Error('user not created');
  return u.id;
}

const JULY = { since: '2026-07-01', limit: 100 } as const;

const share = (ids: string[], topic: Topic): number =>
  ids.filter((id) => topicOf.get(id) === topic).length / ids.length;

beforeAll(async () => {
  env = await readerEnv();
  env.clock.set('2026-07-30T08:00:00Z');
  const corpus = topicCorpus(30);
  topicOf = corpus.topicOf;
  await env.addPapers([
    ...corpus.papers,
    paper({
      arxivId: null,
      doi: '10.5555/jir.2026.42',
      title: 'Soft Grippers for Deformable Objects',
      authors: ['Chidi Okafor', 'Maja Lindqvist'],
      categories: ['cs.RO'],
      announced: '2026-05-02',
    }),
    paper({
      arxivId: '2605.00003',
      title: 'Torque Control of Legged Robots on Ice',
      authors: ['Siobhán Brennan'],
      categories: ['cs.RO'],
      announced: '2026-05-03',
    }),
  ]);
});
afterAll(async () => env.cleanup());

describe('signals and the ranking by words (no model yet)', () => {
  it('asks for something to learn from when there is nothing', async () => {
    const page = await env.services.forYou.forYou(await newUser(), JULY);
    expect(page.notice).toMatch(/Nothing to learn from yet/);
    expect(page.items.length).toBeGreaterThan(0);
  });

  it('works from one saved paper: its topic fills the top 10, each with a reason', async () => {
    const user = await newUser();
    await env.services.library.save(user, '2607.00031', []);
    const page = await env.services.forYou.forYou(user, JULY);
    expect(page.mode).toBe('lexical');
    expect(page.notice).toBeNull();
    const top = page.items.slice(0, 10).map((i) => i.paper.id);
    expect(share(top, 'language')).toBe(1);
    expect(top).not.toContain('2607.00031');
    expect(page.items[0]?.reason).toMatch(/^similar to "/);
  });

  it('puts a followed author first and never shows what is marked not interested', async () => {
    const user = await newUser();
    const fy = env.services.forYou;
    await env.services.library.save(user, '2607.00031', []);
    await fy.follow(user, 'author', 'Author theory 0');
    await fy.notInterested(user, 'paper', '2607.00032');
    await fy.notInterested(user, 'author', 'Author language 2');
    const page = await fy.forYou(user, JULY);
    const theory0 = page.items.filter((i) => i.paper.authors.includes('Author theory 0'));
    expect(theory0.length).toBe(6);
    expect(page.items.slice(0, 6).map((i) => i.reason)).toEqual(Array(6).fill('by Author theory 0'));
    const rest = await fy.forYou(user, { ...JULY, offset: 100 });
    const ids = [...page.items, ...rest.items].map((i) => i.paper.id);
    expect(page.total).toBe(ids.length);
    expect(ids).not.toContain('2607.00032');
    expect([...page.items, ...rest.items].some((i) => i.paper.authors.includes('Author language 2'))).toBe(
      false,
    );
    await fy.undoNotInterested(user, 'paper', '2607.00032');
    expect((await fy.forYou(user, JULY)).total).toBe(page.total + 1);
    await expect(fy.undoNotInterested(user, 'paper', '2607.00032')).rejects.toThrow(/not marked/);
    await expect(fy.notInterested(user, 'paper', '2699.99999')).rejects.toThrow(/No paper/);
    await expect(fy.follow(user, 'category', 'not a category!')).rejects.toThrow(/arXiv category/);
  });

  it('keeps saved searches, rejecting empty and all-negative ones with a clear message', async () => {
    const user = await newUser();
    const fy = env.services.forYou;
    await expect(fy.addSavedSearch(user, '   ')).rejects.toThrow(/needs words to look for/);
    await expect(fy.addSavedSearch(user, '-survey -"large model"')).rejects.toThrow(/only excludes/);
    const s = await fy.addSavedSearch(user, 'gripper  torque -survey');
    expect(s.query).toBe('gripper torque -survey');
    expect((await fy.addSavedSearch(user, 'gripper torque -survey')).id).toBe(s.id);
    const page = await fy.forYou(user, JULY);
    expect(page.items[0]?.reason).toBe('matches your alert "gripper torque -survey"');
    expect(
      share(
        page.items.slice(0, 10).map((i) => i.paper.id),
        'robotics',
      ),
    ).toBe(1);
    await fy.removeSavedSearch(user, s.id);
    expect(await fy.savedSearches(user)).toEqual([]);
    await expect(fy.removeSavedSearch(user, s.id)).rejects.toThrow(/no saved search/);
  });

  it('reads the reader’s signals once per request, even when an empty window is widened', async () => {
    // Each read is a round trip on PostgreSQL (#23: For you was 7–9× slower there than on SQLite).
    const user = await newUser();
    await env.services.library.save(user, '2607.00031', []);
    const store = env.temp.store;
    const spies = [
      vi.spyOn(store.library, 'list'),
      vi.spyOn(store.forYou, 'follows'),
      vi.spyOn(store.forYou, 'notInterested'),
      vi.spyOn(store.forYou, 'savedSearches'),
      vi.spyOn(store.forYou, 'votedPapers'),
      vi.spyOn(store.forYou, 'interestTexts'),
    ];
    try {
      env.clock.set('2026-09-30T08:00:00Z'); // no papers in the last day: widened to the newest week
      const page = await env.services.forYou.forYou(user, { days: 1 });
      expect(page.widenedFrom).not.toBeNull();
      expect(page.items.length).toBeGreaterThan(0);
      for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      for (const spy of spies) spy.mockRestore();
      env.clock.set('2026-07-30T08:00:00Z');
    }
  });

  it('defaults to 7 days on a first visit, then to the day of the previous visit', async () => {
    const user = await newUser();
    const fy = env.services.forYou;
    // The window asked for (an empty one is widened to the newest papers, reported in widenedFrom).
    const asked = async (req = {}): Promise<string> => {
      const page = await fy.forYou(user, req);
      return page.widenedFrom?.from ?? page.from;
    };
    expect(await asked()).toBe('2026-07-24');
    env.clock.set('2026-07-30T09:00:00Z');
    expect(await asked()).toBe('2026-07-24');
    env.clock.set('2026-07-31T09:00:00Z');
    expect(await asked()).toBe('2026-07-30');
    expect(await asked({ days: 2 })).toBe('2026-07-30');
    env.clock.set('2026-07-30T08:00:00Z');
    await expect(fy.forYou(user, { days: 0 })).rejects.toThrow(/days must be/);
  });
});

describe('library import', () => {
  it('imports a Zotero CSL-JSON export: matches by arXiv id, DOI and title; unmatched texts become interests', async () => {
    const user = await newUser();
    const text = readFileSync(join(FIXTURES, 'zotero-library.json'), 'utf8');
    const r = await env.services.forYou.importLibrary(user, text, { source: 'zotero-library.json' });
    expect(r).toMatchObject({ format: 'csl-json', entries: 5, saved: 3, alreadySaved: 0, interests: 1 });
    expect(r.unmatched).toEqual([{ location: 'zotero-library.json:43 (item 5)', ref: '(no title)' }]);
    const saved = (await env.services.library.list(user, { limit: 10, offset: 0 })).items.map(
      (i) => i.paper.id,
    );
    expect(saved).toHaveLength(3);
    expect(saved).toContain('2607.00061');
    expect(saved).toContain('2605.00003');
    const again = await env.services.forYou.importLibrary(user, text, { source: 'zotero-library.json' });
    expect(again).toMatchObject({ saved: 0, alreadySaved: 3 });
    const page = await env.services.forYou.forYou(user, JULY);
    expect(
      share(
        page.items.slice(0, 10).map((i) => i.paper.id),
        'robotics',
      ),
    ).toBe(1);
  });

  it('imports the good BibTeX entries and reports the broken one by line and reason', async () => {
    const user = await newUser();
    const text = readFileSync(join(FIXTURES, 'library.bib'), 'utf8');
    const r = await env.services.forYou.importLibrary(user, text, {
      source: 'library.bib',
      tags: ['imported'],
    });
    expect(r).toMatchObject({ format: 'bibtex', entries: 3, saved: 2, interests: 1 });
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]?.location).toBe('library.bib:20');
    expect(r.rejected[0]?.reason).toMatch(/not closed/);
    const lib = await env.services.library.list(user, { tag: 'imported', limit: 10, offset: 0 });
    expect(lib.total).toBe(2);
  });

  it('refuses CSL-JSON that is not an array, and empty input, with clear messages', async () => {
    const user = await newUser();
    await expect(
      env.services.forYou.importLibrary(user, '{"items": []}', { source: 'x.json' }),
    ).rejects.toThrow(/not a JSON array/);
    await expect(env.services.forYou.importLibrary(user, ' \n', { source: 'empty.bib' })).rejects.toThrow(
      /is empty/,
    );
  });

  it('takes 10,000 arXiv ids at once, saving those it holds and listing the rest', async () => {
    const user = await newUser();
    const ids = Array.from({ length: 10_000 }, (_, i) => `2607.${String(i + 1).padStart(5, '0')}`);
    const r = await env.services.forYou.importLibrary(user, `${ids.join('\n')}\nnot-an-id\n`, {
      source: 'ids.txt',
    });
    expect(r).toMatchObject({ format: 'ids', entries: 10_000, saved: 120, interests: 0 });
    expect(r.unmatched).toHaveLength(10_000 - 120);
    expect(r.rejected).toEqual([
      { location: 'ids.txt:10001', reason: '"not-an-id" is not an arXiv id or link' },
    ]);
  }, 30_000);
});

describe('after paperboy train (vectors)', () => {
  beforeAll(async () => {
    await env.services.semantic.train({ epochs: 3, dim: 64 });
    await env.services.semantic.embed();
  }, 60_000);

  it('ranks by the model from one saved paper, and per tag', async () => {
    const user = await newUser();
    await env.services.library.save(user, '2607.00005', []);
    await env.services.library.save(user, '2607.00065', ['robots']);
    const page = await env.services.forYou.forYou(user, JULY);
    expect(page.mode).toBe('vectors');
    const top = page.items.slice(0, 10).map((i) => i.paper.id);
    expect(share(top, 'vision') + share(top, 'robotics')).toBeGreaterThanOrEqual(0.9);
    const tagged = await env.services.forYou.forYou(user, { ...JULY, tag: 'robots' });
    expect(
      share(
        tagged.items.slice(0, 10).map((i) => i.paper.id),
        'robotics',
      ),
    ).toBeGreaterThanOrEqual(0.9);
    expect(tagged.items[0]?.reason).toMatch(/^similar to "/);
  });

  it('moves papers like one marked not interested down, not only that paper (negative centroid)', async () => {
    const user = await newUser();
    const fy = env.services.forYou;
    await env.services.library.save(user, '2607.00005', []);
    await env.services.library.save(user, '2607.00065', []);
    const ranking = async (): Promise<string[]> =>
      [
        ...(await fy.forYou(user, JULY)).items,
        ...(await fy.forYou(user, { ...JULY, offset: 100 })).items,
      ].map((i) => i.paper.id);
    const before = await ranking();
    const topic = topicOf.get('2607.00065') as Topic;
    const disliked = before.find((id) => topicOf.get(id) === topic) ?? '';
    await fy.notInterested(user, 'paper', disliked);
    const after = await ranking();
    const meanRank = (ids: string[]): number => {
      const ranks = ids.flatMap((id, r) => (topicOf.get(id) === topic && id !== disliked ? [r] : []));
      return ranks.reduce((a, b) => a + b, 0) / ranks.length;
    };
    expect(after).not.toContain(disliked);
    // Hiding one paper alone would move the rest of its topic up by at most one place; the negative moves them down.
    expect(meanRank(after)).toBeGreaterThan(meanRank(before) + 1);
  });

  it('still never shows a paper marked not interested', async () => {
    const user = await newUser();
    await env.services.library.save(user, '2607.00005', []);
    const before = await env.services.forYou.forYou(user, JULY);
    const first = before.items[0]?.paper.id ?? '';
    await env.services.forYou.notInterested(user, 'paper', first);
    const after = await env.services.forYou.forYou(user, JULY);
    expect(after.items.map((i) => i.paper.id)).not.toContain(first);
    expect(after.total).toBe(before.total - 1);
  });
});
