// The second level of the topic hierarchy: topics grouped into a few broad areas by clustering their
// centroids (spherical k-means, size-weighted naming), so that a hundred topics read as a dozen fields.
import { assignRows, initCentroids, updateCentroids, type Rows } from './spherical-kmeans.ts';
import { topicLabel, type TopicTerm } from './topic-terms.ts';

/** A topic as the grouping needs it: unit centroid (first `dim` floats of its geometry), size, terms. */
export interface AreaInput {
  id: number;
  size: number;
  centroid: Float32Array;
  terms: readonly TopicTerm[];
}

/** A broad area: its topics (largest first), its papers, and a name from its topics' terms. */
export interface TopicArea {
  /** 1-based, in order of size (largest area first). */
  id: number;
  label: string;
  size: number;
  topics: number[];
}

/** Fewer topics than this stay one flat list (a hierarchy would only add a level). */
export const MIN_TOPICS_FOR_AREAS = 8;

/**
 * Areas of topics: about √k of them (2–16), none for fewer than MIN_TOPICS_FOR_AREAS topics. Each area is named
 * by the terms its topics share most, weighted by topic size. Deterministic for a given input.
 * @example const areas = topicAreas(topics, dim); areas[0].label // 'language models, reasoning, llm'
 */
export function topicAreas(topics: readonly AreaInput[], dim: number): TopicArea[] {
  const k = topics.length;
  if (k < MIN_TOPICS_FOR_AREAS || dim === 0) return [];
  const groups = Math.max(2, Math.min(16, Math.round(Math.sqrt(k))));
  const data = new Float32Array(k * dim);
  topics.forEach((t, i) => data.set(t.centroid.subarray(0, dim), i * dim));
  const rows: Rows = { data, n: k, dim };
  let centroids = initCentroids(rows, groups, 11);
  const a = { topic: new Int32Array(k).fill(-1), similarity: new Float32Array(k) };
  for (let it = 0; it < 30; it++) {
    const before = a.topic.slice();
    assignRows(rows, centroids, groups, 0, k, a);
    if (it > 0 && before.every((v, i) => v === a.topic[i])) break;
    centroids = updateCentroids(rows, a, groups);
  }
  const members: AreaInput[][] = Array.from({ length: groups }, () => []);
  topics.forEach((t, i) => members[a.topic[i] ?? 0]?.push(t));
  return members
    .filter((m) => m.length > 0)
    .map((m) => {
      const weight = new Map<string, number>();
      for (const t of m)
        for (const term of t.terms)
          weight.set(term.term, (weight.get(term.term) ?? 0) + term.weight * Math.sqrt(Math.max(1, t.size)));
      const ranked = [...weight]
        .map(([term, w]) => ({ term, weight: w }))
        .sort((x, y) => y.weight - x.weight || x.term.localeCompare(y.term));
      const sorted = [...m].sort((x, y) => y.size - x.size || x.id - y.id);
      return {
        id: 0,
        label: topicLabel(ranked) || 'unnamed',
        size: m.reduce((s, t) => s + t.size, 0),
        topics: sorted.map((t) => t.id),
      };
    })
    .sort((x, y) => y.size - x.size || x.label.localeCompare(y.label))
    .map((area, i) => ({ ...area, id: i + 1 }));
}
