// Chooses the fusion weight of similar papers: split each abstract in two, and ask for the other half.
//
//   npm run eval:similar [-- --dataset ../shared/eval/scifact] [--depth 100] [--terms N] [--lexical full]
//                        [--seed-terms N --seed-k N] [--compare-seeds 4:20,2:10,0:0]
//
// --terms: terms of the more-like-this query scored (default SIMILAR_QUERY_TERMS, what the service uses).
// --lexical: 'candidates' (default, what the service does: the vector neighbours and the papers the seed terms
// find, scored exactly) or 'full' (the more-like-this query's top `depth` over the whole index, as before h27s).
// --seed-terms, --seed-k: the seed search of 'candidates' (default SIMILAR_SEED; k 0: no seed search).
// --compare-seeds: other seed searches (terms:k) measured at SIMILAR_WEIGHT beside the full search, one row each.
//
// Every document with an abstract of 80+ words becomes two: "A" (its title and the first half of its abstract,
// cut at the sentence boundary nearest the middle) and "B" (the second half, no title). The corpus model is
// trained on these halves only, so it never saw the two halves together. Similar papers of each A are ranked
// as the search service ranks them (a more-like-this query of the title twice and the text, `moreLikeThisQuery`, the paper's own
// vector's nearest neighbours, fused by fuseHybrid at the similar weight), and the one right answer is its B.
// The weight is chosen on the odd-numbered documents and reported on the even-numbered ones, and the other
// way round; the full curve is printed too.
import { parseArgs } from 'node:util';
import type { ScoredId } from '../src/domain/scored.ts';
import { loadLexicalIndex } from '../src/index/lexical/lexical-index.ts';
import { SIMILAR_QUERY_TERMS } from '../src/index/lexical/query.ts';
import { SIMILAR_WEIGHT } from '../src/services/search-services.ts';
import { rankSimilar, SIMILAR_SEED, type SimilarOptions } from '../src/services/search/similar-ranking.ts';
import { loadBeir, type BeirDoc, type BeirSet } from './lib/beir.ts';
import { WEIGHT_GRID } from './lib/cross-validate.ts';
import { resolveEmbedder } from './lib/eval-embedders.ts';
import { buildLexicalSnapshot } from './lib/eval-runs.ts';
import { embedCached } from './lib/embedding-cache.ts';
import { dot, exactNearest } from './lib/exact-knn.ts';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '../shared/eval/scifact' },
    depth: { type: 'string', default: '100' },
    terms: { type: 'string', default: String(SIMILAR_QUERY_TERMS) },
    lexical: { type: 'string', default: 'candidates' },
    'seed-terms': { type: 'string', default: String(SIMILAR_SEED.terms) },
    'seed-k': { type: 'string', default: String(SIMILAR_SEED.k) },
    'compare-seeds': { type: 'string', default: '' },
  },
});
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** The abstract cut at the sentence end nearest its middle word; null when too short to halve. */
function halves(text: string): [string, string] | null {
  const words = text.split(/\s+/).filter((w) => w !== '');
  if (words.length < 80) return null;
  const ends = [...text.matchAll(/[.!?]\s+(?=[A-Z0-9])/g)].map((m) => (m.index ?? 0) + 1);
  const middle = text.length / 2;
  const cut = ends.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
  if (cut === undefined) return null;
  const [a, b] = [text.slice(0, cut).trim(), text.slice(cut).trim()];
  return a.split(/\s+/).length >= 25 && b.split(/\s+/).length >= 25 ? [a, b] : null;
}

function rankOf(list: readonly ScoredId[], id: string): number {
  const i = list.findIndex(([d]) => d === id);
  return i < 0 ? Infinity : i + 1;
}

async function main(): Promise<void> {
  const depth = Number(values.depth);
  const lexicalMode = values.lexical === 'full' ? 'full' : 'candidates';
  const seed = { terms: Number(values['seed-terms']), k: Number(values['seed-k']) };
  const compared = values['compare-seeds']
    .split(',')
    .filter((x) => x !== '')
    .map((x) => {
      const [terms, k] = x.split(':').map(Number);
      return { terms: terms ?? 0, k: k ?? 0 };
    });
  // compareRanks[c]: ranks at SIMILAR_WEIGHT with compared[c]'s seed; the last row the full search.
  const compareRanks: number[][] = [...compared, null].map(() => []);
  const source = await loadBeir(values.dataset);
  const docs: BeirDoc[] = [];
  const pairs: { a: BeirDoc; b: string }[] = [];
  for (const d of source.corpus) {
    const h = halves(d.text);
    if (h === null) continue;
    const a = { id: `${d.id}#a`, title: d.title, text: h[0] };
    docs.push(a, { id: `${d.id}#b`, title: '', text: h[1] });
    pairs.push({ a, b: `${d.id}#b` });
  }
  log(`${pairs.length} documents halved (${docs.length} halves)`);
  const set: BeirSet = { corpus: docs, queries: new Map(), qrels: new Map() };
  const lexical = loadLexicalIndex(buildLexicalSnapshot(set));
  const texts = docs.map((d) => `${d.title}\n${d.text}`);
  const embedder = await resolveEmbedder('static', { corpus: texts });
  const { vectors } = await embedCached(embedder, texts, 'halves');
  const ids = docs.map((d) => d.id);
  const vectorOf = new Map(ids.map((id, i) => [id, vectors[i] ?? new Float32Array(embedder.dimension)]));
  // ranks[w][i]: rank of pair i's B among A's similar papers at WEIGHT_GRID[w]; semantic alone as the last row.
  const ranks: number[][] = WEIGHT_GRID.map(() => []);
  const semanticOnly: number[] = [];
  for (const { a, b } of pairs) {
    const notSelf = ([o]: ScoredId): boolean => o !== a.id;
    const vec = vectorOf.get(a.id) ?? new Float32Array(embedder.dimension);
    const nearest = exactNearest(vec, vectors, ids, depth + 1);
    semanticOnly.push(rankOf(nearest.filter(notSelf), b));
    const cosine = (xs: readonly string[]): (number | null)[] =>
      xs.map((x) => {
        const v = vectorOf.get(x);
        return v === undefined ? null : dot(vec, v);
      });
    const paper = { id: a.id, title: a.title, abstract: a.text };
    WEIGHT_GRID.forEach((w, i) =>
      ranks[i]?.push(
        rankOf(
          rankSimilar(paper, lexical, nearest, {
            n: depth,
            weight: w,
            cosines: cosine,
            lexical: lexicalMode,
            seed,
            terms: Number(values.terms),
          }),
          b,
        ),
      ),
    );
    if (compared.length > 0) {
      const at = (options: Partial<SimilarOptions>): number =>
        rankOf(
          rankSimilar(paper, lexical, nearest, {
            n: depth,
            weight: SIMILAR_WEIGHT,
            cosines: cosine,
            terms: Number(values.terms),
            ...options,
          }),
          b,
        );
      compared.forEach((s, c) => compareRanks[c]?.push(at({ seed: s })));
      compareRanks[compared.length]?.push(at({ lexical: 'full' }));
    }
  }
  const mrr = (rs: readonly number[], pick: (i: number) => boolean = () => true): number => {
    const chosen = rs.filter((_, i) => pick(i));
    return chosen.reduce((s, r) => s + (r <= 10 ? 1 / r : 0), 0) / Math.max(1, chosen.length);
  };
  const at10 = (rs: readonly number[]): number => rs.filter((r) => r <= 10).length / Math.max(1, rs.length);
  console.log(
    `${pairs.length} papers (${values.dataset}), model ${embedder.model} trained on the halves only, ${values.terms} more-like-this terms, lexical ${lexicalMode === 'full' ? 'full' : `candidates (seed ${seed.terms} terms, ${seed.k} papers)`}`,
  );
  console.log('\n| similar weight | MRR@10 | found in top 10 |\n|---:|---:|---:|');
  WEIGHT_GRID.forEach((w, i) => {
    const rs = ranks[i] ?? [];
    console.log(`| ${w} | ${mrr(rs).toFixed(4)} | ${(100 * at10(rs)).toFixed(1)}% |`);
  });
  console.log(
    `| semantic alone | ${mrr(semanticOnly).toFixed(4)} | ${(100 * at10(semanticOnly)).toFixed(1)}% |`,
  );
  if (compared.length > 0) {
    console.log(
      `\n| lexical candidates at w = ${SIMILAR_WEIGHT} | MRR@10 | found in top 10 |\n|---|---:|---:|`,
    );
    [...compared, null].forEach((s, c) => {
      const rs = compareRanks[c] ?? [];
      const label =
        s === null ? 'whole-index top depth' : `neighbours + seed ${s.terms} terms, ${s.k} papers`;
      console.log(`| ${label} | ${mrr(rs).toFixed(4)} | ${(100 * at10(rs)).toFixed(1)}% |`);
    });
  }
  // Two-fold check: the weight chosen on one half of the papers, measured on the other.
  const halvesOf = [(i: number) => i % 2 === 0, (i: number) => i % 2 === 1];
  for (const [t, h] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const train = halvesOf[t] ?? (() => true);
    const test = halvesOf[h] ?? (() => true);
    let best = 0;
    WEIGHT_GRID.forEach((_, i) => {
      if (mrr(ranks[i] ?? [], train) > mrr(ranks[best] ?? [], train) + 1e-12) best = i;
    });
    const at05 = WEIGHT_GRID.indexOf(0.5);
    console.log(
      `chosen on the ${t === 0 ? 'even' : 'odd'} papers: w = ${WEIGHT_GRID[best]}; on the ${h === 0 ? 'even' : 'odd'} ones MRR@10 ${mrr(ranks[best] ?? [], test).toFixed(4)} (w = 0.5: ${mrr(ranks[at05] ?? [], test).toFixed(4)}, w = 0: ${mrr(ranks[0] ?? [], test).toFixed(4)})`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
