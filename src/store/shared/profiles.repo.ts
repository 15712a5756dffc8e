// Reader profiles (handles, the upvote-list setting) and who submitted which paper, written once for both engines.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ProfileRepo } from '../collections.ts';
import type { Database } from '../kysely/database.ts';
import { handleKey, toProfile, toSubmitter } from '../rows/collection-rows.ts';
import { arg, inIntList, inTextList, isUniqueViolation, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the profiles repository. Every query has a fixed shape, so each is compiled once (QueryDb.prepare):
 * handles and submitters are read for every page that shows comments or submitted papers.
 */
export function createProfileRepo(q: QueryDb, now: () => Date): ProfileRepo {
  const { engine } = q;
  const user = arg<number>('userId');
  const limit = arg<number>('limit');
  const offset = arg<number>('offset');
  const profile = (d: QueryDb['db']) =>
    d
      .selectFrom('profiles as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.user_id', 'p.handle', 'u.name', 'p.show_upvotes']);
  const submitter = (d: QueryDb['db']) =>
    d
      .selectFrom('paper_submissions as s')
      .innerJoin('papers as p', 'p.pk', 's.paper_pk')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('profiles as pr', 'pr.user_id', 's.user_id')
      .select(['p.id', 's.user_id', 'pr.handle', 'u.name', 's.submitted_at']);
  const hot = {
    get: q.prepare((d) => profile(d).where('p.user_id', '=', user)),
    byHandle: q.prepare((d) => profile(d).where('p.handle_key', '=', arg<string>('key'))),
    setHandle: q.prepare((d) =>
      d
        .insertInto('profiles')
        .values({
          user_id: user,
          handle: arg<string>('handle'),
          handle_key: arg<string>('key'),
          updated_at: arg<string>('at'),
        })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet((eb) => ({
            handle: eb.ref('excluded.handle'),
            handle_key: eb.ref('excluded.handle_key'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        ),
    ),
    setShow: q.prepare((d) =>
      d
        .updateTable('profiles')
        .set({ show_upvotes: arg<number>('show'), updated_at: arg<string>('at') })
        .where('user_id', '=', user),
    ),
    handles: q.prepare((d) =>
      d
        .selectFrom('profiles')
        .select(['user_id', 'handle'])
        .where(inIntList(engine, 'user_id', arg<number[]>('ids'))),
    ),
    pk: q.prepare((d) => d.selectFrom('papers').select('pk').where('id', '=', arg<string>('paperId'))),
    submit: q.prepare((d) =>
      d
        .insertInto('paper_submissions')
        .values({ paper_pk: arg<number>('pk'), user_id: user, submitted_at: arg<string>('at') })
        .onConflict((oc) => oc.column('paper_pk').doNothing()),
    ),
    submitter: q.prepare((d) => submitter(d).where('p.id', '=', arg<string>('paperId'))),
    submitters: q.prepare((d) => submitter(d).where(inTextList(engine, 'p.id', arg<string[]>('ids')))),
  };
  // A reader's submitted and upvoted papers: one page newest first, and how many in all, from (paper, time) rows.
  const listed = <TB extends keyof Database>(
    rows: (
      d: Kysely<Database>,
    ) => SelectQueryBuilder<Database, TB, { paper_pk: number; at: string | number }>,
  ) => ({
    page: q.prepare((d) =>
      d
        .selectFrom(rows(d).as('t'))
        .innerJoin('papers as p', 'p.pk', 't.paper_pk')
        .select('p.id')
        .orderBy('t.at', 'desc')
        .orderBy('p.pk', 'desc')
        .limit(limit)
        .offset(offset),
    ),
    total: q.prepare((d) => d.selectFrom(rows(d).as('t')).select((eb) => eb.fn.countAll<number>().as('n'))),
  });
  const submitted = listed((d) =>
    d.selectFrom('paper_submissions').select(['paper_pk', 'submitted_at as at']).where('user_id', '=', user),
  );
  const upvoted = listed((d) =>
    d.selectFrom('votes').select(['paper_pk', 'cast_ms as at']).where('user_id', '=', user),
  );
  const page = async (list: typeof submitted, args: { userId: number; limit: number; offset: number }) => ({
    paperIds: (await list.page.all(args)).map((r) => r.id),
    total: (await list.total.first(args))?.n ?? 0,
  });
  return {
    async get(userId) {
      const r = await hot.get.first({ userId });
      return r ? toProfile(r) : null;
    },
    async byHandle(handle) {
      const r = await hot.byHandle.first({ key: handleKey(handle) });
      return r ? toProfile(r) : null;
    },
    async setHandle(userId, handle) {
      try {
        await hot.setHandle.run({ userId, handle, key: handleKey(handle), at: now().toISOString() });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setShowUpvotes(userId, on) {
      return (await hot.setShow.run({ userId, show: on ? 1 : 0, at: now().toISOString() })) > 0;
    },
    async handlesOf(userIds) {
      if (userIds.length === 0) return new Map();
      return new Map((await hot.handles.all({ ids: userIds })).map((r) => [r.user_id, r.handle]));
    },
    async recordSubmission(userId, paperId) {
      const paper = await hot.pk.first({ paperId });
      if (!paper) return false;
      await hot.submit.run({ pk: paper.pk, userId, at: now().toISOString() });
      return true;
    },
    async submitter(paperId) {
      const r = await hot.submitter.first({ paperId });
      return r ? toSubmitter(r) : null;
    },
    async submitters(paperIds) {
      if (paperIds.length === 0) return new Map();
      return new Map((await hot.submitters.all({ ids: paperIds })).map((r) => [r.id, toSubmitter(r)]));
    },
    async submittedBy(userId, lim, off) {
      return page(submitted, { userId, limit: lim, offset: off });
    },
    async upvotedBy(userId, lim, off) {
      return page(upvoted, { userId, limit: lim, offset: off });
    },
  };
}
