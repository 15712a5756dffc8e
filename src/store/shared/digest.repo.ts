// Digest subscriptions and the delivery outbox, written once for both engines; only claiming due rows is the
// engine's own (passed in as `claim`: SQLite's one immediate transaction, PostgreSQL's FOR UPDATE SKIP LOCKED).
import type { DigestRepo, OutboxCounts, Subscription } from '../digest.ts';
import { toDeliveryAttempt, toOutboxItem, toSubscription } from '../rows/digest-rows.ts';
import { arg, changed, inTextList, transaction, type QueryDb, type Queryable } from '../kysely/query-db.ts';

/** Rows per multi-row INSERT of sent papers (3 parameters each). */
const INSERT_CHUNK = 1000;

/**
 * Creates the digest repository around the engine's `claim`, and its `enqueue` where the engine writes its
 * own (PostgreSQL, docs/DESIGN.md). Error texts are stored as given: how much of an SMTP reply to keep is the
 * delivery service's rule.
 */
export function createDigestRepo(
  q: QueryDb,
  now: () => Date,
  claim: DigestRepo['claim'],
  enqueue?: DigestRepo['enqueue'],
): DigestRepo {
  const { db, engine } = q;
  const iso = (): string => now().toISOString();
  const subs = () => db.selectFrom('digest_subscriptions').selectAll();
  const one = async (
    r: Promise<Parameters<typeof toSubscription>[0] | undefined>,
  ): Promise<Subscription | null> => {
    const row = await r;
    return row ? toSubscription(row) : null;
  };
  // The calls made per subscriber and per digest sent, compiled once (QueryDb.prepare: no building per call).
  const hot = {
    get: q.prepare((d) =>
      d.selectFrom('digest_subscriptions').selectAll().where('id', '=', arg<number>('id')),
    ),
    byEmail: q.prepare((d) =>
      d.selectFrom('digest_subscriptions').selectAll().where('email', '=', arg<string>('email')),
    ),
    active: q.prepare((d) =>
      d
        .selectFrom('digest_subscriptions')
        .selectAll()
        .where('status', '=', 'active')
        .where('id', '>', arg<number>('afterId'))
        .orderBy('id')
        .limit(arg<number>('limit')),
    ),
    hasDigest: q.prepare((d) =>
      d
        .selectFrom('digest_outbox')
        .select('id')
        .where('subscription_id', '=', arg<number>('subId'))
        .where('digest_date', '=', arg<string>('date')),
    ),
    lastDigestDate: q.prepare((d) =>
      d
        .selectFrom('digest_outbox')
        .select((eb) => eb.fn.max('digest_date').as('d'))
        .where('subscription_id', '=', arg<number>('subId')),
    ),
    sentAmong: q.prepare((d) =>
      d
        .selectFrom('digest_sent_papers')
        .select('paper_id')
        .where('subscription_id', '=', arg<number>('subId'))
        .where(inTextList(engine, 'paper_id', arg<string[]>('ids'))),
    ),
    markSent: q.prepare((d) =>
      d
        .updateTable('digest_outbox')
        .set({ status: 'sent', sent_at: arg<string>('at'), lease_until: null, last_error: null })
        .where('id', '=', arg<number>('id'))
        .where('owner', '=', arg<string>('owner'))
        .where('status', '=', 'sending'),
    ),
    markRetry: q.prepare((d) =>
      d
        .updateTable('digest_outbox')
        .set({
          status: arg<'failed' | 'queued'>('status'),
          next_attempt_at: arg<string>('next'),
          last_error: arg<string>('error'),
          lease_until: null,
        })
        .where('id', '=', arg<number>('id'))
        .where('owner', '=', arg<string>('owner'))
        .where('status', '=', 'sending'),
    ),
    recordAttempt: q.prepare((d) =>
      d.insertInto('digest_attempts').values({
        outbox_id: arg<number>('outboxId'),
        attempt: arg<number>('attempt'),
        at: arg<string>('at'),
        outcome: arg<'sent' | 'transient' | 'permanent'>('outcome'),
        smtp_code: arg<number | null>('smtpCode'),
        detail: arg<string>('detail'),
      }),
    ),
  };
  const setStatus = async (d: Queryable, id: number, status: Subscription['status']): Promise<void> => {
    await d
      .updateTable('digest_subscriptions')
      .set({ status, updated_at: iso() })
      .where('id', '=', id)
      .execute();
  };
  return {
    async upsertPending(email, userId, confirmHash) {
      const at = iso();
      const r = await db
        .insertInto('digest_subscriptions')
        .values({
          email,
          user_id: userId,
          status: 'pending',
          confirm_hash: confirmHash,
          created_at: at,
          token_at: at,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.column('email').doUpdateSet((eb) => ({
            confirm_hash: eb.ref('excluded.confirm_hash'),
            token_at: eb.ref('excluded.token_at'),
            user_id: eb.fn.coalesce('digest_subscriptions.user_id', 'excluded.user_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returningAll()
        .executeTakeFirst();
      if (!r) throw new Error('subscription upsert returned nothing');
      return toSubscription(r);
    },
    async confirm(confirmHash, notBefore) {
      const at = iso();
      return one(
        db
          .updateTable('digest_subscriptions')
          .set({ status: 'active', confirm_hash: null, confirmed_at: at, updated_at: at })
          .where('confirm_hash', '=', confirmHash)
          .where('token_at', '>', notBefore)
          .returningAll()
          .executeTakeFirst(),
      );
    },
    async get(id) {
      return one(hot.get.first({ id }));
    },
    async byEmail(email) {
      return one(hot.byEmail.first({ email }));
    },
    async byUser(userId) {
      return (await subs().where('user_id', '=', userId).orderBy('id').execute()).map(toSubscription);
    },
    async setStatus(id, status) {
      await setStatus(db, id, status);
    },
    async linkUser(id, userId) {
      await db
        .updateTable('digest_subscriptions')
        .set({ user_id: userId, updated_at: iso() })
        .where('id', '=', id)
        .where('user_id', 'is', null)
        .execute();
    },
    async updateSettings(id, v) {
      await db
        .updateTable('digest_subscriptions')
        .set({
          frequency: v.frequency,
          send_hour: v.sendHour,
          time_zone: v.timeZone,
          weekday: v.weekday,
          sections: JSON.stringify(v.sections),
          max_papers: v.maxPapers,
          updated_at: iso(),
        })
        .where('id', '=', id)
        .execute();
    },
    async active(afterId, limit) {
      return (await hot.active.all({ afterId, limit })).map(toSubscription);
    },
    async enqueue(subId, date, messageId, content, status = 'queued') {
      if (enqueue !== undefined) return enqueue(subId, date, messageId, content, status);
      const at = iso();
      return transaction(q, async (tx) => {
        const r = await tx
          .insertInto('digest_outbox')
          .values({
            subscription_id: subId,
            digest_date: date,
            status,
            message_id: messageId,
            content: JSON.stringify(content),
            next_attempt_at: at,
            created_at: at,
          })
          .onConflict((oc) => oc.columns(['subscription_id', 'digest_date']).doNothing())
          .executeTakeFirst();
        if (changed(r) === 0) return false;
        const ids = content.sections.flatMap((s) => s.paperIds);
        for (let i = 0; i < ids.length; i += INSERT_CHUNK)
          await tx
            .insertInto('digest_sent_papers')
            .values(
              ids
                .slice(i, i + INSERT_CHUNK)
                .map((id) => ({ subscription_id: subId, paper_id: id, digest_date: date })),
            )
            .onConflict((oc) => oc.columns(['subscription_id', 'paper_id']).doNothing())
            .execute();
        return true;
      });
    },
    async hasDigest(subId, date) {
      return (await hot.hasDigest.first({ subId, date })) !== undefined;
    },
    async lastDigestDate(subId) {
      return (await hot.lastDigestDate.first({ subId }))?.d ?? null;
    },
    async sentAmong(subId, ids) {
      if (ids.length === 0) return new Set();
      return new Set((await hot.sentAmong.all({ subId, ids })).map((r) => r.paper_id));
    },
    claim,
    async markSent(id, owner) {
      await hot.markSent.run({ id, owner, at: iso() });
    },
    async markRetry(id, owner, error, next, giveUp) {
      await hot.markRetry.run({ id, owner, error, next, status: giveUp ? 'failed' : 'queued' });
    },
    async markBounced(id, owner, error) {
      await transaction(q, async (tx) => {
        const r = await tx
          .updateTable('digest_outbox')
          .set({ status: 'bounced', last_error: error, lease_until: null })
          .where('id', '=', id)
          .where('owner', '=', owner)
          .where('status', '=', 'sending')
          .returning('subscription_id')
          .executeTakeFirst();
        if (r) await setStatus(tx, r.subscription_id, 'bouncing');
      });
    },
    async recordAttempt(a) {
      await hot.recordAttempt.run({ ...a });
    },
    async attempts(outboxId) {
      const rows = await db
        .selectFrom('digest_attempts')
        .selectAll()
        .where('outbox_id', '=', outboxId)
        .orderBy('id')
        .execute();
      return rows.map(toDeliveryAttempt);
    },
    async outbox(subId) {
      const rows = await db
        .selectFrom('digest_outbox')
        .selectAll()
        .where('subscription_id', '=', subId)
        .orderBy('digest_date')
        .execute();
      return rows.map(toOutboxItem);
    },
    async counts() {
      const out: OutboxCounts = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, skipped: 0 };
      const rows = await db
        .selectFrom('digest_outbox')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
    async nextRetryAt() {
      const r = await db
        .selectFrom('digest_outbox')
        .select((eb) => eb.fn.min('next_attempt_at').as('t'))
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return r?.t ?? null;
    },
  };
}
