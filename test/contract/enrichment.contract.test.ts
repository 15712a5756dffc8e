// Behaviour every store engine must share for enrichment: repository facts and star days, summaries, thumbnails.
import { expect, it } from 'vitest';
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
});
