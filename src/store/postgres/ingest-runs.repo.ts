// PostgreSQL repository for ingest runs: what was imported from where, with counts and errors.
import type { IngestCounts, IngestRun, Rejection } from '../../domain/index.ts';
import type { IngestRunRepo } from '../store.ts';
import { MAX_STORED_ERRORS } from '../sqlite/ingest-runs.repo.ts';
import { execCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

interface RunRow {
  id: number;
  source: string;
  started_at: string;
  finished_at: string | null;
  status: IngestRun['status'];
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: string;
  checkpoint: string | null;
}

function toRun(r: RunRow): IngestRun {
  return {
    id: r.id,
    source: r.source,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    counts: { added: r.added, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected },
    errors: JSON.parse(r.errors) as Rejection[],
    checkpoint: r.checkpoint,
  };
}

const errorsJson = (errors: readonly Rejection[]): string =>
  JSON.stringify(errors.slice(0, MAX_STORED_ERRORS));
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
        const row = await queryOne<RunRow>(
          c,
          "INSERT INTO ingest_runs (source, started_at, status) VALUES ($1, $2, 'running') RETURNING *",
          [source, now().toISOString()],
        );
        return toRun(row as RunRow);
      });
    },
    async progress(id, counts, errors, checkpoint) {
      await db.query(
        `UPDATE ingest_runs SET added = $2, updated = $3, unchanged = $4, rejected = $5, errors = $6, checkpoint = $7
         WHERE id = $1`,
        [id, ...countsOf(counts), errorsJson(errors), checkpoint],
      );
    },
    async finish(id, status, counts, errors) {
      await db.query(
        `UPDATE ingest_runs SET added = $2, updated = $3, unchanged = $4, rejected = $5, errors = $6, status = $7,
         finished_at = $8 WHERE id = $1`,
        [id, ...countsOf(counts), errorsJson(errors), status, now().toISOString()],
      );
    },
    async lastUnfinished(source) {
      const r = await queryOne<RunRow>(
        db,
        'SELECT * FROM ingest_runs WHERE source = $1 ORDER BY id DESC LIMIT 1',
        [source],
      );
      return r && r.status !== 'done' ? toRun(r) : null;
    },
    async recent(limit) {
      return (
        await queryRows<RunRow>(db, 'SELECT * FROM ingest_runs ORDER BY id DESC LIMIT $1', [limit])
      ).map(toRun);
    },
    async markStale() {
      return execCount(db, "UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'");
    },
  };
}
