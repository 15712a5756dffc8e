// PostgreSQL repository for papers: batched merge-upserts, lookups, newest lists and the change log.
import type { Paper } from '../../domain/index.ts';
import type { NewestQuery, PaperChange, PaperRepo, UpsertRecord, UpsertResult } from '../store.ts';
import { TITLE_CANDIDATES } from '../rows/paper-identity.ts';
import { rowToPaper, type PaperRow } from '../rows/paper-rows.ts';
import { matchKeys, planUpserts, type ExternalIdRow, type PaperPlan } from './paper-plan.ts';
import { writePlan } from './paper-writes.ts';
import {
  BULK_LOAD_MAX_STORED,
  deferIndexes,
  deferredPending,
  restoreDeferred,
  tryBulkLock,
  type BulkLock,
} from './deferred-indexes.ts';
import {
  execCount,
  LOCKS,
  lockXact,
  queryCount,
  queryOne,
  queryRows,
  withTransaction,
  type PgDb,
  type PgQueryable,
} from './pg-db.ts';
import { deletePaperVectorsSql } from '../vector-models-sql.ts';

/** Deletes a paper's vectors of every model through their key (the test of its plan reads it). */
export const DELETE_PAPER_VECTORS = deletePaperVectorsSql('$1');

/**
 * One indexed lookup per key kind (an OR across them would scan the table); titles by title_key range. The
 * title probe orders by `pk + 0`, not `pk`: the planner cannot see the range's bounds (they come from unnest),
 * guesses 0.5% of the table matches, and from about 130,000 papers on chose to walk the primary key in order
 * until 20 rows passed the title filter — the whole table for each new title, six minutes a batch
 * (docs/BENCHMARKS.md, "#23 PostgreSQL import (h24g)"). Ordering by an expression leaves it the title index.
 */
export const MATCHING = `SELECT * FROM papers WHERE arxiv_id = ANY($1::text[])
  UNION SELECT * FROM papers WHERE doi = ANY($2::text[])
  UNION SELECT p.* FROM unnest($3::text[], $4::text[]) AS r(lo, hi) CROSS JOIN LATERAL
    (SELECT * FROM papers WHERE title_key >= r.lo AND title_key < r.hi ORDER BY pk + 0 LIMIT ${TITLE_CANDIDATES}) p
  UNION SELECT p.* FROM unnest($5::text[], $6::text[]) AS x(source, ext_id)
    JOIN paper_external_ids e ON e.source = x.source AND e.ext_id = x.ext_id JOIN papers p ON p.pk = e.paper_pk
  UNION SELECT * FROM papers WHERE id = ANY($7::text[]) ORDER BY pk`;
const EXTERNAL_OF = `SELECT source, ext_id, paper_pk, location FROM paper_external_ids
  WHERE paper_pk = ANY($1::bigint[]) ORDER BY source, ext_id`;
const BY_EXTERNAL = `SELECT p.* FROM paper_external_ids e JOIN papers p ON p.pk = e.paper_pk
  WHERE e.source = $1 AND e.ext_id = $2`;

/** For this transaction only: batch statements run once each, too briefly for compiled expressions to pay. */
const NO_JIT = "SELECT set_config('jit', 'off', true)";

/** Plans a batch against what is stored now (inside the writer's lock when it will be written). */
async function plan(db: PgQueryable, records: readonly UpsertRecord[], stamp: string): Promise<PaperPlan> {
  const k = matchKeys(records);
  const params = [k.arxiv, k.doi, k.titleLo, k.titleHi, k.extSource, k.extId, k.ids];
  const stored = await queryRows<PaperRow>(db, MATCHING, params);
  const ids =
    stored.length === 0 ? [] : await queryRows<ExternalIdRow>(db, EXTERNAL_OF, [stored.map((r) => r.pk)]);
  return planUpserts(stored, ids, records, stamp);
}

/**
 * Creates the papers repository. Writers take one advisory lock, so change-log sequence numbers commit in
 * order and a reader following the log never skips a change that commits late.
 */
export function createPgPaperRepo(db: PgDb, now: () => Date): PaperRepo {
  /** Held from a bulk import's start to its end (see deferred-indexes.ts). */
  let bulk: BulkLock | null = null;
  return {
    async upsertMany(inputs, opts) {
      const records = inputs.map((paper) => ({ paper, externalId: null, location: null }));
      return (await this.upsertRecords(records, opts)).map((r) => r.outcome);
    },
    async upsertRecords(records, opts): Promise<UpsertResult[]> {
      if (records.length === 0) return [];
      const stamp = now().toISOString();
      if (opts?.dryRun === true) return (await plan(db, records, stamp)).results;
      return withTransaction(db, async (c) => {
        await lockXact(c, LOCKS.papers);
        // The match query's estimate (a title range probe per record) passes jit_above_cost, and compiling it
        // cost far more than running it: 370 ms a 1,000-record batch with JIT, 24 ms without (docs/BENCHMARKS.md, #23).
        await c.query(NO_JIT);
        const p = await plan(c, records, stamp);
        await writePlan(c, p);
        return p.results;
      });
    },
    async bulkLoad(wanted) {
      if (bulk !== null) return false;
      const lock = await tryBulkLock(db);
      // Another process is bulk importing: this import writes alongside it with what is there.
      if (lock === null) return false;
      try {
        // Pending while this process holds the lock: the import that dropped them is dead.
        const abandoned = await deferredPending(db);
        if (!wanted) {
          if (abandoned) await restoreDeferred(db);
          await lock.release();
          return false;
        }
        // An abandoned bulk load (killed) is taken over whatever the store holds now: it is the same import.
        const stored = await queryCount(
          db,
          `SELECT count(*) AS n FROM (SELECT 1 FROM papers LIMIT ${BULK_LOAD_MAX_STORED}) s`,
        );
        if (!abandoned && stored >= BULK_LOAD_MAX_STORED) {
          await lock.release();
          return false;
        }
        await deferIndexes(db);
      } catch (err) {
        await lock.release();
        throw err;
      }
      bulk = lock;
      return true;
    },
    async finishBulkLoad(onIndex) {
      const lock = bulk;
      bulk = null;
      try {
        await restoreDeferred(db, onIndex);
      } finally {
        await lock?.release();
      }
    },
    async byExternalId(ref) {
      for (let i = ref.indexOf(':'); i > 0; i = ref.indexOf(':', i + 1)) {
        const r = await queryOne<PaperRow>(db, BY_EXTERNAL, [ref.slice(0, i), ref.slice(i + 1)]);
        if (r) return rowToPaper(r);
      }
      const r = await queryOne<PaperRow>(
        db,
        `SELECT p.* FROM paper_external_ids e JOIN papers p ON p.pk = e.paper_pk
         WHERE e.ext_id = $1 ORDER BY p.pk LIMIT 1`,
        [ref],
      );
      return r ? rowToPaper(r) : null;
    },
    async externalIds(paperId) {
      const rows = await queryRows<{ source: string; ext_id: string }>(
        db,
        `SELECT e.source, e.ext_id FROM paper_external_ids e JOIN papers p ON p.pk = e.paper_pk
         WHERE p.id = $1 ORDER BY e.source, e.ext_id`,
        [paperId],
      );
      return rows.map((x) => ({ source: x.source, id: x.ext_id }));
    },
    async get(id) {
      const r = await queryOne<PaperRow>(db, 'SELECT * FROM papers WHERE id = $1', [id]);
      return r ? rowToPaper(r) : null;
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await queryRows<PaperRow>(db, 'SELECT * FROM papers WHERE id = ANY($1::text[])', [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [rowToPaper(r)] : [];
      });
    },
    async newest(nq: NewestQuery): Promise<Paper[]> {
      const rows =
        nq.category !== undefined
          ? await queryRows<PaperRow>(
              db,
              `SELECT p.* FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk
               WHERE c.category = $1 ORDER BY p.sort_date DESC, p.pk DESC LIMIT $2 OFFSET $3`,
              [nq.category, nq.limit, nq.offset ?? 0],
            )
          : await queryRows<PaperRow>(
              db,
              'SELECT * FROM papers ORDER BY sort_date DESC, pk DESC LIMIT $1 OFFSET $2',
              [nq.limit, nq.offset ?? 0],
            );
      return rows.map(rowToPaper);
    },
    async count() {
      return queryCount(db, 'SELECT count(*) AS n FROM papers');
    },
    async countUpperBound() {
      return queryCount(db, 'SELECT coalesce(max(pk), 0) AS n FROM papers');
    },
    async delete(id) {
      return withTransaction(db, async (c) => {
        await lockXact(c, LOCKS.papers);
        const gone = (await execCount(c, 'DELETE FROM papers WHERE id = $1', [id])) > 0;
        if (gone) {
          await c.query(DELETE_PAPER_VECTORS, [id]);
          await c.query("INSERT INTO paper_changes (paper_id, op) VALUES ($1, 'delete')", [id]);
        }
        return gone;
      });
    },
    async latestChangeSeq() {
      return (
        (await queryOne<{ seq: number | null }>(db, 'SELECT max(seq) AS seq FROM paper_changes'))?.seq ?? 0
      );
    },
    async changesSince(seq, limit): Promise<PaperChange[]> {
      const rows = await queryRows<{ seq: number; paper_id: string; op: 'upsert' | 'delete' }>(
        db,
        'SELECT seq, paper_id, op FROM paper_changes WHERE seq > $1 ORDER BY seq LIMIT $2',
        [seq, limit],
      );
      return rows.map((r) => ({ seq: r.seq, paperId: r.paper_id, op: r.op }));
    },
    async *scan(pageSize) {
      let after = 0;
      for (;;) {
        const rows = await queryRows<PaperRow>(
          db,
          'SELECT * FROM papers WHERE pk > $1 ORDER BY pk LIMIT $2',
          [after, pageSize],
        );
        if (rows.length === 0) return;
        after = rows[rows.length - 1]?.pk ?? after;
        yield rows.map(rowToPaper);
      }
    },
  };
}
