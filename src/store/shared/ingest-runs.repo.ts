// Ingest runs (what was imported from where, with counts and errors), written once for both engines.
import type { IngestRunRepo } from '../store.ts';
import { storedErrorsJson, toIngestRun } from '../rows/ingest-run-rows.ts';
import { changed, transaction, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the ingest-run repository.
 */
export function createIngestRunRepo(q: QueryDb, now: () => Date): IngestRunRepo {
  const { db } = q;
  const latestOf = (source: string) =>
    db.selectFrom('ingest_runs').selectAll().where('source', '=', source).orderBy('id', 'desc').limit(1);
  return {
    async start(source) {
      // A run of the same source still marked running was killed: a new one supersedes it.
      return transaction(q, async (tx) => {
        await tx
          .updateTable('ingest_runs')
          .set({ status: 'interrupted' })
          .where('source', '=', source)
          .where('status', '=', 'running')
          .execute();
        const row = await tx
          .insertInto('ingest_runs')
          .values({ source, started_at: now().toISOString(), status: 'running' })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toIngestRun(row);
      });
    },
    async progress(id, counts, errors, checkpoint) {
      await db
        .updateTable('ingest_runs')
        .set({ ...countsOf(counts), errors: storedErrorsJson(errors), checkpoint })
        .where('id', '=', id)
        .execute();
    },
    async finish(id, status, counts, errors) {
      await db
        .updateTable('ingest_runs')
        .set({
          ...countsOf(counts),
          errors: storedErrorsJson(errors),
          status,
          finished_at: now().toISOString(),
        })
        .where('id', '=', id)
        .execute();
    },
    async lastUnfinished(source) {
      const r = await latestOf(source).executeTakeFirst();
      return r && r.status !== 'done' ? toIngestRun(r) : null;
    },
    async previousDone(source, beforeId) {
      const r = await latestOf(source)
        .where('id', '<', beforeId)
        .where('status', '=', 'done')
        .executeTakeFirst();
      return r ? toIngestRun(r) : null;
    },
    async recent(limit) {
      const rows = await db
        .selectFrom('ingest_runs')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toIngestRun);
    },
    async markStale() {
      const r = await db
        .updateTable('ingest_runs')
        .set({ status: 'interrupted' })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return changed(r);
    },
  };
}

/** Only the four counters, whatever else the caller's object carries. */
function countsOf(c: { added: number; updated: number; unchanged: number; rejected: number }) {
  return { added: c.added, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected };
}
