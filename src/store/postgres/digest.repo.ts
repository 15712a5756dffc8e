// PostgreSQL repository for digest subscriptions and the delivery outbox (claimed under a lease, sent once).
import type { DeliveryAttempt, DigestRepo, OutboxCounts, OutboxItem, Subscription } from '../digest.ts';
import {
  toDeliveryAttempt,
  toOutboxItem,
  toSubscription,
  type AttemptRow,
  type OutboxRow,
  type SubscriptionRow,
} from '../rows/digest-rows.ts';
import { queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

/** Rows anyone may take now: queued and due, or in flight under a lease that ran out. Locked as taken. */
const READY = `SELECT * FROM digest_outbox
  WHERE ((status = 'queued' AND next_attempt_at <= $1)
         OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= $1)))
    AND ($2 = 0 OR subscription_id = $2)
  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`;

/** Rows in flight under another owner's live lease: taken only when that owner is dead (checked in code). */
const IN_FLIGHT = `SELECT id, owner FROM digest_outbox
  WHERE status = 'sending' AND lease_until > $1 AND owner <> $2 AND ($3 = 0 OR subscription_id = $3)
  ORDER BY id LIMIT 500`;

/**
 * Creates the digest repository. Claims lock rows with FOR UPDATE SKIP LOCKED, so nodes claiming at once
 * take disjoint rows and never wait on each other.
 * @example const items = await createPgDigestRepo(db, now).claim('host:42', 20, leaseIso, () => false);
 */
export function createPgDigestRepo(db: PgDb, now: () => Date): DigestRepo {
  const iso = (): string => now().toISOString();
  const sub = async (sql: string, params: unknown[]): Promise<Subscription | null> => {
    const r = await queryOne<SubscriptionRow>(db, sql, params);
    return r ? toSubscription(r) : null;
  };
  const setStatusSql = 'UPDATE digest_subscriptions SET status = $1, updated_at = $2 WHERE id = $3';
  return {
    async upsertPending(email, userId, confirmHash) {
      const at = iso();
      const r = await sub(
        `INSERT INTO digest_subscriptions (email, user_id, status, confirm_hash, created_at, token_at, updated_at)
         VALUES ($1, $2, 'pending', $3, $4, $4, $4)
         ON CONFLICT (email) DO UPDATE SET confirm_hash = excluded.confirm_hash, token_at = excluded.token_at,
           user_id = coalesce(digest_subscriptions.user_id, excluded.user_id), updated_at = excluded.updated_at
         RETURNING *`,
        [email, userId, confirmHash, at],
      );
      if (!r) throw new Error('subscription upsert returned nothing');
      return r;
    },
    async confirm(confirmHash, notBefore) {
      return sub(
        `UPDATE digest_subscriptions SET status = 'active', confirm_hash = NULL, confirmed_at = $1, updated_at = $1
         WHERE confirm_hash = $2 AND token_at > $3 RETURNING *`,
        [iso(), confirmHash, notBefore],
      );
    },
    async get(id) {
      return sub('SELECT * FROM digest_subscriptions WHERE id = $1', [id]);
    },
    async byEmail(email) {
      return sub('SELECT * FROM digest_subscriptions WHERE email = $1', [email]);
    },
    async byUser(userId) {
      const rows = await queryRows<SubscriptionRow>(
        db,
        'SELECT * FROM digest_subscriptions WHERE user_id = $1 ORDER BY id',
        [userId],
      );
      return rows.map(toSubscription);
    },
    async setStatus(id, status) {
      await db.query(setStatusSql, [status, iso(), id]);
    },
    async linkUser(id, userId) {
      await db.query(
        'UPDATE digest_subscriptions SET user_id = $1, updated_at = $2 WHERE id = $3 AND user_id IS NULL',
        [userId, iso(), id],
      );
    },
    async updateSettings(id, v) {
      await db.query(
        `UPDATE digest_subscriptions SET frequency = $1, send_hour = $2, time_zone = $3, weekday = $4, sections = $5,
           max_papers = $6, updated_at = $7 WHERE id = $8`,
        [v.frequency, v.sendHour, v.timeZone, v.weekday, JSON.stringify(v.sections), v.maxPapers, iso(), id],
      );
    },
    async active(afterId, limit) {
      const rows = await queryRows<SubscriptionRow>(
        db,
        "SELECT * FROM digest_subscriptions WHERE status = 'active' AND id > $1 ORDER BY id LIMIT $2",
        [afterId, limit],
      );
      return rows.map(toSubscription);
    },
    async enqueue(subId, date, messageId, content, status = 'queued') {
      const at = iso();
      return withTransaction(db, async (c) => {
        const r = await c.query(
          `INSERT INTO digest_outbox (subscription_id, digest_date, status, message_id, content, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (subscription_id, digest_date) DO NOTHING`,
          [subId, date, status, messageId, JSON.stringify(content), at],
        );
        if ((r.rowCount ?? 0) === 0) return false;
        const ids = content.sections.flatMap((s) => s.paperIds);
        if (ids.length > 0) {
          await c.query(
            `INSERT INTO digest_sent_papers (subscription_id, paper_id, digest_date)
             SELECT $1, id, $3 FROM unnest($2::text[]) AS u(id) ON CONFLICT DO NOTHING`,
            [subId, ids, date],
          );
        }
        return true;
      });
    },
    async hasDigest(subId, date) {
      const sql = 'SELECT 1 AS n FROM digest_outbox WHERE subscription_id = $1 AND digest_date = $2';
      return (await queryOne(db, sql, [subId, date])) !== undefined;
    },
    async lastDigestDate(subId) {
      const sql = 'SELECT max(digest_date) AS d FROM digest_outbox WHERE subscription_id = $1';
      return (await queryOne<{ d: string | null }>(db, sql, [subId]))?.d ?? null;
    },
    async sentAmong(subId, ids) {
      if (ids.length === 0) return new Set();
      const rows = await queryRows<{ paper_id: string }>(
        db,
        'SELECT paper_id FROM digest_sent_papers WHERE subscription_id = $1 AND paper_id = ANY($2::text[])',
        [subId, ids],
      );
      return new Set(rows.map((r) => r.paper_id));
    },
    async claim(owner, limit, leaseUntil, isDead, only) {
      const at = iso();
      return withTransaction(db, async (c) => {
        // Lock only rows this claim takes, so a node claiming at the same moment gets the others.
        const taken = await queryRows<OutboxRow>(c, READY, [at, only ?? 0, limit]);
        if (taken.length < limit) {
          const flying = await queryRows<{ id: number; owner: string }>(c, IN_FLIGHT, [at, owner, only ?? 0]);
          const dead = flying.filter((r) => isDead(r.owner)).map((r) => r.id);
          if (dead.length > 0)
            taken.push(
              ...(await queryRows<OutboxRow>(
                c,
                `SELECT * FROM digest_outbox WHERE id = ANY($1::bigint[]) AND status = 'sending'
                 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
                [dead, limit - taken.length],
              )),
            );
        }
        if (taken.length === 0) return [];
        const rows = await queryRows<OutboxRow>(
          c,
          `UPDATE digest_outbox SET status = 'sending', owner = $1, lease_until = $2, attempts = attempts + 1
           WHERE id = ANY($3::bigint[]) RETURNING *`,
          [owner, leaseUntil, taken.map((r) => r.id)],
        );
        return rows.sort((a, b) => a.id - b.id).map(toOutboxItem);
      });
    },
    async markSent(id, owner) {
      await db.query(
        `UPDATE digest_outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL
         WHERE id = $2 AND owner = $3 AND status = 'sending'`,
        [iso(), id, owner],
      );
    },
    async markRetry(id, owner, error, next, giveUp) {
      await db.query(
        `UPDATE digest_outbox SET status = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL
         WHERE id = $4 AND owner = $5 AND status = 'sending'`,
        [giveUp ? 'failed' : 'queued', next, error.slice(0, 500), id, owner],
      );
    },
    async markBounced(id, owner, error) {
      await withTransaction(db, async (c) => {
        const r = await queryOne<{ subscription_id: number }>(
          c,
          `UPDATE digest_outbox SET status = 'bounced', last_error = $1, lease_until = NULL
           WHERE id = $2 AND owner = $3 AND status = 'sending' RETURNING subscription_id`,
          [error.slice(0, 500), id, owner],
        );
        if (r) await c.query(setStatusSql, ['bouncing', iso(), r.subscription_id]);
      });
    },
    async recordAttempt(a: DeliveryAttempt) {
      await db.query(
        'INSERT INTO digest_attempts (outbox_id, attempt, at, outcome, smtp_code, detail) VALUES ($1, $2, $3, $4, $5, $6)',
        [a.outboxId, a.attempt, a.at, a.outcome, a.smtpCode, a.detail.slice(0, 500)],
      );
    },
    async attempts(outboxId) {
      const rows = await queryRows<AttemptRow>(
        db,
        'SELECT * FROM digest_attempts WHERE outbox_id = $1 ORDER BY id',
        [outboxId],
      );
      return rows.map(toDeliveryAttempt);
    },
    async outbox(subId) {
      const sql = 'SELECT * FROM digest_outbox WHERE subscription_id = $1 ORDER BY digest_date';
      return (await queryRows<OutboxRow>(db, sql, [subId])).map(toOutboxItem);
    },
    async counts() {
      const out: OutboxCounts = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, skipped: 0 };
      const rows = await queryRows<{ status: OutboxItem['status']; n: number }>(
        db,
        'SELECT status, count(*) AS n FROM digest_outbox GROUP BY status',
      );
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
    async nextRetryAt() {
      const sql = "SELECT min(next_attempt_at) AS t FROM digest_outbox WHERE status = 'queued'";
      return (await queryOne<{ t: string | null }>(db, sql))?.t ?? null;
    },
  };
}
