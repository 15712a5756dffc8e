// Per-query CPU of lexical top-k on an existing snapshot (e.g. a 2.7M-paper lexical.bin), for one or more
// checkouts' code in the same process, queries interleaved.
//
//   node --import tsx bench/lexical-scale.bench.ts --index DIR/lexical.bin[,DIR2/lexical.bin] [--roots /tmp/before,.] [--k 10,100]
//     [--queries 1000] [--seed 23] [--rounds 3] [--slowest 15] [--out trace.json] [--cache-mib 32[,256]]
//     [--block-max on,off] [--prune on,off] [--passes 1]
//
// The queries are bench:scale-arxiv's (`sampleQueries` over the 75k corpus, seed 23: 2–5 title words). Each
// round opens the snapshot afresh with every root's `openLexicalIndex` (as `serve` does after a restart: the
// small sections read, lists read per term through the default list cache, no bound or impact cached yet; the
// file itself stays in the page cache), then times every query on every root in turn (the order alternating),
// CPU as process user + system time. A query's figure is its median over the rounds. Then one more pass counts
// the posting scores (`PostingCursor.prototype.score` calls) and postings decoded (`decode` calls) per query
// and root. `--index` takes one file for every root, or one per root (e.g. an old-format file for the before
// code, the same index rewritten in the new format for the after code). Prints one JSON line per k and
// root (CPU p50/p90/p95/p99/max/mean, scored p50/p99/mean, whether every top-k list equals the first root's:
// ids and scores bit for bit) and the slowest queries with their terms' document frequencies. `--cache-mib`
// sets the posting-list cache as INDEX_POSTINGS_CACHE_MIB does for serve (default: the index's, 32 MiB); a
// list (`--cache-mib 32,256`) gives each root its own, e.g. the same checkout twice to compare cache sizes;
// `--block-max on,off` likewise turns block-max pruning off for a root (code before it ignores the option),
// `--prune on,off` MaxScore (off: the exhaustive term-at-a-time path a query takes with phrases or too many terms).
// `--passes N` runs the queries N − 1 times untimed on each fresh open before the timed pass (steady state: lists,
// bounds and impacts kept from earlier searches); 1, the default, times the first searches after a restart.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../src/index/lexical/tokenizer.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    roots: { type: 'string', default: '.' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '23' },
    k: { type: 'string', default: '10,100' },
    rounds: { type: 'string', default: '3' },
    slowest: { type: 'string', default: '15' },
    out: { type: 'string' },
    'cache-mib': { type: 'string' },
    'block-max': { type: 'string' },
    prune: { type: 'string' },
    passes: { type: 'string', default: '1' },
  },
});

/** What every checkout's lexical index offers the bench. */
interface Searchable {
  search(q: string, opts: { k: number; blockMax?: boolean; prune?: boolean }): [string, number][];
  limitMemory(limits: { postingsCacheBytes?: number }): Searchable;
}
interface IndexModule {
  openLexicalIndex(path: string, opts: { verify: boolean }): Searchable;
}
interface CursorModule {
  PostingCursor: { prototype: { score: (...a: unknown[]) => number; decode: () => void } };
}
/** The index's private state, read for the query characterization only. */
interface StateView {
  state: { terms: { get(term: string): number | undefined }; df: Uint32Array; docs: { liveCount: number } };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function summary(xs: readonly number[]): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    p50: round3(percentile(s, 50)),
    p90: round3(percentile(s, 90)),
    p95: round3(percentile(s, 95)),
    p99: round3(percentile(s, 99)),
    max: round3(s[s.length - 1] ?? 0),
    mean: round3(mean),
  };
}

async function main(): Promise<void> {
  if (args.index === undefined) throw new Error('--index PATH is required');
  const indexes = args.index.split(',').map((p) => resolve(p));
  const roots = args.roots.split(',').map((r) => resolve(r));
  const mods = await Promise.all(
    roots.map(async (root) => ({
      index: (await import(resolve(root, 'src/index/lexical/lexical-index.ts'))) as IndexModule,
      cursor: (await import(resolve(root, 'src/index/lexical/posting-cursor.ts'))) as CursorModule,
    })),
  );
  const docs = await loadArxivCorpus(args.corpus);
  const queries = sampleQueries(docs, Number(args.queries), Number(args.seed));
  const ks = args.k.split(',').map(Number);
  const rounds = Number(args.rounds);
  const passes = Number(args.passes);
  const load = [loadavg()[0] ?? 0];
  const trace: Record<string, unknown>[] = [];
  // One cache size for every root, or one per root (the same code twice with two sizes, interleaved).
  const caches = (args['cache-mib'] ?? '').split(',').filter((c) => c !== '');
  const open = (m: { index: IndexModule }, i: number): Searchable => {
    const engine = m.index.openLexicalIndex(indexes[Math.min(i, indexes.length - 1)]!, { verify: false });
    const mib = caches[Math.min(i, caches.length - 1)];
    return mib === undefined ? engine : engine.limitMemory({ postingsCacheBytes: Number(mib) * 2 ** 20 });
  };
  // Block maxima on (the default) or off, for every root or one per root (`--block-max on,off`: the same
  // checkout and file twice, to compare block-max MaxScore with whole-term bounds in one process).
  const blockMaxes = (args['block-max'] ?? '').split(',').filter((c) => c !== '');
  const blockMaxOf = (i: number): boolean => blockMaxes[Math.min(i, blockMaxes.length - 1)] !== 'off';
  // MaxScore on (the default) or off (`--prune on,off`: the exhaustive term-at-a-time path for a root).
  const prunes = (args.prune ?? '').split(',').filter((c) => c !== '');
  const pruneOf = (i: number): boolean => prunes[Math.min(i, prunes.length - 1)] !== 'off';
  /** Root i's search options at depth k. */
  const optionsOf = (i: number, k: number) => ({ k, blockMax: blockMaxOf(i), prune: pruneOf(i) });
  for (const k of ks) {
    // cpu[root][query] = times over the rounds
    const cpu = roots.map(() => queries.map((): number[] => []));
    let differing = 0;
    let firstDiff: string | null = null;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const engines = mods.map((m, i) => open(m, i));
      const openMs = (performance.now() - t0) / engines.length;
      // Passes before the timed one warm what searches keep (lists, bounds, impacts): steady state.
      for (let w = 1; w < passes; w++)
        for (const q of queries) for (const [i, e] of engines.entries()) e.search(q, optionsOf(i, k));
      for (const [qi, q] of queries.entries()) {
        const answers: string[] = [];
        const order = (r + qi) % 2 === 0 ? roots.map((_, i) => i) : roots.map((_, i) => i).reverse();
        for (const i of order) {
          const c0 = cpuMs();
          const hits = engines[i]!.search(q, optionsOf(i, k));
          cpu[i]![qi]!.push(cpuMs() - c0);
          answers[i] = JSON.stringify(hits);
        }
        if (r === 0 && answers.some((a) => a !== answers[0])) {
          differing++;
          firstDiff ??= q;
        }
      }
      load.push(loadavg()[0] ?? 0);
      console.error(`k=${k} round ${r + 1}/${rounds} done (open ${Math.round(openMs)} ms per root)`);
    }
    // Posting scores per query, one pass with a counting `score` (fresh indexes: same counts as any pass).
    const scored = roots.map(() => queries.map(() => 0));
    const decoded = roots.map(() => queries.map(() => 0));
    const terms = queries.map((): { term: string; df: number }[] => []);
    for (const [i, m] of mods.entries()) {
      const proto = m.cursor.PostingCursor.prototype;
      const original = proto.score;
      const originalDecode = proto.decode;
      let count = 0;
      let decodes = 0;
      proto.score = function (this: unknown, ...a: unknown[]): number {
        count++;
        return original.apply(this, a);
      };
      proto.decode = function (this: unknown): void {
        decodes++;
        originalDecode.call(this);
      };
      const engine = open(m, i);
      for (const [qi, q] of queries.entries()) {
        count = 0;
        decodes = 0;
        engine.search(q, optionsOf(i, k));
        scored[i]![qi] = count;
        decoded[i]![qi] = decodes;
        if (i === 0) {
          const state = (engine as unknown as StateView).state;
          const seen = new Set<string>();
          for (const t of analyze(q)) {
            if (seen.has(t)) continue;
            seen.add(t);
            const id = state.terms.get(t);
            terms[qi]!.push({ term: t, df: id === undefined ? 0 : (state.df[id] ?? 0) });
          }
        }
      }
      proto.score = original;
      proto.decode = originalDecode;
    }
    const medians = cpu.map((perQuery) => perQuery.map(median));
    for (const [i, root] of roots.entries()) {
      console.log(
        JSON.stringify({
          k,
          root,
          queries: queries.length,
          rounds,
          passes,
          cpuMs: summary(medians[i]!),
          scored: summary(scored[i]!),
          decoded: summary(decoded[i]!),
          sameAsFirstRoot: i === 0 ? null : differing === 0,
          differing,
          firstDiff,
        }),
      );
    }
    // The tail of the first root: which queries make it.
    const base = medians[0]!;
    const slow = base
      .map((ms, qi) => ({ qi, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, Number(args.slowest));
    for (const { qi } of slow)
      console.log(
        JSON.stringify({
          k,
          query: queries[qi],
          cpuMs: medians.map((m) => round3(m[qi] ?? 0)),
          scored: scored.map((s) => s[qi]),
          decoded: decoded.map((s) => s[qi]),
          terms: terms[qi]!.map((t) => `${t.term}:${t.df}`).join(' '),
        }),
      );
    for (const [qi, q] of queries.entries())
      trace.push({
        k,
        q,
        cpuMs: medians.map((m) => round3(m[qi] ?? 0)),
        scored: scored.map((s) => s[qi]),
        decoded: decoded.map((s) => s[qi]),
        terms: terms[qi],
      });
  }
  console.log(JSON.stringify({ loadAverage: load.map((l) => Math.round(l * 10) / 10) }));
  if (args.out !== undefined) writeFileSync(args.out, JSON.stringify(trace));
}

await main();
