// The lexical side of one `similar` request on a lexical.bin snapshot (`rankSimilar`), the whole-index way against
// the candidate way (issue 23), interleaved per paper: 'full' is the more-like-this query's MaxScore top 101 over
// the index (before h27s); 'candidates' is the seed search (SIMILAR_SEED) plus exact scores of the candidates
// (`scoreAmong`): `--candidates` papers drawn at random (standing in for the vector neighbours, which are spread
// over the index as these are) and the seed's. Both fuse with the neighbours as the service does. Papers come from an arXiv-style JSON lines file (the scale bench's
// generator), those the index holds. Prints CPU time quantiles per way and the postings the scored terms hold.
// Usage: npm run bench:similar-lexical -- --lexical /tmp/x/lexical.bin --papers /tmp/x/arxiv.json.gz [--count 400]
//        [--every 150] [--candidates 100] [--passes 1] [--seed-terms N --seed-k N]
// --passes 2: time a second pass over the same papers (their lists read and checked once: a warm index).
// --seed-terms, --seed-k: the seed search (default SIMILAR_SEED; k 0: none).
// --only-candidates: skip the whole-index way, so the candidate way finds no list read whole by it (as in serve).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { ScoredId } from '../src/domain/scored.ts';
import { openLexicalIndex } from '../src/index/lexical/lexical-index.ts';
import { moreLikeThisQuery } from '../src/index/lexical/query.ts';
import { SIMILAR_WEIGHT } from '../src/services/search-services.ts';
import { rankSimilar, SIMILAR_SEED } from '../src/services/search/similar-ranking.ts';
import { quantiles } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: {
    lexical: { type: 'string' },
    papers: { type: 'string' },
    count: { type: 'string', default: '400' },
    every: { type: 'string', default: '150' },
    candidates: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '20' },
    passes: { type: 'string', default: '1' },
    'only-candidates': { type: 'boolean', default: false },
    'seed-terms': { type: 'string', default: String(SIMILAR_SEED.terms) },
    'seed-k': { type: 'string', default: String(SIMILAR_SEED.k) },
  },
});
if (args.lexical === undefined || args.papers === undefined)
  throw new Error('--lexical and --papers are required');

const index = openLexicalIndex(args.lexical, { verify: false });
const count = Number(args.count);
const every = Number(args.every);
const warmup = Number(args.warmup);
const seedTerms = Number(args['seed-terms']);
const seedK = Number(args['seed-k']);
const papers: { id: string; title: string; abstract: string }[] = [];
const input = args.papers.endsWith('.gz')
  ? createReadStream(args.papers).pipe(createGunzip())
  : createReadStream(args.papers);
let line = 0;
for await (const text of createInterface({ input })) {
  if (line++ % every !== 0) continue;
  const p = JSON.parse(text) as { id: string; title: string; abstract: string };
  if (!index.has(p.id)) continue;
  papers.push({ id: p.id, title: p.title, abstract: p.abstract });
  if (papers.length >= count + warmup) break;
}
input.destroy();

const size = index.size;
/** Deterministic pseudo-random numbers in [0, 1). */
let seed = 12345;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
// Candidates are drawn from papers matching common words: spread over the whole index, as neighbours are.
const pool = index.search('model learning data method results', { k: 10_000 }).map(([id]) => id);
const draw = (): string[] =>
  Array.from({ length: Number(args.candidates) }, () => pool[Math.floor(random() * pool.length)] ?? '');

const cpuMs = (f: () => void): number => {
  const c = process.cpuUsage();
  f();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
const full: number[] = [];
const cand: number[] = [];
/** The seed search's share of `cand` (timed apart, once more). */
const seeds: number[] = [];
let sink = 0;
const passes = Number(args.passes);
const drawn = papers.map(() => draw());
for (let pass = 1; pass <= passes; pass++)
  papers.forEach((p, i) => {
    const query = moreLikeThisQuery(p.title, p.abstract);
    // The neighbours as `rankSimilar` is given them; no vectors here, so no cosines (each is then the floor).
    const near = (drawn[i] ?? []).map((id, r): ScoredId => [id, 1 - r / 1000]);
    const options = {
      n: 100,
      weight: SIMILAR_WEIGHT,
      cosines: () => [],
      seed: { terms: seedTerms, k: seedK },
    };
    const runFull = (): number =>
      args['only-candidates'] === true
        ? 0
        : cpuMs(() => {
            sink += rankSimilar(p, index, near, { ...options, lexical: 'full' }).length;
          });
    let seedMs = 0;
    const runCand = (): number => {
      // The seed search alone, timed apart (as rankSimilar makes it, before it scores the candidates).
      seedMs = cpuMs(() => {
        if (seedK > 0)
          sink += index.search(query, { k: seedK + 1, longTerms: seedTerms, longTermsBy: 'rarest' }).length;
      });
      return cpuMs(() => {
        sink += rankSimilar(p, index, near, options).length;
      });
    };
    // Alternate which way runs first, so neither always finds the other's lists freshly read.
    const [a, b] = i % 2 === 0 ? [runFull(), runCand()] : [runCand(), runFull()].reverse();
    // Timed: the last pass (the earlier ones read every list once: a warm index), after the warm-up papers.
    if (i < warmup || pass < passes) return;
    full.push(a ?? 0);
    cand.push(b ?? 0);
    seeds.push(seedMs);
  });
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const report = (xs: number[]): object => ({ ...quantiles(xs), meanMs: Number(mean(xs).toFixed(2)) });
process.stdout.write(
  `${JSON.stringify({ papers: size, seed: `${seedTerms}:${seedK}`, requests: full.length, full: report(full), candidates: report(cand), seedSearch: report(seeds), sink })}\n`,
);
