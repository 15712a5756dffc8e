// Where a PostgreSQL import's time goes: one file imported into a fresh database with every statement timed
// from the client (wall per statement kind, count), the importer's own CPU, and the gap between the two.
// Usage: node --import tsx bench/pg-import-profile.bench.ts --pg postgres://user@host:port/postgres --file F
//        [--db NAME] [--keep]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openServices } from '../src/services/services.ts';
import { peakRssMiB } from './lib/peak-rss.ts';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string' },
    file: { type: 'string' },
    db: { type: 'string', default: 'bench_pg_profile' },
    keep: { type: 'boolean', default: false },
  },
});
if (args.pg === undefined || args.file === undefined)
  throw new Error('--pg <admin URL> and --file are required');

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(args.pg);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A statement's kind: its first words with whitespace folded, enough to tell the import's statements apart. */
function kind(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const into = /^(INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+|CREATE \w+ \w+|DROP \w+)/i.exec(s);
  return (into?.[1] ?? s.slice(0, 48)).slice(0, 60);
}

const stats = new Map<string, { n: number; ms: number }>();
const original = pg.Client.prototype.query;
// Every pooled client is a pg.Client: timing its query() sees each statement the import sends.
pg.Client.prototype.query = function timed(this: pg.Client, ...a: unknown[]): unknown {
  const first = a[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '?');
  const t0 = performance.now();
  const r = (original as (...x: unknown[]) => unknown).apply(this, a);
  if (r instanceof Promise) {
    const done = (): void => {
      const k = kind(text);
      const s = stats.get(k) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t0;
      stats.set(k, s);
    };
    r.then(done, done);
  }
  return r;
} as typeof pg.Client.prototype.query;

/** CPU seconds (user + system) of a process from /proc, or 0 once it is gone. */
function cpuOf(pid: string): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The server's CPU on this machine, sampled each second: this database's backends (last seen, summed over
 * every backend that ever served it) and the cluster's own processes (checkpointer, WAL writer, autovacuum;
 * shared with anyone else using the cluster).
 */
function serverCpuSampler(db: string): { stop: () => { backends: number; cluster: number } } {
  const backends = new Map<string, number>();
  const aux = new Map<string, { first: number; last: number }>();
  const sample = (): void => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!cmd.startsWith('postgres: ')) continue;
      const cpu = cpuOf(pid);
      if (cmd.includes(` ${db} `)) backends.set(pid, Math.max(backends.get(pid) ?? 0, cpu));
      else if (/checkpointer|walwriter|background writer|autovacuum worker/.test(cmd)) {
        const a = aux.get(pid);
        aux.set(pid, { first: a?.first ?? cpu, last: cpu });
      }
    }
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      sample();
      clearInterval(timer);
      let cluster = 0;
      for (const a of aux.values()) cluster += a.last - a.first;
      return { backends: [...backends.values()].reduce((t, x) => t + x, 0), cluster };
    },
  };
}

await admin(`DROP DATABASE IF EXISTS ${args.db}`);
await admin(`CREATE DATABASE ${args.db}`);
const url = new URL(args.pg);
url.pathname = `/${args.db}`;
try {
  const services = await openServices(loadConfig({ ...process.env, DATABASE_URL: url.toString() }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const server = serverCpuSampler(args.db);
  stats.clear();
  const s = await services.imports.ingest(args.file, { onBulkLoad: (m) => console.error(m) });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = server.stop();
  await services.close();
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  const inStatements = rows.reduce((t, [, v]) => t + v.ms, 0) / 1000;
  for (const [k, v] of rows)
    console.log(`${(v.ms / 1000).toFixed(2).padStart(8)} s ${String(v.n).padStart(6)}×  ${k}`);
  console.log(
    JSON.stringify({
      seconds: Number(wall.toFixed(1)),
      inStatementsSeconds: Number(inStatements.toFixed(1)),
      statements: rows.reduce((t, [, v]) => t + v.n, 0),
      // Main thread and the file-reader worker together (process-wide).
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      serverBackendCpuSeconds: Number(serverCpu.backends.toFixed(1)),
      clusterAuxCpuSeconds: Number(serverCpu.cluster.toFixed(1)),
      added: s.added,
      rejected: s.rejected,
      peakRssMiB: peakRssMiB(),
    }),
  );
} finally {
  if (args.keep !== true) await admin(`DROP DATABASE IF EXISTS ${args.db}`);
}
