// Indexes and foreign keys a bulk import into a nearly empty PostgreSQL store drops, and restores once at its end.
import {
  checkout,
  lostConnection,
  queryOne,
  queryRows,
  withTransaction,
  type PgClient,
  type PgDb,
} from './pg-db.ts';

/**
 * Indexes no import reads (matching uses ids, arXiv ids, DOIs, title keys, author names and the external-id
 * key): maintained row by row they cost a random leaf each, built once at the end one sorted pass
 * (docs/BENCHMARKS.md, "#23 PostgreSQL import (h24g)"). No UNIQUE index is here: constraints stay checked.
 */
export const DEFERRABLE_INDEXES = [
  'papers_sort_date',
  'papers_window',
  'paper_authors_author',
  'authors_by_name_key',
  'paper_external_ids_ext',
];

/**
 * Foreign keys of the link tables: checked row by row they cost a trigger call and a lookup per link (about
 * fourteen a paper); added back at the end they are checked in one join. `cascades`: deleting the paper
 * deletes the row, so a row whose paper was deleted while the key was off is what the cascade would have
 * removed.
 */
export const DEFERRABLE_FOREIGN_KEYS = [
  { table: 'paper_authors', name: 'paper_authors_paper_pk_fkey', cascades: true },
  { table: 'paper_authors', name: 'paper_authors_author_pk_fkey', cascades: false },
  { table: 'paper_categories', name: 'paper_categories_paper_pk_fkey', cascades: true },
  { table: 'paper_external_ids', name: 'paper_external_ids_paper_pk_fkey', cascades: true },
] as const;

/** A store holding fewer papers than this counts as nearly empty: rebuilding its indexes costs nothing. */
export const BULK_LOAD_MAX_STORED = 10_000;

/**
 * Held (session-scoped) by the importing connection for the whole bulk import: it goes with the connection,
 * so a killed or crashed importer frees it, and whoever takes it next knows the import is dead.
 */
const BULK_LOCK = 7_201_504;

const KEY = 'store.deferred_indexes';

interface Marker {
  /** Each dropped index and the statement that made it (as the schema had it). */
  indexes: { name: string; sql: string }[];
  /** Each dropped foreign key, its table and its definition. */
  foreignKeys: { table: string; name: string; def: string }[];
}

async function readMarker(c: PgClient | PgDb): Promise<Marker | null> {
  const row = await queryOne<{ value: string }>(c, 'SELECT value FROM settings WHERE key = $1', [KEY]);
  return row === undefined ? null : (JSON.parse(row.value) as Marker);
}

async function writeMarker(c: PgClient, m: Marker): Promise<void> {
  if (m.indexes.length === 0 && m.foreignKeys.length === 0)
    await c.query('DELETE FROM settings WHERE key = $1', [KEY]);
  else
    await c.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [KEY, JSON.stringify(m)],
    );
}

/** Whether a bulk import's indexes or keys are still to restore (live or abandoned: ask the lock which). */
export async function deferredPending(db: PgDb): Promise<boolean> {
  return (await readMarker(db)) !== null;
}

/** A client holding the bulk-import lock; `release` gives the lock and the connection back. */
export interface BulkLock {
  client: PgClient;
  release(): Promise<void>;
}

/** Takes the bulk-import lock when no live importer holds it, else null. */
export async function tryBulkLock(db: PgDb): Promise<BulkLock | null> {
  const client = await checkout(db);
  try {
    const got = await queryOne<{ ok: boolean }>(client, 'SELECT pg_try_advisory_lock($1) AS ok', [BULK_LOCK]);
    if (got?.ok !== true) {
      client.release();
      return null;
    }
  } catch (err) {
    client.release(err as Error);
    throw lostConnection(err) ?? err;
  }
  return {
    client,
    async release() {
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [BULK_LOCK]);
      } catch (err) {
        broken = err as Error; // The connection is gone, and the lock with it.
      }
      client.release(broken);
    },
  };
}

/**
 * Drops the deferrable indexes and foreign keys this store has (an abandoned import's list is kept and taken
 * over), recording them in the transaction that drops them: a crash at any point leaves either them or the
 * record of them. The caller holds the bulk-import lock.
 */
export async function deferIndexes(db: PgDb): Promise<string[]> {
  return withTransaction(db, async (c) => {
    const before = (await readMarker(c)) ?? { indexes: [], foreignKeys: [] };
    const indexes = await queryRows<{ name: string; sql: string }>(
      c,
      `SELECT indexname AS name, indexdef AS sql FROM pg_indexes
       WHERE schemaname = current_schema() AND indexname = ANY($1::text[]) ORDER BY indexname`,
      [DEFERRABLE_INDEXES],
    );
    const keys = await queryRows<{ table: string; name: string; def: string }>(
      c,
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
         AND conname = ANY($1::text[]) ORDER BY conname`,
      [DEFERRABLE_FOREIGN_KEYS.map((k) => k.name)],
    );
    for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
    for (const k of keys) await c.query(`ALTER TABLE ${k.table} DROP CONSTRAINT ${k.name}`);
    const m: Marker = {
      indexes: [...before.indexes.filter((b) => !indexes.some((i) => i.name === b.name)), ...indexes],
      foreignKeys: [...before.foreignKeys.filter((b) => !keys.some((k) => k.name === b.name)), ...keys],
    };
    await writeMarker(c, m);
    return [...m.indexes.map((i) => i.name), ...m.foreignKeys.map((k) => k.name)];
  });
}

/** Progress of the final build: called before (seconds null) and after each index or key. */
export type IndexBuildProgress = (name: string, done: number, total: number, seconds: number | null) => void;

/** Adds a foreign key back; rows whose paper was deleted while it was off go as its cascade would have. */
async function restoreForeignKey(c: PgClient, k: Marker['foreignKeys'][number]): Promise<void> {
  const add = `ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.def}`;
  const known = DEFERRABLE_FOREIGN_KEYS.find((d) => d.name === k.name);
  await c.query('SAVEPOINT restore_key');
  try {
    await c.query(add);
    return;
  } catch (err) {
    const orphans = (err as { code?: string }).code === '23503' && known?.cascades === true;
    if (!orphans) throw err;
    await c.query('ROLLBACK TO SAVEPOINT restore_key');
  }
  await c.query(`DELETE FROM ${k.table} t WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.pk = t.paper_pk)`);
  await c.query(add);
}

/**
 * Builds every recorded index and adds every recorded key, each in its own transaction with the record's
 * update, so an interrupted restore keeps what it finished. The caller holds the bulk-import lock.
 */
export async function restoreDeferred(db: PgDb, onIndex?: IndexBuildProgress): Promise<void> {
  const m0 = await readMarker(db);
  if (m0 === null) return;
  const todo = [
    ...m0.indexes.map((i) => ({ name: i.name, index: i.name })),
    ...m0.foreignKeys.map((k) => ({ name: k.name, index: null })),
  ];
  for (const [i, step] of todo.entries()) {
    onIndex?.(step.name, i, todo.length, null);
    const t0 = performance.now();
    await withTransaction(db, async (c) => {
      // The build sorts in memory up to this, then spills to disk; for this transaction only.
      await c.query("SELECT set_config('maintenance_work_mem', '256MB', true)");
      const m = await readMarker(c);
      if (m === null) return;
      if (step.index !== null) {
        const ix = m.indexes.find((x) => x.name === step.index);
        if (ix) await c.query(ix.sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
        await writeMarker(c, { ...m, indexes: m.indexes.filter((x) => x.name !== step.index) });
      } else {
        const k = m.foreignKeys.find((x) => x.name === step.name);
        const present = await queryOne(
          c,
          "SELECT 1 FROM pg_constraint WHERE conname = $1 AND contype = 'f'",
          [step.name],
        );
        if (k && !present) await restoreForeignKey(c, k);
        await writeMarker(c, { ...m, foreignKeys: m.foreignKeys.filter((x) => x.name !== step.name) });
      }
    });
    onIndex?.(step.name, i + 1, todo.length, (performance.now() - t0) / 1000);
  }
}

/**
 * At open: restores what an abandoned bulk import left missing. Never fails the open: a busy store keeps
 * answering correctly without them (only slower), and the next open tries again.
 */
export async function restoreAbandoned(db: PgDb): Promise<void> {
  try {
    if ((await readMarker(db)) === null) return;
    const lock = await tryBulkLock(db);
    if (lock === null) return;
    try {
      await restoreDeferred(db);
    } finally {
      await lock.release();
    }
  } catch {
    // Left for the next open: see above.
  }
}
