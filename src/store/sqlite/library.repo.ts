// SQLite repository for readers' libraries: saved papers with tags (tags also indexed for filtering).
import type { TagCount } from '../../domain/index.ts';
import type { LibraryRepo } from '../store.ts';
import { toLibraryEntry, type LibraryEntryRow } from '../rows/library-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the library repository; saving again replaces the tags and keeps the first save time.
 */
export function createSqliteLibraryRepo(db: SqliteDb, now: () => Date): LibraryRepo {
  const q = {
    pk: db.prepare<[string], { pk: number }>('SELECT pk FROM papers WHERE id = ?'),
    upsert: db.prepare(
      `INSERT INTO library (user_id, paper_pk, tags, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, paper_pk) DO UPDATE SET tags = excluded.tags`,
    ),
    clearTags: db.prepare('DELETE FROM library_tags WHERE user_id = ? AND paper_pk = ?'),
    addTag: db.prepare('INSERT OR IGNORE INTO library_tags (user_id, tag, paper_pk) VALUES (?, ?, ?)'),
    remove: db.prepare('DELETE FROM library WHERE user_id = ? AND paper_pk = ?'),
    get: db.prepare<[number, string], LibraryEntryRow>(
      'SELECT p.id, l.tags, l.saved_at FROM library l JOIN papers p ON p.pk = l.paper_pk WHERE l.user_id = ? AND p.id = ?',
    ),
    list: db.prepare<[number, number, number], LibraryEntryRow>(
      `SELECT p.id, l.tags, l.saved_at FROM library l JOIN papers p ON p.pk = l.paper_pk
       WHERE l.user_id = ? ORDER BY l.saved_at DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    total: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM library WHERE user_id = ?'),
    listTag: db.prepare<[number, string, number, number], LibraryEntryRow>(
      `SELECT p.id, l.tags, l.saved_at FROM library_tags t
       JOIN library l ON l.user_id = t.user_id AND l.paper_pk = t.paper_pk JOIN papers p ON p.pk = t.paper_pk
       WHERE t.user_id = ? AND t.tag = ? ORDER BY l.saved_at DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    totalTag: db.prepare<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM library_tags WHERE user_id = ? AND tag = ?',
    ),
    tags: db.prepare<[number], TagCount>(
      'SELECT tag, count(*) AS count FROM library_tags WHERE user_id = ? GROUP BY tag ORDER BY tag',
    ),
    among: db.prepare<[number, string], { id: string }>(
      `SELECT p.id FROM library l JOIN papers p ON p.pk = l.paper_pk
       WHERE l.user_id = ? AND p.id IN (SELECT value FROM json_each(?))`,
    ),
  };
  const saveTx = db.transaction((userId: number, paperId: string, tags: readonly string[]) => {
    const row = q.pk.get(paperId);
    if (!row) return false;
    q.upsert.run(userId, row.pk, JSON.stringify(tags), now().toISOString());
    q.clearTags.run(userId, row.pk);
    for (const t of tags) q.addTag.run(userId, t, row.pk);
    return true;
  });
  const saveManyTx = db.transaction((userId: number, paperIds: readonly string[], tags: readonly string[]) =>
    paperIds.filter((id) => saveTx(userId, id, tags)),
  );
  const removeTx = db.transaction((userId: number, paperId: string) => {
    const row = q.pk.get(paperId);
    return row ? q.remove.run(userId, row.pk).changes > 0 : false;
  });
  return {
    async save(userId, paperId, tags) {
      return saveTx(userId, paperId, tags);
    },
    async saveMany(userId, paperIds, tags) {
      return saveManyTx(userId, paperIds, tags);
    },
    async remove(userId, paperId) {
      return removeTx(userId, paperId);
    },
    async get(userId, paperId) {
      const r = q.get.get(userId, paperId);
      return r ? toLibraryEntry(r) : null;
    },
    async list(userId, lq) {
      if (lq.tag !== undefined) {
        const entries = q.listTag.all(userId, lq.tag, lq.limit, lq.offset).map(toLibraryEntry);
        return { entries, total: q.totalTag.get(userId, lq.tag)?.n ?? 0 };
      }
      return {
        entries: q.list.all(userId, lq.limit, lq.offset).map(toLibraryEntry),
        total: q.total.get(userId)?.n ?? 0,
      };
    },
    async tags(userId) {
      return q.tags.all(userId);
    },
    async savedAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      return new Set(q.among.all(userId, JSON.stringify(paperIds)).map((r) => r.id));
    },
  };
}
