// The topic hierarchy's upper level: topics from known groups fall into those groups, named by shared terms.
import { describe, expect, it } from 'vitest';
import { topicAreas, type AreaInput } from '../../src/index/topics/topic-areas.ts';
import { normalizeRow } from '../../src/index/topics/spherical-kmeans.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

const DIM = 16;

/** Topics around three well-apart directions (0, 5, 10), each with its field's words and some noise. */
function generated(): { topics: AreaInput[]; field: Map<number, number> } {
  const rng = createRng(3);
  const words = [
    ['language', 'models', 'reasoning'],
    ['robot', 'grasping', 'control'],
    ['graph', 'bounds', 'complexity'],
  ];
  const topics: AreaInput[] = [];
  const field = new Map<number, number>();
  for (let f = 0; f < 3; f++)
    for (let i = 0; i < 5; i++) {
      const v = Float32Array.from({ length: DIM }, () => (rng.next() - 0.5) * 0.6);
      v[f * 5] = (v[f * 5] ?? 0) + 3;
      normalizeRow(v, 0, DIM);
      const id = topics.length + 1;
      field.set(id, f);
      topics.push({
        id,
        size: 10 + 10 * i,
        centroid: v,
        terms: [
          { term: words[f]![i % 3]!, weight: 0.5 },
          { term: `own${id}`, weight: 0.3 },
        ],
      });
    }
  return { topics, field };
}

describe('topic areas', () => {
  it('groups topics of one field together, names the area by its shared words, largest area first', () => {
    const { topics, field } = generated();
    const areas = topicAreas(topics, DIM);
    // Four areas for 15 topics (about √k); every area holds one field only, and every topic is in one.
    expect(areas.length).toBeGreaterThanOrEqual(3);
    for (const a of areas) expect(new Set(a.topics.map((t) => field.get(t))).size).toBe(1);
    expect(areas.flatMap((a) => a.topics).sort((x, y) => x - y)).toEqual(topics.map((t) => t.id));
    const byField = new Map<number, string[]>([
      [0, ['language', 'models', 'reasoning']],
      [1, ['robot', 'grasping', 'control']],
      [2, ['graph', 'bounds', 'complexity']],
    ]);
    for (const a of areas) {
      const words = byField.get(field.get(a.topics[0]!)!)!;
      expect(words).toContain(a.label.split(', ')[0]);
    }
    expect(areas.map((a) => a.id)).toEqual(areas.map((_, i) => i + 1));
    for (let i = 1; i < areas.length; i++) expect(areas[i - 1]!.size).toBeGreaterThanOrEqual(areas[i]!.size);
  });

  it('leaves a handful of topics flat', () => {
    expect(topicAreas(generated().topics.slice(0, 7), DIM)).toEqual([]);
  });
});
