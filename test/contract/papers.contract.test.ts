// Behaviour every store engine must share for papers: merge-upserts, lookups, change log.
import { expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

forEachEngine('papers repository', (t) => {
  it('adds, then reports an identical record as unchanged', async () => {
    expect(await t.store.papers.upsertMany([paper()])).toEqual(['added']);
    expect(await t.store.papers.upsertMany([paper()])).toEqual(['unchanged']);
    expect(await t.store.papers.count()).toBe(1);
    const got = await t.store.papers.get('2501.00001');
    expect(got?.authors).toEqual(['Ada Lovelace', 'Charles Babbage']);
    expect(got?.categories[0]).toBe('cs.CL');
  });

  it('updates to a newer version and ignores an older one', async () => {
    await t.store.papers.upsertMany([paper({ version: 2, title: 'Second version' })]);
    expect(await t.store.papers.upsertMany([paper({ version: 1, title: 'First version' })])).toEqual([
      'unchanged',
    ]);
    expect((await t.store.papers.get('2501.00001'))?.title).toBe('Second version');
    expect(await t.store.papers.upsertMany([paper({ version: 3, title: 'Third version' })])).toEqual([
      'updated',
    ]);
    expect((await t.store.papers.get('2501.00001'))?.version).toBe(3);
  });

  it('merges by DOI, then by normalized title and first author, without erasing richer fields', async () => {
    await t.store.papers.upsertMany([paper({ doi: '10.1000/abc' })]);
    const bib = paper({
      arxivId: null,
      version: null,
      doi: '10.1000/abc',
      abstract: '',
      categories: [],
      journalRef: 'J. Things 1',
    });
    expect(await t.store.papers.upsertMany([bib])).toEqual(['updated']);
    const merged = await t.store.papers.get('2501.00001');
    expect(merged?.journalRef).toBe('J. Things 1');
    expect(merged?.abstract).toBe('We study things and find results.');
    const byTitle = paper({
      arxivId: null,
      version: null,
      title: 'A study of things!',
      authors: ['Lovelace, Ada'],
      comment: 'seen',
    });
    expect(await t.store.papers.upsertMany([byTitle])).toEqual(['updated']);
    expect(await t.store.papers.count()).toBe(1);
  });

  it('keeps two arXiv papers with the same title apart', async () => {
    await t.store.papers.upsertMany([paper(), paper({ arxivId: '2501.00002' })]);
    expect(await t.store.papers.count()).toBe(2);
  });

  it('gives a non-arXiv paper an id from its DOI or title, and re-keys it when its arXiv id appears', async () => {
    await t.store.papers.upsertMany([paper({ arxivId: null, version: null, doi: '10.1/x' })]);
    expect(await t.store.papers.get('doi:10.1/x')).not.toBeNull();
    await t.store.papers.upsertMany([paper({ doi: '10.1/x' })]);
    expect(await t.store.papers.get('doi:10.1/x')).toBeNull();
    expect(await t.store.papers.get('2501.00001')).not.toBeNull();
    const ops = (await t.store.papers.changesSince(0, 10)).map((c) => `${c.op}:${c.paperId}`);
    expect(ops).toEqual(['upsert:doi:10.1/x', 'delete:doi:10.1/x', 'upsert:2501.00001']);
  });

  it('merges records of one paper that arrive in the same batch, in order', async () => {
    const outcomes = await t.store.papers.upsertMany([
      paper({ arxivId: null, version: null, doi: '10.1/x', title: 'Draft' }),
      paper({ version: 1, doi: '10.1/x', title: 'Draft' }),
      paper({ version: 2, title: 'Final', authors: ['Grace Hopper'] }),
      paper({ version: 1, title: 'Stale' }),
    ]);
    expect(outcomes).toEqual(['added', 'updated', 'updated', 'unchanged']);
    expect(await t.store.papers.count()).toBe(1);
    expect(await t.store.papers.get('2501.00001')).toMatchObject({
      title: 'Final',
      version: 2,
      doi: '10.1/x',
    });
    const ops = (await t.store.papers.changesSince(0, 10)).map((c) => `${c.op}:${c.paperId}`);
    expect(ops).toEqual(['upsert:doi:10.1/x', 'delete:doi:10.1/x', 'upsert:2501.00001', 'upsert:2501.00001']);
    expect((await t.store.listings.byAuthor('Grace Hopper', 10, 0)).total).toBe(1);
    expect((await t.store.listings.byAuthor('Ada Lovelace', 10, 0)).total).toBe(0);
    const seqs = (await t.store.papers.changesSince(0, 10)).map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await t.store.papers.latestChangeSeq()).toBe(seqs.at(-1));
    expect(await t.store.papers.changesSince(seqs[1] ?? 0, 1)).toMatchObject([{ seq: seqs[2] }]);
  });

  it('gets many papers in the order asked, skipping unknown ids', async () => {
    await t.store.papers.upsertMany([paper(), paper({ arxivId: '2501.00002', title: 'Other' })]);
    const got = await t.store.papers.getMany(['2501.00002', 'nope', '2501.00001']);
    expect(got.map((p) => p.id)).toEqual(['2501.00002', '2501.00001']);
    expect(got[1]).toMatchObject({
      createdAt: '2026-11-28T12:00:00.000Z',
      modifiedAt: '2026-11-28T12:00:00.000Z',
    });
    expect(await t.store.papers.getMany([])).toEqual([]);
    expect(await t.store.papers.get('nope')).toBeNull();
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    expect(await t.store.papers.upsertMany([paper()], { dryRun: true })).toEqual(['added']);
    expect(await t.store.papers.count()).toBe(0);
    expect(await t.store.papers.changesSince(0, 10)).toEqual([]);
  });

  it('lists newest first, optionally by category, and deletes with a change record', async () => {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', announced: '2025-01-01' }),
      paper({ arxivId: '2501.00002', title: 'Other', announced: '2025-03-01', categories: ['cs.CV'] }),
    ]);
    expect((await t.store.papers.newest({ limit: 10 })).map((p) => p.id)).toEqual([
      '2501.00002',
      '2501.00001',
    ]);
    expect((await t.store.papers.newest({ limit: 10, category: 'cs.CL' })).map((p) => p.id)).toEqual([
      '2501.00001',
    ]);
    expect(await t.store.papers.delete('2501.00002')).toBe(true);
    expect(await t.store.papers.delete('2501.00002')).toBe(false);
    const last = (await t.store.papers.changesSince(0, 10)).at(-1);
    expect(last).toMatchObject({ op: 'delete', paperId: '2501.00002' });
  });

  it('bounds the paper count from above in one key lookup, deletions included', async () => {
    expect(await t.store.papers.countUpperBound()).toBe(0);
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001' }),
      paper({ arxivId: '2501.00002', title: 'Other' }),
      paper({ arxivId: '2501.00003', title: 'Third' }),
    ]);
    expect(await t.store.papers.countUpperBound()).toBe(3);
    // A deleted paper leaves the bound above the count, never below it.
    await t.store.papers.delete('2501.00001');
    expect(await t.store.papers.count()).toBe(2);
    expect(await t.store.papers.countUpperBound()).toBeGreaterThanOrEqual(2);
    await t.store.papers.delete('2501.00003');
    expect(await t.store.papers.countUpperBound()).toBeGreaterThanOrEqual(await t.store.papers.count());
  });

  it('scans every paper in pages', async () => {
    await t.store.papers.upsertMany(
      Array.from({ length: 25 }, (_, i) =>
        paper({ arxivId: `2501.${String(i).padStart(5, '0')}`, title: `T${i}` }),
      ),
    );
    const pages: number[] = [];
    for await (const page of t.store.papers.scan(10)) pages.push(page.length);
    expect(pages).toEqual([10, 10, 5]);
  });

  it('reports stats', async () => {
    await t.store.papers.upsertMany([paper()]);
    const s = await t.store.stats();
    expect(s).toMatchObject({
      papers: 1,
      authors: 2,
      categories: 2,
      newestDate: '2025-01-03',
      engine: t.engine,
    });
    expect(s.schemaVersion).toBe(SQLITE_MIGRATIONS.at(-1)?.version);
    expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  });
});
