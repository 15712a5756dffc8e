// PostgreSQL faults a node must survive: the server restarting under load, a wrong DATABASE_URL, and a
// database whose schema is newer than this Paperboy.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.ts';
import { openStore } from '../../src/store/db.ts';
import { BIN, runPaperboy } from '../helpers/cli.ts';
import {
  adminQuery,
  pgBinDir,
  postgresRequired,
  startThrowawayPostgres,
  type PgServer,
} from '../helpers/postgres.ts';
import { TEST_SECRET } from '../helpers/reader-env.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { paper } from '../helpers/temp-store.ts';

const runnable = pgBinDir() !== null || postgresRequired();

describe.skipIf(!runnable)('PostgreSQL faults', () => {
  let server: PgServer & { dir: string };
  let url: string;
  let node: ServeProcess;

  beforeAll(async () => {
    // A server of its own: this test restarts it.
    server = await startThrowawayPostgres();
    await adminQuery(server.adminUrl, 'CREATE DATABASE faults');
    url = server.adminUrl.replace(/\/postgres$/, '/faults');
    const store = await openStore(url);
    await store.papers.upsertMany([
      paper({ arxivId: '2611.00001', title: 'Sparse attention for long documents' }),
      paper({ arxivId: '2611.00002', title: 'Contrastive image pretraining' }),
    ]);
    await store.close();
    node = await startServe(
      { DATABASE_URL: url, PAPERBOY_SECRET: TEST_SECRET, PAPERBOY_HARVEST: 'false' },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    server?.stop();
  });

  it('keeps serving after the database restarts under load, with clear errors during the outage', async () => {
    let stop = false;
    const statuses: number[] = [];
    // The load loop tells the test when it has seen `n` answers 200 since index `from`: no polling needed.
    type Waiter = { from: number; n: number; done: () => void };
    let waiter: Waiter | null = null;
    const okSince = (from: number): number => statuses.slice(from).filter((s) => s === 200).length;
    const answered = (from: number, n: number, timeoutMs: number, what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = null;
          reject(
            new Error(
              `no ${n} answers 200 ${what} within ${timeoutMs} ms: ${statuses.slice(from).join(' ')}`,
            ),
          );
        }, timeoutMs);
        waiter = { from, n, done: () => (clearTimeout(timer), (waiter = null), resolve()) };
        if (okSince(from) >= n) waiter.done();
      });
    const load = (async () => {
      let i = 0;
      while (!stop) {
        const path = i++ % 2 === 0 ? `/api/search?q=attention+${i}` : '/api/papers?period=month';
        statuses.push(
          await fetch(`${node.base}${path}`).then(
            (r) => r.status,
            () => 0,
          ),
        );
        const w = waiter as Waiter | null;
        if (w !== null && okSince(w.from) >= w.n) w.done();
      }
    })();
    try {
      // The restart lands under load: the node has answered a few requests first.
      await answered(0, 5, 15_000, 'before the restart');
      await restartPostgres();
      await answered(statuses.length, 10, 15_000, 'after the restart');
    } finally {
      stop = true;
      await load;
    }
    // Failures only ever answered as errors, never as a dropped connection (0) or a crash.
    expect(statuses.filter((s) => s !== 200 && (s < 500 || s > 503))).toEqual([]);
    expect((await fetch(`${node.base}/health`)).status).toBe(200);
  }, 120_000);

  /** Restarts the server with pg_ctl (fast shutdown) and waits until it is back. */
  async function restartPostgres(): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    const ctl = join(pgBinDir() ?? '', 'pg_ctl');
    // With a log file, so that the restarted server does not hold this process's pipes open.
    const args = [
      '-D',
      join(server.dir, 'data'),
      '-l',
      join(server.dir, 'restart.log'),
      '-m',
      'fast',
      '-w',
      '-t',
      '60',
      'restart',
    ];
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', ctl, ...args]] : [ctl, args];
    const r = spawn(cmd, argv, { stdio: 'ignore' });
    expect(await new Promise((res) => r.on('close', res))).toBe(0);
  }

  it('stops with exit 7 and where it tried when DATABASE_URL points nowhere, without printing the password', async () => {
    const r = await runPaperboy(['stats'], {
      DATABASE_URL: 'postgres://paperboy:hunter2@127.0.0.1:1/nowhere',
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('Cannot connect to PostgreSQL at 127.0.0.1:1/nowhere');
    expect(r.stderr).not.toContain('hunter2');
  }, 60_000);

  it('refuses a database migrated by a newer Paperboy and changes nothing', async () => {
    await adminQuery(server.adminUrl, 'CREATE DATABASE newer');
    const newer = server.adminUrl.replace(/\/postgres$/, '/newer');
    expect((await runPaperboy(['migrate'], { DATABASE_URL: newer })).code).toBe(0);
    const latest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
    await adminQuery(newer, `UPDATE schema_version SET version = ${latest + 1}`);
    const r = await runPaperboy(['stats'], { DATABASE_URL: newer });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      new RegExp(`schema version ${latest + 1} but this Paperboy knows only up to ${latest}`),
    );
  }, 60_000);

  it('keeps an import consistent when its connection is cut mid-transaction, and a rerun finishes it', async () => {
    await adminQuery(server.adminUrl, 'CREATE DATABASE cut');
    const cutUrl = server.adminUrl.replace(/\/postgres$/, '/cut');
    const file = join(server.dir, 'many.jsonl');
    const N = 30_000;
    const lines = Array.from({ length: N }, (_, i) => {
      const id = `2402.${String(i + 1).padStart(5, '0')}`;
      return JSON.stringify({
        arxiv_id: id,
        title: `Paper ${i} on topic ${i % 97}`,
        abstract: `An abstract about topic ${i % 97} with detail ${i}.`,
        authors: [`Author ${i % 5000}`, `Second ${i % 300}`],
        date: '2024-02-01',
        categories: ['cs.LG'],
      });
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { ...process.env, DATABASE_URL: cutUrl, LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, [BIN, 'ingest', file, '--json', '--quiet'], { env, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('close', res));
    const count = async (): Promise<number> => {
      const c = new pg.Client({ connectionString: cutUrl });
      await c.connect();
      try {
        const t = await c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM papers WHERE to_regclass('papers') IS NOT NULL",
        );
        return t.rows[0]?.n ?? 0;
      } catch {
        return 0;
      } finally {
        await c.end();
      }
    };
    // Rows committed by another process: nothing announces them, so the count is asked again (every 20 ms,
    // so the cut lands mid-import).
    await waitFor(async () => (await count()) >= 2000, {
      what: '2,000 imported papers',
      intervalMs: 20,
      timeoutMs: 120_000,
    }).catch((err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    });
    await adminQuery(
      server.adminUrl,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'cut' AND pid <> pg_backend_pid()",
    );
    const code = await exited;
    const after = await count();
    if (code !== 0) {
      expect(code, stderr).toBe(7);
      expect(stderr).toMatch(/PostgreSQL|connection|terminat/i);
      expect(after).toBeLessThan(N);
    }
    // Nothing half-written: every stored paper has its authors, categories and change record.
    const c = new pg.Client({ connectionString: cutUrl });
    await c.connect();
    try {
      const orphans = await c.query(
        `SELECT count(*)::int AS n FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_authors a WHERE a.paper_pk = p.pk)
           OR NOT EXISTS (SELECT 1 FROM paper_categories k WHERE k.paper_pk = p.pk)`,
      );
      expect(orphans.rows[0]?.n).toBe(0);
    } finally {
      await c.end();
    }
    const rerun = await runPaperboy(['ingest', file, '--json', '--quiet'], { DATABASE_URL: cutUrl }, 120_000);
    expect([0, 1]).toContain(rerun.code);
    expect(await count()).toBe(N);
  }, 180_000);
});
