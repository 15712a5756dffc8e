// Row shapes of digest subscriptions, the outbox and delivery attempts, shared by the SQLite and PostgreSQL
// engines: their mappings to domain objects and the rule for which due outbox row a sender may claim.
import type { DeliveryAttempt, DigestContentRef, OutboxItem, Subscription } from '../digest.ts';

/** One row of digest_subscriptions (sections as JSON text). */
export interface SubscriptionRow {
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

/** One row of digest_outbox (content as JSON text). */
export interface OutboxRow {
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

/** One row of digest_attempts. */
export interface AttemptRow {
  outbox_id: number;
  attempt: number;
  at: string;
  outcome: DeliveryAttempt['outcome'];
  smtp_code: number | null;
  detail: string;
}

/**
 * Maps a digest_subscriptions row to a Subscription, parsing its JSON section list.
 * @example toSubscription(row).sendHour; // 7
 */
export function toSubscription(r: SubscriptionRow): Subscription {
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

/**
 * Maps a digest_outbox row to an OutboxItem, parsing its JSON content reference.
 * @example toOutboxItem(row).status; // 'queued'
 */
export function toOutboxItem(r: OutboxRow): OutboxItem {
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

/**
 * Maps a digest_attempts row to a DeliveryAttempt.
 * @example toDeliveryAttempt(row).smtpCode; // 250
 */
export function toDeliveryAttempt(r: AttemptRow): DeliveryAttempt {
  return {
    outboxId: r.outbox_id,
    attempt: r.attempt,
    at: r.at,
    outcome: r.outcome,
    smtpCode: r.smtp_code,
    detail: r.detail,
  };
}

/**
 * Whether a due row may be taken: queued, or sending under a lease that ran out or an owner that died.
 * `isDead` is asked only about another owner's row whose lease still runs.
 * @example isClaimable(row, 'host:42', new Date().toISOString(), () => false); // true for a queued row
 */
export function isClaimable(
  r: OutboxRow,
  owner: string,
  at: string,
  isDead: (o: string) => boolean,
): boolean {
  if (r.status !== 'sending') return true;
  const expired = r.lease_until === null || r.lease_until <= at;
  return expired || (r.owner !== null && r.owner !== owner && isDead(r.owner));
}
