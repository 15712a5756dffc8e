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
import { DEFAULT_FUSION, fuseHybrid, rerankByTokenMatch } from '../../src/rank/hybrid.ts';
import { createVectorIndex } from '../../src/index/vectors/index.ts';
import type { BeirSet } from './beir.ts';
import { embedCached } from './embedding-cache.ts';
import { dot, exactNearest } from './exact-knn.ts';
import { createFts5Baseline } from './fts5-baseline.ts';
import { ENGINES } from './search-engines.ts';

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
  /** The embedder's token-match scores of a query against papers (memoised), when it has token vectors. */
  tokenMatch?: (qid: string, ids: readonly string[]) => number[];
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
  const match = embedder.tokenMatch?.bind(embedder);
  const texts = new Map(set.corpus.map((d) => [d.id, `${d.title}\n${d.text}`]));
  const memo = new Map<string, number>();
  const tokenMatch =
    match === undefined
      ? undefined
      : (qid: string, ids: readonly string[]): number[] => {
          const missing = ids.filter((id) => !memo.has(`${qid}\u0000${id}`));
          const got = match(
            set.queries.get(qid) ?? '',
            missing.map((id) => texts.get(id) ?? ''),
          );
          missing.forEach((id, i) => memo.set(`${qid}\u0000${id}`, got[i] ?? 0));
          return ids.map((id) => memo.get(`${qid}\u0000${id}`) ?? 0);
        };
  return { runs, queryVectors, docVectors, cached: corpus.cached && queries.cached, tokenMatch };
}

/**
 * The same semantic run through the served vector index: rows coded to int8, searched through its HNSW graph
 * (forced on at any size) and rescored from the codes; the document vectors hybrid fusion scores with are
 * the decoded rows, as the search service's `similarities` sees them.
 * @example const served = servedSemantic(semantic, 100);
 */
export function servedSemantic(run: SemanticRun, depth: number): SemanticRun {
  const first = run.docVectors.values().next().value;
  const index = createVectorIndex({ dimension: first?.length ?? 0, approximateAbove: 0 });
  index.addMany(run.docVectors);
  const docVectors = new Map([...run.docVectors.keys()].map((id) => [id, index.get(id)!]));
  const runs: ScoredRuns = new Map();
  for (const [qid, v] of run.queryVectors) runs.set(qid, index.search(v, depth));
  return { ...run, runs, docVectors };
}

/**
 * Fuses per query exactly as the search service does: the lexical top `depth`, the semantic top `depth`,
 * and `semanticScore` giving the cosine of any candidate from its stored vector (null without one); then,
 * when the embedder has token vectors, the token-match rerank of the top (0 `tokenMatchWeight` skips it).
 */
export function runHybrid(
  lexical: ScoredRuns,
  semantic: SemanticRun,
  depth: number,
  semanticWeight: number,
  tokenMatchWeight: number = DEFAULT_FUSION.tokenMatchWeight,
): ScoredRuns {
  const runs: ScoredRuns = new Map();
  for (const [qid, lex] of lexical) {
    const qv = semantic.queryVectors.get(qid);
    const semanticScore = (id: string): number | null => {
      const v = semantic.docVectors.get(id);
      return qv === undefined || v === undefined ? null : dot(qv, v);
    };
    const semTop = (semantic.runs.get(qid) ?? []).slice(0, depth);
    const fused = fuseHybrid(lex.slice(0, depth), semTop, {
      semanticWeight,
      semanticScores: (ids) => ids.map(semanticScore),
    });
    const match = semantic.tokenMatch;
    runs.set(
      qid,
      match === undefined || tokenMatchWeight === 0
        ? fused
        : rerankByTokenMatch(fused, (ids) => match(qid, ids), { weight: tokenMatchWeight }),
    );
  }
  return runs;
}

/** A peer engine from bench:search (MiniSearch, Orama) over (title, abstract), top `depth` ids per query. */
export async function runPeer(
  name: string,
  set: BeirSet,
  qids: readonly string[],
  depth: number,
): Promise<Map<string, string[]>> {
  const make = ENGINES[name];
  if (make === undefined) throw new Error(`unknown peer engine ${name}`);
  const engine = make(depth);
  await engine.build(
    set.corpus.map((d) => ({
      id: d.id,
      title: d.title,
      abstract: d.text,
      authors: [],
      categories: [],
      date: null,
    })),
  );
  const runs = new Map<string, string[]>();
  for (const qid of qids) runs.set(qid, await engine.search(set.queries.get(qid) ?? ''));
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
