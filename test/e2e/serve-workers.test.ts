// `paperboy serve --workers 2` as a real process: both workers follow the store, share the rate limits, run jobs once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebEnv } from '../../src/web/web-env.ts';
import {
  createRateLimiter,
  perProcessLimit,
  RATE_RULES,
  rateShare,
} from '../../src/platform/rate-limiter.ts';
import { openStore } from '../../src/store/db.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { lastJson, runPaperboy } from '../helpers/cli.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { WebClient } from '../helpers/web-client.ts';

/** One request on a connection of its own, so the primary hands it to the next worker in turn. */
function freshRequest(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init.headers));
    const req = request(`${base}${path}`, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          for (const one of Array.isArray(v) ? v : [v ?? '']) out.append(k, one);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: out }));
      });
    });
    req.on('error', reject);
    req.end(init.body === undefined || init.body === null ? undefined : String(init.body));
  });
}

/** A WebClient (cookies, CSRF) whose every request goes over a new connection to the real server. */
function remoteClient(base: string): WebClient {
  const app = { request: (path: string, init?: RequestInit) => freshRequest(base, path, init) };
  return new WebClient(app as unknown as Hono<WebEnv>);
}

const worker = (res: Response): string => res.headers.get('paperboy-worker') ?? '?';

describe('serve --workers 2', () => {
  let dir: string;
  let env: Record<string, string>;
  let served: ServeProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-workers-'));
    env = { DATABASE_URL: join(dir, 'pb.db') };
    const store = await openStore(join(dir, 'pb.db'));
    await store.papers.upsertMany(topicCorpus(5).papers);
    await store.close();
    // Harvest on, arXiv unreachable: each harvest attempt logs one failure.
    served = await startServe(
      { ...env, ARXIV_API_URL: 'http://127.0.0.1:9/api/query', ARXIV_DELAY_MS: '0', ARXIV_RETRIES: '1' },
      90_000,
      ['--workers', '2'],
    );
    // startServe returns on the primary's line, logged once both workers listen.
    expect(served.log()).toMatch(/listening on http:\/\/\S+ .* with 2 workers/);
  }, 120_000);
  afterAll(async () => {
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from both workers, and a paper ingested while serving is found by each', async () => {
    const path = '/api/search?q=zeolite+catalysis&k=5';
    const before = await Promise.all([1, 2, 3, 4].map(() => freshRequest(served.base, path)));
    expect(new Set(before.map(worker))).toEqual(new Set(['1', '2']));
    for (const res of before) expect(((await res.json()) as { papers: unknown[] }).papers).toEqual([]);

    const extra = {
      id: '2612.09999',
      title: 'Zeolite catalysis at scale',
      abstract: 'Zeolite pores catalyse cracking at industrial scale.',
      authors: ['Ada Lovelace'],
      categories: ['cs.LG'],
      published: '2026-12-01',
    };
    writeFileSync(join(dir, 'new.jsonl'), `${JSON.stringify(extra)}\n`);
    const ingest = await runPaperboy(['ingest', join(dir, 'new.jsonl'), '--json'], env);
    expect(lastJson(ingest.stdout)).toMatchObject({ added: 1 });

    // Each worker follows the store on its own; only its answers tell when it has caught up.
    const found = new Set<string>();
    await waitFor(
      async () => {
        const res = await freshRequest(served.base, path);
        const body = (await res.json()) as { papers: { arxivId: string }[] };
        if (body.papers[0]?.arxivId === '2612.09999') found.add(worker(res));
        return found.size === 2;
      },
      { what: 'both workers to find the paper ingested while serving' },
    );
    expect([...found].sort()).toEqual(['1', '2']);
  }, 60_000);

  it('splits the sign-in limit between the workers: 10 attempts per address in all, not 10 each', async () => {
    const web = remoteClient(served.base);
    const allowed = new Map<string, number>();
    const refused = new Set<string>();
    for (let i = 0; i < 40 && refused.size < 2; i++) {
      const res = await web.post('/signin', { email: 'flood@example.org', password: `guess number ${i}` });
      expect([401, 429]).toContain(res.status);
      if (res.status === 429) refused.add(worker(res));
      else allowed.set(worker(res), (allowed.get(worker(res)) ?? 0) + 1);
    }
    expect([...refused].sort()).toEqual(['1', '2']);
    expect(Object.fromEntries(allowed)).toEqual({ '1': 5, '2': 5 });
  }, 90_000);

  it('runs the background jobs in one process only: one harvest attempt, one failure', async () => {
    await served.waitForLog(/arXiv harvest failed/, 'the failed harvest');
    // A second attempt would come from a worker starting jobs it must not run: each logs its index ready only
    // after that point, and a harvest against a closed port fails at once, so both lines close the window.
    await served.waitForLog(
      (log) => [1, 2].every((n) => new RegExp(`search index ready: .*\\(worker ${n} of 2\\)`).test(log)),
      'both workers to be ready',
    );
    expect(served.log().match(/harvesting \S+ from arXiv since/g)).toHaveLength(1);
    expect(served.log().match(/arXiv harvest failed/g)).toHaveLength(1);
    expect(served.log()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ .* with 2 workers/);
  }, 60_000);

  it('starts a new worker when one crashes, and keeps answering meanwhile', async () => {
    const workers = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(served.pid)])
      .toString()
      .split('\n')
      .filter((line) => line.includes('paperboy.mjs serve'))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    await served.waitForLog(/worker \d stopped \(SIGKILL\); starting another/, 'the crash to be noticed');
    expect((await freshRequest(served.base, '/health')).status).toBe(200);
    await served.waitForLog((log) => log.match(/with 2 workers/g)?.length === 2, 'two workers again');
    // Both listen now, and the primary hands connections out in turn: a few requests reach each.
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++)
      seen.add(worker(await freshRequest(served.base, '/health')));
    expect([...seen].sort()).toEqual(['1', '2']);
  }, 60_000);
});

describe('serve --workers with bad input', () => {
  it('refuses a bad worker count and an in-memory database', async () => {
    const bad = await runPaperboy(['serve', '--workers', 'many'], { DATABASE_URL: ':memory:' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workers must be "auto" or a whole number from 1 to 64');
    const memory = await runPaperboy(['serve', '--workers', '2', '--port', '0'], {
      DATABASE_URL: ':memory:',
    });
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('each worker would have its own in-memory database');
  }, 60_000);
});

describe('rate limit shares', () => {
  it('splits each limit so the workers together allow exactly it, never less than one each', () => {
    const rule = RATE_RULES.resetPerAddress; // 3 per hour
    const shares = (processes: number): number[] =>
      Array.from({ length: processes }, (_, i) => perProcessLimit(rule, rateShare(i, processes)));
    expect(shares(1)).toEqual([3]);
    expect(shares(2)).toEqual([2, 1]);
    expect(shares(3)).toEqual([1, 1, 1]);
    expect(shares(4)).toEqual([1, 1, 1, 1]);
    expect(perProcessLimit(rule)).toBe(3);
    expect(() => rateShare(2, 2)).toThrow(/not a valid share/);
    // A limiter counts its own share: the second of two workers allows one reset mail per address.
    const second = createRateLimiter(() => 0, { share: rateShare(1, 2) });
    second.hit('reset:a@example.org', rule, 'reset');
    expect(() => second.hit('reset:a@example.org', rule, 'reset')).toThrow(/Too many reset attempts/);
  });
});
