// What serve's read-ahead after a restart adds to the requests it meets (issue 23, the 2.7M tail), for each given
// checkout in turn (a fresh process each, alternating): `--mode steps` reads a lexical.bin ahead in 256 KiB steps
// with a 64 MiB pair-signature cap and prints the CPU ms of the signature steps (total, p50, p99, max, steps over
// 20 ms); `--mode queries` runs bench:scale-arxiv's queries (k = 100) with one read-ahead slice of that checkout's
// `--slice-ms` before each (as serve starts one in the gap before a request) and prints the CPU ms of slice +
// query over all queries and over those the read-ahead met.
// Usage: npm run bench:read-ahead-tail -- --index FILE --roots /tmp/before,. [--slice-ms 8,2] [--mode steps|queries]
//        [--rounds 2] [--corpus FILE]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    roots: { type: 'string', default: '.' },
    'slice-ms': { type: 'string', default: '2' },
    mode: { type: 'string', default: 'steps' },
    rounds: { type: 'string', default: '2' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    // Internal: run one measurement in this process with this checkout.
    child: { type: 'string' },
  },
});

const SIGNATURE_CAP = 64 << 20;
const STEP_BYTES = 256 << 10;
const at = (s: number[], p: number): string =>
  (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(2);
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

interface Opened {
  readAhead(maxBytes: number): boolean;
  search(q: string, o: { k: number }): unknown;
}

async function child(root: string): Promise<void> {
  const file = args.index ?? '';
  const { openLexicalIndex } = (await import(
    pathToFileURL(resolve(root, 'src/index/lexical/lexical-index.ts')).href
  )) as {
    openLexicalIndex(path: string): {
      limitMemory(l: { postingsCacheBytes: number; pairSignatureBytes: number }): Opened;
    };
  };
  const idx = openLexicalIndex(file).limitMemory({
    postingsCacheBytes: 256 << 20,
    pairSignatureBytes: SIGNATURE_CAP,
  });
  if (args.mode === 'steps') {
    const steps: number[] = [];
    for (;;) {
      const t = process.cpuUsage();
      const more = idx.readAhead(STEP_BYTES);
      steps.push(cpuMs(t));
      if (!more) break;
    }
    // The signature steps are the last ones: 512 documents a step (STEP_BYTES >>> 9), up to the cap.
    const sig = steps.slice(-Math.ceil(SIGNATURE_CAP / 128 / 512));
    const s = [...sig].sort((a, b) => a - b);
    const total = sig.reduce((a, b) => a + b, 0);
    console.log(
      `${root}: ${sig.length} signature steps, total ${total.toFixed(0)} ms, p50 ${at(s, 0.5)}, p99 ${at(s, 0.99)}, max ${(s.at(-1) ?? 0).toFixed(1)}, over 20 ms ${s.filter((x) => x > 20).length}`,
    );
    return;
  }
  const { loadArxivCorpus, sampleQueries } = await import('./lib/arxiv-corpus.ts');
  const queries = sampleQueries(await loadArxivCorpus(args.corpus), 1000, 23);
  const slice = Number(process.env.READ_AHEAD_TAIL_SLICE_MS ?? '2');
  let ahead = true;
  const all: number[] = [];
  const met: number[] = [];
  for (const q of queries) {
    const t = process.cpuUsage();
    const during = ahead;
    if (ahead) {
      const until = performance.now() + slice;
      for (;;) {
        if (!idx.readAhead(STEP_BYTES)) {
          ahead = false;
          break;
        }
        if (performance.now() >= until) break;
      }
    }
    idx.search(q, { k: 100 });
    const ms = cpuMs(t);
    all.push(ms);
    if (during) met.push(ms);
  }
  const fmt = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return `${xs.length}: p50 ${at(s, 0.5)} p95 ${at(s, 0.95)} p99 ${at(s, 0.99)} max ${(s.at(-1) ?? 0).toFixed(1)}`;
  };
  console.log(`${root} (slice ${slice} ms): all ${fmt(all)} | met by the read-ahead ${fmt(met)}`);
}

if (args.child !== undefined) await child(args.child);
else {
  if (args.index === undefined) throw new Error('--index FILE (a lexical.bin) is required');
  const roots = args.roots.split(',').map((r) => resolve(r));
  const slices = args['slice-ms'].split(',');
  for (let round = 0; round < Number(args.rounds); round++)
    roots.forEach((root, i) => {
      const out = execFileSync(
        process.execPath,
        [
          '--max-semi-space-size=4',
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          root,
          ...['--index', args.index ?? '', '--mode', args.mode, '--corpus', args.corpus],
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, READ_AHEAD_TAIL_SLICE_MS: slices[i] ?? slices[0] ?? '2' },
        },
      );
      process.stdout.write(`round ${round + 1}, ${out}`);
    });
}
