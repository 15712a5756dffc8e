// Exploration (issue 19): fusion variants cross-validated over 5 folds of the SciFact training claims (SEED=n, LI=1 adds the token-match rows).
import { resolve } from 'node:path';
import { loadBeir } from './lib/beir.ts';
import { buildLexicalSnapshot, runLexical, runSemantic } from './lib/eval-runs.ts';
import { bestOnOtherFolds, foldsOf } from './lib/cross-validate.ts';
import { ndcgAt } from './lib/metrics.ts';
import { createEmbedder, staticModelPath } from './lib/static-embedder-module.ts';
import { loadStaticModel, tokenize } from '../src/index/embedders/static/index.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const log = (m: string): void => void process.stderr.write(`${m}\n`);
const seed = Number(process.env.SEED ?? 1);
const set = await loadBeir('../shared/eval/scifact', 'train');
const qids = [...set.qrels.keys()];
const folds = foldsOf(qids, 5);
const lexical = runLexical(buildLexicalSnapshot(set), set, qids, 100);
const corpus = set.corpus.map((d) => `${d.title}\n${d.text}`);
const embedder = await createEmbedder({ corpus }, seed);
const semantic = await runSemantic(embedder, set, qids, 100);
const model = await loadStaticModel(staticModelPath({ corpus }, seed));
log(`model ${model.name}, vocab ${model.vocab.tokens.length}`);

// Unit token vectors (float) for late interaction.
const D = model.dimension;
const V = model.vocab.tokens.length;
const unit = new Float32Array(V * D);
for (let t = 0; t < V; t++) {
  let n = 0;
  for (let j = 0; j < D; j++) n += (model.quantized[t * D + j] ?? 0) ** 2;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let j = 0; j < D; j++) unit[t * D + j] = (model.quantized[t * D + j] ?? 0) * inv;
}
const tokIds = (text: string): number[] => [
  ...new Set(tokenize(text).flatMap((t) => (model.vocab.ids.has(t) ? [model.vocab.ids.get(t)!] : []))),
];
const docText = new Map(set.corpus.map((d) => [d.id, `${d.title}\n${d.text}`]));
const docTok = new Map<string, number[]>();
const dtok = (id: string): number[] => {
  let t = docTok.get(id);
  if (t === undefined) docTok.set(id, (t = tokIds(docText.get(id) ?? '')));
  return t;
};
function exactCover(q: number[], d: number[]): number {
  const dset = new Set(d);
  let sum = 0;
  let wsum = 0;
  for (const t of q) {
    const idf = model.vocab.idf[t] ?? 1;
    if (dset.has(t)) sum += idf;
    wsum += idf;
  }
  return wsum > 0 ? sum / wsum : 0;
}
function lateInteraction(q: number[], d: number[]): number {
  let sum = 0;
  let wsum = 0;
  const dset = new Set(d);
  for (const t of q) {
    const idf = model.vocab.idf[t] ?? 1;
    let best = 0;
    if (dset.has(t)) best = 1;
    else
      for (const u of d) {
        let s = 0;
        const a = t * D;
        const b = u * D;
        for (let j = 0; j < D; j++) s += unit[a + j]! * unit[b + j]!;
        if (s > best) best = s;
      }
    sum += idf * best;
    wsum += idf;
  }
  return wsum > 0 ? sum / wsum : 0;
}

interface Q {
  qid: string;
  ids: string[];
  nL: Float64Array; // lexical / max (0 when absent)
  lexRaw: Float64Array;
  cos: Float64Array;
  lexRank: Int32Array;
  li: Float64Array;
  lx: Float64Array;
  rel: Map<string, number>;
  qlen: number;
  gap: number; // 1 - s2/s1
  s10: number; // s10/s1
  cgap: number; // c1 - c10
  lexNdcg: number;
}
const dotv = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const doLI = process.env.LI === '1';
const liCachePath = resolve(import.meta.dirname, `../.cache/token-match-seed${seed}.json`);
const liCache: Record<string, number> = existsSync(liCachePath)
  ? (JSON.parse(readFileSync(liCachePath, 'utf8')) as Record<string, number>)
  : {};
const t0 = Date.now();
const data: Q[] = qids.map((qid) => {
  const lex = lexical.get(qid) ?? [];
  const sem = semantic.runs.get(qid) ?? [];
  const qv = semantic.queryVectors.get(qid)!;
  const ids = [...new Set([...lex.map(([id]) => id), ...sem.map(([id]) => id)])];
  const maxL = lex[0]?.[1] ?? 1;
  const lexMap = new Map(lex.map(([id, s], r) => [id, [s, r] as const]));
  const n = ids.length;
  const q: Q = {
    qid,
    ids,
    nL: new Float64Array(n),
    lexRaw: new Float64Array(n),
    cos: new Float64Array(n),
    lexRank: new Int32Array(n),
    li: new Float64Array(n),
    lx: new Float64Array(n),
    rel: set.qrels.get(qid) as Map<string, number>,
    qlen: tokenize(set.queries.get(qid) ?? '').length,
    gap: lex.length > 1 ? 1 - lex[1]![1] / maxL : 1,
    s10: lex.length > 9 ? lex[9]![1] / maxL : 0,
    cgap: sem.length > 9 ? sem[0]![1] - sem[9]![1] : 0,
    lexNdcg: ndcgAt(
      lex.map(([id]) => id),
      set.qrels.get(qid)!,
      10,
    ),
  };
  const qt = tokIds(set.queries.get(qid) ?? '');
  ids.forEach((id, i) => {
    const l = lexMap.get(id);
    q.nL[i] = l ? l[0] / maxL : 0;
    q.lexRaw[i] = l ? l[0] : 0;
    q.lexRank[i] = l ? l[1] : 1e6;
    q.cos[i] = dotv(qv, semantic.docVectors.get(id)!);
    q.lx[i] = exactCover(qt, dtok(id));
    if (doLI) q.li[i] = liCache[`${qid}/${id}`] ?? (liCache[`${qid}/${id}`] = lateInteraction(qt, dtok(id)));
  });
  return q;
});
if (doLI) writeFileSync(liCachePath, JSON.stringify(liCache));
log(`prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function ndcgOf(q: Q, h: Float64Array): number {
  const order = Array.from(h.keys()).sort((a, b) => h[b]! - h[a]! || q.lexRank[a]! - q.lexRank[b]!);
  return ndcgAt(
    order.slice(0, 10).map((i) => q.ids[i]!),
    q.rel,
    10,
  );
}
type Score = (q: Q, p: number[]) => Float64Array;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function cv(name: string, score: Score, grid: number[][]): void {
  const per = grid.map((p) => new Map(data.map((q) => [q.qid, ndcgOf(q, score(q, p))])));
  const lexOf = new Map(data.map((q) => [q.qid, q.lexNdcg]));
  const gains: string[] = [];
  let all = 0;
  let gmin = 1;
  const gs: number[] = [];
  folds.forEach((held, f) => {
    const best = bestOnOtherFolds(per, folds, f);
    const h = mean(held.map((x) => per[best]!.get(x)!));
    const l = mean(held.map((x) => lexOf.get(x)!));
    all += h * held.length;
    gmin = Math.min(gmin, h - l);
    gs.push(h - l);
    gains.push(`${(h - l >= 0 ? '+' : '') + (h - l).toFixed(4)} (${grid[best]!.join(',')})`);
  });
  const full = per.map((m) => mean([...m.values()]));
  const bi = full.indexOf(Math.max(...full));
  console.log(
    `${name.padEnd(28)} ${gains.join(' ')} | mean ${mean(gs).toFixed(4)} min ${gmin.toFixed(4)} | cv ${(all / qids.length).toFixed(4)} | best-all ${full[bi]!.toFixed(4)} @${grid[bi]!.join(',')}`,
  );
}

const W = Array.from({ length: 21 }, (_, i) => i / 20);
const fixed: Score = (q, [w]) => q.nL.map((l, i) => (1 - w!) * l + w! * q.cos[i]!);
cv(
  'fixed w',
  fixed,
  W.map((w) => [w]),
);

// Adaptive: w = w0 + a·(feature - centre), clamped.
const clamp = (x: number): number => Math.min(1, Math.max(0, x));
const med = (f: (q: Q) => number): number => {
  const xs = data.map(f).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
};
const feats: [string, (q: Q) => number][] = [
  ['gap', (q) => q.gap],
  ['s10', (q) => q.s10],
  ['qlen', (q) => q.qlen / 10],
  ['cgap', (q) => q.cgap * 5],
];
for (const [fname, f] of feats) {
  const c = med(f);
  const grid: number[][] = [];
  for (const w of [0.5, 0.55, 0.6, 0.65, 0.7])
    for (const a of [-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6]) grid.push([w, a]);
  cv(`adaptive ${fname} (c=${c.toFixed(3)})`, (q, [w0, a]) => fixed(q, [clamp(w0! + a! * (f(q) - c))]), grid);
}
// Lexical normalisations: min-max over the list, and z-scores.
/** The lexical score of candidate i scaled to [0, 1] over the lexically matched candidates (0 if unmatched). */
function minmaxLexical(q: Q): (i: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  q.lexRaw.forEach((s, i) => {
    if (q.lexRank[i]! < 1e6) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
  });
  return (i) => (q.lexRank[i]! < 1e6 ? (q.lexRaw[i]! - lo) / (hi - lo || 1) : 0);
}
const minmax: Score = (q, [w]) => {
  const lex = minmaxLexical(q);
  return q.nL.map((_, i) => {
    const l = lex(i);
    return (1 - w!) * l + w! * q.cos[i]!;
  });
};
cv(
  'minmax lexical',
  minmax,
  W.map((w) => [w]),
);
// Cosine min-max too.
const bothMinmax: Score = (q, [w]) => {
  const cmax = Math.max(...q.cos);
  const cmin = Math.min(...q.cos);
  const lex = minmaxLexical(q);
  return q.nL.map((_, i) => {
    const l = lex(i);
    return (1 - w!) * l + (w! * (q.cos[i]! - cmin)) / (cmax - cmin || 1);
  });
};
cv(
  'minmax both',
  bothMinmax,
  W.map((w) => [w]),
);
// cos / max cos
const cosMax: Score = (q, [w]) => {
  const cmax = Math.max(...q.cos);
  return q.nL.map((l, i) => (1 - w!) * l + (w! * q.cos[i]!) / cmax);
};
cv(
  'cos/maxcos',
  cosMax,
  W.map((w) => [w]),
);
// RRF-ish
const rrf: Score = (q, [w, k]) => {
  const cr = Array.from(q.cos.keys()).sort((a, b) => q.cos[b]! - q.cos[a]!);
  const rank = new Int32Array(q.ids.length);
  cr.forEach((i, r) => (rank[i] = r));
  return q.nL.map((_, i) => (1 - w!) / (k! + q.lexRank[i]!) + w! / (k! + rank[i]!));
};
const rg: number[][] = [];
for (const w of [0.4, 0.5, 0.6]) for (const k of [10, 30, 60]) rg.push([w, k]);
cv('rrf', rrf, rg);
{
  const xg: number[][] = [];
  for (const w of [0.55, 0.6, 0.65, 0.7]) for (const l of [0, 0.05, 0.1, 0.2, 0.3]) xg.push([w, l]);
  cv(
    'fixed + exact cover',
    (q, [w, l]) => q.nL.map((x, i) => (1 - w!) * x + w! * q.cos[i]! + l! * q.lx[i]!),
    xg,
  );
}
if (doLI) {
  const lig: number[][] = [];
  for (const w of [0.55, 0.6, 0.65]) for (const l of [0, 0.1, 0.2, 0.3, 0.5, 0.8]) lig.push([w, l]);
  cv('fixed + LI', (q, [w, l]) => q.nL.map((x, i) => (1 - w!) * x + w! * q.cos[i]! + l! * q.li[i]!), lig);
}
writeFileSync(
  resolve(import.meta.dirname, `../.cache/per-claim-seed${seed}.json`),
  JSON.stringify(
    data.map((q) => ({
      qid: q.qid,
      q: set.queries.get(q.qid),
      qlen: q.qlen,
      gap: q.gap,
      s10: q.s10,
      cgap: q.cgap,
      lex: q.lexNdcg,
      hyb: ndcgOf(q, fixed(q, [0.6])),
    })),
  ),
);
if (doLI) {
  for (const K of [10, 20, 30, 50]) {
    const g: number[][] = [];
    for (const w of [0.6, 0.65]) for (const l of [0.1, 0.2, 0.3]) g.push([w, l]);
    cv(
      `LI top ${K}`,
      (q, [w, l]) => {
        const base = q.nL.map((x, i) => (1 - w!) * x + w! * q.cos[i]!);
        const top = new Set(
          Array.from(base.keys())
            .sort((a, b) => base[b]! - base[a]! || q.lexRank[a]! - q.lexRank[b]!)
            .slice(0, K),
        );
        return base.map((b, i) => (top.has(i) ? b + l! * q.li[i]! + 10 : b));
      },
      g,
    );
  }
  cv('LI w=0.6', (q, [l]) => q.nL.map((x, i) => 0.4 * x + 0.6 * q.cos[i]! + l! * q.li[i]!), [
    [0.1],
    [0.2],
    [0.3],
  ]);
}
