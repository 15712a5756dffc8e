// Both engines keep each record's source id, find papers by it, and merge look-alike titles only with corroboration.
import { expect, it } from 'vitest';
import type { ExternalId, PaperInput } from '../../src/domain/index.ts';
import type { UpsertRecord } from '../../src/store/store.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

/** A record of a user's own collection: no arXiv id, an id of its own, a location. */
function rec(id: string, over: Partial<PaperInput>, source = 'cacm.jsonl'): UpsertRecord {
  const externalId: ExternalId = { source, id };
  return {
    paper: paper({ arxivId: null, version: null, authors: [], categories: [], ...over }),
    externalId,
    location: `${source}:${id}`,
  };
}

forEachEngine('external ids and corroborated merges', (t) => {
  it('keeps every record with a shared title and no authors, each findable by its source id', async () => {
    const records = ['1', '2', '3'].map((id) => rec(id, { title: 'Erratum', abstract: `Note ${id}.` }));
    const results = await t.store.papers.upsertRecords(records);
    expect(results.map((r) => r.outcome)).toEqual(['added', 'added', 'added']);
    expect(results.every((r) => r.mergedBy === null)).toBe(true);
    expect(new Set(results.map((r) => r.paperId)).size).toBe(3);
    expect(await t.store.papers.count()).toBe(3);
    const two = await t.store.papers.byExternalId('2');
    expect(two?.abstract).toBe('Note 2.');
    expect((await t.store.papers.byExternalId('cacm.jsonl:3'))?.abstract).toBe('Note 3.');
    expect(await t.store.papers.externalIds(two?.id ?? '')).toEqual([{ source: 'cacm.jsonl', id: '2' }]);
    // The same file again changes nothing; the same id with new text updates that paper, not a look-alike.
    const again = await t.store.papers.upsertRecords(records);
    expect(again.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const edited = await t.store.papers.upsertRecords([rec('2', { title: 'Erratum', abstract: 'Fixed.' })]);
    expect(edited[0]).toMatchObject({ outcome: 'updated', paperId: two?.id, mergedBy: null });
    expect((await t.store.papers.byExternalId('1'))?.abstract).toBe('Note 1.');
    expect(await t.store.papers.count()).toBe(3);
  });

  it('merges a shared title with a shared author, and reports where the first record came from', async () => {
    const a = rec('10', { title: 'On Sorting', authors: ['Ann Smith'], abstract: '' });
    const b = rec('11', { title: 'On sorting.', authors: ['Smith, A.', 'Bo Jones'], abstract: 'Longer.' });
    const results = await t.store.papers.upsertRecords([a, b]);
    expect(results.map((r) => [r.outcome, r.mergedBy])).toEqual([
      ['added', null],
      ['updated', 'title'],
    ]);
    expect(results[1]?.into).toBe('cacm.jsonl:10');
    expect(await t.store.papers.count()).toBe(1);
    expect((await t.store.papers.byExternalId('11'))?.id).toBe(results[0]?.paperId);
  });

  it('merges a shared title without shared authors only with the same venue within a year', async () => {
    const base = { title: 'Letters to the editor', abstract: '' };
    await t.store.papers.upsertRecords([
      rec('a', { ...base, journalRef: 'Commun. ACM 8, 1 (1965)', published: '1965-01-01' }),
      rec('b', { ...base, journalRef: 'Commun. ACM 9, 7 (1966)', published: '1966-01-01' }, 'other.bib'),
      rec('c', { ...base, journalRef: 'J. ACM 9 (1966)', published: '1966-01-01' }, 'other.bib'),
      rec('d', { ...base, authors: ['Ann Smith'], abstract: 'x' }),
      rec('e', { ...base, authors: ['Bo Jones'], abstract: 'x' }),
    ]);
    // a+b merged (same venue, a year apart); c another venue; d and e have different authors.
    expect(await t.store.papers.count()).toBe(4);
  });

  it('never merges across different DOIs', async () => {
    await t.store.papers.upsertRecords([
      rec('1', { title: 'Same', authors: ['Ann Smith'], doi: '10.1/a' }),
      rec('2', { title: 'Same', authors: ['Ann Smith'], doi: '10.1/b' }),
    ]);
    expect(await t.store.papers.count()).toBe(2);
  });

  it('restores records an older version merged by title alone when the source is imported again', async () => {
    // What an older Paperboy stored: both "Erratum" records as one paper, the second one's text winning.
    await t.store.papers.upsertMany([
      paper({ arxivId: null, version: null, authors: [], title: 'Erratum', abstract: 'Second.' }),
    ]);
    expect(await t.store.papers.count()).toBe(1);
    const file = [
      rec('1', { title: 'Erratum', abstract: 'First.' }),
      rec('2', { title: 'Erratum', abstract: 'Second.' }),
    ];
    const results = await t.store.papers.upsertRecords(file);
    expect(results.map((r) => r.outcome)).toEqual(['added', 'unchanged']);
    expect(await t.store.papers.count()).toBe(2);
    expect((await t.store.papers.byExternalId('1'))?.abstract).toBe('First.');
    expect((await t.store.papers.byExternalId('2'))?.abstract).toBe('Second.');
    const again = await t.store.papers.upsertRecords(file);
    expect(again.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
  });

  it('reports merges on a dry run without writing them', async () => {
    await t.store.papers.upsertRecords([rec('1', { title: 'On Sorting', authors: ['Ann Smith'] })]);
    const dry = await t.store.papers.upsertRecords(
      [rec('k', { title: 'On Sorting', authors: ['A. Smith'], comment: 'new' }, 'refs.bib')],
      { dryRun: true },
    );
    expect(dry[0]).toMatchObject({ outcome: 'updated', mergedBy: 'title', into: 'cacm.jsonl:1' });
    expect(await t.store.papers.byExternalId('refs.bib:k')).toBeNull();
  });
});
