// Exploration (issue 19, round 2): query-term weights, BM25 knobs, deeper token-match rerank, a lexical-confidence rule and pseudo-relevance feedback, each cross-validated over 5 folds of the SciFact training claims (SEED=n).
//
//   SEED=1 node --import tsx bench/heldout-explore.ts [only=base,qw,knobs,deep,conf,prf,depth]
//
// Every variant is scored as served: a lexical list (top 100, possibly re-weighted), fused with the semantic
// top 100 by `fuseHybrid` (the cosine of every candidate), then `rerankByTokenMatch`. Its settings (the
// fusion weight, the rerank's weight and the variant's own knobs) are chosen on four folds and measured on
// the fifth; the gain is over the served lexical search (default knobs, unweighted query), per held-out fold.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScoredId } from '../src/domain/scored.ts';
import { loadLexicalIndex, type LexicalIndex } from '../src/index/lexical/lexical-index.ts';
import type { IndexState } from '../src/index/lexical/index-state.ts';
import { addTermScores, makeAccumulator, resetAccumulator } from '../src/index/lexical/bm25f-scorer.ts';
import { analyze, tokenize as lexTokenize } from '../src/index/lexical/tokenizer.ts';
import { FIELD_BREAK } from '../src/index/lexical/forward-store.ts';
import { fuseHybrid, rerankByTokenMatch } from '../src/rank/hybrid.ts';
import { loadStaticModel } from '../src/index/embedders/static/index.ts';
import { loadBeir } from './lib/beir.ts';
import { buildLexicalSnapshot, runLexical, runSemantic } from './lib/eval-runs.ts';
import { bestOnOtherFolds, foldsOf } from './lib/cross-validate.ts';
import { ndcgAt } from './lib/metrics.ts';
import { createEmbedder, staticModelPath } from './lib/static-embedder-module.ts';
import { dot } from './lib/exact-knn.ts';

const log = (m: string): void => void process.stderr.write(`${m}\n`);
const seed = Number(process.env.SEED ?? 1);
const order = (process.argv[2] ?? 'base,conf,deep,qw,prf,knobs,depth').split(',');
const sections = new Map<string, () => void>();
const set = await loadBeir('../shared/eval/scifact', 'train');
const qids = [...set.qrels.keys()];
const folds = foldsOf(qids, 5);
const snapshot = buildLexicalSnapshot(set);
const index: LexicalIndex = loadLexicalIndex(snapshot);
const state = (index as unknown as { state: IndexState }).state;
const baseLex = runLexical(index, set, qids, 100);
const corpus = set.corpus.map((d) => `${d.title}\n${d.text}`);
const embedder = await createEmbedder({ corpus }, seed);
const semantic = await runSemantic(embedder, set, qids, 300);
const model = await loadStaticModel(staticModelPath({ corpus }, seed));
const docText = new Map(set.corpus.map((d) => [d.id, `${d.title}\n${d.text}`]));
log(`seed ${seed}: lexical, semantic and model ready`);

// Token-match scores, memoised on disk per seed (the served `tokenMatch` of the static model).
const cacheDir = resolve(import.meta.dirname, '../.cache');
mkdirSync(cacheDir, { recursive: true });
const tmPath = resolve(cacheDir, `heldout-token-match-seed${seed}.json`);
const tmCache: Record<string, number> = existsSync(tmPath)
  ? (JSON.parse(readFileSync(tmPath, 'utf8')) as Record<string, number>)
  : {};
let tmDirty = false;
const tmScores = (qid: string, ids: readonly string[]): number[] => {
  const missing = ids.filter((id) => tmCache[`${qid}/${id}`] === undefined);
  if (missing.length > 0) {
    const got = embedder.tokenMatch!(
      set.queries.get(qid) ?? '',
      missing.map((id) => docText.get(id) ?? ''),
    );
    missing.forEach((id, i) => (tmCache[`${qid}/${id}`] = got[i] ?? 0));
    tmDirty = true;
  }
  return ids.map((id) => tmCache[`${qid}/${id}`]!);
};
const saveTm = (): void => {
  if (tmDirty) writeFileSync(tmPath, JSON.stringify(tmCache));
  tmDirty = false;
};

// ---- Lexical building blocks: weighted term-at-a-time scoring over the real index state.
const ids = state.docs.ids;
const docIndex = new Map(set.corpus.map((d) => [d.id, state.docs.find(d.id)!]));
let acc = makeAccumulator(state.docs.count, null);
function weightedSearch(weights: ReadonlyMap<number, number>, k = 100): ScoredId[] {
  acc = makeAccumulator(state.docs.count, acc);
  for (const [t, w] of weights) if (w > 0) addTermScores(state, t, w, acc);
  const out: [number, number][] = [];
  for (let i = 0; i < acc.touchedCount; i++) {
    const d = acc.touched[i]!;
    out.push([d, acc.scores[d]!]);
  }
  resetAccumulator(acc);
  out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return out.slice(0, k).map(([d, s]): ScoredId => [ids.at(d), s]);
}
const termOf = (word: string): number | undefined => {
  const a = analyze(word)[0];
  const t = a === undefined ? undefined : state.terms.get(a);
  return t !== undefined && (state.df[t] ?? 0) > 0 ? t : undefined;
};
/** A claim's known terms, each with the surface words that gave it. */
function queryTerms(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const w of lexTokenize(text)) {
    const t = termOf(w);
    if (t === undefined) continue;
    out.set(t, [...(out.get(t) ?? []), w]);
  }
  return out;
}
const N = state.docs.liveCount;
const idfOf = (t: number): number => {
  const df = state.df[t] ?? 0;
  return Math.log(1 + (N - df + 0.5) / (df + 0.5));
};
// Token importance: the norm of the model's (weighted) token vector.
const normOf = (word: string): number | undefined => {
  const id = model.vocab.ids.get(word);
  if (id === undefined) return undefined;
  let s = 0;
  const D = model.dimension;
  for (let j = id * D; j < id * D + D; j++) s += model.quantized[j]! * model.quantized[j]!;
  return Math.sqrt(s) * (model.scales[id] ?? 0);
};
const qterms = new Map(qids.map((q) => [q, queryTerms(set.queries.get(q) ?? '')]));
const unitWeights = (q: string): Map<number, number> =>
  new Map([...qterms.get(q)!.keys()].map((t) => [t, 1]));
// Sanity: unit weights reproduce the served lexical run's top 10.
{
  let same = 0;
  for (const q of qids) {
    const a = weightedSearch(unitWeights(q), 10).map(([id]) => id);
    const b = (baseLex.get(q) ?? []).slice(0, 10).map(([id]) => id);
    if (a.join() === b.join()) same++;
  }
  log(`weighted search with unit weights matches the served lexical top 10 on ${same}/${qids.length} claims`);
}

// ---- Fusion, evaluation and cross-validation.
const rel = (q: string): Map<string, number> => set.qrels.get(q) as Map<string, number>;
const lexNdcg = new Map(
  qids.map((q) => [
    q,
    ndcgAt(
      (baseLex.get(q) ?? []).map(([id]) => id),
      rel(q),
      10,
    ),
  ]),
);
const qv = (q: string): Float32Array => semantic.queryVectors.get(q)!;
const cosOf = (q: string) => (list: readonly string[]) =>
  list.map((id) => dot(qv(q), semantic.docVectors.get(id)!));

interface Pipe {
  w: number;
  tm: number;
  tmDepth?: number;
  depth?: number;
}
function hybridList(q: string, lex: readonly ScoredId[], p: Pipe): ScoredId[] {
  const depth = p.depth ?? 100;
  const fused = fuseHybrid(lex.slice(0, depth), (semantic.runs.get(q) ?? []).slice(0, depth), {
    semanticWeight: p.w,
    semanticScores: cosOf(q),
  });
  return p.tm === 0
    ? fused
    : rerankByTokenMatch(fused, (list) => tmScores(q, list), { weight: p.tm, depth: p.tmDepth ?? 20 });
}
const ndcg = (q: string, list: readonly ScoredId[]): number =>
  ndcgAt(
    list.slice(0, 10).map(([id]) => id),
    rel(q),
    10,
  );
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface Row {
  name: string;
  gains: number[];
  chosen: string[];
  mean: number;
  sd: number;
  min: number;
  hybrid: number;
}
const rows: Row[] = [];
/** Cross-validates a grid of settings: `run(setting, q)` gives a query's ranked list. */
function cv<P>(
  name: string,
  grid: readonly P[],
  run: (p: P, q: string) => ScoredId[],
  label: (p: P) => string,
): Row {
  const per = grid.map((p) => new Map(qids.map((q) => [q, ndcg(q, run(p, q))])));
  saveTm();
  const gains: number[] = [];
  const chosen: string[] = [];
  let all = 0;
  folds.forEach((held, f) => {
    const best = bestOnOtherFolds(per, folds, f);
    const h = mean(held.map((x) => per[best]!.get(x)!));
    const l = mean(held.map((x) => lexNdcg.get(x)!));
    all += h * held.length;
    gains.push(h - l);
    chosen.push(label(grid[best]!));
  });
  const m = mean(gains);
  const sd = Math.sqrt(gains.reduce((a, g) => a + (g - m) ** 2, 0) / (gains.length - 1));
  const full = per.map((mm) => mean([...mm.values()]));
  const bi = full.indexOf(Math.max(...full));
  const row = { name, gains, chosen, mean: m, sd, min: Math.min(...gains), hybrid: all / qids.length };
  rows.push(row);
  const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  console.log(
    `| ${name} | ${gains.map((g, i) => `${sign(g)} (${chosen[i]})`).join(' | ')} | ${sign(m)} ± ${sd.toFixed(4)} | ${sign(row.min)} | ${row.hybrid.toFixed(4)} | best on all ${full[bi]!.toFixed(4)} (${label(grid[bi]!)}) |`,
  );
  return row;
}
const grid2 = <A, B>(as: readonly A[], bs: readonly B[]): [A, B][] =>
  as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
const W = [0.55, 0.6, 0.65, 0.7, 0.75];
const TM = [0, 0.1, 0.2, 0.3];
const pipeGrid = grid2(W, TM).map(([w, tm]): Pipe => ({ w, tm }));
const pl = (p: Pipe): string => `${p.w}/${p.tm}${p.tmDepth !== undefined ? `@${p.tmDepth}` : ''}`;
const baseList = (q: string): ScoredId[] => baseLex.get(q) ?? [];

console.log(
  `\nseed ${seed}: held-out gain over lexical per fold (settings chosen on the other four: w/tm[@depth]/…)\n`,
);
console.log(
  '| variant | fold 1 | fold 2 | fold 3 | fold 4 | fold 5 | mean ± sd | min | hybrid, all held out | |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');

sections.set('base', () => {
  cv('served: w 0.65, rerank 0.2 @20', [{ w: 0.65, tm: 0.2 }], (p, q) => hybridList(q, baseList(q), p), pl);
  cv('w and rerank weight chosen per fold', pipeGrid, (p, q) => hybridList(q, baseList(q), p), pl);
});

// (a) query-side term weights on the lexical side that hybrid fuses.
type Weigher = (q: string, t: number, words: string[]) => number;
function weightedLists(weigher: Weigher): Map<string, ScoredId[]> {
  return new Map(
    qids.map((q) => {
      const w = new Map([...qterms.get(q)!].map(([t, words]) => [t, weigher(q, t, words)]));
      return [q, weightedSearch(w)];
    }),
  );
}
sections.set('qw', () => {
  // idf^p on top of BM25's own idf (p > 0 sharpens toward rare words, p < 0 flattens).
  const idfRuns = new Map([-0.5, 0, 0.5, 1].map((p) => [p, weightedLists((_, t) => idfOf(t) ** p)]));
  cv(
    '(a1) query weight idf^p',
    grid2([...idfRuns.keys()], pipeGrid),
    ([p, pipe], q) => hybridList(q, idfRuns.get(p)!.get(q)!, pipe),
    ([p, pipe]) => `p${p} ${pl(pipe)}`,
  );
  // The static model's token importance (its weighted vector's norm), relative to the claim's median.
  const normRuns = new Map(
    [0.5, 1, 2].map((p) => [
      p,
      weightedLists((q, t, words) => {
        const ns = words.map(normOf).filter((x): x is number => x !== undefined);
        return ns.length === 0 ? 1 : Math.max(...ns) ** p;
      }),
    ]),
  );
  normRuns.set(0, new Map(qids.map((q) => [q, baseList(q)])));
  cv(
    '(a2) query weight model-norm^p',
    grid2([...normRuns.keys()], pipeGrid),
    ([p, pipe], q) => hybridList(q, normRuns.get(p)!.get(q)!, pipe),
    ([p, pipe]) => `p${p} ${pl(pipe)}`,
  );
  // Claim boilerplate: words common across the training folds' claims, down-weighted (computed per fold).
  // Here from all training claims: a claim's own words count once; the weight is 1 / (1 + a·claimShare/…).
  const claimDf = new Map<number, number>();
  for (const q of qids) for (const t of qterms.get(q)!.keys()) claimDf.set(t, (claimDf.get(t) ?? 0) + 1);
  const bp = new Map(
    [0.5, 1, 2].map((a) => [
      a,
      weightedLists((q, t) => {
        // Leave-one-out: the claim's own occurrence does not count.
        const share = ((claimDf.get(t) ?? 1) - 1) / qids.length;
        return 1 / (1 + a * share * 20);
      }),
    ]),
  );
  bp.set(0, new Map(qids.map((q) => [q, baseList(q)])));
  cv(
    '(a3) claim-boilerplate down-weight',
    grid2([...bp.keys()], pipeGrid),
    ([a, pipe], q) => hybridList(q, bp.get(a)!.get(q)!, pipe),
    ([a, pipe]) => `a${a} ${pl(pipe)}`,
  );
});

sections.set('knobs', () => {
  const knobRuns = new Map<string, Map<string, ScoredId[]>>();
  for (const k1 of [0.9, 1.2, 1.6, 2.2])
    for (const b of [0.6, 0.8, 1])
      for (const tw of [2, 4])
        knobRuns.set(
          `k1 ${k1} b ${b} tw ${tw}`,
          runLexical(snapshot, set, qids, 100, { k1, fields: { abstract: { b }, title: { weight: tw } } }),
        );
  const lexOnlyGrid = [...knobRuns.keys()];
  cv(
    '(a4) BM25 knobs, lexical alone',
    lexOnlyGrid,
    (k, q) => knobRuns.get(k)!.get(q)!,
    (k) => k,
  );
  cv(
    '(a4) BM25 knobs inside hybrid',
    grid2(
      lexOnlyGrid,
      grid2(W, [0.2]).map(([w, tm]): Pipe => ({ w, tm })),
    ),
    ([k, pipe], q) => hybridList(q, knobRuns.get(k)!.get(q)!, pipe),
    ([k, pipe]) => `${k} ${pl(pipe)}`,
  );
});

sections.set('deep', () => {
  const g: Pipe[] = [];
  for (const w of W)
    for (const tm of [0.1, 0.2, 0.3, 0.4, 0.5]) for (const d of [20, 50, 100]) g.push({ w, tm, tmDepth: d });
  cv('(b) token-match rerank, depth chosen', g, (p, q) => hybridList(q, baseList(q), p), pl);
  cv(
    '(b) token-match rerank of the top 100',
    g.filter((p) => p.tmDepth === 100),
    (p, q) => hybridList(q, baseList(q), p),
    pl,
  );
});

// (c) Lexical confidence: when lexical's top-1 leads its second by a relative margin m, it stays first.
const gapOf = (q: string): number => {
  const l = baseList(q);
  return l.length > 1 ? 1 - l[1]![1] / l[0]![1] : 1;
};
function keepLexTop(q: string, list: ScoredId[], m: number): ScoredId[] {
  const l = baseList(q);
  if (l.length === 0 || gapOf(q) < m) return list;
  const top = l[0]![0];
  const at = list.findIndex(([id]) => id === top);
  if (at <= 0) return list;
  return [[top, list[0]![1]], ...list.filter(([id]) => id !== top)];
}
sections.set('conf', () => {
  const M = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 2];
  cv(
    '(c) keep lexical top-1 when gap ≥ m',
    grid2(M, pipeGrid),
    ([m, p], q) => keepLexTop(q, hybridList(q, baseList(q), p), m),
    ([m, p]) => `m${m} ${pl(p)}`,
  );
  cv(
    '(c) same, at the served w 0.65 / 0.2',
    M,
    (m, q) => keepLexTop(q, hybridList(q, baseList(q), { w: 0.65, tm: 0.2 }), m),
    (m) => `m${m}`,
  );
  // Soft: the lexical top-1 gains β·gap in the fused score (before the rerank's re-sort).
  const soft = (q: string, p: Pipe, beta: number): ScoredId[] => {
    const l = baseList(q);
    const fused = fuseHybrid(l, (semantic.runs.get(q) ?? []).slice(0, 100), {
      semanticWeight: p.w,
      semanticScores: cosOf(q),
    });
    const top = l[0]?.[0];
    const g = gapOf(q);
    const boosted = fused
      .map(([id, s]): ScoredId => [id, id === top ? s + beta * g : s])
      .sort((a, b) => b[1] - a[1]);
    return p.tm === 0 ? boosted : rerankByTokenMatch(boosted, (list) => tmScores(q, list), { weight: p.tm });
  };
  cv(
    '(c) soft: lexical top-1 + β·gap',
    grid2([0, 0.1, 0.2, 0.3, 0.5, 1], pipeGrid),
    ([b, p], q) => soft(q, p, b),
    ([b, p]) => `β${b} ${pl(p)}`,
  );
});

// (d) RM3-style pseudo-relevance feedback on the lexical side, and fusing deeper lists.
function prfWeights(q: string, fbDocs: number, fbTerms: number, lambda: number): Map<number, number> {
  const orig = unitWeights(q);
  const top = baseList(q).slice(0, fbDocs);
  const z = top.reduce((a, [, s]) => a + s, 0) || 1;
  const exp = new Map<number, number>();
  for (const [id, s] of top) {
    const d = docIndex.get(id)!;
    const seq = state.forward.read(d, []).filter((t) => t !== FIELD_BREAK && t >= 0);
    const tf = new Map<number, number>();
    for (const t of seq) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, c] of tf) {
      if ((state.df[t] ?? 0) < 2) continue;
      exp.set(t, (exp.get(t) ?? 0) + ((c / seq.length) * s) / z);
    }
  }
  // Expansion terms by feedback weight × idf (rare, repeated in the feedback papers), normalised to sum 1.
  const ranked = [...exp]
    .map(([t, v]): [number, number] => [t, v * idfOf(t)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, fbTerms);
  const sum = ranked.reduce((a, [, v]) => a + v, 0) || 1;
  const out = new Map<number, number>();
  const n = orig.size || 1;
  for (const [t] of orig) out.set(t, lambda);
  for (const [t, v] of ranked) out.set(t, (out.get(t) ?? 0) + ((1 - lambda) * n * v) / sum);
  return out;
}
sections.set('prf', () => {
  const runs = new Map<string, Map<string, ScoredId[]>>();
  for (const fd of [3, 5, 10])
    for (const ft of [10, 25])
      for (const lam of [0.6, 0.8])
        runs.set(
          `fb${fd}/${ft}/λ${lam}`,
          new Map(qids.map((q) => [q, weightedSearch(prfWeights(q, fd, ft, lam))])),
        );
  runs.set('none', new Map(qids.map((q) => [q, baseList(q)])));
  cv(
    '(d1) RM3 PRF, lexical alone',
    [...runs.keys()],
    (k, q) => runs.get(k)!.get(q)!,
    (k) => k,
  );
  cv(
    '(d1) RM3 PRF inside hybrid',
    grid2(
      [...runs.keys()],
      grid2(W, [0.2]).map(([w, tm]): Pipe => ({ w, tm })),
    ),
    ([k, p], q) => hybridList(q, runs.get(k)!.get(q)!, p),
    ([k, p]) => `${k} ${pl(p)}`,
  );
});
sections.set('depth', () => {
  const deep = runLexical(index, set, qids, 300);
  const g: Pipe[] = [];
  for (const depth of [50, 100, 200, 300]) for (const w of W) g.push({ w, tm: 0.2, depth });
  cv(
    '(d2) fusion depth chosen',
    g,
    (p, q) => hybridList(q, deep.get(q) ?? [], p),
    (p) => `${pl(p)} d${p.depth}`,
  );
});
// (b') A heavier rerank of the top 20: the fusion weight and the rerank's share over a wider grid.
sections.set('deep2', () => {
  const g: Pipe[] = [];
  for (const w of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85])
    for (const tm of [0.2, 0.3, 0.4, 0.5, 0.6, 0.8]) g.push({ w, tm, tmDepth: 20 });
  cv("(b') w and rerank share chosen, wider grid", g, (p, q) => hybridList(q, baseList(q), p), pl);
  for (const p of [
    { w: 0.65, tm: 0.2 },
    { w: 0.7, tm: 0.4 },
    { w: 0.75, tm: 0.4 },
    { w: 0.75, tm: 0.5 },
    { w: 0.8, tm: 0.5 },
  ])
    cv(`fixed w ${p.w}, rerank ${p.tm} @20`, [p], (pp, q) => hybridList(q, baseList(q), pp), pl);
});
// Per-claim nDCG@10 over the (w, rerank share) grid, for choosing one setting for every seed (heldout-pool.ts).
sections.set('dump', () => {
  const out: Record<string, Record<string, number>> = {};
  for (const w of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85])
    for (const tm of [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8])
      out[`${w}/${tm}`] = Object.fromEntries(
        qids.map((q) => [q, ndcg(q, hybridList(q, baseList(q), { w, tm }))]),
      );
  out.lexical = Object.fromEntries(lexNdcg);
  saveTm();
  writeFileSync(resolve(cacheDir, `heldout-grid-seed${seed}.json`), JSON.stringify(out));
});
// Why fold 1 fails: per fold at the served setting, wins and losses per claim, the standard error of the
// fold's mean gain, and the lexical gap of claims whose relevant lexical top-1 hybrid demotes (against those
// whose wrong lexical top-1 hybrid replaces by a relevant paper): could a gap rule tell them apart?
sections.set('why', () => {
  const med = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? '-' : s[Math.floor(s.length / 2)]!.toFixed(3);
  };
  folds.forEach((held, f) => {
    const d = held.map((q) => ndcg(q, hybridList(q, baseList(q), { w: 0.65, tm: 0.2 })) - lexNdcg.get(q)!);
    const m = mean(d);
    const se = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1) / d.length);
    const demoted: number[] = [];
    const promoted: number[] = [];
    for (const q of held) {
      const lt = baseList(q)[0]?.[0];
      const ht = hybridList(q, baseList(q), { w: 0.65, tm: 0.2 })[0]?.[0];
      if (lt === undefined || ht === undefined || lt === ht) continue;
      const r = rel(q);
      if ((r.get(lt) ?? 0) > 0 && (r.get(ht) ?? 0) === 0) demoted.push(gapOf(q));
      if ((r.get(lt) ?? 0) === 0 && (r.get(ht) ?? 0) > 0) promoted.push(gapOf(q));
    }
    console.log(
      `fold ${f + 1}: gain ${m.toFixed(4)} ± ${se.toFixed(4)} (s.e.), better ${d.filter((x) => x > 1e-9).length}, worse ${d.filter((x) => x < -1e-9).length}, sum of gains ${d
        .filter((x) => x > 0)
        .reduce((a, b) => a + b, 0)
        .toFixed(2)}, of losses ${d
        .filter((x) => x < 0)
        .reduce((a, b) => a + b, 0)
        .toFixed(
          2,
        )}; top-1 relevant→wrong ${demoted.length} (median gap ${med(demoted)}), wrong→relevant ${promoted.length} (median gap ${med(promoted)})`,
    );
  });
});
for (const name of order) sections.get(name)?.();
saveTm();
writeFileSync(resolve(cacheDir, `heldout-explore-seed${seed}.json`), JSON.stringify(rows));
