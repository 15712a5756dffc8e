// Behaviour every store engine must share for enrichment: repository facts and star days, summaries, thumbnails.
import { expect, it } from 'vitest';
import { createListingsService } from '../../src/services/papers/listings-service.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine('enrichment', (t) => {
  it('keeps one fact per repository, its star count per day, and the earliest count since a day', async () => {
    const e = t.store.enrichment;
    const base = { status: 'ok' as const, pushedAt: '2026-11-01T00:00:00Z', archived: false, etag: 'W/"a"' };
    await e.putRepoFact(
      { ...base, repo: 'org/a', stars: 10, checkedAt: '2026-11-20T00:00:00Z' },
      '2026-11-20',
    );
    await e.putRepoFact(
      { ...base, repo: 'org/a', stars: 15, checkedAt: '2026-11-24T00:00:00Z' },
      '2026-11-24',
    );
    await e.putRepoFact(
      { ...base, repo: 'org/a', stars: 30, checkedAt: '2026-11-28T00:00:00Z' },
      '2026-11-28',
    );
    await e.putRepoFact(
      {
        repo: 'org/gone',
        status: 'missing',
        stars: null,
        pushedAt: null,
        archived: false,
        etag: null,
        checkedAt: 'x',
      },
      '2026-11-28',
    );
    const facts = await e.repoFacts();
    expect(facts.find((f) => f.repo === 'org/a')).toMatchObject({
      stars: 30,
      etag: 'W/"a"',
      archived: false,
    });
    expect(facts.find((f) => f.repo === 'org/gone')?.status).toBe('missing');
    expect([...(await e.starsSince('2026-11-21'))]).toEqual([['org/a', 15]]);
  });

  it('ranks a window by stars gained this week, and follows a later check within minutes', async () => {
    let clock = Date.parse('2026-07-02T12:00:00Z');
    const listings = createListingsService(t.store, () => new Date(clock));
    const code = (repo: string) => `Code: https://github.com/${repo}`;
    await t.store.papers.upsertMany([
      paper({ arxivId: '2607.00001', comment: code('org/famous'), announced: '2026-07-01' }),
      paper({ arxivId: '2607.00002', comment: code('org/steady'), announced: '2026-07-01' }),
      paper({ arxivId: '2607.00003', comment: code('org/rising'), announced: '2026-07-01' }),
      paper({ arxivId: '2607.00004', announced: '2026-07-01' }),
    ]);
    const check = (repo: string, day: string, stars: number) =>
      t.store.enrichment.putRepoFact(
        {
          repo,
          status: 'ok',
          stars,
          pushedAt: null,
          archived: false,
          etag: null,
          checkedAt: `${day}T03:00:00Z`,
        },
        day,
      );
    await check('org/steady', '2026-06-20', 1);
    await check('org/steady', '2026-06-26', 100);
    await check('org/steady', '2026-07-02', 150);
    await check('org/rising', '2026-06-25', 5);
    await check('org/rising', '2026-07-02', 500);
    await check('org/famous', '2026-07-02', 90_000);
    const order = async () =>
      (
        await listings.window({ period: 'day', key: '2026-07-01', sort: 'stars', limit: 10, offset: 0 })
      ).items.map((i) => i.paper.id);
    expect(await order()).toEqual(['2607.00003', '2607.00002', '2607.00001', '2607.00004']);
    // A refresh writes no paper or vote, so the listing version may not move: the ranking expires instead.
    await check('org/famous', '2026-07-03', 91_000);
    clock += 6 * 60_000;
    expect((await order())[0]).toBe('2607.00001');
  });

  it('stores summary attempts by paper, model and prompt version; failures count but retry later', async () => {
    const e = t.store.enrichment;
    const s = { model: 'm', promptVersion: 'v1', error: null };
    await e.putSummary({ ...s, paperId: 'p1', text: 'One.', createdAt: '2026-11-28T01:00:00Z' });
    await e.putSummary({ ...s, paperId: 'p2', text: null, error: 'HTML', createdAt: '2026-11-27T01:00:00Z' });
    await e.putSummary({
      ...s,
      paperId: 'p1',
      promptVersion: 'v2',
      text: 'Two.',
      createdAt: '2026-11-28T02:00:00Z',
    });
    expect(await e.summaries('m', 'v1')).toEqual([{ paperId: 'p1', text: 'One.' }]);
    expect([...(await e.summarizedIds('m', 'v1', '2026-11-28T00:00:00Z'))]).toEqual(['p1']);
    expect([...(await e.summarizedIds('m', 'v1', '2026-11-27T00:00:00Z'))].sort()).toEqual(['p1', 'p2']);
    expect(await e.summaryAttemptsSince('2026-11-28T00:00:00Z')).toBe(2);
  });

  it('stores thumbnails as bytes and failures without an image', async () => {
    const e = t.store.enrichment;
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    await e.putThumbnail({ paperId: 'p1', image: png, width: 200, height: 260, error: null, createdAt: 't' });
    await e.putThumbnail({
      paperId: 'p2',
      image: null,
      width: null,
      height: null,
      error: 'not a PDF',
      createdAt: 't',
    });
    const got = await e.thumbnail('p1');
    expect(Array.from(got!.image!)).toEqual(Array.from(png));
    expect(got!.width).toBe(200);
    expect(await e.thumbnail('p3')).toBeNull();
    expect([...(await e.thumbnailIds())]).toEqual(['p1']);
    expect([...(await e.thumbnailTriedIds())].sort()).toEqual(['p1', 'p2']);
  });

  it('moves the listing version on every enrichment write, so cached anonymous pages show the new facts', async () => {
    // The "stars this week" page, star chips, summaries and thumbnails are cached by this version.
    const e = t.store.enrichment;
    let last = await t.store.listings.version();
    const moved = async (): Promise<boolean> => {
      const now = await t.store.listings.version();
      const changed = now !== last;
      last = now;
      return changed;
    };
    const fact = { repo: 'org/a', status: 'ok' as const, pushedAt: null, archived: false, etag: null };
    await e.putRepoFact({ ...fact, stars: 10, checkedAt: '2026-11-27T03:00:00Z' }, '2026-11-27');
    expect(await moved()).toBe(true);
    await e.putRepoFact({ ...fact, stars: 12, checkedAt: '2026-11-28T03:00:00Z' }, '2026-11-28');
    expect(await moved()).toBe(true);
    const summary = { paperId: 'p1', model: 'm', promptVersion: 'v1', error: null, createdAt: 't' };
    await e.putSummary({ ...summary, text: 'One sentence.' });
    expect(await moved()).toBe(true);
    await e.putThumbnail({
      paperId: 'p1',
      image: null,
      width: null,
      height: null,
      error: 'no PDF',
      createdAt: 't',
    });
    expect(await moved()).toBe(true);
    expect(await moved()).toBe(false);
  });
});
