// Behaviour every store engine must share for topics: a full replace, incremental points, live sizes and dates.
import { expect, it } from 'vitest';
import type { StoredTopic } from '../../src/store/topics.ts';
import { paper } from '../helpers/temp-store.ts';
import { forEachEngine } from './engines.ts';

function topic(id: number, label: string): StoredTopic {
  return {
    id,
    label,
    terms: [{ term: label, weight: 0.5 }],
    central: ['2501.00001'],
    x: id / 10,
    y: 0.5,
    radius: 0.05,
    geometry: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    spread: [0.1, 0.2],
  };
}

forEachEngine('topics', (t) => {
  it('replaces topics and points at once, lists live sizes and dated points, and adds points', async () => {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', title: 'Alpha', announced: '2025-01-03' }),
      paper({ arxivId: '2501.00002', title: 'Beta', announced: '2025-01-09' }),
      paper({ arxivId: '2501.00003', title: 'Gamma', announced: '2025-02-01' }),
    ]);
    expect(await t.store.topics.list()).toEqual([]);
    expect(await t.store.topics.model()).toBeNull();
    await t.store.topics.replaceAll(
      'm1',
      [topic(1, 'graphs'), topic(2, 'robots')],
      [
        { paperId: '2501.00001', topicId: 1, x: 0.1, y: 0.2, similarity: 0.9 },
        { paperId: '2501.00002', topicId: 1, x: 0.15, y: 0.25, similarity: 0.8 },
      ],
    );
    expect(await t.store.topics.model()).toBe('m1');
    const listed = await t.store.topics.list();
    expect(listed.map((x) => [x.id, x.label, x.size])).toEqual([
      [1, 'graphs', 2],
      [2, 'robots', 0],
    ]);
    expect(Array.from(listed[0]!.geometry)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(listed[0]!.spread[1]).toBeCloseTo(0.2);
    expect(listed[0]!.terms).toEqual([{ term: 'graphs', weight: 0.5 }]);
    await t.store.topics.putPoints([
      { paperId: '2501.00003', topicId: 2, x: 0.7, y: 0.7, similarity: 0.6 },
      { paperId: '2501.00002', topicId: 2, x: 0.6, y: 0.6, similarity: 0.7 },
    ]);
    const points = await t.store.topics.points();
    expect(points.map((p) => [p.paperId, p.topicId, p.date])).toEqual([
      ['2501.00001', 1, '2025-01-03'],
      ['2501.00002', 2, '2025-01-09'],
      ['2501.00003', 2, '2025-02-01'],
    ]);
    expect(points[1]!.x).toBeCloseTo(0.6);
    expect((await t.store.topics.point('2501.00003'))?.topicId).toBe(2);
    expect(await t.store.topics.point('nope')).toBeNull();
    // A deleted paper leaves the map and its topic's size.
    await t.store.papers.delete('2501.00003');
    expect((await t.store.topics.points()).map((p) => p.paperId)).toEqual(['2501.00001', '2501.00002']);
    expect((await t.store.topics.list()).map((x) => x.size)).toEqual([1, 1]);
    // A recompute replaces everything.
    await t.store.topics.replaceAll('m2', [topic(5, 'theory')], []);
    expect((await t.store.topics.list()).map((x) => x.id)).toEqual([5]);
    expect(await t.store.topics.points()).toEqual([]);
    expect(await t.store.topics.model()).toBe('m2');
  });
});

forEachEngine('topic follows', (t) => {
  it('follows a topic beside a category and lists the papers of topics in a window', async () => {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', title: 'Alpha', announced: '2025-01-03' }),
      paper({ arxivId: '2501.00002', title: 'Beta', announced: '2025-01-09' }),
      paper({ arxivId: '2501.00003', title: 'Gamma', announced: '2025-02-01' }),
    ]);
    await t.store.topics.replaceAll(
      'm1',
      [topic(1, 'graphs'), topic(2, 'robots')],
      [
        { paperId: '2501.00001', topicId: 1, x: 0.1, y: 0.2, similarity: 0.9 },
        { paperId: '2501.00002', topicId: 2, x: 0.15, y: 0.25, similarity: 0.8 },
        { paperId: '2501.00003', topicId: 1, x: 0.15, y: 0.25, similarity: 0.8 },
      ],
    );
    const user = await t.store.users.create('ada@example.org', 'Ada', 'h');
    expect(await t.store.forYou.follow(user!.id, 'category', 'cs.CL', 'cs.CL')).toBe(true);
    expect(await t.store.forYou.follow(user!.id, 'topic', '1', 'graphs')).toBe(true);
    expect((await t.store.forYou.follows(user!.id)).map((f) => [f.kind, f.key, f.label])).toEqual([
      ['category', 'cs.CL', 'cs.CL'],
      ['topic', '1', 'graphs'],
    ]);
    expect(await t.store.topics.members([1], '2025-01-01', '2025-02-01')).toEqual([
      { paperId: '2501.00001', topicId: 1 },
    ]);
    expect(await t.store.topics.members([1, 2], '2025-01-01', '2025-03-01')).toEqual([
      { paperId: '2501.00001', topicId: 1 },
      { paperId: '2501.00002', topicId: 2 },
      { paperId: '2501.00003', topicId: 1 },
    ]);
    expect(await t.store.topics.members([], '2025-01-01', '2025-03-01')).toEqual([]);
  });
});
