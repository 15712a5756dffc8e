// PostgreSQL repository for ingest runs: what was imported from where, with counts and errors.
import type { IngestCounts } from '../../domain/index.ts';
import type { IngestRunRepo } from '../store.ts';
import { storedErrorsJson, toIngestRun, type IngestRunRow } from '../rows/ingest-run-rows.ts';
import { execCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

const countsOf = (c: IngestCounts): number[] => [c.added, c.updated, c.unchanged, c.rejected];

/**
 * Creates the ingest-run repository.
 * @example const run = await createPgIngestRunRepo(db, () => new Date()).start('papers.jsonl');
 */
export function createPgIngestRunRepo(db: PgDb, now: () => Date): IngestRunRepo {
  return {
    async start(source) {
      // A run of the same source still marked running was killed: a new one supersedes it.
      return withTransaction(db, async (c) => {
        await c.query(
          "UPDATE ingest_runs SET status = 'interrupted' WHERE source = $1 AND status = 'running'",
          [source],
        );
        const row = await queryOne<IngestRunRow>(
          c,
          "INSERT INTO ingest_runs (source, started_at, status) VALUES ($1, $2, 'running') RETURNING *",
          [source, now().toISOString()],
        );
        return toIngestRun(row as IngestRunRow);
      });
    },
    async progress(id, counts, errors, checkpoint) {
      await db.query(
        `UPDATE ingest_runs SET added = $2, updated = $3, unchanged = $4, rejected = $5, errors = $6, checkpoint = $7
         WHERE id = $1`,
        [id, ...countsOf(counts), storedErrorsJson(errors), checkpoint],
      );
    },
    async finish(id, status, counts, errors) {
      await db.query(
        `UPDATE ingest_runs SET added = $2, updated = $3, unchanged = $4, rejected = $5, errors = $6, status = $7,
         finished_at = $8 WHERE id = $1`,
        [id, ...countsOf(counts), storedErrorsJson(errors), status, now().toISOString()],
      );
    },
    async lastUnfinished(source) {
      const r = await queryOne<IngestRunRow>(
        db,
        'SELECT * FROM ingest_runs WHERE source = $1 ORDER BY id DESC LIMIT 1',
        [source],
      );
      return r && r.status !== 'done' ? toIngestRun(r) : null;
    },
    async previousDone(source, beforeId) {
      const r = await queryOne<IngestRunRow>(
        db,
        "SELECT * FROM ingest_runs WHERE source = $1 AND id < $2 AND status = 'done' ORDER BY id DESC LIMIT 1",
        [source, beforeId],
      );
      return r ? toIngestRun(r) : null;
    },
    async recent(limit) {
      return (
        await queryRows<IngestRunRow>(db, 'SELECT * FROM ingest_runs ORDER BY id DESC LIMIT $1', [limit])
      ).map(toIngestRun);
    },
    async markStale() {
      return execCount(db, "UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'");
    },
  };
}
