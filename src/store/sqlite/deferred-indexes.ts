// Indexes a bulk import into a nearly empty store drops and builds once at its end, and their recovery.
import { hostname } from 'node:os';
import type { SqliteDb } from './open.ts';

/**
 * Indexes no import reads (matching uses ids, DOIs, title keys and author names) whose keys arrive in random
 * order, so every record dirties a random leaf of each (docs/BENCHMARKS.md, "#23 bulk ingest"). Built in one
 * sorted pass at the end they cost a fraction of that. No UNIQUE index is here: constraints stay checked.
 */
export const DEFERRABLE_INDEXES = ['paper_authors_author', 'authors_name_key', 'paper_external_ids_ext'];

/** A store holding fewer papers than this counts as nearly empty: rebuilding its indexes costs nothing. */
export const BULK_LOAD_MAX_STORED = 10_000;

/** Past this since its last committed batch an import is taken for dead even when its pid is alive. */
const STALE_MS = 15 * 60_000;

const KEY = 'store.deferred_indexes';

interface Marker {
  host: string;
  pid: number;
  /** When the importer last committed a batch (ms since the epoch). */
  beatMs: number;
  /** Each dropped index and the statement that made it (as the schema had it). */
  indexes: { name: string; sql: string }[];
}

function readMarker(db: SqliteDb): Marker | null {
  const hasSettings = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'")
    .get();
  if (hasSettings === undefined) return null;
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(KEY);
  return row === undefined ? null : (JSON.parse(row.value) as Marker);
}

function writeMarker(db: SqliteDb, m: Marker | null): void {
  if (m === null || m.indexes.length === 0) db.prepare('DELETE FROM settings WHERE key = ?').run(KEY);
  else
    db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(KEY, JSON.stringify(m));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * 'none': every index is in place; 'live': an import in another process (or this one) is loading and will
 * build them; 'abandoned': the import that dropped them died (killed, crashed) and they are still missing.
 */
export function deferredState(db: SqliteDb): 'none' | 'live' | 'abandoned' {
  const m = readMarker(db);
  if (m === null) return 'none';
  const dead =
    (m.host === hostname() && (m.pid === process.pid || !processAlive(m.pid))) ||
    Date.now() - m.beatMs > STALE_MS;
  // This very process holding it is live only while its own import runs, which then never asks.
  return dead ? 'abandoned' : 'live';
}

/**
 * Drops the deferrable indexes this store has (an abandoned import's list is kept and taken over), recording
 * them in one transaction with the drops: a crash at any point leaves either the indexes or the record of them.
 */
export function deferIndexes(db: SqliteDb): string[] {
  return db.transaction(() => {
    const before = readMarker(db)?.indexes ?? [];
    const present = db
      .prepare<
        [],
        { name: string; sql: string }
      >(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (${DEFERRABLE_INDEXES.map((n) => `'${n}'`).join(', ')})`)
      .all();
    for (const ix of present) db.exec(`DROP INDEX ${ix.name}`);
    const indexes = [...before.filter((b) => !present.some((p) => p.name === b.name)), ...present];
    writeMarker(db, { host: hostname(), pid: process.pid, beatMs: Date.now(), indexes });
    return indexes.map((i) => i.name);
  })();
}

/** Says, inside the importer's batch transaction, that it is still alive. */
export function heartbeat(db: SqliteDb): void {
  db.prepare("UPDATE settings SET value = json_set(value, '$.beatMs', ?) WHERE key = ?").run(Date.now(), KEY);
}

/** Progress of the final build: called before (seconds null) and after each index. */
export type IndexBuildProgress = (name: string, done: number, total: number, seconds: number | null) => void;

/**
 * Builds every recorded index, each in one statement and its own transaction with the record's update, so an
 * interrupted build keeps what it finished. The sort spills to temporary files rather than memory.
 */
export function buildDeferredIndexes(db: SqliteDb, onIndex?: IndexBuildProgress): void {
  const todo = readMarker(db)?.indexes ?? [];
  if (todo.length === 0) return;
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = FILE');
  try {
    todo.forEach((ix, i) => {
      onIndex?.(ix.name, i, todo.length, null);
      const t0 = performance.now();
      db.transaction(() => {
        const m = readMarker(db);
        if (m === null) return;
        db.exec(ix.sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
        writeMarker(db, { ...m, indexes: m.indexes.filter((x) => x.name !== ix.name) });
      }).immediate();
      onIndex?.(ix.name, i + 1, todo.length, (performance.now() - t0) / 1000);
    });
  } finally {
    db.pragma(`temp_store = ${tempStore}`);
  }
}

/**
 * At open: builds the indexes an abandoned bulk import left missing. Never fails the open: a busy or full
 * store keeps answering correctly without them (only slower), and the next open tries again.
 */
export function restoreAbandonedIndexes(db: SqliteDb): void {
  try {
    if (deferredState(db) === 'abandoned') buildDeferredIndexes(db);
  } catch {
    // Left for the next open: see above.
  }
}
