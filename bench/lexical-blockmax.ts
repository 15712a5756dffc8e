// Rewrites a lexical snapshot (format 4 or later) in the current format, with per-block score maxima, without
// the store: every list is read from the old file and copied as it is; the bounds (term and block maxima) are
// computed in one pass over the postings, as a save does. Prints timing, peak RSS, sizes and how tight the
// block maxima of the longest lists are.
//
//   node --import tsx bench/lexical-blockmax.ts --in OLD/lexical.bin --out NEW/lexical.bin [--top 12]
//
// The output must not exist (a generation's other files are hard links: never write over one in place); it is
// written beside as OUT.tmp and renamed.
import { existsSync, renameSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openState, writeStateFile } from '../src/index/lexical/index-codec.ts';
import { fileSource } from '../src/index/snapshot-sections.ts';
import { BLOCK_MAX_STEPS } from '../src/index/lexical/term-bounds.ts';

const { values: args } = parseArgs({
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    top: { type: 'string', default: '12' },
  },
});

function main(): void {
  if (args.in === undefined || args.out === undefined) throw new Error('--in and --out are required');
  if (existsSync(args.out)) throw new Error(`${args.out} exists: write a new file`);
  const load = [loadavg()[0] ?? 0];
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  const state = openState(fileSource(args.in), { verify: true });
  const oldUnitMax = state.storedBounds?.unitMax ?? null;
  // The term sequences are written from memory (a paged store has none there).
  state.forward.ensureAll();
  const opened = performance.now();
  const tmp = `${args.out}.tmp`;
  writeStateFile(state, tmp);
  renameSync(tmp, args.out);
  const written = performance.now();
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bounds = state.storedBounds;
  if (bounds === null || bounds.blockMax === null) throw new Error('no block maxima computed');
  // The term bounds must be the old file's (same statistics): a mismatch means the rewrite changed scoring.
  let unitMaxSame = oldUnitMax === null ? null : oldUnitMax.length === bounds.unitMax.length;
  if (oldUnitMax !== null)
    for (let t = 0; t < oldUnitMax.length && unitMaxSame === true; t++)
      if (oldUnitMax[t] !== bounds.unitMax[t]) unitMaxSame = false;
  const { blocks } = state.postings.sealed;
  const terms = Array.from({ length: blocks.length - 1 }, (_, t) => t)
    .sort((a, b) => state.postings.sealedLength(b) - state.postings.sealedLength(a))
    .slice(0, Number(args.top));
  const tightness = terms.map((t) => {
    const q = [...bounds.blockMax!.subarray(blocks[t] ?? 0, blocks[t + 1] ?? 0)].sort((a, b) => a - b);
    const at = (f: number): number =>
      Math.round(((q[Math.floor(f * (q.length - 1))] ?? 0) / BLOCK_MAX_STEPS) * 1000) / 1000;
    return {
      term: state.terms.at(t),
      postings: state.postings.sealedLength(t),
      blockMaxOfTermMax: { p10: at(0.1), p50: at(0.5), p90: at(0.9) },
    };
  });
  load.push(loadavg()[0] ?? 0);
  console.log(
    JSON.stringify({
      in: args.in,
      out: args.out,
      openMs: Math.round(opened - t0),
      writeMs: Math.round(written - opened),
      peakRssMiB: Math.round(peak / 2 ** 20),
      bytesIn: statSync(args.in).size,
      bytesOut: statSync(args.out).size,
      blocks: bounds.blockMax.length,
      unitMaxSame,
      loadAverage: load.map((l) => Math.round(l * 10) / 10),
    }),
  );
  for (const row of tightness) console.log(JSON.stringify(row));
}

main();
