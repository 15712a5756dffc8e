// SQLite repository for digest subscriptions and the delivery outbox (claimed under a lease, sent once).
import type { DeliveryAttempt, DigestContentRef, DigestRepo, OutboxCounts, OutboxItem } from '../digest.ts';
import type { Statement } from 'better-sqlite3';
import {
  isClaimable,
  toDeliveryAttempt,
  toOutboxItem,
  toSubscription,
  type AttemptRow,
  type OutboxRow,
  type SubscriptionRow,
} from '../rows/digest-rows.ts';
import type { SqliteDb } from './open.ts';

function subscriptionQueries(db: SqliteDb) {
  return {
    insertPending: db.prepare<[string, number | null, string, string, string, string], SubscriptionRow>(
      `INSERT INTO digest_subscriptions (email, user_id, status, confirm_hash, created_at, token_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET confirm_hash = excluded.confirm_hash, token_at = excluded.token_at,
         user_id = coalesce(digest_subscriptions.user_id, excluded.user_id), updated_at = excluded.updated_at
       RETURNING *`,
    ),
    confirm: db.prepare<[string, string, string, string], SubscriptionRow>(
      `UPDATE digest_subscriptions SET status = 'active', confirm_hash = NULL, confirmed_at = ?, updated_at = ?
       WHERE confirm_hash = ? AND token_at > ? RETURNING *`,
    ),
    get: db.prepare<[number], SubscriptionRow>('SELECT * FROM digest_subscriptions WHERE id = ?'),
    byEmail: db.prepare<[string], SubscriptionRow>('SELECT * FROM digest_subscriptions WHERE email = ?'),
    byUser: db.prepare<[number], SubscriptionRow>(
      'SELECT * FROM digest_subscriptions WHERE user_id = ? ORDER BY id',
    ),
    setStatus: db.prepare('UPDATE digest_subscriptions SET status = ?, updated_at = ? WHERE id = ?'),
    linkUser: db.prepare(
      'UPDATE digest_subscriptions SET user_id = ?, updated_at = ? WHERE id = ? AND user_id IS NULL',
    ),
    settings: db.prepare(
      `UPDATE digest_subscriptions SET frequency = ?, send_hour = ?, time_zone = ?, weekday = ?, sections = ?,
         max_papers = ?, updated_at = ? WHERE id = ?`,
    ),
    active: db.prepare<[number, number], SubscriptionRow>(
      `SELECT * FROM digest_subscriptions WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?`,
    ),
  };
}

function outboxQueries(db: SqliteDb) {
  return {
    insert: db.prepare(
      `INSERT INTO digest_outbox (subscription_id, digest_date, status, message_id, content, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subscription_id, digest_date) DO NOTHING`,
    ),
    sentPaper: db.prepare(
      'INSERT OR IGNORE INTO digest_sent_papers (subscription_id, paper_id, digest_date) VALUES (?, ?, ?)',
    ),
    has: db.prepare<[number, string], { n: number }>(
      'SELECT 1 AS n FROM digest_outbox WHERE subscription_id = ? AND digest_date = ?',
    ),
    last: db.prepare<[number], { d: string | null }>(
      'SELECT max(digest_date) AS d FROM digest_outbox WHERE subscription_id = ?',
    ),
    due: db.prepare<[string, number, number, number], OutboxRow>(
      `SELECT * FROM digest_outbox
       WHERE ((status = 'queued' AND next_attempt_at <= ?) OR status = 'sending')
         AND (? = 0 OR subscription_id = ?) ORDER BY id LIMIT ?`,
    ),
    take: db.prepare(
      `UPDATE digest_outbox SET status = 'sending', owner = ?, lease_until = ?, attempts = attempts + 1
       WHERE id = ?`,
    ),
    sent: db.prepare(
      `UPDATE digest_outbox SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL
       WHERE id = ? AND owner = ? AND status = 'sending'`,
    ),
    retry: db.prepare(
      `UPDATE digest_outbox SET status = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL
       WHERE id = ? AND owner = ? AND status = 'sending'`,
    ),
    bounced: db.prepare(
      `UPDATE digest_outbox SET status = 'bounced', last_error = ?, lease_until = NULL
       WHERE id = ? AND owner = ? AND status = 'sending' RETURNING subscription_id`,
    ),
    attempt: db.prepare(
      `INSERT INTO digest_attempts (outbox_id, attempt, at, outcome, smtp_code, detail) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    attempts: db.prepare<[number], AttemptRow>(
      'SELECT * FROM digest_attempts WHERE outbox_id = ? ORDER BY id',
    ),
    outbox: db.prepare<[number], OutboxRow>(
      'SELECT * FROM digest_outbox WHERE subscription_id = ? ORDER BY digest_date',
    ),
    counts: db.prepare<[], { status: OutboxItem['status']; n: number }>(
      'SELECT status, count(*) AS n FROM digest_outbox GROUP BY status',
    ),
    nextRetry: db.prepare<[], { t: string | null }>(
      `SELECT min(next_attempt_at) AS t FROM digest_outbox WHERE status = 'queued'`,
    ),
  };
}

/**
 * Creates the digest repository. Claiming is one write transaction, so two runs never take the same row.
 * @example const items = await createSqliteDigestRepo(db, now).claim('host:42', 20, leaseIso, () => false);
 */
export function createSqliteDigestRepo(db: SqliteDb, now: () => Date): DigestRepo {
  const s = subscriptionQueries(db);
  const o = outboxQueries(db);
  const iso = () => now().toISOString();

  const enqueueTx = db.transaction(
    (subId: number, date: string, messageId: string, content: DigestContentRef, status: string): boolean => {
      const at = iso();
      const r = o.insert.run(subId, date, status, messageId, JSON.stringify(content), at, at);
      if (r.changes === 0) return false;
      for (const section of content.sections)
        for (const id of section.paperIds) o.sentPaper.run(subId, id, date);
      return true;
    },
  );

  const claimTx = db.transaction(
    (owner: string, limit: number, lease: string, isDead: (o: string) => boolean, only: number) => {
      const at = iso();
      const rows = o.due.all(at, only, only, limit * 4 + 10);
      const taken: OutboxRow[] = [];
      for (const r of rows) {
        if (taken.length >= limit) break;
        if (!isClaimable(r, owner, at, isDead)) continue;
        o.take.run(owner, lease, r.id);
        taken.push({ ...r, status: 'sending', owner, lease_until: lease, attempts: r.attempts + 1 });
      }
      return taken;
    },
  );

  // One statement per list length, prepared once: a digest asks this for every subscriber.
  const sentAmongStatements = new Map<number, Statement<unknown[], { paper_id: string }>>();
  const sentAmongOf = (n: number): Statement<unknown[], { paper_id: string }> => {
    let st = sentAmongStatements.get(n);
    if (st === undefined) {
      st = db.prepare<unknown[], { paper_id: string }>(
        `SELECT paper_id FROM digest_sent_papers WHERE subscription_id = ? AND paper_id IN (${Array(n).fill('?').join(',')})`,
      );
      sentAmongStatements.set(n, st);
    }
    return st;
  };

  const bounceTx = db.transaction((id: number, owner: string, error: string) => {
    const r = o.bounced.get(error, id, owner) as { subscription_id: number } | undefined;
    if (r) s.setStatus.run('bouncing', iso(), r.subscription_id);
  });

  return {
    async upsertPending(email, userId, confirmHash) {
      const at = iso();
      const r = s.insertPending.get(email, userId, confirmHash, at, at, at);
      if (!r) throw new Error('subscription upsert returned nothing');
      return toSubscription(r);
    },
    async confirm(confirmHash, notBefore) {
      const at = iso();
      const r = s.confirm.get(at, at, confirmHash, notBefore);
      return r ? toSubscription(r) : null;
    },
    async get(id) {
      const r = s.get.get(id);
      return r ? toSubscription(r) : null;
    },
    async byEmail(email) {
      const r = s.byEmail.get(email);
      return r ? toSubscription(r) : null;
    },
    async byUser(userId) {
      return s.byUser.all(userId).map(toSubscription);
    },
    async setStatus(id, status) {
      s.setStatus.run(status, iso(), id);
    },
    async linkUser(id, userId) {
      s.linkUser.run(userId, iso(), id);
    },
    async updateSettings(id, v) {
      const sections = JSON.stringify(v.sections);
      s.settings.run(v.frequency, v.sendHour, v.timeZone, v.weekday, sections, v.maxPapers, iso(), id);
    },
    async active(afterId, limit) {
      return s.active.all(afterId, limit).map(toSubscription);
    },
    async enqueue(subId, date, messageId, content, status = 'queued') {
      return enqueueTx(subId, date, messageId, content, status);
    },
    async hasDigest(subId, date) {
      return o.has.get(subId, date) !== undefined;
    },
    async lastDigestDate(subId) {
      return o.last.get(subId)?.d ?? null;
    },
    async sentAmong(subId, ids) {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const r of sentAmongOf(chunk.length).all(subId, ...chunk)) out.add(r.paper_id);
      }
      return out;
    },
    async claim(owner, limit, leaseUntil, isDead, only) {
      return claimTx.immediate(owner, limit, leaseUntil, isDead, only ?? 0).map(toOutboxItem);
    },
    async markSent(id, owner) {
      o.sent.run(iso(), id, owner);
    },
    async markRetry(id, owner, error, next, giveUp) {
      o.retry.run(giveUp ? 'failed' : 'queued', next, error.slice(0, 500), id, owner);
    },
    async markBounced(id, owner, error) {
      bounceTx(id, owner, error.slice(0, 500));
    },
    async recordAttempt(a: DeliveryAttempt) {
      o.attempt.run(a.outboxId, a.attempt, a.at, a.outcome, a.smtpCode, a.detail.slice(0, 500));
    },
    async attempts(outboxId) {
      return o.attempts.all(outboxId).map(toDeliveryAttempt);
    },
    async outbox(subId) {
      return o.outbox.all(subId).map(toOutboxItem);
    },
    async counts() {
      const out: OutboxCounts = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, skipped: 0 };
      for (const r of o.counts.all()) out[r.status] = r.n;
      return out;
    },
    async nextRetryAt() {
      return o.nextRetry.get()?.t ?? null;
    },
  };
}
