// Web benchmark: the 75k corpus plus community votes behind a real `paperboy serve`, loaded with autocannon
// on loopback at 50 connections: home page, paper page, the papers API and the search API (one repeated
// query, answered from the anonymous cache, and distinct queries that each run hybrid search in full).
// Those rows are closed-loop: each connection sends its next request when the last is answered, so they
// measure the most a server answers, and their latency is the queue that many connections make at that
// point (connections / req/s). A last row offers distinct searches at a steady rate (--rate, default the
// 300 req/s the site targets) over the same connections, open-loop, and gives the latency at that load.
// Usage: npm run bench:web [-- --seconds 10 --connections 50 --rate 300 --db /tmp/keep.db --only distinct --workers 2
// --index-dir DIR] (--only keeps the rows whose name contains the text, or one of 'a|b'; --workers is passed to
// `paperboy serve`; --db may be a postgres:// URL; --index-dir is serve's INDEX_DIR, e.g. a copy of a prebuilt
// snapshot folder.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { workersOption } from '../src/cli/serve-cluster.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import { startServe } from '../test/helpers/serve-process.ts';
import { constantRate } from './lib/constant-rate.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

interface Row {
  name: string;
  path: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time the server processes used per request (Linux /proc; NaN elsewhere). */
  cpuMs: number;
}

/**
 * CPU milliseconds used so far by `pid` and its child processes (serve's workers), from /proc: unlike
 * req/s, this hardly moves when other work shares the cores.
 */
function serverCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString();
    children = out.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // `ps` exits 1 when there are no children.
  }
  let ticks = 0;
  for (const p of [pid, ...children]) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      if (p === pid) return Number.NaN; // no /proc: not Linux
    }
  }
  return (ticks * 1000) / 100; // clock ticks of 10 ms
}

/** Imports the corpus (if the database is new) and casts votes by 300 readers on the latest month's papers. */
async function prepare(
  db: string,
): Promise<{ paperId: string; token: string; voteIds: string[]; discussed: string; posters: string[] }> {
  const config = loadConfig({ DATABASE_URL: db, PAPERBOY_SECRET: SECRET, LOG_LEVEL: 'warn' });
  const store = await openStore(db);
  const services = createServices(store, config);
  try {
    if ((await store.papers.count()) === 0) {
      const s = await services.imports.ingest(CORPUS);
      console.error(`imported ${s.added} papers in ${s.seconds.toFixed(1)} s`);
    }
    const month = await services.listings.window({ period: 'month', sort: 'newest', limit: 2000, offset: 0 });
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let votes = 0;
    for (let u = 0; u < 300; u++) {
      const user =
        (await store.users.create(`reader${u}@bench.invalid`, '', 'not-a-hash')) ??
        (await store.users.byEmail(`reader${u}@bench.invalid`))?.user;
      for (let k = 0; k < 20 && user; k++) {
        const item = month.items[Math.floor(rand() ** 3 * month.items.length)];
        if (item) await services.votes.set(user.id, item.paper.id, true).then(() => votes++);
      }
    }
    console.error(`cast ${votes} votes on papers of ${month.window.key}`);
    const voter = (await store.users.create(`voter-${Date.now()}@bench.invalid`, '', 'not-a-hash'))!;
    const { token } = await services.apiTokens.create(voter.id, 'bench');
    const day = await services.listings.window({ period: 'day', sort: 'newest', limit: 50, offset: 0 });
    const discussed = month.items[1]?.paper.id ?? '';
    const posters = await discussion(store, services, discussed);
    return {
      paperId: month.items[0]?.paper.id ?? '',
      token,
      voteIds: day.items.map((i) => i.paper.id),
      discussed,
      posters,
    };
  } finally {
    await services.close();
  }
}

/**
 * 200 comments on `paperId` (a third of them replies, some with math, links and lists) by 40 readers, and API
 * tokens of 40 more readers who post while the home page is loaded (each stays under the 10-per-10-minutes limit).
 */
async function discussion(
  store: Awaited<ReturnType<typeof openStore>>,
  services: ReturnType<typeof createServices>,
  paperId: string,
): Promise<string[]> {
  const user = async (name: string): Promise<NonNullable<Awaited<ReturnType<typeof store.users.get>>>> =>
    (await store.users.create(`${name}@bench.invalid`, name, 'not-a-hash')) ??
    (await store.users.byEmail(`${name}@bench.invalid`))!.user;
  const existing = (await store.discussion.forPaper(paperId)).length;
  const ids: number[] = [];
  for (let i = existing; i < 200; i++) {
    const author = await user(`commenter${i % 40}`);
    const parent = i % 3 === 2 && ids.length > 0 ? (ids[(i * 7) % ids.length] ?? null) : null;
    const body =
      i % 4 === 0
        ? `Comment ${i}: the bound $O(n \\log n)$ holds when $$\\sum_i x_i^2 \\le 1$$ and the *step* is small.`
        : `Comment ${i}: I tried this on **my data**.\n\n- it converged\n- see section ${i % 9}\n\n> quoting the abstract`;
    const made = await store.discussion.add({ paperId, userId: author.id, parentId: parent, body });
    if (made) ids.push(made.id);
  }
  const tokens: string[] = [];
  for (let u = 0; u < 40; u++)
    tokens.push((await services.apiTokens.create((await user(`poster${u}`)).id, 'bench')).token);
  return tokens;
}

async function load(
  server: { base: string; pid: number },
  name: string,
  path: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Row> {
  const base = server.base;
  const cpuBefore = serverCpuMs(server.pid);
  // `[<id>]` in a path becomes a fresh random id per request (a distinct, uncacheable query).
  const r = await autocannon({
    url: `${base}${path}`,
    connections,
    duration: seconds,
    pipelining: 1,
    headers,
    idReplacement: path.includes('[<id>]'),
  });
  return {
    name,
    path,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpuMs: (serverCpuMs(server.pid) - cpuBefore) / Math.max(1, r.requests.total),
  };
}

/**
 * Waits until serve answers a search and then stays idle: after "search index ready" it still builds the
 * spelling and suggestion tables and reads the rest of its snapshots ahead, and rows timed during that work
 * measured the start-up, not the pages (0 req/s on a loaded machine). Idle = under 50 ms of server CPU in
 * each of two consecutive seconds, so the wait ends when that work does, whatever the machine's load.
 */
async function settled(server: { base: string; pid: number; log(): string }): Promise<void> {
  const started = Date.now();
  const search = await fetch(`${server.base}/api/search?q=settle+check&k=5`);
  await search.body?.cancel();
  if (!search.ok) throw new Error(`a search before timing answered ${search.status}`);
  for (let quiet = 0, last = serverCpuMs(server.pid); quiet < 2; ) {
    if (Date.now() - started > 900_000)
      throw new Error(`serve was still busy after 15 minutes:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 1000));
    const now = serverCpuMs(server.pid);
    // Without /proc (not Linux) there is nothing to watch: the answered search is the only check.
    if (Number.isNaN(now)) break;
    quiet = now - last < 50 ? quiet + 1 : 0;
    last = now;
  }
  console.error(`serve settled ${((Date.now() - started) / 1000).toFixed(1)} s after its index was ready`);
  // Whether serve started from the snapshot or rebuilt it (a comparison wants both trees alike).
  for (const line of server.log().split('\n'))
    if (/snapshot|search index ready/.test(line)) console.error(`serve: ${line}`);
}

/** Distinct searches offered at a steady `rate` (after a 5 s warm-up at that rate); see constant-rate.ts. */
async function steady(
  server: { base: string; pid: number },
  name: string,
  rate: number,
  seconds: number,
  connections: number,
): Promise<Row> {
  const { hostname, port } = new URL(server.base);
  const run = Date.now().toString(36);
  const path = (i: number): string => `/api/search?q=diffusion+models+${run}x${i.toString(36)}&k=20`;
  const opts = { host: hostname, port: Number(port), connections, rate, path };
  await constantRate({ ...opts, seconds: 5 });
  const cpuBefore = serverCpuMs(server.pid);
  const r = await constantRate({ ...opts, seconds });
  return {
    name,
    path: '/api/search?q=diffusion+models+<id>&k=20',
    rps: r.achieved,
    p50: Math.round(r.p50),
    p99: Math.round(r.p99),
    errors: r.errors,
    non2xx: r.non2xx,
    cpuMs: (serverCpuMs(server.pid) - cpuBefore) / Math.max(1, r.requests),
  };
}

function print(rows: readonly Row[]): void {
  console.log(
    `| endpoint | path | req/s | p50 ms | p99 ms | errors | non-2xx | server CPU ms/req |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const r of rows)
    console.log(
      `| ${r.name} | \`${r.path}\` | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.cpuMs.toFixed(2)} |`,
    );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string' },
      db: { type: 'string' },
      only: { type: 'string' },
      workers: { type: 'string' },
      rate: { type: 'string' },
      'index-dir': { type: 'string' },
    },
  });
  if (!existsSync(CORPUS)) {
    console.error(`skipping: ${CORPUS} is absent (../shared is not beside this checkout)`);
    return;
  }
  const seconds = Number(values.seconds ?? 10);
  const connections = Number(values.connections ?? 50);
  const rate = Number(values.rate ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-web-bench-'));
  const db = values.db ?? join(dir, 'paperboy.db');
  try {
    const { paperId, token, voteIds, discussed, posters } = await prepare(db);
    const server = await startServe(
      {
        DATABASE_URL: db,
        PAPERBOY_SECRET: SECRET,
        PAPERBOY_HARVEST: 'false',
        LOG_LEVEL: 'info',
        ...(values['index-dir'] === undefined ? {} : { INDEX_DIR: values['index-dir'] }),
      },
      120_000,
      values.workers === undefined ? [] : ['--workers', values.workers],
    );
    try {
      // With workers, /health answers as soon as one listens; the primary says when all do. One worker
      // (`--workers 1`) is a plain single process, which has no primary to say so.
      const cluster = workersOption(values.workers) > 1;
      // /health answers before the search indexes are warm; rows measured during warm-up answered nothing
      // on a loaded machine (0 req/s), so load starts once serve says its index is ready.
      for (let waited = 0; !/search index ready/.test(server.log()); waited++) {
        if (waited > 3000) throw new Error(`the search index did not get ready:\n${server.log()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await settled(server);
      for (let waited = 0; cluster && !/ with \d+ workers/.test(server.log()); waited++) {
        if (waited > 600) throw new Error(`the workers did not all start:\n${server.log()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const targets: [string, string][] = [
        ['home (day, trending)', '/'],
        ['month page (trending)', '/month'],
        ['paper page', `/papers/${paperId}`],
        ['API papers (day)', '/api/papers?period=day&limit=20'],
        ['API search (one query, cached)', '/api/search?q=diffusion+models&k=20'],
        ['API search (distinct queries)', '/api/search?q=diffusion+models+[<id>]&k=20'],
      ];
      const rows: Row[] = [];
      // --only 'a|b' keeps the rows whose name contains a or b.
      const wanted = values.only?.split('|');
      const keep = (name: string): boolean => wanted === undefined || wanted.some((w) => name.includes(w));
      for (const [name, path] of targets.filter(([n]) => keep(n))) {
        await load(server, name, path, 2, connections); // warm-up
        rows.push(await load(server, name, path, seconds, connections));
      }
      // A paper page with 200 comments, rendered for every request: a signed-in reader's pages skip the cache.
      const auth = { authorization: `Bearer ${token}` };
      const discussedName = 'paper page, 200 comments (signed in, rendered each time)';
      if (keep(discussedName)) {
        await load(server, discussedName, `/papers/${discussed}`, 2, 1, auth);
        rows.push(await load(server, discussedName, `/papers/${discussed}`, seconds, 1, auth));
      }
      // The home page alone against the same while readers post 4 comments a second (each retires the cache),
      // alternated three times after a warm-up in which every poster posts once (first uses are one-time costs).
      if (keep('home while 4 comments/s')) {
        let n = 0;
        const startPosting = (): NodeJS.Timeout =>
          setInterval(() => {
            const who = posters[n % posters.length] ?? '';
            void fetch(`${server.base}/api/papers/${voteIds[n % voteIds.length] ?? ''}/comments`, {
              method: 'POST',
              headers: { authorization: `Bearer ${who}`, 'content-type': 'application/json' },
              body: JSON.stringify({ body: `Posted under load, number ${n++}, with $x_${n % 10}$.` }),
            })
              .then((r) => r.body?.cancel())
              // A refused or reset post must not end the benchmark; the home row's errors column tells.
              .catch(() => undefined);
          }, 250);
        // Every poster posts once first (a token's first use and the first render of each path are one-time).
        for (const who of posters)
          await fetch(`${server.base}/api/papers/${voteIds[n++ % voteIds.length] ?? ''}/comments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${who}`, 'content-type': 'application/json' },
            body: JSON.stringify({ body: `Warm-up post ${n}, with $y_${n % 10}$.` }),
          }).then((r) => r.body?.cancel());
        const warm = startPosting();
        await load(server, 'warm-up', '/', 2, connections);
        clearInterval(warm);
        const quiet: Row[] = [];
        const busy: Row[] = [];
        for (let round = 0; round < 3; round++) {
          quiet.push(await load(server, 'home (peer of the next row)', '/', seconds, connections));
          const posting = startPosting();
          busy.push(await load(server, 'home while 4 comments/s', '/', seconds, connections));
          clearInterval(posting);
        }
        rows.push(...quiet.flatMap((q, r) => [q, busy[r] as Row]));
        const median = (xs: number[]): number =>
          [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
        const ratio = median(busy.map((r) => r.p99)) / median(quiet.map((r) => r.p99));
        console.log(`home p99 while posting / peer, medians of 3 alternated rounds: ${ratio.toFixed(2)}x`);
      }
      const steadyName = `API search (distinct queries, steady ${rate} req/s)`;
      if (keep(steadyName)) rows.push(await steady(server, steadyName, rate, seconds, connections));
      // The same home page while readers vote 50 times a second: every vote retires the page cache.
      if (!keep('home while 50 votes/s')) return print(rows);
      let i = 0;
      const voting = setInterval(() => {
        const id = voteIds[i++ % voteIds.length] ?? '';
        void fetch(`${server.base}/api/papers/${id}/vote`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.body?.cancel());
      }, 20);
      rows.push(await load(server, 'home while 50 votes/s', '/', seconds, connections));
      clearInterval(voting);
      print(rows);
    } finally {
      await server.stop();
    }
  } finally {
    if (values.db === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
