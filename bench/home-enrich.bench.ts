// Home page req/s before and after enrichment: the pre-enrichment code (a `git archive` of it, --before) and
// this tree with every enrichment shown (GitHub stars on chips, a model TL;DR for every paper, thumbnails for
// the newest papers), each `paperboy serve` on its own copy of the 75k store, measured in alternating rounds
// so that both see the same machine load. Prints each round, the medians and their ratio.
// Usage: node --import tsx bench/home-enrich.bench.ts --before /tmp/h21-before --old-db OLD --new-db NEW
//   OLD: a store the old code ingested the corpus into; NEW: a plain copy of it (migrated and filled here).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { extractiveSummary } from '../src/rank/extractive-summary.ts';
import { enrichPaper, githubRepoOf, renderFirstPage } from '../src/services/enrich/index.ts';
import { openStore } from '../src/store/db.ts';
import { titlePagePdf } from '../test/helpers/make-pdf.ts';
import { freePort } from '../test/helpers/serve-process.ts';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

/** Fills the enrichment tables as a long-running site would have them. */
async function fill(db: string): Promise<string> {
  const store = await openStore(db);
  const png = (await renderFirstPage(titlePagePdf('A thumbnail'), { pdftoppm: '/usr/bin/pdftoppm' })).png;
  const now = new Date().toISOString();
  let repos = 0;
  let summaries = 0;
  let thumbs = 0;
  for await (const page of store.papers.scan(2000)) {
    for (const p of page) {
      for (const l of enrichPaper(p).links) {
        const repo = githubRepoOf(l.url);
        if (repo === null) continue;
        const stars = (repo.length * 7919) % 20_000;
        await store.enrichment.putRepoFact(
          { repo, status: 'ok', stars, pushedAt: now, archived: false, etag: null, checkedAt: now },
          now.slice(0, 10),
        );
        repos++;
      }
      const s = extractiveSummary(p.abstract);
      await store.enrichment.putSummary({
        paperId: p.id,
        model: 'bench-llm',
        promptVersion: 'v1',
        text: `${(s?.text ?? p.title).slice(0, 300)}`,
        error: null,
        createdAt: now,
      });
      summaries++;
    }
  }
  for (const p of await store.papers.newest({ limit: 2000 })) {
    await store.enrichment.putThumbnail({
      paperId: p.id,
      image: png,
      width: 232,
      height: 300,
      error: null,
      createdAt: now,
    });
    thumbs++;
  }
  await store.close();
  return `${repos} repository facts, ${summaries} model summaries, ${thumbs} thumbnails`;
}

async function serve(
  root: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bin/paperboy.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`serve in ${root} exited ${child.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`serve in ${root} did not start`);
}

async function rps(url: string, seconds: number): Promise<number> {
  const r = await autocannon({ url: `${url}/`, connections: 10, duration: seconds });
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} time-outs`);
  return r.requests.total / seconds;
}

/** Waits until start-up work (index warming, first jobs) is over: three home pages in a row under 1 s. */
async function settled(url: string): Promise<void> {
  for (let fast = 0, i = 0; fast < 3 && i < 600; i++) {
    const t0 = performance.now();
    await fetch(`${url}/?settle=${i}`).then((r) => r.text());
    fast = performance.now() - t0 < 1000 ? fast + 1 : 0;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      before: { type: 'string' },
      'old-db': { type: 'string' },
      'new-db': { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      'no-fill': { type: 'boolean' },
    },
  });
  const seconds = Number(values.seconds ?? 5);
  const rounds = Number(values.rounds ?? 5);
  const newDb = values['new-db']!;
  if (values['no-fill'] !== true) console.log(`filled: ${await fill(newDb)}`);
  const old = await serve(resolve(values.before!), {
    DATABASE_URL: values['old-db']!,
    PAPERBOY_SECRET: SECRET,
    PAPERBOY_HARVEST: 'false',
  });
  const now = await serve(resolve(import.meta.dirname, '..'), {
    DATABASE_URL: newDb,
    PAPERBOY_SECRET: SECRET,
    PAPERBOY_HARVEST: 'false',
    SUMMARIZER: 'http',
    SUMMARIZER_URL: 'http://127.0.0.1:9/v1',
    SUMMARIZER_MODEL: 'bench-llm',
    SUMMARIZER_DAILY_BUDGET: '0',
    THUMBNAILS: 'on',
    THUMBNAIL_PDF_URL: 'http://127.0.0.1:9/{id}',
  });
  try {
    const page = await (await fetch(`${now.url}/`)).text();
    console.log(
      `after: home page shows ${(page.match(/class="thumb"/g) ?? []).length} thumbnails, ` +
        `${(page.match(/\(AI\)/g) ?? []).length} AI TL;DRs, ${(page.match(/chip-stars/g) ?? []).length} star counts`,
    );
    await settled(old.url);
    await settled(now.url);
    await rps(old.url, 2);
    await rps(now.url, 2);
    const a: number[] = [];
    const b: number[] = [];
    console.log(`uptime before: ${execFileSync('uptime').toString().trim()}`);
    for (let i = 0; i < rounds; i++) {
      a.push(await rps(old.url, seconds));
      b.push(await rps(now.url, seconds));
      console.log(
        `round ${i + 1}: before ${a.at(-1)!.toFixed(0)} req/s, after ${b.at(-1)!.toFixed(0)} req/s`,
      );
    }
    console.log(`uptime after: ${execFileSync('uptime').toString().trim()}`);
    console.log(
      `home page median: before ${median(a).toFixed(0)} req/s, after ${median(b).toFixed(0)} req/s, ` +
        `ratio ${(median(b) / median(a)).toFixed(3)}`,
    );
  } finally {
    old.child.kill('SIGTERM');
    now.child.kill('SIGTERM');
  }
}

await main();
