// Latency of suggestions as you type (the tables behind GET /api/suggest) on the 75k-paper corpus.
//
//   npm run bench:suggest [-- --queries 5000] [--no-peer] [--file]
//
// With --file the tables are also written as a lookup file (#23: what serve opens instead of building them) and
// every query is answered from it too, timed interleaved with the tables in memory and checked to be equal.
//
// Queries are what a reader has typed so far: the start of a real title cut after 2–24 characters, an
// author's surname cut after 2–8 letters, or a category code or name prefix; one keystroke each.
// The peer is MiniSearch's prefix search over titles and authors (what its autoSuggest runs), timed on the
// same queries interleaved with ours, so that a shared machine's load weighs on both alike.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { categoryNames } from '../src/ingest/arxiv-taxonomy.ts';
import MiniSearch from 'minisearch';
import { openLookupFile } from '../src/index/lookup/lookup-file.ts';
import { writeLookupFile } from '../src/index/lookup/lookup-file-write.ts';
import { mergedSuggest } from '../src/index/lookup/merged-lookup.ts';
import { SpellingVocabulary } from '../src/index/lookup/spelling-vocabulary.ts';
import { SuggestIndex, suggestFrom, type Suggestion } from '../src/index/lookup/suggest-index.ts';
import { loadArxivCorpus } from './lib/arxiv-corpus.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      queries: { type: 'string', default: '5000' },
      'no-peer': { type: 'boolean', default: false },
      file: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(CORPUS)) {
    console.error(`skipping: ${CORPUS} is absent (../shared is not beside this checkout)`);
    return;
  }
  const docs = await loadArxivCorpus(CORPUS);
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const index = new SuggestIndex(categoryNames());
  for (const d of docs) index.add(d);
  index.suggest('warm up'); // sorts the prefix tables once
  const buildS = (performance.now() - t0) / 1000;
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  let state = 42;
  const rand = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const names = [...categoryNames().values()];
  const queries: string[] = [];
  while (queries.length < Number(values.queries)) {
    const d = docs[Math.floor(rand() * docs.length)];
    if (d === undefined) continue;
    const kind = queries.length % 4;
    if (kind <= 1) queries.push(d.title.slice(0, 2 + Math.floor(rand() * 23)));
    else if (kind === 2) {
      const surname = d.authors[0]?.split(' ').at(-1) ?? 'smith';
      queries.push(surname.slice(0, 2 + Math.floor(rand() * 7)));
    } else {
      const name = names[Math.floor(rand() * names.length)] ?? 'cs.CL';
      queries.push(name.slice(0, 2 + Math.floor(rand() * 10)));
    }
  }
  const peer = values['no-peer'] ? null : buildPeer(docs);
  const fromFile = values.file ? lookupFile(index) : null;
  for (const q of queries.slice(0, 500)) {
    index.suggest(q);
    peer?.(q);
    fromFile?.suggest(q);
  }
  const fileTimes: number[] = [];
  const fileCpu: number[] = [];
  let differ = 0;
  const peerTimes: number[] = [];
  const times: number[] = [];
  // CPU time too: on a shared machine (load far above its cores) wall time mostly measures waiting for a core.
  const cpu: number[] = [];
  const slow: [number, string][] = [];
  let empty = 0;
  for (const q of queries) {
    const c0 = process.cpuUsage();
    const s = performance.now();
    const r = index.suggest(q);
    const ms = performance.now() - s;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    times.push(ms);
    slow.push([ms, q]);
    if (r.length === 0) empty++;
    if (peer !== null) {
      const p0 = performance.now();
      peer(q);
      peerTimes.push(performance.now() - p0);
    }
    if (fromFile !== null) {
      const c1 = process.cpuUsage();
      const f0 = performance.now();
      const f = fromFile.suggest(q);
      fileTimes.push(performance.now() - f0);
      const fc = process.cpuUsage(c1);
      fileCpu.push((fc.user + fc.system) / 1000);
      if (JSON.stringify(f) !== JSON.stringify(r)) differ++;
    }
  }
  const e0 = performance.now();
  for (let i = 0; i < 10_000; i++) index.suggest('');
  const emptyUs = ((performance.now() - e0) / 10_000) * 1000;
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (xs: number[], p: number): string =>
    (xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0).toFixed(2);
  const q = (p: number): string =>
    (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(2);
  console.log(`${docs.length} papers; tables built in ${buildS.toFixed(1)} s, heap +${heapMB.toFixed(0)} MB`);
  console.log(`load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
  console.log(
    `| queries | p50 ms | p95 ms | p99 ms | max ms | CPU p50 / p95 / p99 ms | with no suggestion | empty query |`,
  );
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(
    `| ${times.length} | ${q(0.5)} | ${q(0.95)} | ${q(0.99)} | ${q(1)} | ${at(cpu, 0.5)} / ${at(cpu, 0.95)} / ${at(cpu, 0.99)} | ${((100 * empty) / times.length).toFixed(1)}% | ${emptyUs.toFixed(2)} µs |`,
  );
  if (peerTimes.length > 0) {
    peerTimes.sort((a, b) => a - b);
    const ratio = (p: number): string =>
      (Number(at(times, p)) / Math.max(1e-9, Number(at(peerTimes, p)))).toFixed(2);
    console.log(
      `| MiniSearch prefix (peer) | ${at(peerTimes, 0.5)} | ${at(peerTimes, 0.95)} | ${at(peerTimes, 0.99)} | ${at(peerTimes, 1)} | ours / peer: p50 ${ratio(0.5)}, p99 ${ratio(0.99)} | | |`,
    );
  }
  if (fromFile !== null) {
    fileTimes.sort((a, b) => a - b);
    fileCpu.sort((a, b) => a - b);
    const ratio = (p: number): string =>
      (Number(at(fileTimes, p)) / Math.max(1e-9, Number(at(times, p)))).toFixed(2);
    console.log(
      `| from lookup.bin (${fromFile.fileMiB} MiB, ${(fromFile.memoryBytes / 2 ** 20).toFixed(1)} MiB of it in memory) | ${at(fileTimes, 0.5)} | ${at(fileTimes, 0.95)} | ${at(fileTimes, 0.99)} | ${at(fileTimes, 1)} | ${at(fileCpu, 0.5)} / ${at(fileCpu, 0.95)} / ${at(fileCpu, 0.99)}; file / memory: p50 ${ratio(0.5)}, p99 ${ratio(0.99)} | ${differ} answers differ | |`,
    );
    fromFile.close();
  }
  const worst = slow.sort((a, b) => b[0] - a[0]).slice(0, 8);
  console.log(
    `\nslowest: ${worst.map(([ms, text]) => `${JSON.stringify(text)} ${ms.toFixed(1)} ms`).join(', ')}`,
  );
}

/** The tables written as a lookup file and opened: suggestions then come from positional reads of it. */
function lookupFile(index: SuggestIndex): {
  suggest(q: string): Suggestion[];
  fileMiB: string;
  memoryBytes: number;
  close(): void;
} {
  const dir = mkdtempSync(join(os.tmpdir(), 'paperboy-suggest-bench-'));
  const path = join(dir, 'lookup.bin');
  writeLookupFile(path, { suggest: index.contents(), spelling: new SpellingVocabulary(), seq: 0 });
  const file = openLookupFile(path);
  const source = mergedSuggest(file, new SuggestIndex(categoryNames(), file.base));
  return {
    suggest: (q) => suggestFrom(source, q),
    fileMiB: (statSync(path).size / 2 ** 20).toFixed(1),
    memoryBytes: file.memoryBytes,
    close() {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** MiniSearch over titles and authors, prefix-matching every word typed, top 8 (what its autoSuggest does). */
function buildPeer(
  docs: readonly { id: string; title: string; authors: readonly string[] }[],
): (q: string) => number {
  const ms = new MiniSearch<{ id: string; title: string; authors: string }>({
    fields: ['title', 'authors'],
    storeFields: [],
  });
  ms.addAll(docs.map((d) => ({ id: d.id, title: d.title, authors: d.authors.join(', ') })));
  return (q) => ms.search(q, { prefix: true, combineWith: 'AND' }).slice(0, 8).length;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
