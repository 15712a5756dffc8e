// PostgreSQL repository for papers: batched merge-upserts, lookups, newest lists and the change log.
import type { Paper, UpsertOutcome } from '../../domain/index.ts';
import type { NewestQuery, PaperChange, PaperRepo } from '../store.ts';
import { rowToPaper, type PaperRow } from '../rows/paper-rows.ts';
import { matchKeys, planUpserts } from './paper-plan.ts';
import { writePlan } from './paper-writes.ts';
import {
  execCount,
  LOCKS,
  lockXact,
  queryCount,
  queryOne,
  queryRows,
  withTransaction,
  type PgDb,
} from './pg-db.ts';

// One indexed lookup per key kind (an OR across the three would scan the table).
const MATCHING = `SELECT * FROM papers WHERE arxiv_id = ANY($1::text[])
  UNION SELECT * FROM papers WHERE doi = ANY($2::text[])
  UNION SELECT * FROM papers WHERE title_key = ANY($3::text[]) ORDER BY pk`;

/**
 * Creates the papers repository. Writers take one advisory lock, so change-log sequence numbers commit in
 * order and a reader following the log never skips a change that commits late.
 * @example const papers = createPgPaperRepo(db, () => new Date());
 */
export function createPgPaperRepo(db: PgDb, now: () => Date): PaperRepo {
  return {
    async upsertMany(inputs, opts): Promise<UpsertOutcome[]> {
      if (inputs.length === 0) return [];
      const keys = matchKeys(inputs);
      const params = [keys.arxiv, keys.doi, keys.title];
      const stamp = now().toISOString();
      if (opts?.dryRun === true)
        return planUpserts(await queryRows<PaperRow>(db, MATCHING, params), inputs, stamp).outcomes;
      return withTransaction(db, async (c) => {
        await lockXact(c, LOCKS.papers);
        const plan = planUpserts(await queryRows<PaperRow>(c, MATCHING, params), inputs, stamp);
        await writePlan(c, plan);
        return plan.outcomes;
      });
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
    async delete(id) {
      return withTransaction(db, async (c) => {
        await lockXact(c, LOCKS.papers);
        const gone = (await execCount(c, 'DELETE FROM papers WHERE id = $1', [id])) > 0;
        if (gone) {
          await c.query('DELETE FROM paper_vectors WHERE paper_id = $1', [id]);
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
