// A real PostgreSQL for tests: the server CI started (PAPERBOY_TEST_PG_URL), else a throwaway cluster.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/** A running server: its admin URL, and how to stop it (a no-op for a server this process did not start). */
export interface PgServer {
  adminUrl: string;
  stop(): void;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  if (process.env.PAPERBOY_TEST_PG_URL !== undefined && process.env.PAPERBOY_TEST_PG_URL !== '') return null;
  if (pgBinDir() !== null) return null;
  return 'PostgreSQL tests need initdb and pg_ctl (PostgreSQL 15+) on PATH or under /usr/lib/postgresql, or PAPERBOY_TEST_PG_URL';
}

/** True when PostgreSQL tests must run (CI): missing PostgreSQL then fails them instead of skipping. */
export function postgresRequired(): boolean {
  return process.env.PAPERBOY_REQUIRE_POSTGRES === '1';
}

/**
 * Why this file's PostgreSQL tests should be skipped, or null when they must run: PostgreSQL is here, or CI
 * requires it (then a missing server fails the tests instead of skipping them).
 */
export function postgresSkipReason(): string | null {
  return postgresRequired() ? null : postgresUnavailable();
}

/** The folder holding initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<version>/bin. */
export function pgBinDir(): string | null {
  const dirs = (process.env.PATH ?? '').split(':').filter((d) => d !== '');
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a PostgreSQL tool, as the `postgres` user when we are root (the server refuses to run as root). */
function runTool(bin: string, args: readonly string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`,
    );
  }
}

function chownToPostgres(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const id = (flag: string): number =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, id('-u'), id('-g'));
}

/**
 * Starts a throwaway cluster in a temp folder on a free 127.0.0.1 port (fsync off: tests, not durability).
 * @example const server = await startThrowawayPostgres(); ...; server.stop();
 */
export async function startThrowawayPostgres(): Promise<PgServer & { dir: string }> {
  const bin = pgBinDir();
  if (bin === null) throw new Error(postgresUnavailable() ?? 'PostgreSQL binaries not found');
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-pg-'));
  chownToPostgres(dir);
  const data = join(dir, 'data');
  runTool(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  runTool(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-o',
    opts,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  let stopped = false;
  return {
    dir,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      stopPostgres(dir);
    },
  };
}

/** Stops the cluster in `dir` (started by startThrowawayPostgres) and removes the folder. */
export function stopPostgres(dir: string): void {
  const bin = pgBinDir();
  try {
    if (bin !== null)
      runTool(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a detached watchdog that stops the cluster in `dir` once process `pid` is gone: a test worker that
 * is killed (not exited) runs no exit handlers, and its cluster must not outlive it.
 */
function stopWhenGone(pid: number, dir: string): void {
  const bin = pgBinDir();
  if (bin === null) return;
  const stop = [join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'];
  const cmd = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...stop] : stop;
  const script = `
    const { spawnSync } = require('node:child_process');
    const { existsSync, rmSync } = require('node:fs');
    const [pid, dir, ...cmd] = JSON.parse(process.argv[1]);
    setInterval(() => {
      if (!existsSync(dir)) process.exit(0);
      try { process.kill(pid, 0); return; } catch {}
      spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }, 1000);`;
  spawn(process.execPath, ['-e', script, JSON.stringify([pid, dir, ...cmd])], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

let server: Promise<PgServer> | null = null;

/**
 * The server this test process uses: CI's (PAPERBOY_TEST_PG_URL) or one throwaway cluster per process,
 * stopped when the process exits.
 */
export function testPostgresServer(): Promise<PgServer> {
  const url = process.env.PAPERBOY_TEST_PG_URL;
  server ??=
    url !== undefined && url !== ''
      ? Promise.resolve({ adminUrl: url, stop: () => undefined })
      : startThrowawayPostgres().then((s) => {
          process.once('exit', () => s.stop());
          stopWhenGone(process.pid, s.dir);
          return s;
        });
  return server;
}

/** Stops the throwaway server this process started (if any); the next test that needs one starts another. */
export async function releaseTestPostgresServer(): Promise<void> {
  const s = server;
  server = null;
  if (s) (await s).stop();
}

let counter = 0;

/** A fresh, empty database on the test server; `drop` removes it (closing the store first is the caller's job). */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named empty database for one test (or one test file) and returns its URL.
 * @example const db = await createTestDatabase(); const store = await createPostgresStore(db.url, now); ... await db.drop();
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl } = await testPostgresServer();
  const name = `pb_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs one statement on its own connection to `url` (CREATE DATABASE cannot run in a pool's transaction). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// `node --import tsx test/helpers/postgres.ts start|stop <dir>`: one server for a whole CI run.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [cmd, dir] = process.argv.slice(2);
  if (cmd === 'stop' && dir !== undefined) stopPostgres(dir);
  else if (cmd === 'start') {
    const s = await startThrowawayPostgres();
    process.stderr.write(
      `PostgreSQL data in ${s.dir}; stop it with: scripts/start-test-postgres.sh stop ${s.dir}\n`,
    );
    process.stdout.write(`${s.adminUrl}\n`);
  } else {
    process.stderr.write('usage: start | stop <dir>\n');
    process.exitCode = 2;
  }
}
