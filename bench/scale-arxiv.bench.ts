// All of arXiv on one node (issue 23): generates a Kaggle-format snapshot of N papers from the shared 75k corpus,
// imports it, trains, embeds, reindexes, restarts serve and measures search, similar and For you, memory and
// restart time; prints one JSON line with every figure. Each phase's result is kept in <dir>/state.json, so a
// rerun continues after the last finished phase (and `ingest`/`embed` themselves resume inside a phase).
// Usage: npm run bench:scale-arxiv -- [--papers 2700000 | --small] [--dir D] [--from PHASE] [--queries 1000]
//        [--train-pairs N | --train-pairs all] [--train-sample N] [--workers N] [--skip-suggest] [--drop-caches]
//        [--settled-queries N] [--change N] [--limit N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { BIN } from '../test/helpers/cli.ts';
import { startServe, type ServeProcess } from '../test/helpers/serve-process.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';
import { writeKaggleSnapshot } from './lib/kaggle-synth.ts';
import { childPids, memoryParts, memoryRollup } from './lib/proc-memory.ts';
import { procDelta, procTimes } from './lib/proc-times.ts';
import { changeWhileServing } from './lib/serve-change.ts';
import { mixedQuery, prepareReader, quantiles, timed } from './lib/serve-load.ts';
import { SERVE_NODE_FLAGS } from './lib/serve-flags.ts';

const PHASES = ['generate', 'ingest', 'train', 'embed', 'reindex', 'serve'] as const;
type Phase = (typeof PHASES)[number];
const SECRET = 'scale-bench-secret-0123456789abcdef0123456789ab';

const { values: args } = parseArgs({
  options: {
    papers: { type: 'string', default: '2700000' },
    small: { type: 'boolean', default: false },
    dir: { type: 'string' },
    from: { type: 'string' },
    queries: { type: 'string', default: '1000' },
    // The train phase's budget (`paperboy train --pairs`); unset: train's default budget, which binds above 200k papers.
    'train-pairs': { type: 'string' },
    // Or learn from a seeded sample of this many papers (`paperboy train --sample`), several epochs each.
    'train-sample': { type: 'string' },
    seed: { type: 'string', default: '23' },
    // Write a V8 CPU profile of the restarted serve process into this folder (node --cpu-prof).
    profile: { type: 'string' },
    // More V8/Node flags for the restarted serve process (space-separated, after SERVE_NODE_FLAGS, so they win).
    'serve-node-options': { type: 'string', default: '' },
    // `serve --workers N`: after the queries, each process's memory and the sums over the primary and its workers.
    workers: { type: 'string', default: '1' },
    // Leave out the suggestion step (at 300k, below lookup.bin's threshold, each process builds its tables: minutes).
    'skip-suggest': { type: 'boolean', default: false },
    // Once the tables are ready and the suggestions timed, this many more mixed queries (other ones: the next seed),
    // as a node answers once its start-up work is done; their figures are named settled…
    'settled-queries': { type: 'string', default: '0' },
    // Then this many new papers written to the store while serve runs (embedded and indexed by serve itself), that
    // many more mixed queries on the changed node, and the papers deleted again; their figures are named change…
    change: { type: 'string', default: '0' },
    // Results each lexical and hybrid search of the mixed load asks for (`limit=`); default: the API's page of 20.
    limit: { type: 'string' },
    // Empty the OS page cache just before serve is started (a restart after a reboot); needs root.
    'drop-caches': { type: 'boolean', default: false },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout.write(
    `Usage: npm run bench:scale-arxiv -- [options]\n\n` +
      `Phases, each resumed from <dir>/state.json: ${PHASES.join(', ')}.\n\n` +
      `  --papers N     papers to generate (default 2,700,000)\n` +
      `  --small        the 300,000-paper variant (same as --papers 300000)\n` +
      `  --dir D        working folder (default /tmp/paperboy-scale-<N>)\n` +
      `  --from PHASE   forget PHASE and every later phase, then run from there\n` +
      `  --queries N    mixed queries timed after the restart (default 1000)\n` +
      `  --settled-queries N  then, once the start-up work is done (tables ready), N other mixed queries\n` +
      `  --change N     then N new papers written to the store while serve runs: the time until serve finds them,\n` +
      `                 memory and 300 mixed queries on the changed node, then the papers deleted again\n` +
      `                 (figures settledLexicalP99Ms and so on; default 0: none)\n` +
      `  --limit N      results each lexical and hybrid search asks for (default: the page of 20; the issue's\n` +
      `                 search targets name the top 10)\n` +
      `  --train-pairs N   training budget in pairs (default: paperboy train's, 600,000; 'all' for no budget)\n` +
      `  --train-sample N  train on a seeded sample of N papers instead (default: no sample)\n` +
      `  --profile DIR  write a CPU profile of the restarted serve process into DIR\n` +
      `  --workers N    serve --workers N; reports RSS, anon and PSS of the primary and each worker, and sums\n` +
      `  --skip-suggest leave out the suggestion step (tables, suggest latency)\n` +
      `  --drop-caches  empty the OS page cache (sync; drop_caches 3) just before serve starts: a cold restart\n`,
  );
  process.exit(0);
}

const skipSuggest = args['skip-suggest'];
const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
  process.stderr.write(`--limit must be a whole number from 1 to 100 (got ${args.limit}).\n`);
  process.exit(2);
}
/** What the JSON line reports as the searches' depth: the limit asked for, else the API's page of 20. */
const searchLimit = limit ?? 20;
const workers = Number(args.workers);
if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a whole number ≥ 1');
const papers = args.small ? 300_000 : Number(args.papers);
if (!Number.isInteger(papers) || papers < 1000) throw new Error('--papers must be a whole number ≥ 1000');
const dir = resolve(args.dir ?? `/tmp/paperboy-scale-${papers}`);
const db = join(dir, 'paperboy.db');
const snapshot = join(dir, `arxiv-${papers}.json.gz`);
const statePath = join(dir, 'state.json');
mkdirSync(dir, { recursive: true });

type Figures = Record<string, number | string | null>;
const state: Partial<Record<Phase, Figures>> = existsSync(statePath)
  ? (JSON.parse(readFileSync(statePath, 'utf8')) as Partial<Record<Phase, Figures>>)
  : {};
if (args.from !== undefined) {
  const at = PHASES.indexOf(args.from as Phase);
  if (at < 0) throw new Error(`--from must be one of ${PHASES.join(', ')}`);
  for (const p of PHASES.slice(at)) delete state[p];
}
const save = (): void => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
const log = (s: string): void => void process.stderr.write(`[scale-arxiv] ${s}\n`);
const env = { DATABASE_URL: db, PAPERBOY_SECRET: SECRET, LOG_LEVEL: 'info' };

/** User + system CPU seconds a process has used so far (0 when it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; clock ticks of 1/100 s.
    return Number(((Number(fields[11]) + Number(fields[12])) / 100).toFixed(1));
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) of a live process in MiB, or 0 once it is gone. */
function peakMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Runs one CLI command with its progress on this terminal; wall seconds and peak RSS (sampled every 200 ms). */
async function cli(command: string[], okCodes: number[]): Promise<Figures> {
  const t = performance.now();
  const child = spawn(process.execPath, ['--max-semi-space-size=4', BIN, ...command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, peakMiB(child.pid ?? -1))), 200);
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  clearInterval(timer);
  if (!okCodes.includes(code)) throw new Error(`paperboy ${command.join(' ')} exited ${code}`);
  return { seconds: Number(((performance.now() - t) / 1000).toFixed(1)), peakRssMiB: peak, exit: code };
}

/** Mapped files grouped by name ending: the graph, the index snapshots, the lookup tables, the store. */
const FILE_GROUPS = ['.hnsw', 'lexical.bin', 'vectors.bin', 'lookup.bin', '.db'] as const;

/** p50/p99 of each kind of query and p50/p95 of For you. */
function latencies(kinds: Record<string, number[]>, forYou: number[]): Figures {
  const out: Figures = {};
  for (const [kind, ms] of Object.entries(kinds)) {
    const q = quantiles(ms);
    out[`${kind}P50Ms`] = q.p50;
    out[`${kind}P99Ms`] = q.p99;
  }
  const fy = quantiles(forYou);
  out.forYouP50Ms = fy.p50;
  out.forYouP95Ms = fy.p95;
  return out;
}

/**
 * Memory of serve's process and its children (the workers under a `--workers` primary): each one's RSS, anon, PSS
 * (from smaps_rollup) and resident file pages by FILE_GROUPS, and the sums. PSS is the figure to add up: a file
 * page mapped by both workers counts in each one's RSS, but half in each one's PSS, so the PSS sum is what the
 * processes hold together. Page cache a process reads through pread (lexical.bin, vectors.bin, lookup.bin) is
 * shared too but in no process's RSS or PSS.
 */
function clusterMemory(pid: number): { processes: Record<string, unknown>[]; sums: Figures } {
  // Serve's own process, then its descendants (the workers under a `--workers` primary), depth first.
  const descendants = (p: number): number[] => childPids(p).flatMap((c) => [c, ...descendants(c)]);
  const top = childPids(pid);
  const pids = [pid, ...descendants(pid)];
  const processes: Record<string, unknown>[] = [];
  const sums = { rss: 0, pss: 0, anon: 0 };
  for (const [i, p] of pids.entries()) {
    const r = memoryRollup(p);
    const parts = memoryParts(p, FILE_GROUPS);
    if (r === null || parts === null) continue;
    sums.rss += r.rssMiB;
    sums.pss += r.pssMiB;
    sums.anon += r.anonMiB;
    const role =
      i === 0
        ? workers > 1
          ? 'primary'
          : 'serve'
        : workers > 1 && top.includes(p)
          ? `worker${top.indexOf(p) + 1}`
          : 'child';
    processes.push({ role, pid: p, ...r, fileRssMiB: parts.fileMiB, filePssMiB: parts.filePssMiB });
  }
  return {
    processes,
    sums: {
      sumPssAfterQueriesMiB: sums.pss,
      sumRssAfterQueriesMiB: sums.rss,
      sumAnonAfterQueriesMiB: sums.anon,
    },
  };
}

/**
 * Empties the OS page cache (dirty pages written first), so serve starts as after a reboot: every snapshot and
 * store page it touches comes from the disk. Fails with a clear message where that is not permitted.
 */
function dropPageCache(): void {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
  } catch (err) {
    throw new Error(
      `--drop-caches: cannot write /proc/sys/vm/drop_caches (${(err as Error).message}); run as root, or leave the option out`,
    );
  }
  log('page cache emptied (drop_caches 3) before serve starts');
}

/** Restart, then 1,000 mixed queries (lexical, hybrid, similar interleaved), then For you for one day. */
async function servePhase(): Promise<Figures> {
  const token = await prepareReader(env, 'scale-reader');
  const docs = await loadArxivCorpus(args.corpus);
  const queries = sampleQueries(docs, Number(args.queries), Number(args.seed));
  if (args['drop-caches']) dropPageCache();
  const started = performance.now();
  // The event loop's longest holds, measured inside serve by a preloaded probe (bench/lib/loop-probe.mjs).
  const probeFile = join(dir, 'loop-probe.json');
  rmSync(probeFile, { force: true });
  const nodeArgs = [
    ...SERVE_NODE_FLAGS,
    '--import',
    pathToFileURL(resolve(import.meta.dirname, 'lib/loop-probe.mjs')).href,
    ...(args.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(args.profile)}`]),
    ...(args['serve-node-options'] ?? '').split(' ').filter((a) => a !== ''),
  ];
  // With --workers every process would write the one probe file as it exits: the probe is left off then.
  const server: ServeProcess = await startServe(
    { ...env, PAPERBOY_HARVEST: 'false', PAPERBOY_LOOP_PROBE: workers > 1 ? '' : probeFile },
    600_000,
    workers > 1 ? ['--workers', String(workers)] : [],
    nodeArgs,
  );
  let figures: Figures = {};
  // Each query's wall time beside serve's main-thread CPU, run-queue wait, faults and storage reads while it
  // ran, and (once the probe's file is read) the garbage collections that ended meanwhile.
  const trace: Record<string, number | string>[] = [];
  /** When serve answered its first request and its first search (ms since the epoch), to place the loop's holds. */
  const listening = Date.now();
  let readyAt = listening;
  try {
    const first = `${server.base}/api/search?mode=hybrid&q=${encodeURIComponent(queries[0] ?? 'graph')}`;
    for (;;) {
      const r = await fetch(first);
      const body = (await r.json()) as { notice?: string | null };
      if (r.status === 200 && !(body.notice ?? '').includes('%')) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    const readySeconds = (performance.now() - started) / 1000;
    readyAt = Date.now();
    const rssAfterRestart = rssMiB(server.pid);
    const cpuAtReady = cpuSeconds(server.pid);
    const partsAfterRestart = memoryParts(server.pid);
    // One suggestion asked at ready and not waited for: when it is answered, the spelling and suggestion tables
    // are (opened from lookup.bin, or built). The figure `tablesReadySeconds` below is taken only after the
    // queries and For you, so it says nothing of when the tables were ready (at 2.7M it read as "97 s").
    const firstSuggestion = skipSuggest
      ? null
      : timed(`${server.base}/api/suggest?q=${encodeURIComponent('graph ne')}`)
          .then((ms) => ({
            ms,
            seconds: (performance.now() - started) / 1000,
          }))
          .catch(() => null); // a failed one leaves the two figures null
    const lexical = await fetch(`${server.base}/api/search?mode=lexical&q=learning&limit=100`);
    const ids = ((await lexical.json()) as { papers?: { id: string }[] }).papers?.map((p) => p.id) ?? [];
    // Written to <dir>/serve-queries.json, with the loop probe's holds and GC pauses, to split the tail.
    const kinds: Record<'lexical' | 'hybrid' | 'similar', number[]> = {
      lexical: [],
      hybrid: [],
      similar: [],
    };
    /** Times the mixed load over `asked` into `into`, each request traced (`mark`: more fields for the trace). */
    const runMixed = async (
      asked: readonly string[],
      into: Record<string, number[]>,
      mark: Record<string, number> = {},
    ): Promise<void> => {
      for (let i = 0; i < asked.length; i++) {
        const { kind, url, subject } = mixedQuery(server.base, i, asked, ids, limit);
        const at = Date.now();
        const before = procTimes(server.pid);
        const ms = await timed(url);
        into[kind]!.push(ms);
        trace.push({ i, kind, q: subject, at, ms, ...mark, ...procDelta(before, procTimes(server.pid)) });
      }
    };
    await runMixed(queries, kinds);
    const forYou: number[] = [];
    for (let i = 0; i < 100; i++)
      forYou.push(await timed(`${server.base}/api/foryou?days=1`, { authorization: `Bearer ${token}` }));
    const rssAfterQueries = rssMiB(server.pid);
    const cpuAfterQueries = cpuSeconds(server.pid);
    const partsAfterQueries = memoryParts(server.pid, FILE_GROUPS);
    const cluster = clusterMemory(server.pid);
    log(`processes after the queries ${JSON.stringify(cluster.processes)}`);
    if (skipSuggest) {
      figures = {
        workers,
        searchLimit,
        ...cluster.sums,
        processesAfterQueries: JSON.stringify(cluster.processes),
        rssAfterQueriesMiB: rssAfterQueries,
        anonAfterQueriesMiB: partsAfterQueries?.anonMiB ?? null,
        ...latencies(kinds, forYou),
      };
      // The per-query trace without the probe's collections (read only once serve has exited, below).
      writeFileSync(join(dir, 'serve-queries.json'), JSON.stringify({ readyAt, queries: trace }));
      return figures;
    }
    // A suggestion waits for the spelling and suggestion tables: opened from lookup.bin, or built after start.
    await timed(`${server.base}/api/suggest?q=${encodeURIComponent('graph ne')}`);
    const tablesSeconds = (performance.now() - started) / 1000;
    const partsAfterTables = memoryParts(server.pid);
    const suggest: number[] = [];
    for (let i = 0; i < 300; i++) {
      const words = (queries[i] ?? 'graph').split(' ');
      const typed = `${words.slice(0, -1).join(' ')} ${(words.at(-1) ?? '').slice(0, 1 + (i % 6))}`.trim();
      suggest.push(await timed(`${server.base}/api/suggest?q=${encodeURIComponent(typed)}`));
    }
    const atReady = firstSuggestion === null ? null : await firstSuggestion;
    const settledCount = Number(args['settled-queries']);
    const settled: Record<string, number[]> = { lexical: [], hybrid: [], similar: [] };
    if (settledCount > 0) {
      await runMixed(sampleQueries(docs, settledCount, Number(args.seed) + 1), settled, { settled: 1 });
    }
    // A node that has changed since its snapshot: new papers embedded and indexed by serve, queries, then deleted.
    const changeCount = Number(args.change);
    const change: Figures = {};
    if (changeCount > 0) {
      const changed: Record<string, number[]> = { lexical: [], hybrid: [], similar: [] };
      Object.assign(
        change,
        await changeWhileServing(server.base, env.DATABASE_URL ?? '', docs, changeCount, async () => {
          change.rssAfterChangeMiB = rssMiB(server.pid);
          change.anonAfterChangeMiB = memoryParts(server.pid)?.anonMiB ?? null;
          await runMixed(sampleQueries(docs, 300, Number(args.seed) + 2), changed, { changed: 1 });
          change.rssAfterChangedQueriesMiB = rssMiB(server.pid);
        }),
      );
      change.rssAfterDeleteMiB = rssMiB(server.pid);
      change.anonAfterDeleteMiB = memoryParts(server.pid)?.anonMiB ?? null;
      for (const [kind, ms] of Object.entries(changed)) {
        const name = `${kind[0]!.toUpperCase()}${kind.slice(1)}`;
        change[`changed${name}P50Ms`] = quantiles(ms).p50;
        change[`changed${name}P99Ms`] = quantiles(ms).p99;
      }
    }
    const out: Figures = {
      ...change,
      workers,
      searchLimit,
      tablesAnsweredSeconds: atReady === null ? null : Number(atReady.seconds.toFixed(1)),
      suggestAtReadyMs: atReady?.ms ?? null,
      ...cluster.sums,
      processesAfterQueries: JSON.stringify(cluster.processes),
      readySeconds: Number(readySeconds.toFixed(1)),
      rssAfterRestartMiB: rssAfterRestart,
      rssAfterQueriesMiB: rssAfterQueries,
      peakRssMiB: peakMiB(server.pid),
      cpuSecondsAtReady: cpuAtReady,
      cpuSecondsAfterQueries: cpuAfterQueries,
      tablesReadySeconds: Number(tablesSeconds.toFixed(1)),
      cpuSecondsAtTables: cpuSeconds(server.pid),
      anonAfterTablesMiB: partsAfterTables?.anonMiB ?? null,
      rssAfterTablesMiB: rssMiB(server.pid),
      suggestP50Ms: quantiles(suggest).p50,
      suggestP99Ms: quantiles(suggest).p99,
    };
    // Anonymous (the process's own heap and buffers) against mapped files (the graph, the store), after each step.
    log(
      `memory after restart ${JSON.stringify(partsAfterRestart)}, after the queries ${JSON.stringify(partsAfterQueries)}`,
    );
    out.anonAfterRestartMiB = partsAfterRestart?.anonMiB ?? null;
    out.anonAfterQueriesMiB = partsAfterQueries?.anonMiB ?? null;
    out.graphFileAfterQueriesMiB = partsAfterQueries?.fileMiB['.hnsw'] ?? null;
    out.storeFileAfterQueriesMiB = partsAfterQueries?.fileMiB['.db'] ?? null;
    Object.assign(out, latencies(kinds, forYou));
    if (settledCount > 0)
      for (const [kind, ms] of Object.entries(settled)) {
        const q = quantiles(ms);
        const name = `${kind[0]!.toUpperCase()}${kind.slice(1)}`;
        out[`settled${name}P50Ms`] = q.p50;
        out[`settled${name}P99Ms`] = q.p99;
      }
    writeFileSync(join(dir, 'serve-queries.json'), JSON.stringify({ readyAt, queries: trace }));
    figures = out;
  } finally {
    // Stopping includes writing a snapshot when the indexes changed (--change): timed, with the peak RSS it reached.
    const stopping = performance.now();
    const peakBeforeStop = peakMiB(server.pid);
    let stopPeak = 0;
    const sampler = setInterval(() => (stopPeak = Math.max(stopPeak, rssMiB(server.pid))), 200);
    await server.stop();
    clearInterval(sampler);
    figures.stopSeconds = Number(((performance.now() - stopping) / 1000).toFixed(1));
    figures.serveEnded = server.ended() ?? 'running';
    figures.stopPeakRssMiB = stopPeak;
    figures.peakRssBeforeStopMiB = peakBeforeStop;
    // Serve's own log (when the indexes were ready, the read-ahead's end), beside the figures.
    writeFileSync(join(dir, 'serve.log'), server.log());
  }
  if (workers > 1) return figures;
  // Written by the probe as serve exits: the first 60 s after start (restart, then the first queries) and all.
  const loop = JSON.parse(readFileSync(probeFile, 'utf8')) as Record<
    'first60s' | 'all',
    Record<string, number>
  > & {
    holds: [number, number][];
    gcs?: [number, number, number][];
  };
  // Each query's collections (ended while it ran): all of them, and the mark-compacts (V8 kind 2) alone, in ms.
  const gcs = loop.gcs ?? [];
  for (const row of trace) {
    const from = Number(row.at);
    const mine = gcs.filter(([end]) => end >= from && end <= from + Number(row.ms) + 1);
    row.gcMs = Number(mine.reduce((sum, [, ms]) => sum + ms, 0).toFixed(2));
    row.gcMarkCompactMs = Number(
      mine
        .filter(([, , kind]) => kind === 2)
        .reduce((sum, [, ms]) => sum + ms, 0)
        .toFixed(2),
    );
  }
  writeFileSync(
    join(dir, 'serve-queries.json'),
    JSON.stringify({ readyAt, queries: trace, holds: loop.holds }),
  );
  // Holds ending once serve listens (module loading before that is start-up, not a request kept waiting): the first
  // 60 s, and from the first answered search on.
  const held = (from: number, to: number): number[] =>
    loop.holds.filter(([at]) => at > from && at <= to).map(([, ms]) => ms);
  const firstMinute = held(listening, listening + 60_000);
  const served = held(readyAt, Number.POSITIVE_INFINITY);
  figures.loopMaxMsListening60s = Math.max(0, ...firstMinute);
  figures.loopOver50msListening60s = firstMinute.length;
  figures.loopMaxMsAfterReady = Math.max(0, ...served);
  figures.loopOver50msAfterReady = served.length;
  figures.loopOver100msAfterReady = served.filter((ms) => ms > 100).length;
  figures.loopMaxMsFirst60s = loop.first60s.maxMs ?? null;
  figures.loopHeldMsFirst60s = loop.first60s.heldMs ?? null;
  figures.loopOver50msFirst60s = loop.first60s.over50 ?? null;
  figures.loopMaxMs = loop.all.maxMs ?? null;
  figures.loopHeldMs = loop.all.heldMs ?? null;
  figures.loopOver50ms = loop.all.over50 ?? null;
  return figures;
}

async function run(phase: Phase): Promise<Figures> {
  switch (phase) {
    case 'generate': {
      const t = performance.now();
      if (!existsSync(snapshot)) {
        const docs = await loadArxivCorpus(args.corpus);
        await writeKaggleSnapshot(docs, snapshot, papers, Number(args.seed), (n) =>
          log(`generated ${n.toLocaleString('en')} of ${papers.toLocaleString('en')} records`),
        );
      }
      return { seconds: Number(((performance.now() - t) / 1000).toFixed(1)), file: snapshot };
    }
    case 'ingest':
      return cli(['ingest', snapshot], [0, 1, 3]);
    case 'train':
      return cli(
        [
          'train',
          ...(args['train-pairs'] === undefined ? [] : ['--pairs', args['train-pairs']]),
          ...(args['train-sample'] === undefined ? [] : ['--sample', args['train-sample']]),
          '--no-embed',
          '--json',
        ],
        [0],
      );
    case 'embed':
      return cli(['embed', '--json'], [0, 1]);
    case 'reindex':
      return cli(['reindex', '--json'], [0]);
    case 'serve':
      return servePhase();
  }
}

for (const phase of PHASES) {
  if (state[phase] !== undefined) {
    log(`${phase}: done in an earlier run (${JSON.stringify(state[phase])})`);
    continue;
  }
  log(`${phase}: starting`);
  state[phase] = await run(phase);
  save();
  log(`${phase}: ${JSON.stringify(state[phase])}`);
}
process.stdout.write(`${JSON.stringify({ papers, dir, ...state })}\n`);
