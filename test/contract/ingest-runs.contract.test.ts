// Behaviour every store engine must share for ingest runs: start, progress, finish, resume and stale runs.
import { expect, it } from 'vitest';
import { forEachEngine } from './engines.ts';

const counts = (added: number, rejected = 0) => ({ added, updated: 0, unchanged: 0, rejected });

forEachEngine('ingest runs repository', (t) => {
  it('records a run from start to finish, with counts, errors and checkpoint', async () => {
    const run = await t.store.runs.start('papers.jsonl');
    expect(run).toMatchObject({
      source: 'papers.jsonl',
      status: 'running',
      finishedAt: null,
      checkpoint: null,
    });
    expect(run.counts).toEqual(counts(0));
    const errors = [{ location: 'papers.jsonl:3', reason: 'no title' }];
    await t.store.runs.progress(run.id, counts(5, 1), errors, '500');
    expect(await t.store.runs.lastUnfinished('papers.jsonl')).toMatchObject({
      id: run.id,
      checkpoint: '500',
      counts: counts(5, 1),
      errors,
    });
    t.now = new Date('2026-11-28T12:05:00Z');
    await t.store.runs.finish(run.id, 'done', counts(9, 1), errors);
    expect(await t.store.runs.lastUnfinished('papers.jsonl')).toBeNull();
    const [last] = await t.store.runs.recent(5);
    expect(last).toMatchObject({ id: run.id, status: 'done', finishedAt: '2026-11-28T12:05:00.000Z' });
    expect(last?.counts).toEqual(counts(9, 1));
  });

  it('finds the previous finished run of the same source, skipping failed runs and other sources', async () => {
    const errors = [{ location: 'a.jsonl:2', reason: 'record has no title' }];
    const done = await t.store.runs.start('a.jsonl');
    await t.store.runs.finish(done.id, 'done', counts(1, 1), errors);
    const failed = await t.store.runs.start('a.jsonl');
    await t.store.runs.finish(failed.id, 'failed', counts(0, 1), []);
    const other = await t.store.runs.start('b.jsonl');
    await t.store.runs.finish(other.id, 'done', counts(1), []);
    const now = await t.store.runs.start('a.jsonl');
    expect(await t.store.runs.previousDone('a.jsonl', now.id)).toMatchObject({ id: done.id, errors });
    expect(await t.store.runs.previousDone('a.jsonl', done.id)).toBeNull();
  });

  it('keeps at most 1000 rejections per run while the count stays exact', async () => {
    const run = await t.store.runs.start('big.jsonl');
    const errors = Array.from({ length: 1200 }, (_, i) => ({ location: `big.jsonl:${i}`, reason: 'bad' }));
    await t.store.runs.finish(run.id, 'failed', counts(0, 1200), errors);
    const [r] = await t.store.runs.recent(1);
    expect(r?.errors).toHaveLength(1000);
    expect(r?.counts.rejected).toBe(1200);
  });

  it('supersedes a killed run of the same source and marks stale runs interrupted', async () => {
    const a = await t.store.runs.start('s1');
    const b = await t.store.runs.start('s1');
    const c = await t.store.runs.start('s2');
    const byId = async (id: number) => (await t.store.runs.recent(10)).find((r) => r.id === id);
    expect((await byId(a.id))?.status).toBe('interrupted');
    expect((await byId(b.id))?.status).toBe('running');
    expect(b.id).toBeGreaterThan(a.id);
    expect(await t.store.runs.markStale()).toBe(2);
    expect((await byId(c.id))?.status).toBe('interrupted');
    expect(await t.store.runs.lastUnfinished('s2')).toMatchObject({ id: c.id, status: 'interrupted' });
    expect((await t.store.runs.recent(2)).map((r) => r.id)).toEqual([c.id, b.id]);
    expect(await t.store.runs.lastUnfinished('unknown')).toBeNull();
  });
});
