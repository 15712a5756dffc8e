// PostgreSQL repository for digest subscriptions and the delivery outbox (claimed under a lease, sent once).
import type {
  DeliveryAttempt,
  DigestContentRef,
  DigestRepo,
  OutboxCounts,
  OutboxItem,
  Subscription,
} from '../digest.ts';
import { queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

interface SubRow {
  id: number;
  email: string;
  user_id: number | null;
  status: Subscription['status'];
  frequency: Subscription['frequency'];
  send_hour: number;
  time_zone: string;
  weekday: number;
  sections: string;
  max_papers: number;
  created_at: string;
  confirmed_at: string | null;
}

interface OutboxRow {
  id: number;
  subscription_id: number;
  digest_date: string;
  status: OutboxItem['status'];
  message_id: string;
  content: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  owner: string | null;
  last_error: string | null;
  sent_at: string | null;
}

interface AttemptRow {
  outbox_id: number;
  attempt: number;
  at: string;
  outcome: DeliveryAttempt['outcome'];
  smtp_code: number | null;
  detail: string;
}

function toSub(r: SubRow): Subscription {
  return {
    id: r.id,
    email: r.email,
    userId: r.user_id,
    status: r.status,
    frequency: r.frequency,
    sendHour: r.send_hour,
    timeZone: r.time_zone,
    weekday: r.weekday,
    sections: JSON.parse(r.sections) as Subscription['sections'],
    maxPapers: r.max_papers,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
  };
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    digestDate: r.digest_date,
    status: r.status,
    messageId: r.message_id,
    content: JSON.parse(r.content) as DigestContentRef,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    owner: r.owner,
    lastError: r.last_error,
    sentAt: r.sent_at,
  };
}

const DUE = `SELECT * FROM digest_outbox
  WHERE ((status = 'queued' AND next_attempt_at <= $1) OR status = 'sending') AND ($2 = 0 OR subscription_id = $2)
  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`;

/** Whether a due row may be taken: queued, or sending under a lease that ran out or an owner that died. */
function claimable(r: OutboxRow, owner: string, at: string, isDead: (o: string) => boolean): boolean {
  if (r.status !== 'sending') return true;
  const expired = r.lease_until === null || r.lease_until <= at;
  return expired || (r.owner !== null && r.owner !== owner && isDead(r.owner));
}

/**
 * Creates the digest repository. Claims lock rows with FOR UPDATE SKIP LOCKED, so nodes claiming at once
 * take disjoint rows and never wait on each other.
 * @example const items = await createPgDigestRepo(db, now).claim('host:42', 20, leaseIso, () => false);
 */
export function createPgDigestRepo(db: PgDb, now: () => Date): DigestRepo {
  const iso = (): string => now().toISOString();
  const sub = async (sql: string, params: unknown[]): Promise<Subscription | null> => {
    const r = await queryOne<SubRow>(db, sql, params);
    return r ? toSub(r) : null;
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
      const rows = await queryRows<SubRow>(
        db,
        'SELECT * FROM digest_subscriptions WHERE user_id = $1 ORDER BY id',
        [userId],
      );
      return rows.map(toSub);
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
      const rows = await queryRows<SubRow>(
        db,
        "SELECT * FROM digest_subscriptions WHERE status = 'active' AND id > $1 ORDER BY id LIMIT $2",
        [afterId, limit],
      );
      return rows.map(toSub);
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
        const due = await queryRows<OutboxRow>(c, DUE, [at, only ?? 0, limit * 4 + 10]);
        const taken = due.filter((r) => claimable(r, owner, at, isDead)).slice(0, limit);
        if (taken.length === 0) return [];
        const rows = await queryRows<OutboxRow>(
          c,
          `UPDATE digest_outbox SET status = 'sending', owner = $1, lease_until = $2, attempts = attempts + 1
           WHERE id = ANY($3::bigint[]) RETURNING *`,
          [owner, leaseUntil, taken.map((r) => r.id)],
        );
        return rows.sort((a, b) => a.id - b.id).map(toItem);
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
      return rows.map((r) => ({
        outboxId: r.outbox_id,
        attempt: r.attempt,
        at: r.at,
        outcome: r.outcome,
        smtpCode: r.smtp_code,
        detail: r.detail,
      }));
    },
    async outbox(subId) {
      const sql = 'SELECT * FROM digest_outbox WHERE subscription_id = $1 ORDER BY digest_date';
      return (await queryRows<OutboxRow>(db, sql, [subId])).map(toItem);
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
