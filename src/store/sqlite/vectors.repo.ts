// SQLite repository for paper vectors, kept hand-written: bulk reads and writes of float32 bytes.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PaperToEmbed, StoredVector, VectorRepo } from '../vectors.ts';
import { bytesToVector, vectorToBytes } from '../rows/vector-rows.ts';
import type { SqliteDb } from './open.ts';
import { lockedTransaction, type WriteGate } from './write-lock.ts';

const MISSING_FROM = `FROM papers p LEFT JOIN paper_vectors v ON v.model = ? AND v.paper_id = p.id`;
const STALE = `(v.paper_id IS NULL OR v.content_hash <> p.content_hash)`;
/**
 * Papers (by pk) that one statement looking for missing vectors covers. better-sqlite3 runs a statement
 * synchronously: over the whole store it held serve's event loop 6.5 s at 300k papers (two lookups per paper,
 * the vector row's content hash included), so the scan goes window by window with a turn of the loop between
 * (docs/BENCHMARKS.md, "#23 serve start-up").
 */
export const MISSING_WINDOW = 512;

export function createSqliteVectorRepo(db: SqliteDb, gate: WriteGate = (fn) => fn()): VectorRepo {
  const q = {
    missing: db.prepare<[string, number, number, number], PaperToEmbed>(
      `SELECT p.pk, p.id, p.title, p.abstract, p.content_hash AS contentHash ${MISSING_FROM}
       WHERE p.pk > ? AND p.pk <= ? AND ${STALE} ORDER BY p.pk LIMIT ?`,
    ),
    countMissing: db.prepare<[string, number, number], { n: number }>(
      `SELECT count(*) AS n ${MISSING_FROM} WHERE p.pk > ? AND p.pk <= ? AND ${STALE}`,
    ),
    missingAmong: db.prepare<[string, string], PaperToEmbed>(
      `SELECT p.pk, p.id, p.title, p.abstract, p.content_hash AS contentHash ${MISSING_FROM}
       WHERE p.id IN (SELECT value FROM json_each(?)) AND ${STALE} ORDER BY p.pk`,
    ),
    lastPk: db.prepare<[], { pk: number | null }>('SELECT max(pk) AS pk FROM papers'),
    del: db.prepare('DELETE FROM paper_vectors WHERE model = ? AND paper_id = ?'),
    ins: db.prepare('INSERT INTO paper_vectors (model, paper_id, content_hash, vector) VALUES (?, ?, ?, ?)'),
    since: db.prepare<[string, number, number], { seq: number; paperId: string; vector: Buffer }>(
      'SELECT seq, paper_id AS paperId, vector FROM paper_vectors WHERE model = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    latestSeq: db.prepare<[string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM paper_vectors WHERE model = ?',
    ),
    count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM paper_vectors WHERE model = ?'),
    drop: db.prepare('DELETE FROM paper_vectors WHERE model = ?'),
  };
  // The write lock is waited for between turns of the event loop (write-lock.ts): the embed loop's writes beside an
  // import held serve's requests up to busy_timeout each.
  const putTx = lockedTransaction(
    db,
    gate,
    (model: string, rows: readonly { paperId: string; contentHash: string; vector: Float32Array }[]) => {
      for (const r of rows) {
        q.del.run(model, r.paperId);
        q.ins.run(model, r.paperId, r.contentHash, vectorToBytes(r.vector));
      }
    },
  );
  return {
    async missing(model, limit, after = 0): Promise<PaperToEmbed[]> {
      const last = q.lastPk.get()?.pk ?? 0;
      const found: PaperToEmbed[] = [];
      for (let from = after; from < last && found.length < limit; from += MISSING_WINDOW) {
        if (from > after) await nextTurn();
        found.push(...q.missing.all(model, from, from + MISSING_WINDOW, limit - found.length));
      }
      return found;
    },
    async countMissing(model) {
      const last = q.lastPk.get()?.pk ?? 0;
      let n = 0;
      for (let from = 0; from < last; from += MISSING_WINDOW) {
        if (from > 0) await nextTurn();
        n += q.countMissing.get(model, from, from + MISSING_WINDOW)?.n ?? 0;
      }
      return n;
    },
    async missingAmong(model, ids): Promise<PaperToEmbed[]> {
      const found: PaperToEmbed[] = [];
      for (let from = 0; from < ids.length; from += MISSING_WINDOW) {
        if (from > 0) await nextTurn();
        found.push(...q.missingAmong.all(model, JSON.stringify(ids.slice(from, from + MISSING_WINDOW))));
      }
      // Windows each come in pk order; repeated ids across windows are found once.
      const seen = new Set<number>();
      return found.filter((p) => !seen.has(p.pk) && seen.add(p.pk)).sort((a, b) => a.pk - b.pk);
    },
    async put(model, rows) {
      await putTx(model, rows);
    },
    async since(model, seq, limit): Promise<StoredVector[]> {
      return q.since
        .all(model, seq, limit)
        .map((r) => ({ seq: r.seq, paperId: r.paperId, vector: bytesToVector(r.vector) }));
    },
    async latestSeq(model) {
      return q.latestSeq.get(model)?.seq ?? 0;
    },
    async count(model) {
      return q.count.get(model)?.n ?? 0;
    },
    async dropModel(model) {
      return q.drop.run(model).changes;
    },
  };
}
