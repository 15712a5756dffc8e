// The related-papers graph of one paper: its nearest neighbours and theirs, with similarity edges and a layout.
import type { Paper } from '../../domain/index.ts';
import { forceLayout } from '../../index/topics/force-layout.ts';
import type { SearchIndexes, SearchService } from '../search/index.ts';
import type { Store } from '../../store/store.ts';

export interface GraphNode {
  id: string;
  title: string;
  year: number | null;
  votes: number;
  /** 0: the paper itself, 1: its neighbours, 2: theirs. */
  ring: 0 | 1 | 2;
  x: number;
  y: number;
}

export interface PaperGraph {
  nodes: GraphNode[];
  /** Indexes into `nodes` and a similarity weight in [0, 1]. */
  edges: { source: number; target: number; weight: number }[];
  /**
   * Built while a large sync ran (an import beside the node), from the indexes as they stood: papers being indexed
   * may be missing. Not kept; the next view builds it again.
   */
  indexing?: true;
}

export interface PaperGraphService {
  /** The graph around a paper (NOT_FOUND for an unknown id). */
  of(id: string): Promise<PaperGraph>;
}

/** Neighbours taken of the paper, and of each neighbour. */
const FIRST = 8;
const SECOND = 3;
/** Graphs kept (the most recently viewed papers). */
const CACHED_GRAPHS = 500;
/**
 * A kept graph is rebuilt after this long even when no paper changed, so that newly embedded vectors (which
 * change neighbours without changing papers) show up within minutes.
 */
const GRAPH_TTL_MS = 10 * 60_000;

export function createPaperGraphService(deps: {
  store: Store;
  search: SearchService;
  indexes: SearchIndexes;
  /** Milliseconds now (default Date.now), for the kept graphs' age. */
  nowMs?: () => number;
}): PaperGraphService {
  const nowMs = deps.nowMs ?? Date.now;
  // Building a graph runs nine neighbour searches and a force layout: each paper page would pay that on every
  // view. Kept graphs hold everything but the votes (read fresh each time, they are one cheap query); a
  // graph built before the store's latest paper change is rebuilt, since a new paper can be anyone's
  // neighbour.
  const kept = new Map<string, { at: number; seq: number; graph: PaperGraph }>();
  const building = new Map<string, Promise<PaperGraph>>();

  /**
   * A neighbour's own neighbours: nearest vectors when the paper has one (cheap), else similar papers (`behind`:
   * answered while a large sync ran, see `SearchService.similarSoon`).
   */
  async function around(id: string): Promise<{ hits: { paper: Paper; score: number }[]; behind: boolean }> {
    const vectors = deps.indexes.vectors;
    const vec = vectors?.get(id);
    if (vectors === null || vec === undefined) return deps.search.similarSoon(id, SECOND);
    const hits = vectors.search(vec, SECOND + 1, undefined, { rerank: true }).filter(([o]) => o !== id);
    const papers = await deps.store.papers.getMany(hits.map(([o]) => o));
    const byId = new Map(papers.map((p) => [p.id, p]));
    const found = hits.slice(0, SECOND).flatMap(([o, score]) => {
      const paper = byId.get(o);
      return paper ? [{ paper, score }] : [];
    });
    return { hits: found, behind: false };
  }

  async function build(id: string): Promise<PaperGraph> {
    // A reader's page waits on it: a large sync is waited for only a moment (the graph then says so).
    const first = await deps.search.similarSoon(id, FIRST);
    const near = first.hits;
    const centre = (await deps.store.papers.get(id)) ?? near[0]?.paper;
    if (centre === undefined) return { nodes: [], edges: [] };
    const papers: Paper[] = [centre];
    const ring: (0 | 1 | 2)[] = [0];
    const at = new Map<string, number>([[centre.id, 0]]);
    const raw: [number, number, number][] = [];
    const add = (p: Paper, r: 1 | 2): number => {
      let i = at.get(p.id);
      if (i === undefined) {
        i = papers.length;
        at.set(p.id, i);
        papers.push(p);
        ring.push(r);
      }
      return i;
    };
    for (const h of near) raw.push([0, add(h.paper, 1), h.score]);
    const second = await Promise.all(near.map((h) => around(h.paper.id)));
    const behind = first.behind || second.some((a) => a.behind);
    second.forEach(({ hits }, k) => {
      const from = at.get(near[k]!.paper.id) ?? 0;
      for (const h of hits) if (h.paper.id !== centre.id) raw.push([from, add(h.paper, 2), h.score]);
    });
    // Scores are fused ranks, not cosines: scale them to [0.1, 1] within this graph for edge strength.
    const max = Math.max(...raw.map((e) => e[2]), 1e-9);
    const min = Math.min(...raw.map((e) => e[2]));
    const seen = new Set<string>();
    const edges = raw
      .filter(([a, b]) => {
        const key = a < b ? `${a}-${b}` : `${b}-${a}`;
        if (a === b || seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map(([a, b, s]) => ({
        source: a,
        target: b,
        weight: 0.1 + (0.9 * (s - min)) / Math.max(1e-9, max - min),
      }));
    const pos = forceLayout(
      papers.length,
      edges.map((e) => [e.source, e.target, e.weight] as const),
    );
    const nodes = papers.map((p, i) => {
      const date = p.published ?? p.announced ?? null;
      return {
        id: p.id,
        title: p.title,
        year: date === null ? null : Number(date.slice(0, 4)),
        votes: 0, // filled in on each view
        ring: ring[i] ?? 2,
        x: Number((pos[i]?.x ?? 0.5).toFixed(4)),
        y: Number((pos[i]?.y ?? 0.5).toFixed(4)),
      };
    });
    return behind ? { nodes, edges, indexing: true } : { nodes, edges };
  }

  return {
    async of(id) {
      const seq = await deps.store.papers.latestChangeSeq();
      let entry = kept.get(id);
      if (entry === undefined || entry.seq !== seq || nowMs() - entry.at > GRAPH_TTL_MS) {
        let pending = building.get(id);
        if (pending === undefined) {
          pending = build(id).finally(() => building.delete(id));
          building.set(id, pending);
        }
        const graph = await pending;
        entry = { at: nowMs(), seq, graph };
        kept.delete(id);
        if (graph.nodes.length > 0 && graph.indexing !== true) kept.set(id, entry);
        while (kept.size > CACHED_GRAPHS) kept.delete(kept.keys().next().value as string);
      } else {
        // Most recently viewed last, so the oldest view is the first to go.
        kept.delete(id);
        kept.set(id, entry);
      }
      const { nodes, edges, indexing } = entry.graph;
      const votes = await deps.store.votes.counts(nodes.map((n) => n.id));
      const voted = nodes.map((n) => ({ ...n, votes: votes.get(n.id) ?? 0 }));
      return indexing === true ? { nodes: voted, edges, indexing } : { nodes: voted, edges };
    },
  };
}
