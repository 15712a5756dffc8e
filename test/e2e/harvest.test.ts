// `paperboy harvest` and `serve` against a loopback server replaying recorded arXiv responses.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAGE_0_100,
  PAGE_10_10,
  recordedPage,
  startArxivStub,
  type ArxivStub,
} from '../helpers/arxiv-stub.ts';
import { BIN, lastJson, runPaperboy } from '../helpers/cli.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { startServe } from '../helpers/serve-process.ts';
import { watchOutput } from '../helpers/wait-for.ts';

describe('harvest from the arXiv API', () => {
  let dir: string;
  let stub: ArxivStub;
  let storm = true;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-harvest-'));
    stub = await startArxivStub((url) => {
      const start = Number(url.searchParams.get('start'));
      if (start === 0) return { status: 200, body: recordedPage(PAGE_0_100, 110) };
      if (storm) return { status: 503, body: 'busy', headers: { 'Retry-After': '0' } };
      return { status: 200, body: recordedPage(PAGE_10_10, 110) };
    });
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the pages it got through a 503 storm, fails with exit 6, and resumes from the checkpoint', async () => {
    const env = {
      DATABASE_URL: join(dir, 'h.db'),
      ARXIV_API_URL: stub.url,
      ARXIV_DELAY_MS: '0',
      ARXIV_RETRIES: '2',
    };
    const args = [
      'harvest',
      'arxiv',
      '--categories',
      'cs.CL,cs.LG',
      '--since',
      '2026-11-01',
      '--until',
      '2026-11-28',
      '--json',
    ];
    const first = await runPaperboy(args, env);
    expect(first.code).toBe(6);
    expect(lastJson(first.stdout)).toMatchObject({ added: 100 });
    expect(first.stderr).toMatch(/503/);
    // Each retry wait is one log line (LOG_LEVEL info, as runPaperboy sets it).
    expect(first.stderr).toMatch(
      / info {2}retry: HTTP 503 .* from http:\/\/127\.0\.0\.1:\d+\/api\/query\?.*before try 2 of 3/,
    );
    expect(stub.requests[0]).toMatch(/search_query=.*cat%3Acs\.CL.*submittedDate/);
    storm = false;
    const before = stub.requests.length;
    const second = await runPaperboy(args, env);
    expect(second.stderr).toContain('resumed an unfinished harvest at result 100');
    expect(stub.requests.slice(before).every((r) => r.includes('start=100'))).toBe(true);
    expect(lastJson(second.stdout)).toMatchObject({ added: 0, unchanged: 10, rejected: 0 });
    expect(second.code).toBe(1);
  });

  it('serve harvests on first start, serves the newest papers, and keeps serving without a network', async () => {
    const served = await startServe({
      DATABASE_URL: join(dir, 's.db'),
      ARXIV_API_URL: stub.url,
      ARXIV_DELAY_MS: '0',
    });
    try {
      // The scheduler logs how its first harvest ended: the store is complete from then on.
      await served.waitForLog(
        /harvest \S+ since [\d-]+: \+|arXiv harvest failed/,
        'the first harvest to end',
      );
      expect(((await (await fetch(`${served.base}/health`)).json()) as { papers: number }).papers).toBe(100);
      expect((await fetch(`${served.base}/`)).status).toBe(200);
      const page = await (await fetch(`${served.base}/month/2022-02`)).text();
      expect(page).toContain('Testing Deep Learning Models');
    } finally {
      await served.stop();
    }
    const offline = await startServe({
      DATABASE_URL: join(dir, 'o.db'),
      ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
      ARXIV_DELAY_MS: '0',
      ARXIV_RETRIES: '1',
    });
    try {
      await offline.waitForLog(/arXiv harvest failed/, 'the failed harvest');
      const health = await fetch(`${offline.base}/health`);
      expect(health.status).toBe(200);
      expect(offline.log().match(/arXiv harvest failed/g)).toHaveLength(1);
      expect(offline.log()).toMatch(
        /harvesting cs\.AI,cs\.CL,cs\.CV,cs\.LG from arXiv since \d{4}-\d\d-\d\d/,
      );
    } finally {
      await offline.stop();
    }
  });
});

describe('harvest via OAI-PMH and the daily listing', () => {
  let dir: string;
  let stub: ArxivStub;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-oai-'));
    const oai = (f: string) => readFileSync(fixturePath('arxiv', 'oai-pmh', f), 'utf8');
    const rss = readFileSync(join(import.meta.dirname, '../fixtures/arxiv-rss/cs.CL.rss.xml'), 'utf8');
    stub = await startArxivStub((url) => {
      if (url.pathname.startsWith('/rss/')) return { status: 200, body: rss };
      if (url.searchParams.has('resumptionToken'))
        return {
          status: 200,
          body: oai('tests__functional__arxiv__fixtures__http_server__records__arxiv-single.xml'),
        };
      return { status: 200, body: oai('listrecords_oai_dc_cs_2024-01-25_with_resumptionToken.xml') };
    });
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the resumptionToken and keeps only records in the asked archive', async () => {
    const base = stub.url.replace('/api/query', '');
    const env = { DATABASE_URL: join(dir, 'o.db'), ARXIV_OAI_URL: `${base}/oai`, ARXIV_DELAY_MS: '0' };
    const r = await runPaperboy(
      [
        'harvest',
        'arxiv',
        '--via',
        'oai',
        '--categories',
        'cs',
        '--since',
        '2024-01-25',
        '--until',
        '2024-01-26',
        '--json',
      ],
      env,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(stub.requests.some((q) => q.includes('resumptionToken=6960524'))).toBe(true);
    const summary = lastJson(r.stdout);
    expect(summary).toMatchObject({ added: 5, rejected: 0 });
    expect(r.code).toBe(0);
  });

  it("stores today's announcements from the listing feed", async () => {
    const base = stub.url.replace('/api/query', '');
    const env = { DATABASE_URL: join(dir, 'r.db'), ARXIV_RSS_URL: `${base}/rss`, ARXIV_DELAY_MS: '0' };
    const r = await runPaperboy(['harvest', 'arxiv', '--via', 'rss', '--categories', 'cs.CL', '--json'], env);
    expect(stub.requests.some((q) => q === '/rss/cs.CL')).toBe(true);
    expect(Number(lastJson(r.stdout).added)).toBeGreaterThan(0);
  });
});

// arXiv answering "come back in 10 minutes": a stop must not wait that out.
describe('a stop during an arXiv backoff', () => {
  let dir: string;
  let stub: ArxivStub;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-backoff-'));
    stub = await startArxivStub(() => ({ status: 503, body: 'busy', headers: { 'Retry-After': '600' } }));
  });
  afterAll(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl-C ends `paperboy harvest` at once, as an interrupted run that a rerun resumes', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'harvest', 'arxiv', '--categories', 'cs.CL', '--since', '2026-11-01', '--until', '2026-11-28'],
      {
        env: {
          ...process.env,
          DATABASE_URL: join(dir, 'h.db'),
          ARXIV_API_URL: stub.url,
          ARXIV_DELAY_MS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out = watchOutput(child.stderr);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await out.until(/waiting \d+ s/, { what: 'the Retry-After wait' });
    child.kill('SIGINT');
    // Without the fix the process sleeps out the Retry-After (capped at 300 s), far past this test's timeout.
    expect(await exited).toBe(130);
    expect(out.text()).not.toMatch(/\n\s+at /);
    expect(out.text()).toContain('interrupted: run the same command again to continue');
    const stats = await runPaperboy(['stats', '--json'], { DATABASE_URL: join(dir, 'h.db') });
    expect(stats.stdout).toMatch(/"status":\s*"interrupted"/);
  }, 20_000);

  it('SIGTERM stops `serve` while its first harvest waits on arXiv', async () => {
    const served = await startServe({
      DATABASE_URL: join(dir, 's.db'),
      ARXIV_API_URL: stub.url,
      ARXIV_DELAY_MS: '0',
    });
    await served.waitForLog(/retry: .*waiting \d+ s/, 'the Retry-After wait');
    const started = Date.now();
    await served.stop();
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
