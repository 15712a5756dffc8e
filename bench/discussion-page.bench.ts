// In-process benchmark of the discussion: a paper page with 200 comments (signed in, so the page cache is
// skipped), the app's own time to answer without sockets or load generator; then the anonymous home page under
// load with no posting against the same while readers post comments at a steady rate, alternated.
// Usage: node --import tsx bench/discussion-page.bench.ts [-- --runs 200 --home-seconds 5 --post-rate 5 --clients 50]
import { parseArgs } from 'node:util';
import { paper } from '../test/helpers/temp-store.ts';
import { webEnv } from '../test/helpers/reader-env.ts';

const P = '2607.00001';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      'home-seconds': { type: 'string' },
      'post-rate': { type: 'string' },
      clients: { type: 'string' },
    },
  });
  const runs = Number(values.runs ?? 200);
  const env = await webEnv({ LOG_LEVEL: 'warn' });
  try {
    await env.addPapers([paper({ arxivId: P, title: 'A discussed paper', announced: '2026-07-01' })]);
    const store = env.temp.store;
    const authors = [];
    for (let u = 0; u < 40; u++)
      authors.push((await store.users.create(`commenter${u}@bench.invalid`, `Commenter ${u}`, 'x'))!);
    const ids: number[] = [];
    // The same mix as bench:web: a third replies, a quarter with math, the rest with lists and quotes.
    for (let i = 0; i < 200; i++) {
      const parent = i % 3 === 2 && ids.length > 0 ? (ids[(i * 7) % ids.length] ?? null) : null;
      const body =
        i % 4 === 0
          ? `Comment ${i}: the bound $O(n \\log n)$ holds when $$\\sum_i x_i^2 \\le 1$$ and the *step* is small.`
          : `Comment ${i}: I tried this on **my data**.\n\n- it converged\n- see section ${i % 9}\n\n> quoting the abstract`;
      const made = await store.discussion.add({
        paperId: P,
        userId: authors[i % 40]!.id,
        parentId: parent,
        body,
      });
      if (made) ids.push(made.id);
    }
    const reader = authors[0]!;
    const { token } = await env.services.apiTokens.create(reader.id, 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const bytes = new Map<string, number>();
    const page = async (path: string): Promise<number> => {
      const t = performance.now();
      const res = await env.app.request(path, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      const text = await res.text();
      const ms = performance.now() - t;
      bytes.set(path, Buffer.byteLength(text));
      return ms;
    };
    const p50 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const bare = '2607.00002';
    await env.addPapers([paper({ arxivId: bare, title: 'A quiet paper', announced: '2026-07-01' })]);
    for (let i = 0; i < 5; i++) await Promise.all([page(`/papers/${P}`), page(`/papers/${bare}`)]);
    const withC: number[] = [];
    const without: number[] = [];
    // CPU time of the process per view (user + system, GC threads included): hardly moved by other work on
    // the cores, unlike the wall time, so it compares builds across a varying load.
    const cpu = { withC: 0, without: 0 };
    const cpuMs = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    for (let i = 0; i < runs; i++) {
      let c0 = cpuMs();
      withC.push(await page(`/papers/${P}`));
      const c1 = cpuMs();
      cpu.withC += c1 - c0;
      c0 = c1;
      without.push(await page(`/papers/${bare}`));
      cpu.without += cpuMs() - c0;
    }
    const kb = (path: string): string => `${((bytes.get(path) ?? 0) / 1000).toFixed(0)} KB`;
    console.log(
      `| paper page, 200 comments (signed in) | ${p50(withC).toFixed(1)} ms p50 | ${(cpu.withC / runs).toFixed(1)} ms CPU | ${kb(`/papers/${P}`)} |`,
    );
    console.log(
      `| paper page, no comments (signed in, peer) | ${p50(without).toFixed(1)} ms p50 | ${(cpu.without / runs).toFixed(1)} ms CPU | ${kb(`/papers/${bare}`)} |`,
    );
    if (Number(values['home-seconds'] ?? 5) > 0)
      await homeWhilePosting(env, {
        seconds: Number(values['home-seconds'] ?? 5),
        rate: Number(values['post-rate'] ?? 5),
        clients: Number(values.clients ?? 50),
      });
  } finally {
    await env.cleanup();
  }
}

/**
 * Home p50/p99 for anonymous readers (`clients` requests in flight, each sending the next when answered), alone
 * and while other readers post `rate` comments a second through the API, in the same process: quiet and posting,
 * three times each. Each post changes a card's comment count, so it retires the cached home page (at most once
 * per ANONYMOUS_STALE_MS).
 */
async function homeWhilePosting(
  env: Awaited<ReturnType<typeof webEnv>>,
  o: { seconds: number; rate: number; clients: number },
): Promise<void> {
  // A home page of 100 cards on the latest day, the papers the posters comment on.
  const day = Array.from({ length: 100 }, (_, i) =>
    paper({
      arxivId: `2607.1${String(i).padStart(4, '0')}`,
      title: `Home paper ${i}`,
      announced: '2026-07-01',
    }),
  );
  await env.addPapers(day);
  // Enough posters that none meets the 10-comments-in-10-minutes limit (the clock stands still here).
  const posters: string[] = [];
  for (let u = 0; u < 60; u++) {
    const user = (await env.temp.store.users.create(`poster${u}@bench.invalid`, `Poster ${u}`, 'x'))!;
    posters.push((await env.services.apiTokens.create(user.id, 'bench')).token);
  }
  let posted = 0;
  let refused = 0;
  const postMs: number[] = [];
  const post = async (): Promise<void> => {
    const n = posted + refused;
    const t = performance.now();
    const res = await env.app.request(`/api/papers/${day[n % day.length]!.arxivId}/comments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${posters[n % posters.length]!}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ body: `Posted under load, number ${n}, with $x_${n % 10}$.` }),
    });
    await res.text();
    postMs.push(performance.now() - t);
    if (res.status === 201) posted += 1;
    else refused += 1;
  };
  const load = async (seconds: number): Promise<number[]> => {
    const times: number[] = [];
    const end = performance.now() + seconds * 1000;
    const client = async (): Promise<void> => {
      while (performance.now() < end) {
        // A request reaches a server through the event loop, so its time starts before that turn: whatever
        // holds the loop (a post, a render) delays it. Without the turn the in-process clients would answer
        // each other from microtasks alone and starve the posting timer.
        const t = performance.now();
        await new Promise((r) => setImmediate(r));
        const res = await env.app.request('/');
        if (res.status !== 200) throw new Error(`home: ${res.status}`);
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: o.clients }, client));
    return times;
  };
  const pct = (xs: number[], q: number): number =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
  await load(2); // warm-up: the home page rendered and cached
  const rows: string[] = [];
  const pooled = { quiet: [] as number[], posting: [] as number[] };
  for (const phase of ['quiet', 'posting', 'quiet', 'posting', 'quiet', 'posting'] as const) {
    const timer =
      phase === 'posting'
        ? setInterval(() => void post().catch(() => (refused += 1)), 1000 / o.rate)
        : undefined;
    const before = posted;
    const times = await load(o.seconds);
    clearInterval(timer);
    pooled[phase].push(...times);
    const label = phase === 'quiet' ? 'home, nobody posting (peer)' : `home while ${o.rate} comments/s`;
    rows.push(
      `| ${label} | ${times.length} | ${pct(times, 0.5).toFixed(2)} ms | ${pct(times, 0.99).toFixed(2)} ms | ${posted - before} |`,
    );
  }
  console.log(
    `| row (${o.clients} clients in flight, ${o.seconds} s each) | requests | p50 | p99 | comments posted |`,
  );
  for (const r of rows) console.log(r);
  const ratio = pct(pooled.posting, 0.99) / pct(pooled.quiet, 0.99);
  console.log(
    `pooled p99: ${pct(pooled.quiet, 0.99).toFixed(2)} ms quiet, ${pct(pooled.posting, 0.99).toFixed(2)} ms posting (${ratio.toFixed(2)}x)`,
  );
  if (refused > 0) console.log(`(${refused} posts refused)`);
  // What a post costs the process: its own answer, and the home render it causes once the cache retires.
  const renders: number[] = [];
  for (let i = 0; i < 10; i++) {
    await post();
    await new Promise((r) => setTimeout(r, 1100)); // past ANONYMOUS_STALE_MS, so the next home renders again
    const t = performance.now();
    await (await env.app.request('/')).arrayBuffer();
    renders.push(performance.now() - t);
  }
  console.log(
    `a post answered in ${pct(postMs, 0.5).toFixed(1)} ms p50; the home page it retires renders again in ${pct(renders, 0.5).toFixed(1)} ms p50`,
  );
}

await main();
