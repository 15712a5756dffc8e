// Readers' libraries (saved papers with tags, the tags also indexed for filtering), written once for both engines.
import type { LibraryRepo } from '../store.ts';
import { toLibraryEntry } from '../rows/library-rows.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../kysely/database.ts';
import { arg, changed, inTextList, transaction, type QueryDb } from '../kysely/query-db.ts';

/** Papers per multi-row insert in saveMany: with 20 tags each, 6,000 tag parameters, under both engines' limits. */
const SAVE_BATCH = 100;

/**
 * Creates the library repository; saving again replaces the tags and keeps the first save time.
 */
export function createLibraryRepo(q: QueryDb, now: () => Date): LibraryRepo {
  const { db, engine } = q;
  /** A reader's saved papers, only those with `tag` when one is given (library_tags indexes the tags). */
  const saved = (userId: number, tag: string | undefined) =>
    db
      .selectFrom('library as l')
      .where('l.user_id', '=', userId)
      .$if(tag !== undefined, (qb) =>
        qb.where('l.paper_pk', 'in', (eb) =>
          eb
            .selectFrom('library_tags')
            .select('paper_pk')
            .where('user_id', '=', userId)
            .where('tag', '=', tag ?? ''),
        ),
      );
  // Read for every page of cards a signed-in reader sees: compiled once (QueryDb.prepare).
  const savedAmong = q.prepare((d) =>
    d
      .selectFrom('library as l')
      .innerJoin('papers as p', 'p.pk', 'l.paper_pk')
      .select('p.id')
      .where('l.user_id', '=', arg<number>('userId'))
      .where(inTextList(engine, 'p.id', arg<string[]>('ids'))),
  );
  /** Saves these papers with `tags`: a repeat replaces the tags and keeps the first save time. */
  const write = async (
    tx: Transaction<Database>,
    userId: number,
    pks: readonly number[],
    tags: readonly string[],
  ) => {
    const savedAt = now().toISOString();
    await tx
      .insertInto('library')
      .values(
        pks.map((pk) => ({ user_id: userId, paper_pk: pk, tags: JSON.stringify(tags), saved_at: savedAt })),
      )
      .onConflict((oc) =>
        oc.columns(['user_id', 'paper_pk']).doUpdateSet((eb) => ({ tags: eb.ref('excluded.tags') })),
      )
      .execute();
    await tx.deleteFrom('library_tags').where('user_id', '=', userId).where('paper_pk', 'in', pks).execute();
    const distinct = [...new Set(tags)];
    if (distinct.length > 0)
      await tx
        .insertInto('library_tags')
        .values(pks.flatMap((pk) => distinct.map((tag) => ({ user_id: userId, tag, paper_pk: pk }))))
        .execute();
  };
  return {
    async save(userId, paperId, tags) {
      return transaction(q, async (tx) => {
        const row = await tx.selectFrom('papers').select('pk').where('id', '=', paperId).executeTakeFirst();
        if (!row) return false;
        await write(tx, userId, [row.pk], tags);
        return true;
      });
    },
    async saveMany(userId, paperIds, tags) {
      if (paperIds.length === 0) return [];
      return transaction(q, async (tx) => {
        const known = await tx
          .selectFrom('papers')
          .select(['pk', 'id'])
          .where(inTextList(engine, 'id', [...new Set(paperIds)]))
          .execute();
        // The caller sends batches of a few hundred; rows per insert stay well under either engine's
        // parameter limit (4 per library row, 3 per tag row).
        for (let i = 0; i < known.length; i += SAVE_BATCH)
          await write(
            tx,
            userId,
            known.slice(i, i + SAVE_BATCH).map((r) => r.pk),
            tags,
          );
        const ids = new Set(known.map((r) => r.id));
        return paperIds.filter((id) => ids.has(id));
      });
    },
    async remove(userId, paperId) {
      const r = await db
        .deleteFrom('library')
        .where('user_id', '=', userId)
        .where('paper_pk', '=', (eb) => eb.selectFrom('papers').select('pk').where('id', '=', paperId))
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async get(userId, paperId) {
      const r = await saved(userId, undefined)
        .innerJoin('papers as p', 'p.pk', 'l.paper_pk')
        .select(['p.id', 'l.tags', 'l.saved_at'])
        .where('p.id', '=', paperId)
        .executeTakeFirst();
      return r ? toLibraryEntry(r) : null;
    },
    async list(userId, lq) {
      const rows = await saved(userId, lq.tag)
        .innerJoin('papers as p', 'p.pk', 'l.paper_pk')
        .select(['p.id', 'l.tags', 'l.saved_at'])
        .orderBy('l.saved_at', 'desc')
        .orderBy('p.pk', 'desc')
        .limit(lq.limit)
        .offset(lq.offset)
        .execute();
      const total = await saved(userId, lq.tag)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return { entries: rows.map(toLibraryEntry), total: total?.n ?? 0 };
    },
    async tags(userId) {
      return db
        .selectFrom('library_tags')
        .select(['tag', (eb) => eb.fn.countAll<number>().as('count')])
        .where('user_id', '=', userId)
        .groupBy('tag')
        .orderBy('tag')
        .execute();
    },
    async savedAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await savedAmong.all({ userId, ids: paperIds });
      return new Set(rows.map((r) => r.id));
    },
  };
}
