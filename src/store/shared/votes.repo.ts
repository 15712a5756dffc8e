// Upvotes, one per reader per paper with the time it was cast, written once for both engines.
import type { VoteRepo } from '../store.ts';
import { arg, inTextList, transaction, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the vote repository. Id lists travel as one parameter (inTextList), so the statement is the same
 * for every list.
 */
export function createVoteRepo(q: QueryDb): VoteRepo {
  const { db, engine } = q;
  // Read for every page of cards: compiled once (QueryDb.prepare).
  const counts = q.prepare((d) =>
    d
      .selectFrom('papers as p')
      .innerJoin('votes as v', 'v.paper_pk', 'p.pk')
      .select(['p.id', (eb) => eb.fn.countAll<number>().as('n')])
      .where(inTextList(engine, 'p.id', arg<string[]>('ids')))
      .groupBy('p.pk'),
  );
  const votedBy = q.prepare((d) =>
    d
      .selectFrom('papers as p')
      .innerJoin('votes as v', 'v.paper_pk', 'p.pk')
      .select('p.id')
      .where('v.user_id', '=', arg<number>('userId'))
      .where(inTextList(engine, 'p.id', arg<string[]>('ids'))),
  );
  return {
    async set(userId, paperId, on, atMs) {
      return transaction(q, async (tx) => {
        const row = await tx.selectFrom('papers').select('pk').where('id', '=', paperId).executeTakeFirst();
        if (!row) return null;
        if (on) {
          // The exact conflict target: a second vote is a no-op, any other violation still fails.
          await tx
            .insertInto('votes')
            .values({ user_id: userId, paper_pk: row.pk, cast_ms: atMs })
            .onConflict((oc) => oc.columns(['user_id', 'paper_pk']).doNothing())
            .execute();
        } else {
          await tx.deleteFrom('votes').where('user_id', '=', userId).where('paper_pk', '=', row.pk).execute();
        }
        const n = await tx
          .selectFrom('votes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('paper_pk', '=', row.pk)
          .executeTakeFirst();
        return { voted: on, count: n?.n ?? 0 };
      });
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      const rows = await counts.all({ ids: paperIds });
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async votedBy(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await votedBy.all({ userId, ids: paperIds });
      return new Set(rows.map((r) => r.id));
    },
    async has(userId, paperId) {
      const r = await db
        .selectFrom('votes as v')
        .innerJoin('papers as p', 'p.pk', 'v.paper_pk')
        .select((eb) => eb.lit(1).as('one'))
        .where('v.user_id', '=', userId)
        .where('p.id', '=', paperId)
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
