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
}

export interface PaperGraphService {
  /** The graph around a paper (NOT_FOUND for an unknown id). */
  of(id: string): Promise<PaperGraph>;
}

/** Neighbours taken of the paper, and of each neighbour. */
const FIRST = 8;
const SECOND = 3;

export function createPaperGraphService(deps: {
  store: Store;
  search: SearchService;
  indexes: SearchIndexes;
}): PaperGraphService {
  /** A neighbour's own neighbours: nearest vectors when the paper has one (cheap), else similar papers. */
  async function around(id: string): Promise<{ paper: Paper; score: number }[]> {
    const vectors = deps.indexes.vectors;
    const vec = vectors?.get(id);
    if (vectors === null || vec === undefined) return deps.search.similar(id, SECOND);
    const hits = vectors.search(vec, SECOND + 1, undefined, { rerank: true }).filter(([o]) => o !== id);
    const papers = await deps.store.papers.getMany(hits.map(([o]) => o));
    const byId = new Map(papers.map((p) => [p.id, p]));
    return hits.slice(0, SECOND).flatMap(([o, score]) => {
      const paper = byId.get(o);
      return paper ? [{ paper, score }] : [];
    });
  }

  return {
    async of(id) {
      const near = await deps.search.similar(id, FIRST);
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
      second.forEach((hits, k) => {
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
      const votes = await deps.store.votes.counts(papers.map((p) => p.id));
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
          votes: votes.get(p.id) ?? 0,
          ring: ring[i] ?? 2,
          x: Number((pos[i]?.x ?? 0.5).toFixed(4)),
          y: Number((pos[i]?.y ?? 0.5).toFixed(4)),
        };
      });
      return { nodes, edges };
    },
  };
}
