// The discussion (comments, their votes and reports, notifications, suspensions), written once for both engines.
import { sql, type Kysely } from 'kysely';
import type { DiscussionRepo } from '../discussion.ts';
import type { Database } from '../kysely/database.ts';
import { toComment, toNotification } from '../rows/comment-rows.ts';
import { arg, inIntList, inTextList, transaction, type QueryDb } from '../kysely/query-db.ts';

/**
 * A comment with its paper, author and live vote count: `comments c` joined as every comment read needs.
 * Hidden and deleted comments are in it; callers that show only visible ones filter on `c.hidden_at` and
 * `c.deleted_at`.
 */
function comments(d: Kysely<Database>) {
  return d
    .selectFrom('comments as c')
    .innerJoin('papers as p', 'p.pk', 'c.paper_pk')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('profiles as pr', 'pr.user_id', 'c.user_id')
    .select((eb) => [
      'c.id',
      'p.id as paper_id',
      'c.parent_id',
      'c.user_id',
      'u.name as author_name',
      'pr.handle as author_handle',
      'c.body',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.hidden_at',
      eb
        .selectFrom('comment_votes as v')
        .select((v) => v.fn.countAll<number>().as('n'))
        .whereRef('v.comment_id', '=', 'c.id')
        .$asScalar()
        .$notNull()
        .as('votes'),
    ]);
}

/**
 * Creates the discussion repository. Every query has a fixed shape, so each is compiled once (QueryDb.prepare):
 * a paper page reads its thread, the reader's votes and the comment counts of its cards on every view, and
 * posting runs its four statements inside one transaction through the same compiled queries.
 */
export function createDiscussionRepo(q: QueryDb, now: () => Date): DiscussionRepo {
  const { engine } = q;
  const id = arg<number>('id');
  const user = arg<number>('userId');
  const at = arg<string>('at');
  const limit = arg<number>('limit');
  // The reports of a comment, newest first, as one JSON array of text (the aggregate is spelt per engine).
  const reasons =
    engine === 'sqlite'
      ? sql<string>`json_group_array(reason ORDER BY created_at DESC, id DESC)`
      : sql<string>`json_agg(reason ORDER BY created_at DESC, id DESC)::text`;
  const hot = {
    pk: q.prepare((d) => d.selectFrom('papers').select('pk').where('id', '=', arg<string>('paperId'))),
    insert: q.prepare((d) =>
      d
        .insertInto('comments')
        .values({
          paper_pk: arg<number>('pk'),
          user_id: user,
          parent_id: arg<number | null>('parentId'),
          body: arg<string>('body'),
          created_at: at,
        })
        .returning('id'),
    ),
    // The reply notice is written first: a parent author who also saved the paper hears "reply", the closer one.
    notifyParent: q.prepare((d) =>
      d
        .insertInto('notifications')
        .columns(['user_id', 'kind', 'comment_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('comments')
            .select(['user_id', eb.val('reply').as('kind'), eb.val(id).as('comment_id'), eb.val(at).as('at')])
            .where('id', '=', arg<number>('parentId'))
            .where('user_id', '<>', user),
        )
        .onConflict((oc) => oc.columns(['user_id', 'comment_id']).doNothing()),
    ),
    notifyLibrary: q.prepare((d) =>
      d
        .insertInto('notifications')
        .columns(['user_id', 'kind', 'comment_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('library')
            .select([
              'user_id',
              eb.val('library').as('kind'),
              eb.val(id).as('comment_id'),
              eb.val(at).as('at'),
            ])
            .where('paper_pk', '=', arg<number>('pk'))
            .where('user_id', '<>', user),
        )
        .onConflict((oc) => oc.columns(['user_id', 'comment_id']).doNothing()),
    ),
    get: q.prepare((d) => comments(d).where('c.id', '=', id)),
    forPaper: q.prepare((d) =>
      comments(d).where('p.id', '=', arg<string>('paperId')).orderBy('c.created_at').orderBy('c.id'),
    ),
    byAuthor: q.prepare((d) =>
      comments(d)
        .where('c.user_id', '=', user)
        .where('c.hidden_at', 'is', null)
        .where('c.deleted_at', 'is', null)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit),
    ),
    countByAuthor: q.prepare((d) =>
      d
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user)
        .where('created_at', '>=', arg<string>('since')),
    ),
    edit: q.prepare((d) =>
      d
        .updateTable('comments')
        .set({ body: arg<string>('body'), edited_at: at })
        .where('id', '=', id),
    ),
    del: q.prepare((d) => d.updateTable('comments').set({ body: '', deleted_at: at }).where('id', '=', id)),
    hide: q.prepare((d) =>
      d
        .updateTable('comments')
        .set({ hidden_at: arg<string | null>('at') })
        .where('id', '=', id),
    ),
    addVote: q.prepare((d) =>
      d
        .insertInto('comment_votes')
        .values({ user_id: user, comment_id: id, cast_ms: arg<number>('atMs') })
        .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing()),
    ),
    removeVote: q.prepare((d) =>
      d.deleteFrom('comment_votes').where('user_id', '=', user).where('comment_id', '=', id),
    ),
    voteCount: q.prepare((d) =>
      d
        .selectFrom('comment_votes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('comment_id', '=', id),
    ),
    votedAmong: q.prepare((d) =>
      d
        .selectFrom('comment_votes')
        .select('comment_id as id')
        .where('user_id', '=', user)
        .where(inIntList(engine, 'comment_id', arg<number[]>('ids'))),
    ),
    counts: q.prepare((d) =>
      d
        .selectFrom('papers as p')
        .innerJoin('comments as c', 'c.paper_pk', 'p.pk')
        .select(['p.id', (eb) => eb.fn.countAll<number>().as('n')])
        .where(inTextList(engine, 'p.id', arg<string[]>('ids')))
        .where('c.hidden_at', 'is', null)
        .where('c.deleted_at', 'is', null)
        .groupBy('p.pk'),
    ),
    report: q.prepare((d) =>
      d
        .insertInto('comment_reports')
        .values({ comment_id: id, user_id: user, reason: arg<string>('reason'), created_at: at })
        .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing()),
    ),
    openReports: q.prepare((d) =>
      comments(d)
        .innerJoin(
          (eb) =>
            eb
              .selectFrom('comment_reports')
              .select((r) => [
                'comment_id',
                r.fn.countAll<number>().as('reports'),
                reasons.as('reasons'),
                r.fn.max('created_at').as('last_at'),
              ])
              .where('resolved_at', 'is', null)
              .groupBy('comment_id')
              .as('r'),
          (j) => j.onRef('r.comment_id', '=', 'c.id'),
        )
        .select(['r.reports', 'r.reasons', 'r.last_at'])
        .orderBy('r.reports', 'desc')
        .orderBy('r.last_at', 'desc')
        .limit(limit),
    ),
    resolve: q.prepare((d) =>
      d
        .updateTable('comment_reports')
        .set({ resolved_at: at })
        .where('comment_id', '=', id)
        .where('resolved_at', 'is', null),
    ),
    suspend: q.prepare((d) =>
      d
        .insertInto('account_suspensions')
        .values({ user_id: user, suspended_by: arg<number>('by'), created_at: at })
        .onConflict((oc) => oc.column('user_id').doNothing()),
    ),
    unsuspend: q.prepare((d) => d.deleteFrom('account_suspensions').where('user_id', '=', user)),
    suspended: q.prepare((d) =>
      d
        .selectFrom('account_suspensions')
        .select((eb) => eb.lit(1).as('one'))
        .where('user_id', '=', user),
    ),
    notifications: q.prepare((d) =>
      d
        .selectFrom('notifications as n')
        .innerJoin('comments as c', 'c.id', 'n.comment_id')
        .innerJoin('papers as p', 'p.pk', 'c.paper_pk')
        .innerJoin('users as u', 'u.id', 'c.user_id')
        .select([
          'n.id',
          'n.kind',
          'n.comment_id',
          'p.id as paper_id',
          'p.title as paper_title',
          'u.name as author_name',
          'c.body',
          'n.created_at',
          'n.read_at',
        ])
        .where('n.user_id', '=', user)
        .where('n.created_at', '>=', arg<string>('since'))
        .where('c.hidden_at', 'is', null)
        .where('c.deleted_at', 'is', null)
        .orderBy('n.id', 'desc')
        .limit(limit),
    ),
    unread: q.prepare((d) =>
      d
        .selectFrom('notifications as n')
        .innerJoin('comments as c', 'c.id', 'n.comment_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('n.user_id', '=', user)
        .where('n.read_at', 'is', null)
        .where('c.hidden_at', 'is', null)
        .where('c.deleted_at', 'is', null),
    ),
    markRead: q.prepare((d) =>
      d
        .updateTable('notifications')
        .set({ read_at: at })
        .where('user_id', '=', user)
        .where('read_at', 'is', null),
    ),
  };
  const stamp = (): string => now().toISOString();
  const get = async (commentId: number) => {
    const r = await hot.get.first({ id: commentId });
    return r ? toComment(r) : null;
  };
  return {
    async add(c) {
      const commentId = await transaction(q, async (tx) => {
        const paper = await hot.pk.first({ paperId: c.paperId }, tx);
        if (!paper) return null;
        const args = { pk: paper.pk, userId: c.userId, parentId: c.parentId, body: c.body, at: stamp() };
        const row = await hot.insert.first(args, tx);
        if (!row) throw new Error('comment insert returned nothing');
        if (c.parentId !== null) await hot.notifyParent.run({ ...args, id: row.id }, tx);
        await hot.notifyLibrary.run({ ...args, id: row.id }, tx);
        return row.id;
      });
      return commentId === null ? null : get(commentId);
    },
    get,
    async forPaper(paperId) {
      return (await hot.forPaper.all({ paperId })).map(toComment);
    },
    async byAuthor(userId, lim) {
      return (await hot.byAuthor.all({ userId, limit: lim })).map(toComment);
    },
    async countByAuthor(userId, sinceIso) {
      return (await hot.countByAuthor.first({ userId, since: sinceIso }))?.n ?? 0;
    },
    async edit(commentId, body) {
      await hot.edit.run({ id: commentId, body, at: stamp() });
    },
    async markDeleted(commentId) {
      await hot.del.run({ id: commentId, at: stamp() });
    },
    async setHidden(commentId, hidden) {
      await hot.hide.run({ id: commentId, at: hidden ? stamp() : null });
    },
    async vote(userId, commentId, on, atMs) {
      return transaction(q, async (tx) => {
        if (on) await hot.addVote.run({ userId, id: commentId, atMs }, tx);
        else await hot.removeVote.run({ userId, id: commentId }, tx);
        return (await hot.voteCount.first({ id: commentId }, tx))?.n ?? 0;
      });
    },
    async votedAmong(userId, ids) {
      if (ids.length === 0) return new Set();
      return new Set((await hot.votedAmong.all({ userId, ids })).map((r) => r.id));
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      return new Map((await hot.counts.all({ ids: paperIds })).map((r) => [r.id, r.n]));
    },
    async report(commentId, userId, reason) {
      return (await hot.report.run({ id: commentId, userId, reason, at: stamp() })) > 0;
    },
    async openReports(lim) {
      return (await hot.openReports.all({ limit: lim })).map((r) => ({
        commentId: r.id,
        reports: Number(r.reports),
        reasons: JSON.parse(r.reasons) as string[],
        lastAt: r.last_at,
        comment: toComment(r),
      }));
    },
    async resolveReports(commentId) {
      return hot.resolve.run({ id: commentId, at: stamp() });
    },
    async suspend(userId, byUserId) {
      await hot.suspend.run({ userId, by: byUserId, at: stamp() });
    },
    async unsuspend(userId) {
      await hot.unsuspend.run({ userId });
    },
    async isSuspended(userId) {
      return (await hot.suspended.first({ userId })) !== undefined;
    },
    async notifications(userId, lim, sinceIso = '') {
      return (await hot.notifications.all({ userId, since: sinceIso, limit: lim })).map(toNotification);
    },
    async unreadCount(userId) {
      return (await hot.unread.first({ userId }))?.n ?? 0;
    },
    async markAllRead(userId) {
      return hot.markRead.run({ userId, at: stamp() });
    },
  };
}
