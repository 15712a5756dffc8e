// SQLite repository for ingest runs: what was imported from where, with counts and errors.
import type { IngestCounts, IngestRun, Rejection } from '../../domain/index.ts';
import type { IngestRunRepo } from '../store.ts';
import type { SqliteDb } from './open.ts';

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

/** At most this many rejections are kept per run; the count is always exact. */
export const MAX_STORED_ERRORS = 1000;

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

/**
 * Creates the ingest-run repository.
 * @example const run = await createSqliteIngestRunRepo(db, () => new Date()).start('papers.jsonl');
 */
export function createSqliteIngestRunRepo(db: SqliteDb, now: () => Date): IngestRunRepo {
  const q = {
    supersede: db.prepare(
      "UPDATE ingest_runs SET status = 'interrupted' WHERE source = ? AND status = 'running'",
    ),
    start: db.prepare<[string, string], RunRow>(
      "INSERT INTO ingest_runs (source, started_at, status) VALUES (?, ?, 'running') RETURNING *",
    ),
    progress: db.prepare(
      `UPDATE ingest_runs SET added = @added, updated = @updated, unchanged = @unchanged, rejected = @rejected,
       errors = @errors, checkpoint = @checkpoint WHERE id = @id`,
    ),
    finish: db.prepare(
      `UPDATE ingest_runs SET added = @added, updated = @updated, unchanged = @unchanged, rejected = @rejected,
       errors = @errors, status = @status, finished_at = @finished WHERE id = @id`,
    ),
    lastUnfinished: db.prepare<[string], RunRow>(
      'SELECT * FROM ingest_runs WHERE source = ? ORDER BY id DESC LIMIT 1',
    ),
    recent: db.prepare<[number], RunRow>('SELECT * FROM ingest_runs ORDER BY id DESC LIMIT ?'),
    stale: db.prepare("UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'"),
  };
  const errorsJson = (errors: readonly Rejection[]): string =>
    JSON.stringify(errors.slice(0, MAX_STORED_ERRORS));
  return {
    async start(source) {
      // A run of the same source still marked running was killed: a new one supersedes it.
      return db.transaction(() => {
        q.supersede.run(source);
        return toRun(q.start.get(source, now().toISOString()) as RunRow);
      })();
    },
    async progress(id: number, counts: IngestCounts, errors, checkpoint) {
      q.progress.run({ id, ...counts, errors: errorsJson(errors), checkpoint });
    },
    async finish(id, status, counts, errors) {
      q.finish.run({ id, ...counts, errors: errorsJson(errors), status, finished: now().toISOString() });
    },
    async lastUnfinished(source) {
      const r = q.lastUnfinished.get(source);
      return r && r.status !== 'done' ? toRun(r) : null;
    },
    async recent(limit) {
      return q.recent.all(limit).map(toRun);
    },
    async markStale() {
      return q.stale.run().changes;
    },
  };
}
