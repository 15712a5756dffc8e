// PostgreSQL repository for collections: papers in the owner's order with notes, and readers' upvotes.
import type { CollectionRepo } from '../collections.ts';
import {
  COLLECTION_COLUMNS,
  isUniqueViolation,
  toCollection,
  toEntries,
  type CollectionEntryRow,
  type CollectionRow,
} from '../rows/collection-rows.ts';
import {
  execCount,
  queryCount,
  queryOne,
  queryRows,
  withTransaction,
  type PgDb,
  type PgClient,
} from './pg-db.ts';

const FROM = `SELECT ${COLLECTION_COLUMNS} FROM collections c`;
const HAS_PAPERS = 'EXISTS (SELECT 1 FROM collection_papers cp WHERE cp.collection_id = c.id)';
const ORDER = { popular: 'votes DESC, c.updated_at DESC, c.id DESC', recent: 'c.updated_at DESC, c.id DESC' };

/**
 * Creates the collections repository.
 * @example await createPgCollectionRepo(db, now).create({ slug: 'vit-3kq9', userId: 1, title: 'ViT', description: '', public: true });
 */
export function createPgCollectionRepo(db: PgDb, now: () => Date): CollectionRepo {
  const stamp = (): string => now().toISOString();
  const one = async (sql: string, params: unknown[]) => {
    const row = await queryOne<CollectionRow>(db, sql, params);
    return row ? toCollection(row) : null;
  };
  const touch = (c: PgClient, id: number) =>
    c.query('UPDATE collections SET updated_at = $1 WHERE id = $2', [stamp(), id]);
  return {
    async create(c) {
      const at = stamp();
      try {
        const r = await queryOne<{ id: number }>(
          db,
          `INSERT INTO collections (slug, user_id, title, description, public, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
          [c.slug, c.userId, c.title, c.description, c.public ? 1 : 0, at],
        );
        return r ? one(`${FROM} WHERE c.id = $1`, [r.id]) : null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    bySlug: (slug) => one(`${FROM} WHERE c.slug = $1`, [slug]),
    async update(id, c) {
      await db.query(
        'UPDATE collections SET title = $1, description = $2, public = $3, updated_at = $4 WHERE id = $5',
        [c.title, c.description, c.public ? 1 : 0, stamp(), id],
      );
    },
    async delete(id) {
      return (await execCount(db, 'DELETE FROM collections WHERE id = $1', [id])) > 0;
    },
    async byOwner(userId, o) {
      const rows = await queryRows<CollectionRow>(
        db,
        `${FROM} WHERE c.user_id = $1 AND (c.public = 1 OR $2 = 0)
         ORDER BY c.updated_at DESC, c.id DESC LIMIT $3 OFFSET $4`,
        [userId, o.publicOnly ? 1 : 0, o.limit, o.offset],
      );
      return rows.map(toCollection);
    },
    countByOwner: (userId) =>
      queryCount(db, 'SELECT count(*) AS n FROM collections WHERE user_id = $1', [userId]),
    async listPublic(o) {
      const rows = await queryRows<CollectionRow>(
        db,
        `${FROM} WHERE c.public = 1 AND ${HAS_PAPERS} ORDER BY ${ORDER[o.order]} LIMIT $1 OFFSET $2`,
        [o.limit, o.offset],
      );
      const total = await queryCount(
        db,
        `SELECT count(*) AS n FROM collections c WHERE c.public = 1 AND ${HAS_PAPERS}`,
      );
      return { collections: rows.map(toCollection), total };
    },
    async publicWithPaper(paperId, limit) {
      const rows = await queryRows<CollectionRow>(
        db,
        `${FROM} JOIN collection_papers x ON x.collection_id = c.id JOIN papers p ON p.pk = x.paper_pk
         WHERE p.id = $1 AND c.public = 1 ORDER BY ${ORDER.popular} LIMIT $2`,
        [paperId, limit],
      );
      return rows.map(toCollection);
    },
    async entries(id) {
      const rows = await queryRows<CollectionEntryRow>(
        db,
        `SELECT p.id, cp.note, cp.added_at FROM collection_papers cp JOIN papers p ON p.pk = cp.paper_pk
         WHERE cp.collection_id = $1 ORDER BY cp.position, cp.added_at, p.pk`,
        [id],
      );
      return toEntries(rows);
    },
    async putPaper(id, paperId, note) {
      return withTransaction(db, async (c) => {
        // The collection row lock serializes adds, so two at once cannot take the same position.
        await c.query('SELECT id FROM collections WHERE id = $1 FOR UPDATE', [id]);
        const paper = await queryOne<{ pk: number }>(c, 'SELECT pk FROM papers WHERE id = $1', [paperId]);
        if (!paper) return null;
        const had = await queryOne<{ note: string }>(
          c,
          'SELECT note FROM collection_papers WHERE collection_id = $1 AND paper_pk = $2',
          [id, paper.pk],
        );
        if (had) {
          if (note !== null)
            await c.query(
              'UPDATE collection_papers SET note = $1 WHERE collection_id = $2 AND paper_pk = $3',
              [note, id, paper.pk],
            );
        } else {
          await c.query(
            `INSERT INTO collection_papers (collection_id, paper_pk, position, note, added_at)
             SELECT $1, $2, coalesce(max(position) + 1, 0), $3, $4 FROM collection_papers WHERE collection_id = $1`,
            [id, paper.pk, note ?? '', stamp()],
          );
        }
        await touch(c, id);
        return had ? 'updated' : 'added';
      });
    },
    async removePaper(id, paperId) {
      return withTransaction(db, async (c) => {
        const gone =
          (await execCount(
            c,
            'DELETE FROM collection_papers cp USING papers p WHERE p.pk = cp.paper_pk AND cp.collection_id = $1 AND p.id = $2',
            [id, paperId],
          )) > 0;
        if (gone) await touch(c, id);
        return gone;
      });
    },
    async reorder(id, paperIds) {
      return withTransaction(db, async (c) => {
        await c.query('SELECT id FROM collections WHERE id = $1 FOR UPDATE', [id]);
        const rows = await queryRows<{ id: string; pk: number }>(
          c,
          'SELECT p.id, p.pk FROM collection_papers cp JOIN papers p ON p.pk = cp.paper_pk WHERE cp.collection_id = $1',
          [id],
        );
        const pks = new Map(rows.map((r) => [r.id, r.pk]));
        if (new Set(paperIds).size !== paperIds.length || paperIds.length !== pks.size) return false;
        if (!paperIds.every((p) => pks.has(p))) return false;
        await c.query(
          `UPDATE collection_papers cp SET position = o.n - 1
           FROM unnest($2::bigint[]) WITH ORDINALITY AS o(pk, n)
           WHERE cp.collection_id = $1 AND cp.paper_pk = o.pk`,
          [id, paperIds.map((p) => pks.get(p))],
        );
        await touch(c, id);
        return true;
      });
    },
    async vote(userId, id, on) {
      if (on)
        await db.query(
          'INSERT INTO collection_votes (collection_id, user_id, cast_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [id, userId, stamp()],
        );
      else
        await db.query('DELETE FROM collection_votes WHERE collection_id = $1 AND user_id = $2', [
          id,
          userId,
        ]);
      return queryCount(db, 'SELECT count(*) AS n FROM collection_votes WHERE collection_id = $1', [id]);
    },
    async votedBy(userId, ids) {
      if (ids.length === 0) return new Set();
      const rows = await queryRows<{ id: number }>(
        db,
        'SELECT collection_id AS id FROM collection_votes WHERE user_id = $1 AND collection_id = ANY($2::bigint[])',
        [userId, ids],
      );
      return new Set(rows.map((r) => r.id));
    },
  };
}
