// The full topic recompute: cluster every paper vector, name the topics, lay out the map, store it all.
// Resumable: the clustering saves its centroids after every iteration and a rerun continues from them. Stable:
// the new layout is fitted onto the previous one (layout-alignment.ts), so the map does not jump between runs.
import { AppError } from '../../errors.ts';
import { alignPlaces, type Anchor } from '../../index/topics/layout-alignment.ts';
import { layoutTopics, placePoint, topicAxes, type TopicGeometry } from '../../index/topics/map-layout.ts';
import {
  assignRows,
  defaultTopicCount,
  initCentroids,
  updateCentroids,
  type Assignment,
} from '../../index/topics/spherical-kmeans.ts';
import { distinctTerms, topicLabel, TopicTermCounter } from '../../index/topics/topic-terms.ts';
import { rowDot } from '../../simd-dot.ts';
import type { Store } from '../../store/store.ts';
import type { PaperPoint, StoredTopic } from '../../store/topics.ts';
import { loadVectors, type LoadedVectors } from './load-vectors.ts';

export interface RecomputeOptions {
  /** Number of topics (default: about sqrt(papers / 4), 2–200). */
  k?: number;
  seed?: number;
  maxIterations?: number;
  signal?: AbortSignal;
  onProgress?: (p: { phase: string; done: number; total: number | null }) => void;
}

export interface RecomputeSummary {
  status: 'done' | 'interrupted';
  model: string;
  papers: number;
  topics: number;
  iterations: number;
  /** True when the clustering continued from a saved checkpoint. */
  resumed: boolean;
  seconds: number;
}

export const CHECKPOINT_KEY = 'topics.checkpoint';
/** When the last full recompute finished (ISO time), so that a schedule knows when the next is due. */
export const RECOMPUTED_AT_KEY = 'topics.recomputedAt';
export const VECTOR_SEQ_KEY = 'topics.vectorSeq';
/** Changes with every full recompute, so other processes see that their cached topics are stale. */
export const GENERATION_KEY = 'topics.generation';
/** Old topic ids are kept for new topics whose centroid is at least this close (follows survive recomputes). */
const SAME_TOPIC = 0.8;
/** A new topic at least this close to an old one pins the new layout to the old one's place. */
const ANCHOR_SIMILARITY = 0.5;

interface Checkpoint {
  model: string;
  n: number;
  k: number;
  seed: number;
  iteration: number;
  centroids: string;
}

function toBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

async function readCheckpoint(store: Store): Promise<Checkpoint | null> {
  const raw = await store.settings.get(CHECKPOINT_KEY);
  if (raw === null || raw === '') return null;
  try {
    return JSON.parse(raw) as Checkpoint;
  } catch {
    return null;
  }
}

/** Lloyd iterations with a checkpoint after each, yielding to the event loop so a signal can stop it. */
async function cluster(
  store: Store,
  rows: LoadedVectors,
  model: string,
  k: number,
  seed: number,
  opts: RecomputeOptions,
): Promise<{ centroids: Float32Array; assignment: Assignment; iterations: number; resumed: boolean }> {
  const saved = await readCheckpoint(store);
  const fits =
    saved !== null && saved.model === model && saved.n === rows.n && saved.k === k && saved.seed === seed;
  let centroids = fits ? fromBase64(saved.centroids) : initCentroids(rows, k, seed);
  let iteration = fits ? saved.iteration : 0;
  const maxIterations = opts.maxIterations ?? 25;
  const assignment = { topic: new Int32Array(rows.n).fill(-1), similarity: new Float32Array(rows.n) };
  // About 20 million multiply-adds per slice: a few milliseconds between checks of the signal.
  const chunk = Math.max(256, Math.floor(20_000_000 / Math.max(1, k * rows.dim)));
  for (; iteration < maxIterations; iteration++) {
    const before = assignment.topic.slice();
    for (let from = 0; from < rows.n; from += chunk) {
      opts.signal?.throwIfAborted();
      assignRows(rows, centroids, k, from, Math.min(rows.n, from + chunk), assignment);
      opts.onProgress?.({
        phase: `cluster, pass ${iteration + 1}`,
        done: Math.min(rows.n, from + chunk),
        total: rows.n,
      });
      await new Promise<void>((r) => setImmediate(r));
    }
    let moved = 0;
    for (let i = 0; i < rows.n; i++) if (before[i] !== assignment.topic[i]) moved++;
    if (moved <= rows.n / 1000 && iteration > 0) break;
    centroids = updateCentroids(rows, assignment, k);
    const cp: Checkpoint = {
      model,
      n: rows.n,
      k,
      seed,
      iteration: iteration + 1,
      centroids: toBase64(centroids),
    };
    await store.settings.set(CHECKPOINT_KEY, JSON.stringify(cp));
  }
  assignRows(rows, centroids, k, 0, rows.n, assignment);
  return { centroids, assignment, iterations: iteration, resumed: fits };
}

/** Topic ids: an old topic's id for the new topic nearest to it (when close), fresh ids for the rest. */
function stableIds(centroids: Float32Array, k: number, dim: number, old: readonly StoredTopic[]): number[] {
  const pairs: [number, number, number][] = [];
  for (const o of old) {
    if (o.geometry.length < dim) continue;
    for (let c = 0; c < k; c++) {
      const s = rowDot(centroids, c * dim, o.geometry, 0, dim);
      if (s >= SAME_TOPIC) pairs.push([s, c, o.id]);
    }
  }
  pairs.sort((a, b) => b[0] - a[0]);
  const ids = new Array<number>(k).fill(0);
  const taken = new Set<number>();
  for (const [, c, id] of pairs)
    if (ids[c] === 0 && !taken.has(id)) {
      ids[c] = id;
      taken.add(id);
    }
  let next = Math.max(0, ...old.map((o) => o.id), ...ids) + 1;
  return ids.map((id) => (id === 0 ? next++ : id));
}

/** For each new topic, the old topic nearest in meaning when at least ANCHOR_SIMILARITY close, else null. */
function nearestOld(
  centroids: Float32Array,
  k: number,
  dim: number,
  old: readonly StoredTopic[],
): ({ topic: StoredTopic; similarity: number } | null)[] {
  return Array.from({ length: k }, (_, c) => {
    let best: { topic: StoredTopic; similarity: number } | null = null;
    for (const o of old) {
      if (o.geometry.length < 3 * dim) continue;
      const sim = rowDot(centroids, c * dim, o.geometry, 0, dim);
      if (sim >= (best?.similarity ?? ANCHOR_SIMILARITY)) best = { topic: o, similarity: sim };
    }
    return best;
  });
}

/**
 * Each new topic's fresh place paired with its old topic's place, weighted by its papers and the closeness:
 * what the new layout is fitted onto, so that the map stays where readers last saw it.
 */
function anchorsToOld(
  nearest: ReturnType<typeof nearestOld>,
  sizes: Int32Array,
  places: readonly { x: number; y: number }[],
): Anchor[] {
  return places.flatMap((from, c) => {
    const n = nearest[c];
    if (n === null || n === undefined) return [];
    return [{ from, to: { x: n.topic.x, y: n.topic.y }, weight: (sizes[c] ?? 0) * n.similarity }];
  });
}

/**
 * A direction of spread has no sign of its own: each new topic's axes are turned to agree with its old
 * topic's, so that its papers are not mirrored inside its disc from one recompute to the next.
 */
function orientLikeOld(
  axes: { axes: Float32Array }[],
  nearest: ReturnType<typeof nearestOld>,
  dim: number,
): void {
  axes.forEach(({ axes: a }, c) => {
    const old = nearest[c]?.topic;
    if (old === undefined) return;
    for (let e = 0; e < 2; e++)
      if (rowDot(a, e * dim, old.geometry, (e + 1) * dim, dim) < 0)
        for (let j = e * dim; j < (e + 1) * dim; j++) a[j] = -(a[j] as number);
  });
}

/** Class-based tf-idf terms of each topic from the stored titles and abstracts. */
async function nameTopics(
  store: Store,
  rows: LoadedVectors,
  a: Assignment,
  k: number,
  opts: RecomputeOptions,
): Promise<{ label: string; terms: { term: string; weight: number }[] }[]> {
  const row = new Map<string, number>();
  rows.ids.forEach((id, i) => row.set(id, i));
  const counter = new TopicTermCounter(k);
  let done = 0;
  for await (const page of store.papers.scan(1000)) {
    opts.signal?.throwIfAborted();
    for (const p of page) {
      const i = row.get(p.id);
      if (i !== undefined) counter.add(a.topic[i] ?? 0, `${p.title}. ${p.abstract}`);
    }
    done += page.length;
    opts.onProgress?.({ phase: 'name topics', done, total: rows.n });
  }
  return counter.topTerms(10).map((terms) => ({
    label: topicLabel(terms) || 'unnamed',
    terms: distinctTerms(terms, 10).map((t) => ({ term: t.term, weight: Number(t.weight.toFixed(6)) })),
  }));
}

/**
 * The recompute itself; throws when the signal aborts.
 */
async function recomputeUnguarded(
  store: Store,
  model: string,
  opts: RecomputeOptions = {},
): Promise<RecomputeSummary> {
  const started = Date.now();
  const total = await store.vectors.count(model);
  const rows = await loadVectors(
    store,
    model,
    (done) => opts.onProgress?.({ phase: 'load vectors', done, total }),
    opts.signal,
  );
  if (rows.n < 2)
    throw new AppError(
      'BAD_INPUT',
      `Topics need at least 2 embedded papers; ${model} has ${rows.n}. Run \`paperboy embed\` first.`,
    );
  const k = Math.min(opts.k ?? defaultTopicCount(rows.n), rows.n);
  const seed = opts.seed ?? 1;
  const clustered = await cluster(store, rows, model, k, seed, opts);
  const { centroids, assignment } = clustered;
  const names = await nameTopics(store, rows, assignment, k, opts);
  opts.onProgress?.({ phase: 'lay out the map', done: 0, total: rows.n });
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows.n; i++)
    sizes[assignment.topic[i] ?? 0] = (sizes[assignment.topic[i] ?? 0] ?? 0) + 1;
  const old = await store.topics.list();
  const fresh = layoutTopics(centroids, k, rows.dim, sizes);
  const nearest = nearestOld(centroids, k, rows.dim, old);
  const places = alignPlaces(fresh, anchorsToOld(nearest, sizes, fresh));
  const axes = topicAxes(rows, assignment, centroids, k);
  orientLikeOld(axes, nearest, rows.dim);
  const geometry: TopicGeometry[] = places.map((p, c) => ({
    ...p,
    axes: axes[c]!.axes,
    spread: axes[c]!.spread,
  }));
  const ids = stableIds(centroids, k, rows.dim, old);
  const points: PaperPoint[] = [];
  const central: [number, number][][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < rows.n; i++) {
    const at = placePoint(rows.data, i * rows.dim, centroids, geometry, rows.dim);
    const c = assignment.topic[i] ?? 0;
    points.push({
      paperId: rows.ids[i] ?? '',
      topicId: ids[c] ?? 0,
      x: at.x,
      y: at.y,
      similarity: assignment.similarity[i] ?? 0,
    });
    central[c]?.push([i, assignment.similarity[i] ?? 0]);
  }
  const topics: StoredTopic[] = geometry.map((g, c) => {
    const geo = new Float32Array(3 * rows.dim);
    geo.set(centroids.subarray(c * rows.dim, (c + 1) * rows.dim));
    geo.set(g.axes, rows.dim);
    const top = (central[c] ?? []).sort((a, b) => b[1] - a[1]).slice(0, 5);
    return {
      id: ids[c] ?? 0,
      label: names[c]?.label ?? 'unnamed',
      terms: names[c]?.terms ?? [],
      central: top.map(([i]) => rows.ids[i] ?? ''),
      x: g.x,
      y: g.y,
      radius: g.radius,
      geometry: geo,
      spread: g.spread,
    };
  });
  opts.onProgress?.({ phase: 'save', done: rows.n, total: rows.n });
  await store.topics.replaceAll(model, topics, points);
  await store.settings.set(VECTOR_SEQ_KEY, String(rows.lastSeq));
  await store.settings.set(GENERATION_KEY, `${Date.now()}-${rows.n}-${k}`);
  await store.settings.set(CHECKPOINT_KEY, '');
  return {
    status: 'done',
    model,
    papers: rows.n,
    topics: k,
    iterations: clustered.iterations,
    resumed: clustered.resumed,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Recomputes every topic and every paper's place from the active model's vectors; an aborted signal
 * stops it between steps with status 'interrupted' (the clustering's checkpoint is kept).
 */
export async function recomputeTopics(
  store: Store,
  model: string,
  opts: RecomputeOptions = {},
): Promise<RecomputeSummary> {
  const started = Date.now();
  try {
    return await recomputeUnguarded(store, model, opts);
  } catch (err) {
    if (opts.signal?.aborted !== true) throw err;
    const seconds = (Date.now() - started) / 1000;
    return { status: 'interrupted', model, papers: 0, topics: 0, iterations: 0, resumed: false, seconds };
  }
}
