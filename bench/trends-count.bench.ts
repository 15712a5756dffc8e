// Trends' counting cost alone: LexicalIndex.matchDates for topics.bench.ts's 300 never-asked queries, each
// timed 5 times (median per query), two-word queries and phrases apart. The optional argument is the root of
// another checkout whose src to time (a before/after pair on the same store):
//   DATABASE_URL=/tmp/big.db node --import tsx bench/trends-count.bench.ts [/tmp/before]
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { SearchIndexes } = await import(`${root}/src/services/search/index.ts`);
const { openStore } = await import(`${root}/src/store/db.ts`);
const store = await openStore(process.env.DATABASE_URL ?? '');
const indexes = new SearchIndexes(store, { dir: null, approximateAbove: 1_000_000 });
await indexes.open();
await indexes.upToDate(undefined, 0);
const W = (
  'learning model network neural data language graph image vision robot policy training deep attention ' +
  'transformer diffusion generation detection segmentation reinforcement federated privacy adversarial ' +
  'retrieval reasoning agent benchmark optimization estimation clustering embedding representation ' +
  'contrastive multimodal video speech audio code software security quantum causal inference bayesian'
).split(' ');
const words: number[] = [],
  phrases: number[] = [];
let total = 0;
for (let i = 0; i < 300; i++) {
  const a = W[i % W.length]!,
    b = W[(i * 7 + 3 + Math.floor(i / W.length)) % W.length]!;
  const q = i % 3 === 2 ? `"${a} ${b}"` : `${a} ${b}`;
  const t: number[] = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    total += indexes.lexical.matchDates(q).length;
    t.push(performance.now() - s);
  }
  t.sort((x, y) => x - y);
  (i % 3 === 2 ? phrases : words).push(t[2]!);
}
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(1);
console.log(
  `${root}: matched ${total / 5}; two words (200): p50 ${q(words, 0.5)} p90 ${q(words, 0.9)} p99 ${q(words, 0.99)} ms; phrases (100): p50 ${q(phrases, 0.5)} p90 ${q(phrases, 0.9)} p99 ${q(phrases, 0.99)} ms`,
);
await store.close();
