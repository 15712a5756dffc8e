// Clustering and naming on generated data with known groups: a random or broken clustering fails these.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { layoutTopics, placePoint, topicAxes } from '../../src/index/topics/map-layout.ts';
import {
  defaultTopicCount,
  initCentroids,
  normalizeRow,
  sphericalKMeans,
  type Rows,
} from '../../src/index/topics/spherical-kmeans.ts';
import { topicLabel, TopicTermCounter, termsOf } from '../../src/index/topics/topic-terms.ts';
import { topicCorpus, TOPICS, type Topic } from '../fixtures/topic-corpus.ts';

/** `groups` clusters of `per` unit vectors around random centres in `dim` dimensions. */
function groupedRows(
  groups: number,
  per: number,
  dim: number,
  noise: number,
  seed: number,
): { rows: Rows; truth: number[] } {
  const rng = createRng(seed);
  const centres = Array.from({ length: groups }, () =>
    Float32Array.from({ length: dim }, () => rng.normal()),
  );
  const data = new Float32Array(groups * per * dim);
  const truth: number[] = [];
  for (let g = 0; g < groups; g++)
    for (let i = 0; i < per; i++) {
      const r = truth.length;
      for (let j = 0; j < dim; j++) data[r * dim + j] = (centres[g]![j] ?? 0) + noise * rng.normal();
      normalizeRow(data, r * dim, dim);
      truth.push(g);
    }
  return { rows: { data, n: truth.length, dim }, truth };
}

/** Share of rows whose cluster's majority group is their own group. */
function purity(assigned: ArrayLike<number>, truth: readonly number[]): number {
  const votes = new Map<number, Map<number, number>>();
  truth.forEach((g, i) => {
    const c = assigned[i] ?? -1;
    const m = votes.get(c) ?? new Map<number, number>();
    m.set(g, (m.get(g) ?? 0) + 1);
    votes.set(c, m);
  });
  let agree = 0;
  for (const m of votes.values()) agree += Math.max(...m.values());
  return agree / truth.length;
}

describe('spherical k-means', () => {
  it('recovers known groups (a random assignment scores about 1/groups)', () => {
    const { rows, truth } = groupedRows(8, 60, 24, 0.6, 3);
    const { assignment } = sphericalKMeans(rows, initCentroids(rows, 8, 1), 8);
    expect(purity(assignment.topic, truth)).toBeGreaterThan(0.95);
    const random = createRng(9);
    expect(
      purity(
        Array.from(truth, () => random.int(8)),
        truth,
      ),
    ).toBeLessThan(0.4);
    // Every point's similarity is its cosine to its own centroid, so it lies in [-1, 1].
    expect(Math.max(...assignment.similarity)).toBeLessThanOrEqual(1.0001);
  });

  it('gives the same topics for the same seed', () => {
    const { rows } = groupedRows(5, 30, 16, 0.8, 4);
    const a = sphericalKMeans(rows, initCentroids(rows, 5, 2), 5);
    const b = sphericalKMeans(rows, initCentroids(rows, 5, 2), 5);
    expect(Array.from(a.assignment.topic)).toEqual(Array.from(b.assignment.topic));
  });

  it('picks a few dozen to a few hundred topics for real corpus sizes', () => {
    expect(defaultTopicCount(75_000)).toBe(137);
    expect(defaultTopicCount(5_000)).toBe(35);
    expect(defaultTopicCount(3)).toBe(2);
    expect(defaultTopicCount(10_000_000)).toBe(200);
  });
});

describe('the map layout', () => {
  it('keeps papers of one group together and apart from other groups', () => {
    const { rows, truth } = groupedRows(6, 50, 20, 0.5, 5);
    const k = 6;
    const { centroids, assignment } = sphericalKMeans(rows, initCentroids(rows, k, 1), k);
    const sizes = new Int32Array(k);
    for (const c of assignment.topic) sizes[c] = (sizes[c] ?? 0) + 1;
    const places = layoutTopics(centroids, k, rows.dim, sizes);
    const axes = topicAxes(rows, assignment, centroids, k);
    const geometry = places.map((p, c) => ({ ...p, ...axes[c]! }));
    const pts = truth.map((_, i) => placePoint(rows.data, i * rows.dim, centroids, geometry, rows.dim));
    for (const p of pts) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
    }
    // The nearest other point on the map is of the same group for nearly every point.
    let same = 0;
    pts.forEach((p, i) => {
      let best = Infinity;
      let bestJ = -1;
      pts.forEach((q, j) => {
        const d = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
        if (j !== i && d < best) {
          best = d;
          bestJ = j;
        }
      });
      if (truth[bestJ] === truth[i]) same++;
    });
    expect(same / pts.length).toBeGreaterThan(0.95);
    // Placing a paper again gives the same place: a new paper never moves old ones.
    expect(placePoint(rows.data, 0, centroids, geometry, rows.dim)).toEqual(pts[0]);
  });
});

describe('topic names by class-based tf-idf', () => {
  it('names each generated topic with its own words, not the words all topics share', () => {
    const { papers, topicOf } = topicCorpus(30);
    const names = Object.keys(TOPICS) as Topic[];
    const counter = new TopicTermCounter(names.length);
    for (const p of papers)
      counter.add(names.indexOf(topicOf.get(p.arxivId ?? '')!), `${p.title}. ${p.abstract}`);
    const terms = counter.topTerms(10);
    names.forEach((name, c) => {
      const own = new Set<string>(TOPICS[name].words);
      const top = terms[c]!.slice(0, 5);
      for (const t of top) expect(t.term.split(' ').every((w) => own.has(w))).toBe(true);
      expect(topicLabel(terms[c]!)).not.toBe('');
    });
  });

  it('makes words and two-word phrases, without stopwords and boilerplate', () => {
    expect(termsOf('We propose graph neural networks for the molecules')).toEqual([
      'graph',
      'neural',
      'graph neural',
      'networks',
      'neural networks',
      'molecules',
    ]);
    expect(
      topicLabel([
        { term: 'neural', weight: 3 },
        { term: 'neural networks', weight: 2 },
        { term: 'graph', weight: 1 },
        { term: 'graph neural', weight: 0.5 },
      ]),
    ).toBe('neural networks, graph');
  });
});
