// PostgreSQL's change counter for the listing caches: engine-specific, so it stays hand-written.
import { queryOne, type PgDb } from './pg-db.ts';

/**
 * A number that moves on every statement writing papers or votes, from any node (a trigger bumps the
 * listing_version sequence).
 * @example const version = pgListingVersion(db); await version();
 */
export function pgListingVersion(db: PgDb): () => Promise<number> {
  return async () =>
    (await queryOne<{ v: number }>(db, 'SELECT last_value AS v FROM listing_version'))?.v ?? 0;
}
