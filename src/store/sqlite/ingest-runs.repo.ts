// SQLite repository for ingest runs: what was imported from where, with counts and errors.
import type { IngestCounts } from '../../domain/index.ts';
import type { IngestRunRepo } from '../store.ts';
import { storedErrorsJson, toIngestRun, type IngestRunRow } from '../rows/ingest-run-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the ingest-run repository.
 * @example const run = await createSqliteIngestRunRepo(db, () => new Date()).start('papers.jsonl');
 */
export function createSqliteIngestRunRepo(db: SqliteDb, now: () => Date): IngestRunRepo {
  const q = {
    supersede: db.prepare(
      "UPDATE ingest_runs SET status = 'interrupted' WHERE source = ? AND status = 'running'",
    ),
    start: db.prepare<[string, string], IngestRunRow>(
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
    lastUnfinished: db.prepare<[string], IngestRunRow>(
      'SELECT * FROM ingest_runs WHERE source = ? ORDER BY id DESC LIMIT 1',
    ),
    previousDone: db.prepare<[string, number], IngestRunRow>(
      "SELECT * FROM ingest_runs WHERE source = ? AND id < ? AND status = 'done' ORDER BY id DESC LIMIT 1",
    ),
    recent: db.prepare<[number], IngestRunRow>('SELECT * FROM ingest_runs ORDER BY id DESC LIMIT ?'),
    stale: db.prepare("UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'"),
  };
  return {
    async start(source) {
      // A run of the same source still marked running was killed: a new one supersedes it.
      return db.transaction(() => {
        q.supersede.run(source);
        return toIngestRun(q.start.get(source, now().toISOString()) as IngestRunRow);
      })();
    },
    async progress(id: number, counts: IngestCounts, errors, checkpoint) {
      q.progress.run({ id, ...counts, errors: storedErrorsJson(errors), checkpoint });
    },
    async finish(id, status, counts, errors) {
      q.finish.run({
        id,
        ...counts,
        errors: storedErrorsJson(errors),
        status,
        finished: now().toISOString(),
      });
    },
    async lastUnfinished(source) {
      const r = q.lastUnfinished.get(source);
      return r && r.status !== 'done' ? toIngestRun(r) : null;
    },
    async previousDone(source, beforeId) {
      const r = q.previousDone.get(source, beforeId);
      return r ? toIngestRun(r) : null;
    },
    async recent(limit) {
      return q.recent.all(limit).map(toIngestRun);
    },
    async markStale() {
      return q.stale.run().changes;
    },
  };
}
