// Use cases over stored topics: listing, one topic with its chart and papers, rising topics, the map's
// points, and placing newly embedded papers into the nearest topic without moving anyone else.
import { bucketCounts, bucketStart, dayNumber } from '../../domain/date-buckets.ts';
import type { Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { placePoint, type TopicGeometry } from '../../index/topics/map-layout.ts';
import { topicAreas, type TopicArea } from '../../index/topics/topic-areas.ts';
import { rowDot } from '../../simd-dot.ts';
import type { Store } from '../../store/store.ts';
import type { DatedPoint, PaperPoint, TopicSummary } from '../../store/topics.ts';
import {
  CHECKPOINT_KEY,
  GENERATION_KEY,
  RECOMPUTED_AT_KEY,
  recomputeTopics,
  VECTOR_SEQ_KEY,
  type RecomputeOptions,
  type RecomputeSummary,
} from './recompute.ts';

/** A topic as the API lists it. */
export interface TopicInfo {
  id: number;
  label: string;
  size: number;
  terms: { term: string; weight: number }[];
  /** Most central papers' ids. */
  central: string[];
  x: number;
  y: number;
  /** The broad area (second level of the hierarchy) the topic belongs to; null with too few topics. */
  area: number | null;
}

export interface TopicDetail extends TopicInfo {
  weekly: { start: string; count: number }[];
  related: TopicInfo[];
  /** Top papers: by upvotes, then by closeness to the topic's centre. */
  papers: { paper: Paper; votes: number; similarity: number }[];
}

export interface RisingTopic extends TopicInfo {
  /** Papers in the last 7 days and the ratio of the topic's share to its share in the 8 weeks before. */
  recent: number;
  growth: number;
  /** Papers per week over the last 12 weeks (oldest first). */
  sparkline: number[];
}

/** Every placed paper, as parallel arrays (the map's payload). */
export interface MapPoints {
  ids: string[];
  x: Float32Array;
  y: Float32Array;
  topic: Int32Array;
  days: Int32Array;
  /** Bumps whenever the points change (for caching encodings). */
  version: number;
}

export interface TopicsService {
  recompute(opts?: RecomputeOptions): Promise<RecomputeSummary>;
  /** Places papers embedded since the last run into their nearest topics; returns how many. */
  update(): Promise<number>;
  list(): Promise<TopicInfo[]>;
  get(id: number): Promise<TopicDetail>;
  rising(limit?: number): Promise<RisingTopic[]>;
  points(): Promise<MapPoints>;
  /** A paper's topic and place, or null when it has none yet. */
  placeOf(paperId: string): Promise<PaperPoint | null>;
  /** Days (day numbers) of the papers of one topic, for trends. */
  topicDays(id: number): Promise<Int32Array>;
  /** The hierarchy's upper level: broad areas of topics, largest first (empty with few topics). */
  areas(): Promise<TopicArea[]>;
  /** When the last full recompute finished (null: never), and whether an interrupted one can resume. */
  recomputeState(): Promise<{ finishedAt: Date | null; interrupted: boolean }>;
}

export interface TopicsDeps {
  store: Store;
  /** The active embedding model's name, or null when none is active. */
  model: () => Promise<string | null>;
  now: () => Date;
  /** Cached reads are refreshed at most this often (default 10 s). */
  refreshMs?: number;
}

function info(t: TopicSummary, areaOf: ReadonlyMap<number, number>): TopicInfo {
  const area = areaOf.get(t.id) ?? null;
  return { id: t.id, label: t.label, size: t.size, terms: t.terms, central: t.central, x: t.x, y: t.y, area };
}

/** Areas of the topics and each topic's area. */
function hierarchy(topics: readonly TopicSummary[]): { areas: TopicArea[]; areaOf: Map<number, number> } {
  const dim = (topics[0]?.geometry.length ?? 0) / 3;
  const areas = topicAreas(
    topics.map((t) => ({ id: t.id, size: t.size, centroid: t.geometry, terms: t.terms })),
    dim,
  );
  const areaOf = new Map<number, number>();
  for (const a of areas) for (const id of a.topics) areaOf.set(id, a.id);
  return { areas, areaOf };
}

function geometryOf(t: TopicSummary, dim: number): TopicGeometry {
  return { x: t.x, y: t.y, radius: t.radius, axes: t.geometry.subarray(dim, 3 * dim), spread: t.spread };
}

export function createTopicsService(deps: TopicsDeps): TopicsService {
  const { store } = deps;
  const refreshMs = deps.refreshMs ?? 10_000;
  let cache: {
    at: number;
    key: string;
    topics: TopicSummary[];
    points: DatedPoint[];
    map: MapPoints;
    areas: TopicArea[];
    areaOf: Map<number, number>;
  } | null = null;
  let version = 0;
  let updating: Promise<number> | null = null;

  async function update(): Promise<number> {
    const model = await store.topics.model();
    const active = await deps.model();
    if (model === null || active !== model) return 0;
    const topics = await store.topics.list();
    if (topics.length === 0) return 0;
    const dim = topics[0]!.geometry.length / 3;
    const centroids = new Float32Array(topics.length * dim);
    topics.forEach((t, c) => centroids.set(t.geometry.subarray(0, dim), c * dim));
    const geometry = topics.map((t) => geometryOf(t, dim));
    let seq = Number((await store.settings.get(VECTOR_SEQ_KEY)) ?? '0');
    let placed = 0;
    for (;;) {
      const page = await store.vectors.since(model, seq, 2000);
      if (page.length === 0) break;
      const points: PaperPoint[] = [];
      for (const v of page) {
        if (v.vector.length !== dim) continue;
        const at = placePoint(v.vector, 0, centroids, geometry, dim);
        points.push({
          paperId: v.paperId,
          topicId: topics[at.topic]!.id,
          x: at.x,
          y: at.y,
          similarity: at.similarity,
        });
      }
      await store.topics.putPoints(points);
      seq = page[page.length - 1]!.seq;
      await store.settings.set(VECTOR_SEQ_KEY, String(seq));
      placed += points.length;
    }
    if (placed > 0) cache = null;
    return placed;
  }

  /** Topics and points, refreshed (and new papers placed) at most every `refreshMs`. */
  async function state(): Promise<NonNullable<typeof cache>> {
    if (cache !== null && Date.now() - cache.at < refreshMs) return cache;
    updating ??= update().finally(() => (updating = null));
    await updating;
    // Reloading 75k points costs a few hundred ms: only when papers, placed vectors or topics changed.
    const key = (
      await Promise.all([
        store.papers.latestChangeSeq(),
        store.settings.get(VECTOR_SEQ_KEY),
        store.settings.get(GENERATION_KEY),
      ])
    ).join('|');
    if (cache !== null && cache.key === key) {
      cache.at = Date.now();
      return cache;
    }
    const [topics, points] = await Promise.all([store.topics.list(), store.topics.points()]);
    version += 1;
    const map: MapPoints = {
      ids: points.map((p) => p.paperId),
      x: Float32Array.from(points, (p) => p.x),
      y: Float32Array.from(points, (p) => p.y),
      topic: Int32Array.from(points, (p) => p.topicId),
      days: Int32Array.from(points, (p) => dayNumber(p.date)),
      version,
    };
    cache = { at: Date.now(), key, topics, points, map, ...hierarchy(topics) };
    return cache;
  }

  /** The newest paper's day ("this week" ends there), or today when there are none. */
  function anchorDay(map: MapPoints): number {
    let newest = 0;
    for (const d of map.days) if (d > newest) newest = d;
    return newest === 0 ? Math.floor(deps.now().getTime() / 86_400_000) : newest;
  }

  return {
    recompute: async (opts) => {
      const model = await deps.model();
      if (model === null)
        throw new AppError(
          'EMBEDDER',
          'No embedding model is active: run `paperboy train` first, then `paperboy topics`.',
        );
      const summary = await recomputeTopics(store, model, opts);
      cache = null;
      if (summary.status === 'done') await store.settings.set(RECOMPUTED_AT_KEY, deps.now().toISOString());
      return summary;
    },
    update: () => {
      updating ??= update().finally(() => (updating = null));
      return updating;
    },
    async list() {
      const s = await state();
      return s.topics.map((t) => info(t, s.areaOf));
    },
    async get(id) {
      const s = await state();
      const t = s.topics.find((x) => x.id === id);
      if (t === undefined) throw new AppError('NOT_FOUND', `No topic ${id}; see /topics for the list.`);
      const dim = t.geometry.length / 3;
      const days: number[] = [];
      const members: DatedPoint[] = [];
      for (const p of s.points)
        if (p.topicId === id) {
          days.push(dayNumber(p.date));
          members.push(p);
        }
      const last = anchorDay(s.map);
      const first = days.length > 0 ? Math.min(...days) : last;
      const related = s.topics
        .filter((o) => o.id !== id)
        .map((o) => [o, rowDot(t.geometry, 0, o.geometry, 0, dim)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([o]) => info(o, s.areaOf));
      members.sort((a, b) => b.similarity - a.similarity);
      const pool = members.slice(0, 60);
      const votes = await store.votes.counts(pool.map((p) => p.paperId));
      const papers = await store.papers.getMany(pool.map((p) => p.paperId));
      const byId = new Map(papers.map((p) => [p.id, p]));
      const top = pool
        .flatMap((p) => {
          const paper = byId.get(p.paperId);
          return paper ? [{ paper, votes: votes.get(p.paperId) ?? 0, similarity: p.similarity }] : [];
        })
        .sort((a, b) => b.votes - a.votes || b.similarity - a.similarity)
        .slice(0, 12);
      return { ...info(t, s.areaOf), weekly: bucketCounts(days, 'week', first, last), related, papers: top };
    },
    async rising(limit = 5) {
      const s = await state();
      const last = anchorDay(s.map);
      const weekStart = last - 6;
      const baseStart = weekStart - 56;
      const recent = new Map<number, number>();
      const base = new Map<number, number>();
      let recentAll = 0;
      let baseAll = 0;
      for (let i = 0; i < s.map.ids.length; i++) {
        const d = s.map.days[i] ?? 0;
        const t = s.map.topic[i] ?? 0;
        if (d >= weekStart && d <= last) {
          recent.set(t, (recent.get(t) ?? 0) + 1);
          recentAll++;
        } else if (d >= baseStart && d < weekStart) {
          base.set(t, (base.get(t) ?? 0) + 1);
          baseAll++;
        }
      }
      if (recentAll === 0) return [];
      const k = Math.max(1, s.topics.length);
      // Shares smoothed by one paper spread over all topics, so a topic new this week is not infinite growth.
      const scored = s.topics
        .map((t) => {
          const r = recent.get(t.id) ?? 0;
          const shareNow = (r + 1 / k) / (recentAll + 1);
          const shareBase = ((base.get(t.id) ?? 0) + 1 / k) / (baseAll + 1);
          return { t, r, growth: shareNow / shareBase };
        })
        .filter((x) => x.r >= 3)
        .sort((a, b) => b.growth - a.growth || b.r - a.r)
        .slice(0, limit);
      const sparkFirst = bucketStart(last, 'week') - 77;
      return scored.map(({ t, r, growth }) => {
        const days: number[] = [];
        for (let i = 0; i < s.map.ids.length; i++) if (s.map.topic[i] === t.id) days.push(s.map.days[i] ?? 0);
        const sparkline = bucketCounts(days, 'week', sparkFirst, last).map((b) => b.count);
        return { ...info(t, s.areaOf), recent: r, growth: Number(growth.toFixed(3)), sparkline };
      });
    },
    async points() {
      return (await state()).map;
    },
    async placeOf(paperId) {
      return store.topics.point(paperId);
    },
    async recomputeState() {
      const [at, checkpoint] = await Promise.all([
        store.settings.get(RECOMPUTED_AT_KEY),
        store.settings.get(CHECKPOINT_KEY),
      ]);
      const finishedAt = at === null || at === '' ? null : new Date(at);
      return { finishedAt, interrupted: checkpoint !== null && checkpoint !== '' };
    },
    async areas() {
      return (await state()).areas;
    },
    async topicDays(id) {
      const s = await state();
      const out: number[] = [];
      for (let i = 0; i < s.map.ids.length; i++) if (s.map.topic[i] === id) out.push(s.map.days[i] ?? 0);
      return Int32Array.from(out);
    },
  };
}
