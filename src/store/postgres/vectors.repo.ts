// PostgreSQL repository for paper vectors, kept hand-written: bulk float32 reads, writes under an advisory lock.
import type { PaperToEmbed, StoredVector, VectorRepo } from '../vectors.ts';
import { bytesToVector, vectorToBytes } from '../rows/vector-rows.ts';
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

const MISSING_FROM = `FROM papers p LEFT JOIN paper_vectors v ON v.model = $1 AND v.paper_id = p.id`;
const STALE = `(v.paper_id IS NULL OR v.content_hash <> p.content_hash)`;

/**
 * Creates the vector repository; writers take an advisory lock so `since` readers never skip a late commit.
 */
export function createPgVectorRepo(db: PgDb): VectorRepo {
  return {
    async missing(model, limit, after = 0): Promise<PaperToEmbed[]> {
      return queryRows<PaperToEmbed>(
        db,
        `SELECT p.pk::float8 AS pk, p.id, p.title, p.abstract, p.content_hash AS "contentHash" ${MISSING_FROM}
         WHERE p.pk > $3 AND ${STALE} ORDER BY p.pk LIMIT $2`,
        [model, limit, after],
      );
    },
    async countMissing(model) {
      return queryCount(db, `SELECT count(*) AS n ${MISSING_FROM} WHERE ${STALE}`, [model]);
    },
    async missingAmong(model, ids): Promise<PaperToEmbed[]> {
      if (ids.length === 0) return [];
      return queryRows<PaperToEmbed>(
        db,
        `SELECT p.pk::float8 AS pk, p.id, p.title, p.abstract, p.content_hash AS "contentHash" ${MISSING_FROM}
         WHERE p.id = ANY($2::text[]) AND ${STALE} ORDER BY p.pk`,
        [model, [...new Set(ids)]],
      );
    },
    async put(model, rows) {
      if (rows.length === 0) return;
      await withTransaction(db, async (c) => {
        await lockXact(c, LOCKS.vectors);
        // Delete and insert (not update), so a replaced vector gets a new seq and followers see it; of a
        // paper given twice, the last vector wins and takes the later seq.
        const latest = new Map<string, (typeof rows)[number]>();
        for (const r of rows) {
          latest.delete(r.paperId);
          latest.set(r.paperId, r);
        }
        const list = [...latest.values()];
        const ids = list.map((r) => r.paperId);
        await c.query('DELETE FROM paper_vectors WHERE model = $1 AND paper_id = ANY($2::text[])', [
          model,
          ids,
        ]);
        await c.query(
          `INSERT INTO paper_vectors (model, paper_id, content_hash, vector)
           SELECT $1, paper_id, content_hash, vector
           FROM unnest($2::text[], $3::text[], $4::bytea[]) WITH ORDINALITY AS u(paper_id, content_hash, vector, ord)
           ORDER BY ord`,
          [model, ids, list.map((r) => r.contentHash), list.map((r) => vectorToBytes(r.vector))],
        );
      });
    },
    async since(model, seq, limit): Promise<StoredVector[]> {
      const rows = await queryRows<{ seq: number; paper_id: string; vector: Buffer }>(
        db,
        'SELECT seq, paper_id, vector FROM paper_vectors WHERE model = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [model, seq, limit],
      );
      return rows.map((r) => ({ seq: r.seq, paperId: r.paper_id, vector: bytesToVector(r.vector) }));
    },
    async latestSeq(model) {
      const sql = 'SELECT max(seq) AS seq FROM paper_vectors WHERE model = $1';
      return (await queryOne<{ seq: number | null }>(db, sql, [model]))?.seq ?? 0;
    },
    async count(model) {
      return queryCount(db, 'SELECT count(*) AS n FROM paper_vectors WHERE model = $1', [model]);
    },
    async dropModel(model) {
      return execCount(db, 'DELETE FROM paper_vectors WHERE model = $1', [model]);
    },
  };
}
