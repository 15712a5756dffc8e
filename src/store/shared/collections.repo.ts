// Collections (papers in the owner's order with notes) and readers' upvotes on them, written once for both engines.
import { sql, type Kysely } from 'kysely';
import type { CollectionRepo } from '../collections.ts';
import type { Database } from '../kysely/database.ts';
import { toCollection, toEntries } from '../rows/collection-rows.ts';
import {
  arg,
  inIntList,
  isUniqueViolation,
  transaction,
  type Engine,
  type QueryDb,
} from '../kysely/query-db.ts';

/** A collection with its live paper and vote counts (`c` is the collections row). */
function collections(d: Kysely<Database>) {
  return d.selectFrom('collections as c').select((eb) => [
    'c.id',
    'c.slug',
    'c.user_id',
    'c.title',
    'c.description',
    'c.public',
    'c.created_at',
    'c.updated_at',
    eb
      .selectFrom('collection_papers as cp')
      .select((s) => s.fn.countAll<number>().as('n'))
      .whereRef('cp.collection_id', '=', 'c.id')
      .$asScalar()
      .$notNull()
      .as('papers'),
    eb
      .selectFrom('collection_votes as cv')
      .select((s) => s.fn.countAll<number>().as('n'))
      .whereRef('cv.collection_id', '=', 'c.id')
      .$asScalar()
      .$notNull()
      .as('votes'),
  ]);
}

/** Public collections that hold at least one paper: the ones listed to everybody. */
function listedPublic(d: Kysely<Database>) {
  return collections(d)
    .where('c.public', '=', 1)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('collection_papers as cp').select('cp.paper_pk').whereRef('cp.collection_id', '=', 'c.id'),
      ),
    );
}

/**
 * The papers' new order as rows (value: paper key, key: position from 0), from one list parameter: the engines
 * spell a numbered list differently (json_each's own key on SQLite, unnest WITH ORDINALITY on PostgreSQL).
 */
function orderedKeys(engine: Engine, pks: readonly number[]) {
  return engine === 'sqlite'
    ? sql<OrderedKey>`(SELECT key, value FROM json_each(${JSON.stringify(pks)}))`
    : sql<OrderedKey>`(SELECT n - 1 AS key, pk AS value FROM unnest(${pks}::bigint[]) WITH ORDINALITY AS u(pk, n))`;
}

/** One row of orderedKeys. */
interface OrderedKey {
  key: number;
  value: number;
}

/**
 * Creates the collections repository. Reads and single writes are compiled once (QueryDb.prepare); the
 * transactions run the same compiled queries on their connection.
 */
export function createCollectionRepo(q: QueryDb, now: () => Date): CollectionRepo {
  const { engine } = q;
  const id = arg<number>('id');
  const at = arg<string>('at');
  const limit = arg<number>('limit');
  const offset = arg<number>('offset');
  const pk = arg<number>('pk');
  // What an owner writes, at creation and on every change.
  const fields = {
    title: arg<string>('title'),
    description: arg<string>('description'),
    public: arg<number>('public'),
    updated_at: at,
  };
  /** An owner's collections, most recently changed first (only the public ones with `publicOnly`). */
  const byOwner = (publicOnly: boolean) =>
    q.prepare((d) =>
      collections(d)
        .where('c.user_id', '=', arg<number>('userId'))
        .$if(publicOnly, (qb) => qb.where('c.public', '=', 1))
        .orderBy('c.updated_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .offset(offset),
    );
  const hot = {
    insert: q.prepare((d) =>
      d
        .insertInto('collections')
        .values({ ...fields, slug: arg<string>('slug'), user_id: arg<number>('userId'), created_at: at })
        .returning('id'),
    ),
    byId: q.prepare((d) => collections(d).where('c.id', '=', id)),
    bySlug: q.prepare((d) => collections(d).where('c.slug', '=', arg<string>('slug'))),
    update: q.prepare((d) => d.updateTable('collections').set(fields).where('id', '=', id)),
    touch: q.prepare((d) => d.updateTable('collections').set({ updated_at: at }).where('id', '=', id)),
    delete: q.prepare((d) => d.deleteFrom('collections').where('id', '=', id)),
    byOwner: byOwner(false),
    publicByOwner: byOwner(true),
    countByOwner: q.prepare((d) =>
      d
        .selectFrom('collections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', arg<number>('userId')),
    ),
    popular: q.prepare((d) =>
      listedPublic(d)
        .orderBy('votes', 'desc')
        .orderBy('c.updated_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .offset(offset),
    ),
    recent: q.prepare((d) =>
      listedPublic(d).orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc').limit(limit).offset(offset),
    ),
    publicTotal: q.prepare((d) =>
      d
        .selectFrom('collections as c')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('c.public', '=', 1)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('collection_papers as cp')
              .select('cp.paper_pk')
              .whereRef('cp.collection_id', '=', 'c.id'),
          ),
        ),
    ),
    withPaper: q.prepare((d) =>
      collections(d)
        .innerJoin('collection_papers as x', 'x.collection_id', 'c.id')
        .innerJoin('papers as p', 'p.pk', 'x.paper_pk')
        .where('p.id', '=', arg<string>('paperId'))
        .where('c.public', '=', 1)
        .orderBy('votes', 'desc')
        .orderBy('c.updated_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit),
    ),
    entries: q.prepare((d) =>
      d
        .selectFrom('collection_papers as cp')
        .innerJoin('papers as p', 'p.pk', 'cp.paper_pk')
        .select(['p.id', 'cp.note', 'cp.added_at'])
        .where('cp.collection_id', '=', id)
        .orderBy('cp.position')
        .orderBy('cp.added_at')
        .orderBy('p.pk'),
    ),
    // The collection row lock serializes adds and reorders, so two at once cannot take the same position.
    lock: q.prepare((d) => d.selectFrom('collections').select('id').where('id', '=', id).forUpdate()),
    pk: q.prepare((d) => d.selectFrom('papers').select('pk').where('id', '=', arg<string>('paperId'))),
    entry: q.prepare((d) =>
      d
        .selectFrom('collection_papers')
        .select('note')
        .where('collection_id', '=', id)
        .where('paper_pk', '=', pk),
    ),
    setNote: q.prepare((d) =>
      d
        .updateTable('collection_papers')
        .set({ note: arg<string>('note') })
        .where('collection_id', '=', id)
        .where('paper_pk', '=', pk),
    ),
    // At the end: one past the highest position, in the same statement as the insert.
    add: q.prepare((d) =>
      d
        .insertInto('collection_papers')
        .columns(['collection_id', 'paper_pk', 'position', 'note', 'added_at'])
        .expression((eb) =>
          eb
            .selectFrom('collection_papers')
            .select((s) => [
              s.val(id).as('collection_id'),
              s.val(pk).as('paper_pk'),
              s.fn.coalesce(sql<number>`max(position) + 1`, s.lit(0)).as('position'),
              s.val(arg<string>('note')).as('note'),
              s.val(at).as('added_at'),
            ])
            .where('collection_id', '=', id),
        ),
    ),
    remove: q.prepare((d) =>
      d
        .deleteFrom('collection_papers')
        .where('collection_id', '=', id)
        .where('paper_pk', '=', (eb) =>
          eb.selectFrom('papers').select('pk').where('id', '=', arg<string>('paperId')),
        ),
    ),
    pks: q.prepare((d) =>
      d
        .selectFrom('collection_papers as cp')
        .innerJoin('papers as p', 'p.pk', 'cp.paper_pk')
        .select(['p.id', 'p.pk'])
        .where('cp.collection_id', '=', id),
    ),
    voteOn: q.prepare((d) =>
      d
        .insertInto('collection_votes')
        .values({ collection_id: id, user_id: arg<number>('userId'), cast_at: at })
        .onConflict((oc) => oc.columns(['collection_id', 'user_id']).doNothing()),
    ),
    voteOff: q.prepare((d) =>
      d
        .deleteFrom('collection_votes')
        .where('collection_id', '=', id)
        .where('user_id', '=', arg<number>('userId')),
    ),
    votes: q.prepare((d) =>
      d
        .selectFrom('collection_votes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('collection_id', '=', id),
    ),
    votedBy: q.prepare((d) =>
      d
        .selectFrom('collection_votes')
        .select('collection_id as id')
        .where('user_id', '=', arg<number>('userId'))
        .where(inIntList(engine, 'collection_id', arg<number[]>('ids'))),
    ),
  };
  const stamp = (): string => now().toISOString();
  /** Takes the collection's row lock where the engine has one (SQLite's writer already runs alone). */
  const lock = async (tx: Parameters<typeof hot.lock.run>[1], collectionId: number) => {
    if (engine === 'postgres') await hot.lock.run({ id: collectionId }, tx);
  };
  return {
    async create(c) {
      const values = {
        slug: c.slug,
        userId: c.userId,
        title: c.title,
        description: c.description,
        public: c.public ? 1 : 0,
        at: stamp(),
      };
      try {
        const r = await hot.insert.first(values);
        const row = r ? await hot.byId.first({ id: r.id }) : undefined;
        return row ? toCollection(row) : null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async bySlug(slug) {
      const row = await hot.bySlug.first({ slug });
      return row ? toCollection(row) : null;
    },
    async update(collectionId, c) {
      await hot.update.run({
        id: collectionId,
        title: c.title,
        description: c.description,
        public: c.public ? 1 : 0,
        at: stamp(),
      });
    },
    async delete(collectionId) {
      return (await hot.delete.run({ id: collectionId })) > 0;
    },
    async byOwner(userId, o) {
      const query = o.publicOnly ? hot.publicByOwner : hot.byOwner;
      return (await query.all({ userId, limit: o.limit, offset: o.offset })).map(toCollection);
    },
    async countByOwner(userId) {
      return (await hot.countByOwner.first({ userId }))?.n ?? 0;
    },
    async listPublic(o) {
      const rows = await (o.order === 'popular' ? hot.popular : hot.recent).all({
        limit: o.limit,
        offset: o.offset,
      });
      return { collections: rows.map(toCollection), total: (await hot.publicTotal.first())?.n ?? 0 };
    },
    async publicWithPaper(paperId, lim) {
      return (await hot.withPaper.all({ paperId, limit: lim })).map(toCollection);
    },
    async entries(collectionId) {
      return toEntries(await hot.entries.all({ id: collectionId }));
    },
    async putPaper(collectionId, paperId, note) {
      return transaction(q, async (tx) => {
        await lock(tx, collectionId);
        const paper = await hot.pk.first({ paperId }, tx);
        if (!paper) return null;
        const had = await hot.entry.first({ id: collectionId, pk: paper.pk }, tx);
        if (had) {
          if (note !== null) await hot.setNote.run({ id: collectionId, pk: paper.pk, note }, tx);
        } else {
          await hot.add.run({ id: collectionId, pk: paper.pk, note: note ?? '', at: stamp() }, tx);
        }
        await hot.touch.run({ id: collectionId, at: stamp() }, tx);
        return had ? 'updated' : 'added';
      });
    },
    async removePaper(collectionId, paperId) {
      return transaction(q, async (tx) => {
        const gone = (await hot.remove.run({ id: collectionId, paperId }, tx)) > 0;
        if (gone) await hot.touch.run({ id: collectionId, at: stamp() }, tx);
        return gone;
      });
    },
    async reorder(collectionId, paperIds) {
      return transaction(q, async (tx) => {
        await lock(tx, collectionId);
        const pks = new Map((await hot.pks.all({ id: collectionId }, tx)).map((r) => [r.id, r.pk]));
        if (new Set(paperIds).size !== paperIds.length || paperIds.length !== pks.size) return false;
        if (!paperIds.every((p) => pks.has(p))) return false;
        // One statement whatever the length (a collection holds up to 1,000 papers).
        const order = orderedKeys(
          engine,
          paperIds.map((p) => pks.get(p) ?? 0),
        );
        await tx
          .updateTable('collection_papers')
          .from(order.as('o'))
          .set((eb) => ({ position: eb.ref('o.key') }))
          .where('collection_papers.collection_id', '=', collectionId)
          .whereRef('collection_papers.paper_pk', '=', 'o.value')
          .execute();
        await hot.touch.run({ id: collectionId, at: stamp() }, tx);
        return true;
      });
    },
    async vote(userId, collectionId, on) {
      if (on) await hot.voteOn.run({ id: collectionId, userId, at: stamp() });
      else await hot.voteOff.run({ id: collectionId, userId });
      return (await hot.votes.first({ id: collectionId }))?.n ?? 0;
    },
    async votedBy(userId, ids) {
      if (ids.length === 0) return new Set();
      return new Set((await hot.votedBy.all({ userId, ids })).map((r) => r.id));
    },
  };
}
