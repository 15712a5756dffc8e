// Behaviour every store engine must share for search data: vectors per model, trained models, settings.
import { expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

const vec = (...xs: number[]): Float32Array => Float32Array.from(xs);

forEachEngine('vectors, models and settings', (t) => {
  it('finds papers missing a current vector, stores and replaces vectors, and follows them by seq', async () => {
    await t.store.papers.upsertMany([paper(), paper({ arxivId: '2501.00002', title: 'Other' })]);
    const missing = await t.store.vectors.missing('m1', 10);
    expect(missing.map((p) => p.id)).toEqual(['2501.00001', '2501.00002']);
    expect(await t.store.vectors.countMissing('m1')).toBe(2);
    const [a, b] = missing;
    if (!a || !b) throw new Error('missing papers');
    expect(a).toMatchObject({ title: 'A Study of Things', abstract: 'We study things and find results.' });
    // Batches continue after the previous batch's last position, in the same order.
    expect(typeof a.pk).toBe('number');
    expect(b.pk).toBeGreaterThan(a.pk);
    expect((await t.store.vectors.missing('m1', 10, a.pk)).map((p) => p.id)).toEqual([b.id]);
    expect(await t.store.vectors.missing('m1', 10, b.pk)).toEqual([]);
    expect(await t.store.vectors.latestSeq('m1')).toBe(0);
    await t.store.vectors.put('m1', [
      { paperId: a.id, contentHash: a.contentHash, vector: vec(1, 0.5) },
      { paperId: b.id, contentHash: 'stale', vector: vec(0, 1) },
    ]);
    expect((await t.store.vectors.missing('m1', 10)).map((p) => p.id)).toEqual([b.id]);
    expect(await t.store.vectors.countMissing('m2')).toBe(2);
    const all = await t.store.vectors.since('m1', 0, 10);
    expect(await t.store.vectors.latestSeq('m1')).toBe(all.at(-1)?.seq);
    expect(all.map((v) => [v.paperId, [...v.vector]])).toEqual([
      [a.id, [1, 0.5]],
      [b.id, [0, 1]],
    ]);
    expect(all[0]?.vector).toBeInstanceOf(Float32Array);
    const last = all.at(-1)?.seq ?? 0;
    await t.store.vectors.put('m1', [{ paperId: b.id, contentHash: b.contentHash, vector: vec(-2, 3.25) }]);
    const newer = await t.store.vectors.since('m1', last, 10);
    expect(newer.map((v) => [v.paperId, [...v.vector]])).toEqual([[b.id, [-2, 3.25]]]);
    expect(newer[0]?.seq).toBeGreaterThan(last);
    expect(await t.store.vectors.latestSeq('m1')).toBe(newer[0]?.seq);
    expect(await t.store.vectors.latestSeq('m2')).toBe(0);
    expect(await t.store.vectors.count('m1')).toBe(2);
    expect(await t.store.vectors.countMissing('m1')).toBe(0);
    expect(await t.store.vectors.dropModel('m1')).toBe(2);
    expect(await t.store.vectors.count('m1')).toBe(0);
  });

  it('counts and lists missing vectors over many papers, letting other work run meanwhile', async () => {
    // 1,100 papers: more than one of SQLite's scan windows (a statement over the whole store held serve's event
    // loop 6.5 s at 300k papers).
    const ids = Array.from({ length: 1100 }, (_, i) => `2501.${String(i + 1).padStart(5, '0')}`);
    await t.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Paper ${arxivId}` })));
    const all = await t.store.vectors.missing('m1', 2000);
    expect(all.map((p) => p.id)).toEqual(ids);
    await t.store.vectors.put(
      'm1',
      all
        .filter((_, i) => i % 3 === 0)
        .map((p) => ({ paperId: p.id, contentHash: p.contentHash, vector: vec(1) })),
    );
    const stale = ids.filter((_, i) => i % 3 !== 0);
    let turned = false;
    const counting = t.store.vectors.countMissing('m1');
    setImmediate(() => (turned = true));
    expect(await counting).toBe(stale.length);
    expect(turned).toBe(true);
    expect((await t.store.vectors.missing('m1', 2000)).map((p) => p.id)).toEqual(stale);
    // Batches across window ends: the next five after the 600th paper, and the last few.
    const after = all[599]?.pk ?? 0;
    expect((await t.store.vectors.missing('m1', 5, after)).map((p) => p.id)).toEqual(
      stale.filter((id) => id > (ids[599] ?? '')).slice(0, 5),
    );
    expect((await t.store.vectors.missing('m1', 50, all[1096]?.pk ?? 0)).map((p) => p.id)).toEqual(
      stale.filter((id) => id > (ids[1096] ?? '')),
    );
  });

  it('finds, among given papers, those lacking a current vector, by key, in stable order', async () => {
    // More ids than one SQLite statement takes (512), with repeats and ids the store does not hold.
    const ids = Array.from({ length: 700 }, (_, i) => `2502.${String(i + 1).padStart(5, '0')}`);
    await t.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Paper ${arxivId}` })));
    const all = await t.store.vectors.missing('m1', 1000);
    // Every third has a current vector, every fifth of those left a stale one.
    await t.store.vectors.put(
      'm1',
      all
        .filter((_, i) => i % 3 === 0 || i % 5 === 0)
        .map((p, i) => ({ paperId: p.id, contentHash: i % 2 === 0 ? p.contentHash : 'old', vector: vec(1) })),
    );
    const stale = new Set((await t.store.vectors.missing('m1', 1000)).map((p) => p.id));
    const asked = [...ids].reverse().concat(ids.slice(0, 40), ['2502.99999', 'nope']);
    const found = await t.store.vectors.missingAmong('m1', asked);
    expect(found.map((p) => p.id)).toEqual(ids.filter((id) => stale.has(id)));
    expect(found[0]).toMatchObject({ title: `Paper ${found[0]?.id}`, abstract: expect.any(String) });
    expect(found.every((p, i) => i === 0 || p.pk > (found[i - 1]?.pk ?? 0))).toBe(true);
    expect(await t.store.vectors.missingAmong('m1', [])).toEqual([]);
    expect((await t.store.vectors.missingAmong('m2', ids.slice(0, 3))).map((p) => p.id)).toEqual(
      ids.slice(0, 3),
    );
  });

  it("drops a deleted paper's vectors of every model, and no other paper's", async () => {
    await t.store.papers.upsertMany([paper(), paper({ arxivId: '2501.00002', title: 'Other' })]);
    // Models sorting before, between and after one another: the delete finds each model through the key.
    const models = ['a-model', 'm1', 'm1-v2', 'zz'];
    for (const model of models)
      await t.store.vectors.put(model, [
        { paperId: '2501.00001', contentHash: 'h', vector: vec(1) },
        { paperId: '2501.00002', contentHash: 'h', vector: vec(2) },
      ]);
    expect(await t.store.papers.delete('2501.00001')).toBe(true);
    for (const model of models) {
      const left = await t.store.vectors.since(model, 0, 10);
      expect(left.map((v) => [v.paperId, [...v.vector]])).toEqual([['2501.00002', [2]]]);
    }
    expect(await t.store.papers.delete('2501.00001')).toBe(false);
    expect(await t.store.papers.delete('2501.00002')).toBe(true);
    for (const model of models) expect(await t.store.vectors.count(model)).toBe(0);
  });

  it('saves, replaces and lists trained models newest first', async () => {
    await t.store.models.save({
      name: 'static-v1',
      kind: 'static',
      info: { dims: 2 },
      data: Buffer.from([1, 2, 3]),
    });
    t.now = new Date('2026-11-29T00:00:00Z');
    await t.store.models.save({ name: 'static-v2', kind: 'static', info: {}, data: Buffer.from([4]) });
    expect(await t.store.models.get('static-v1')).toEqual({
      name: 'static-v1',
      kind: 'static',
      createdAt: '2026-11-28T12:00:00.000Z',
      info: { dims: 2 },
      data: Buffer.from([1, 2, 3]),
    });
    expect((await t.store.models.list()).map((m) => m.name)).toEqual(['static-v2', 'static-v1']);
    t.now = new Date('2026-11-30T00:00:00Z');
    await t.store.models.save({
      name: 'static-v1',
      kind: 'static',
      info: { dims: 3 },
      data: Buffer.from([9]),
    });
    expect(await t.store.models.get('static-v1')).toMatchObject({
      info: { dims: 3 },
      data: Buffer.from([9]),
    });
    expect((await t.store.models.list()).map((m) => m.name)).toEqual(['static-v1', 'static-v2']);
    expect(await t.store.models.get('none')).toBeNull();
  });

  it('reads and overwrites settings', async () => {
    expect(await t.store.settings.get('embedder')).toBeNull();
    await t.store.settings.set('embedder', 'static-v1');
    await t.store.settings.set('embedder', 'onnx');
    expect(await t.store.settings.get('embedder')).toBe('onnx');
  });
});
