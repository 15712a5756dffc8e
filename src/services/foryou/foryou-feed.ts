// Gathers a reader's signals and the window's papers, and ranks them with the For-you model (src/rank/foryou.ts).
import type { ScoredId } from '../../domain/index.ts';
import type { Embedder } from '../../index/embedders/embedder.ts';
import type { VectorIndex } from '../../index/vectors/index.ts';
import { parseQuery, plainQuery } from '../../index/lexical/query.ts';
import {
  copyWindowVectors,
  createWindow,
  rankForYouWindow,
  type ForYouItem,
  type PreparedWindow,
  type ProfilePaper,
  type WindowVectors,
} from '../../rank/foryou.ts';
import type { Store } from '../../store/store.ts';
import type { SearchIndexes } from '../search/index.ts';
import type { Follow, NotInterested, SavedSearch } from '../../store/foryou.ts';

export interface FeedWindow {
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Day after the last, exclusive. */
  to: string;
}

export interface FeedDeps {
  store: Store;
  indexes: SearchIndexes;
  embedder: () => Promise<Embedder | null>;
}

export interface RankedFeed {
  /** The best `top` papers, best first. */
  items: ForYouItem[];
  /** How many papers were ranked (the window less the hidden ones). */
  total: number;
  /** 'vectors' when the active model's vectors shaped the ranking, else 'lexical'. */
  mode: 'vectors' | 'lexical';
  positives: number;
}

/** Most papers of one window that are ranked (about 50 days of all of arXiv cs). */
export const MAX_CANDIDATES = 50_000;
const MAX_SAVED = 500;
const MAX_VOTED = 200;
const MAX_TEXTS = 200;
/** Positives compared one by one through the lexical index when there are no vectors. */
const MAX_LEXICAL_NEIGHBOURS = 24;
const LEXICAL_DEPTH = 500;
const WEIGHT = { saved: 1, voted: 0.7, text: 0.5 } as const;

interface WindowEntry {
  seq: number;
  win: PreparedWindow;
  /** The papers' vectors from one vector index at one size; re-read after a minute at most. */
  vectors?: { index: VectorIndex; size: number; atMs: number; matrix: WindowVectors };
}

/**
 * The window's papers, prepared for ranking (normalized author names, author and category postings, ages)
 * and their vectors in one matrix, cached per window until the papers change: every reader of a day ranks
 * the same papers, so this saves the scan, the name folding and the vector copies per request.
 */
const NO_AUTHORS = { names: [], keys: [] } as const;
const windowCaches = new WeakMap<Store, Map<string, WindowEntry>>();
const WINDOW_CACHE_SIZE = 8;
const VECTOR_CACHE_MS = 60_000;

async function windowEntry(store: Store, w: FeedWindow): Promise<WindowEntry> {
  let cache = windowCaches.get(store);
  if (cache === undefined) windowCaches.set(store, (cache = new Map()));
  const seq = await store.papers.latestChangeSeq();
  const key = `${w.from}|${w.to}`;
  const hit = cache.get(key);
  if (hit !== undefined && hit.seq === seq) return hit;
  const rows = await store.forYou.windowPapers(w.from, w.to, MAX_CANDIDATES);
  const win = createWindow(
    rows.map((r) => r.id),
    rows.map((r) => r.day),
    (i) => rows[i]?.categories ?? [],
    () => NO_AUTHORS, // authors are matched through the store's author index (rankFeed)
  );
  const entry: WindowEntry = { seq, win };
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > WINDOW_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  return entry;
}

function vectorsOf(entry: WindowEntry, index: VectorIndex | null): WindowVectors | null {
  if (index === null) return null;
  const v = entry.vectors;
  if (v !== undefined && v.index === index && v.size === index.size && Date.now() - v.atMs < VECTOR_CACHE_MS)
    return v.matrix;
  const ids = entry.win.ids;
  const matrix = copyWindowVectors(entry.win, index.dimension, (i, out, at) =>
    index.copyTo(ids[i] ?? '', out, at),
  );
  entry.vectors = { index, size: index.size, atMs: Date.now(), matrix };
  return matrix;
}

/** Opens the indexes once, follows the active model, and applies store changes. */
export async function syncIndexes(deps: FeedDeps): Promise<Embedder | null> {
  const embedder = await deps.indexes.upToDate(deps.embedder, 0);
  return embedder instanceof Error ? null : embedder;
}

async function positivesOf(deps: FeedDeps, userId: number, tag: string | undefined): Promise<ProfilePaper[]> {
  const { store, indexes } = deps;
  // Independent reads side by side: on PostgreSQL each is a round trip (#23: For you was 7–9× SQLite's time).
  const [list, voted, interests] = await Promise.all([
    store.library.list(userId, { tag, limit: MAX_SAVED, offset: 0 }),
    tag === undefined ? store.forYou.votedPapers(userId, MAX_VOTED) : Promise.resolve([]),
    tag === undefined ? interestPositives(deps, userId) : Promise.resolve([]),
  ]);
  const saved = list.entries;
  const savedIds = new Set(saved.map((e) => e.paperId));
  const votedOnly = voted.filter((v) => !savedIds.has(v.paperId));
  const papers = new Map(
    (await store.papers.getMany([...savedIds, ...votedOnly.map((v) => v.paperId)])).map((p) => [p.id, p]),
  );
  const vec = (id: string): Float32Array | null => indexes.vectors?.get(id) ?? null;
  const out: ProfilePaper[] = [];
  for (const e of saved) {
    const p = papers.get(e.paperId);
    if (p) out.push({ id: p.id, title: p.title, weight: WEIGHT.saved, tags: e.tags, vector: vec(p.id) });
  }
  for (const v of votedOnly) {
    const p = papers.get(v.paperId);
    if (p) out.push({ id: p.id, title: p.title, weight: WEIGHT.voted, tags: [], vector: vec(p.id) });
  }
  out.push(...interests);
  return out;
}

/** Imported references that matched no stored paper, embedded on the fly when a model is active. */
async function interestPositives(deps: FeedDeps, userId: number): Promise<ProfilePaper[]> {
  const texts = await deps.store.forYou.interestTexts(userId, MAX_TEXTS);
  if (texts.length === 0) return [];
  let vectors: Float32Array[] = [];
  const embedder = deps.indexes.vectors !== null ? await deps.embedder().catch(() => null) : null;
  if (embedder !== null)
    vectors = await embedder.embed(texts.map((t) => `${t.title}\n${t.abstract}`)).catch(() => []);
  return texts.map((t, i) => ({
    id: `interest:${i}`,
    title: t.title,
    weight: WEIGHT.text,
    tags: [],
    vector: vectors[i] ?? null,
  }));
}

function lexicalLists(
  deps: FeedDeps,
  positives: readonly ProfilePaper[],
  w: FeedWindow,
): { profile: ScoredId[]; neighbours: { positive: number; hits: ScoredId[] }[] } {
  const filters = { since: w.from, before: w.to };
  const lexical = deps.indexes.lexical;
  const titles = positives.map((p) => p.title).filter((t) => t.trim() !== '');
  if (titles.length === 0) return { profile: [], neighbours: [] };
  const profile = lexical.search(plainQuery(titles.join(' ').slice(0, 4000)), { k: LEXICAL_DEPTH, filters });
  const neighbours = positives.slice(0, MAX_LEXICAL_NEIGHBOURS).map((p, i) => ({
    positive: i,
    hits: p.title.trim() === '' ? [] : lexical.search(plainQuery(p.title), { k: LEXICAL_DEPTH, filters }),
  }));
  return { profile, neighbours };
}

/** Follows count in the whole feed, not in one library tag's recommendations. */
const followsOn = (tag: string | undefined): boolean => tag === undefined;

/**
 * The window's papers in the reader's followed topics, with the topic's name as the reader followed it.
 * @example await topicMembers(store, follows, { from: '2026-07-01', to: '2026-07-08' }) // Map { '2607.00003' => 'robot, grasping' }
 */
export async function topicMembers(
  store: Store,
  follows: readonly Follow[],
  w: FeedWindow,
): Promise<Map<string, string>> {
  const topics = follows.filter((f) => f.kind === 'topic');
  if (topics.length === 0) return new Map();
  const label = new Map(topics.map((f) => [Number(f.key), f.label]));
  const members = await store.topics.members([...label.keys()], w.from, w.to);
  return new Map(members.map((m) => [m.paperId, label.get(m.topicId) ?? '']));
}

/** What a reader's feed learns from, whatever the window: read once per request, even when the window widens. */
export interface ReaderSignals {
  positives: ProfilePaper[];
  follows: Follow[];
  marks: NotInterested[];
  searches: SavedSearch[];
}

/** The reader's signals, read side by side (each a round trip on PostgreSQL). */
export async function readerSignals(
  deps: FeedDeps,
  userId: number,
  tag: string | undefined,
): Promise<ReaderSignals> {
  const { store } = deps;
  const [positives, follows, marks, searches] = await Promise.all([
    positivesOf(deps, userId, tag),
    store.forYou.follows(userId),
    store.forYou.notInterested(userId),
    tag === undefined ? store.forYou.savedSearches(userId) : Promise.resolve([]),
  ]);
  return { positives, follows, marks, searches };
}

/**
 * Ranks the window's papers for a reader from every signal in the store (`reader`: read already for this request);
 * returns the best `top` of them.
 */
export async function rankFeed(
  deps: FeedDeps,
  userId: number,
  w: FeedWindow,
  tag?: string,
  top = Infinity,
  reader: Promise<ReaderSignals> = readerSignals(deps, userId, tag),
): Promise<RankedFeed> {
  const { store, indexes } = deps;
  const [{ positives, follows, marks, searches }, entry, seen] = await Promise.all([
    reader,
    windowEntry(store, w),
    store.forYou.seenBetween(userId, w.from, w.to),
  ]);
  const vec = (id: string): Float32Array | null => indexes.vectors?.get(id) ?? null;
  const useVectors = positives.some((p) => p.vector !== null);
  const lexical = useVectors ? null : lexicalLists(deps, positives, w);
  const filters = { since: w.from, before: w.to };
  const followedAuthors = new Map(
    tag === undefined ? follows.filter((f) => f.kind === 'author').map((f) => [f.key, f.label]) : [],
  );
  const hiddenAuthors = new Set(marks.filter((m) => m.kind === 'author').map((m) => m.key));
  const [byAuthor, followedTopics] = await Promise.all([
    store.forYou.authorPapers([...followedAuthors.keys(), ...hiddenAuthors], w.from, w.to),
    topicMembers(store, followsOn(tag) ? follows : [], w),
  ]);
  const authorMatches = byAuthor.map((m) => ({ id: m.paperId, position: m.position, key: m.key }));
  const hiddenPapers = new Set(positives.map((p) => p.id));
  for (const m of marks) if (m.kind === 'paper') hiddenPapers.add(m.key);
  const signals = {
    positives,
    negatives: marks.flatMap((m) => (m.kind === 'paper' ? [vec(m.key)].filter((v) => v !== null) : [])),
    followedAuthors,
    followedCategories: new Set(
      followsOn(tag) ? follows.filter((f) => f.kind === 'category').map((f) => f.key) : [],
    ),
    followedTopics,
    hiddenPapers,
    hiddenAuthors,
    authorMatches,
    alerts: searches.map((s) => ({
      query: s.query,
      hits: indexes.lexical.search(parseQuery(s.query), { k: LEXICAL_DEPTH, filters }),
    })),
    ...(lexical !== null ? { lexicalProfile: lexical.profile, lexicalNeighbours: lexical.neighbours } : {}),
    seen,
  };
  const { items, total } = rankForYouWindow(entry.win, vectorsOf(entry, indexes.vectors), signals, top);
  return { items, total, mode: useVectors ? 'vectors' : 'lexical', positives: positives.length };
}
