// SQLite's change counter for the listing caches: engine-specific, so it stays hand-written.
import type { SqliteDb } from './open.ts';

/**
 * A number that moves on every write: data_version when another connection (a CLI ingest) commits,
 * total_changes on this connection's own writes.
 * @example const version = sqliteListingVersion(db); await version();
 */
export function sqliteListingVersion(db: SqliteDb): () => Promise<number> {
  const changes = db.prepare<[], { n: number }>('SELECT total_changes() AS n');
  return async () => Number(db.pragma('data_version', { simple: true })) * 1e9 + (changes.get()?.n ?? 0);
}
