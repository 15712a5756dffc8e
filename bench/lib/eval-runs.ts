// The evaluation's retrievers over a BEIR set: Paperboy lexical, semantic (any Embedder), hybrid and FTS5.
import type { ScoredId } from '../../src/domain/scored.ts';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import type { Bm25fOverrides } from '../../src/index/lexical/bm25f-options.ts';
import {
  createLexicalIndex,
  loadLexicalIndex,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { fuseHybrid } from '../../src/rank/hybrid.ts';
import type { BeirSet } from './beir.ts';
import { embedCached } from './embedding-cache.ts';
import { exactNearest, scoreIds } from './exact-knn.ts';
import { createFts5Baseline } from './fts5-baseline.ts';

/** Scored results per query id. */
export type ScoredRuns = Map<string, ScoredId[]>;

/**
 * Indexes the corpus (title → title, text → abstract) and returns a snapshot, so knob sweeps reload it.
 * @example const snapshot = buildLexicalSnapshot(set);
 */
export function buildLexicalSnapshot(set: BeirSet): Buffer {
  const index = createLexicalIndex();
  for (const d of set.corpus)
    index.add({ id: d.id, title: d.title, abstract: d.text, authors: [], categories: [], date: null });
  return index.serialize();
}

/** Runs every query as plain words (claims' punctuation is not query syntax). */
export function runLexical(
  snapshot: Buffer | LexicalIndex,
  set: BeirSet,
  qids: readonly string[],
  depth: number,
  knobs?: Bm25fOverrides,
): ScoredRuns {
  const index = Buffer.isBuffer(snapshot) ? loadLexicalIndex(snapshot, knobs) : snapshot;
  const runs: ScoredRuns = new Map();
  for (const qid of qids) runs.set(qid, index.search(plainQuery(set.queries.get(qid) ?? ''), { k: depth }));
  return runs;
}

/** Vectors of the corpus and the queries, plus exact top-`depth` neighbours per query. */
export interface SemanticRun {
  runs: ScoredRuns;
  queryVectors: Map<string, Float32Array>;
  docVectors: Map<string, Float32Array>;
  cached: boolean;
}

export async function runSemantic(
  embedder: Embedder,
  set: BeirSet,
  qids: readonly string[],
  depth: number,
): Promise<SemanticRun> {
  const corpus = await embedCached(
    embedder,
    set.corpus.map((d) => `${d.title}\n${d.text}`),
    'corpus',
  );
  const queries = await embedCached(
    embedder,
    qids.map((q) => set.queries.get(q) ?? ''),
    'queries',
  );
  const ids = set.corpus.map((d) => d.id);
  const docVectors = new Map(
    ids.map((id, i) => [id, corpus.vectors[i] ?? new Float32Array(embedder.dimension)]),
  );
  const queryVectors = new Map(
    qids.map((q, i) => [q, queries.vectors[i] ?? new Float32Array(embedder.dimension)]),
  );
  const runs: ScoredRuns = new Map();
  for (const [qid, v] of queryVectors) runs.set(qid, exactNearest(v, corpus.vectors, ids, depth));
  return { runs, queryVectors, docVectors, cached: corpus.cached && queries.cached };
}

/**
 * Fuses per query: lexical top-`depth` with the semantic top-`depth` plus the semantic scores of the
 * lexical candidates (as the search service does with its vector store).
 */
export function runHybrid(
  lexical: ScoredRuns,
  semantic: SemanticRun,
  depth: number,
  semanticWeight: number,
): ScoredRuns {
  const runs: ScoredRuns = new Map();
  // w = 0 is lexical search by definition; keep its full list so recall@100 is not cut to the fusion depth.
  if (semanticWeight === 0) return new Map([...lexical].map(([q, r]) => [q, [...r]]));
  for (const [qid, lex] of lexical) {
    const lexTop = lex.slice(0, depth);
    const semTop = (semantic.runs.get(qid) ?? []).slice(0, depth);
    const seen = new Set(semTop.map(([id]) => id));
    const qv = semantic.queryVectors.get(qid);
    const extra =
      qv === undefined
        ? []
        : scoreIds(
            qv,
            semantic.docVectors,
            lexTop.map(([id]) => id).filter((id) => !seen.has(id)),
          );
    runs.set(qid, fuseHybrid(lexTop, [...semTop, ...extra], { semanticWeight }));
  }
  return runs;
}

/** FTS5 bm25() over (title, text) with OR-ed query words. */
export function runFts5(
  set: BeirSet,
  qids: readonly string[],
  tokenizer: string,
  depth: number,
): Map<string, string[]> {
  const fts = createFts5Baseline(
    set.corpus.map((d) => ({ id: d.id, title: d.title, body: d.text })),
    tokenizer,
  );
  const runs = new Map<string, string[]>();
  for (const qid of qids) runs.set(qid, fts.search(set.queries.get(qid) ?? '', depth));
  fts.close();
  return runs;
}

/** Drops scores, leaving ranked ids per query. */
export function idsOnly(runs: ReadonlyMap<string, readonly ScoredId[]>): Map<string, string[]> {
  return new Map([...runs].map(([q, r]) => [q, r.map(([id]) => id)]));
}
