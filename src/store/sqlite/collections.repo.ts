// SQLite repository for collections: papers in the owner's order with notes, and readers' upvotes.
import type { CollectionRepo } from '../collections.ts';
import {
  COLLECTION_COLUMNS,
  isUniqueViolation,
  toCollection,
  toEntries,
  type CollectionEntryRow,
  type CollectionRow,
} from '../rows/collection-rows.ts';
import type { SqliteDb } from './open.ts';

const FROM = `SELECT ${COLLECTION_COLUMNS} FROM collections c`;
const HAS_PAPERS = 'EXISTS (SELECT 1 FROM collection_papers cp WHERE cp.collection_id = c.id)';

/**
 * Creates the collections repository.
 * @example await createSqliteCollectionRepo(db, now).create({ slug: 'vit-3kq9', userId: 1, title: 'ViT', description: '', public: true });
 */
export function createSqliteCollectionRepo(db: SqliteDb, now: () => Date): CollectionRepo {
  const q = {
    insert: db.prepare(
      `INSERT INTO collections (slug, user_id, title, description, public, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    byId: db.prepare<[number], CollectionRow>(`${FROM} WHERE c.id = ?`),
    bySlug: db.prepare<[string], CollectionRow>(`${FROM} WHERE c.slug = ?`),
    update: db.prepare(
      'UPDATE collections SET title = ?, description = ?, public = ?, updated_at = ? WHERE id = ?',
    ),
    touch: db.prepare('UPDATE collections SET updated_at = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM collections WHERE id = ?'),
    byOwner: db.prepare<[number, number, number, number], CollectionRow>(
      `${FROM} WHERE c.user_id = ? AND (c.public = 1 OR ? = 0) ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
    ),
    countByOwner: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM collections WHERE user_id = ?',
    ),
    popular: db.prepare<[number, number], CollectionRow>(
      `${FROM} WHERE c.public = 1 AND ${HAS_PAPERS} ORDER BY votes DESC, c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
    ),
    recent: db.prepare<[number, number], CollectionRow>(
      `${FROM} WHERE c.public = 1 AND ${HAS_PAPERS} ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
    ),
    publicTotal: db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM collections c WHERE c.public = 1 AND ${HAS_PAPERS}`,
    ),
    withPaper: db.prepare<[string, number], CollectionRow>(
      `${FROM} JOIN collection_papers x ON x.collection_id = c.id JOIN papers p ON p.pk = x.paper_pk
       WHERE p.id = ? AND c.public = 1 ORDER BY votes DESC, c.updated_at DESC, c.id DESC LIMIT ?`,
    ),
    entries: db.prepare<[number], CollectionEntryRow>(
      `SELECT p.id, cp.note, cp.added_at FROM collection_papers cp JOIN papers p ON p.pk = cp.paper_pk
       WHERE cp.collection_id = ? ORDER BY cp.position, cp.added_at, p.pk`,
    ),
    pk: db.prepare<[string], { pk: number }>('SELECT pk FROM papers WHERE id = ?'),
    entry: db.prepare<[number, number], { note: string }>(
      'SELECT note FROM collection_papers WHERE collection_id = ? AND paper_pk = ?',
    ),
    setNote: db.prepare('UPDATE collection_papers SET note = ? WHERE collection_id = ? AND paper_pk = ?'),
    nextPosition: db.prepare<[number], { n: number }>(
      'SELECT coalesce(max(position) + 1, 0) AS n FROM collection_papers WHERE collection_id = ?',
    ),
    add: db.prepare(
      'INSERT INTO collection_papers (collection_id, paper_pk, position, note, added_at) VALUES (?, ?, ?, ?, ?)',
    ),
    remove: db.prepare(
      `DELETE FROM collection_papers WHERE collection_id = ? AND paper_pk = (SELECT pk FROM papers WHERE id = ?)`,
    ),
    pks: db.prepare<[number], { id: string; pk: number }>(
      'SELECT p.id, p.pk FROM collection_papers cp JOIN papers p ON p.pk = cp.paper_pk WHERE cp.collection_id = ?',
    ),
    setPosition: db.prepare(
      'UPDATE collection_papers SET position = ? WHERE collection_id = ? AND paper_pk = ?',
    ),
    voteOn: db.prepare(
      'INSERT INTO collection_votes (collection_id, user_id, cast_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    voteOff: db.prepare('DELETE FROM collection_votes WHERE collection_id = ? AND user_id = ?'),
    votes: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM collection_votes WHERE collection_id = ?',
    ),
    votedBy: db.prepare<[number, string], { id: number }>(
      `SELECT collection_id AS id FROM collection_votes
       WHERE user_id = ? AND collection_id IN (SELECT value FROM json_each(?))`,
    ),
  };
  const stamp = (): string => now().toISOString();
  const putTx = db.transaction((id: number, paperId: string, note: string | null) => {
    const paper = q.pk.get(paperId);
    if (!paper) return null;
    const had = q.entry.get(id, paper.pk);
    if (had) {
      if (note !== null) q.setNote.run(note, id, paper.pk);
    } else {
      q.add.run(id, paper.pk, q.nextPosition.get(id)?.n ?? 0, note ?? '', stamp());
    }
    q.touch.run(stamp(), id);
    return had ? 'updated' : 'added';
  });
  const removeTx = db.transaction((id: number, paperId: string) => {
    const gone = q.remove.run(id, paperId).changes > 0;
    if (gone) q.touch.run(stamp(), id);
    return gone;
  });
  const reorderTx = db.transaction((id: number, paperIds: readonly string[]) => {
    const pks = new Map(q.pks.all(id).map((r) => [r.id, r.pk]));
    if (new Set(paperIds).size !== paperIds.length || paperIds.length !== pks.size) return false;
    if (!paperIds.every((p) => pks.has(p))) return false;
    paperIds.forEach((p, i) => q.setPosition.run(i, id, pks.get(p)));
    q.touch.run(stamp(), id);
    return true;
  });
  return {
    async create(c) {
      const at = stamp();
      try {
        const r = q.insert.run(c.slug, c.userId, c.title, c.description, c.public ? 1 : 0, at, at);
        const row = q.byId.get(Number(r.lastInsertRowid));
        return row ? toCollection(row) : null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async bySlug(slug) {
      const row = q.bySlug.get(slug);
      return row ? toCollection(row) : null;
    },
    async update(id, c) {
      q.update.run(c.title, c.description, c.public ? 1 : 0, stamp(), id);
    },
    async delete(id) {
      return q.delete.run(id).changes > 0;
    },
    async byOwner(userId, o) {
      return q.byOwner.all(userId, o.publicOnly ? 1 : 0, o.limit, o.offset).map(toCollection);
    },
    async countByOwner(userId) {
      return q.countByOwner.get(userId)?.n ?? 0;
    },
    async listPublic(o) {
      const rows = (o.order === 'popular' ? q.popular : q.recent).all(o.limit, o.offset);
      return { collections: rows.map(toCollection), total: q.publicTotal.get()?.n ?? 0 };
    },
    async publicWithPaper(paperId, limit) {
      return q.withPaper.all(paperId, limit).map(toCollection);
    },
    async entries(id) {
      return toEntries(q.entries.all(id));
    },
    async putPaper(id, paperId, note) {
      return putTx(id, paperId, note);
    },
    async removePaper(id, paperId) {
      return removeTx(id, paperId);
    },
    async reorder(id, paperIds) {
      return reorderTx(id, paperIds);
    },
    async vote(userId, id, on) {
      if (on) q.voteOn.run(id, userId, stamp());
      else q.voteOff.run(id, userId);
      return q.votes.get(id)?.n ?? 0;
    },
    async votedBy(userId, ids) {
      if (ids.length === 0) return new Set();
      return new Set(q.votedBy.all(userId, JSON.stringify(ids)).map((r) => r.id));
    },
  };
}
