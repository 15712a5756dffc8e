// Digest subscriptions, the delivery outbox, its attempt log and the papers each subscriber was sent.

export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed' | 'bouncing';
export type DigestFrequency = 'daily' | 'weekly';
export type DigestSectionName = 'trending' | 'foryou' | 'alerts' | 'authors';

/** One e-mail address's digest subscription (with or without an account). */
export interface Subscription {
  id: number;
  email: string;
  userId: number | null;
  status: SubscriptionStatus;
  frequency: DigestFrequency;
  /** Local hour (0–23) at which the digest goes out. */
  sendHour: number;
  /** IANA time zone name, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Day of week for weekly digests, 0 = Sunday … 6 = Saturday. */
  weekday: number;
  sections: DigestSectionName[];
  maxPapers: number;
  createdAt: string;
  confirmedAt: string | null;
}

export type SubscriptionSettings = Pick<
  Subscription,
  'frequency' | 'sendHour' | 'timeZone' | 'weekday' | 'sections' | 'maxPapers'
>;

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'skipped';

/** One digest of one subscriber for one date: the unit that is sent exactly once. */
export interface OutboxItem {
  id: number;
  subscriptionId: number;
  /** The subscriber's local date the digest is for (YYYY-MM-DD). */
  digestDate: string;
  status: OutboxStatus;
  /** Stable across retries, so a resend after an unclear crash is recognisably the same message. */
  messageId: string;
  /** The papers chosen when the digest was queued, in order, by section. */
  content: DigestContentRef;
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  owner: string | null;
  lastError: string | null;
  sentAt: string | null;
}

export interface DigestContentRef {
  sections: { name: DigestSectionName; title: string; paperIds: string[]; reasons?: string[] }[];
}

export type AttemptOutcome = 'sent' | 'transient' | 'permanent';

export interface DeliveryAttempt {
  outboxId: number;
  attempt: number;
  at: string;
  outcome: AttemptOutcome;
  smtpCode: number | null;
  detail: string;
}

/** Counts of outbox rows by status. */
export type OutboxCounts = Record<OutboxStatus, number>;

export interface DigestRepo {
  /** Creates a pending subscription or, for a known address, replaces its confirmation token. */
  upsertPending(email: string, userId: number | null, confirmHash: string): Promise<Subscription>;
  /** Activates the subscription whose token hash matches, if created/renewed after `notBefore`. */
  confirm(confirmHash: string, notBefore: string): Promise<Subscription | null>;
  get(id: number): Promise<Subscription | null>;
  byEmail(email: string): Promise<Subscription | null>;
  /** Subscriptions linked to an account (under any address, e.g. one it had before), oldest first. */
  byUser(userId: number): Promise<Subscription[]>;
  setStatus(id: number, status: SubscriptionStatus): Promise<void>;
  /** Links a subscription made without an account to one (no change when it has one already). */
  linkUser(id: number, userId: number): Promise<void>;
  updateSettings(id: number, s: SubscriptionSettings): Promise<void>;
  /** Active subscriptions in id order, in pages (for the scheduler). */
  active(afterId: number, limit: number): Promise<Subscription[]>;
  /**
   * Queues one digest unless (subscription, date) already has a row; records its papers as sent to the
   * subscriber in the same transaction. Returns false when the row existed.
   */
  enqueue(
    subscriptionId: number,
    digestDate: string,
    messageId: string,
    content: DigestContentRef,
    status?: 'queued' | 'skipped',
  ): Promise<boolean>;
  /** Whether (subscription, date) already has an outbox row. */
  hasDigest(subscriptionId: number, digestDate: string): Promise<boolean>;
  /** The newest digest date queued for the subscriber, or null. */
  lastDigestDate(subscriptionId: number): Promise<string | null>;
  /** Of `paperIds`, those already sent (or queued) to the subscriber. */
  sentAmong(subscriptionId: number, paperIds: readonly string[]): Promise<Set<string>>;
  /**
   * Atomically claims up to `limit` due rows for `owner` until `leaseUntil`: queued rows whose retry time
   * has come, and 'sending' rows whose lease ran out or whose owner `isDead`.
   */
  claim(
    owner: string,
    limit: number,
    leaseUntil: string,
    isDead: (owner: string) => boolean,
    onlySubscription?: number,
  ): Promise<OutboxItem[]>;
  markSent(id: number, owner: string): Promise<void>;
  /** Back to queued with the next retry time, or `failed` when `giveUp`; `error` is stored as given. */
  markRetry(id: number, owner: string, error: string, nextAttemptAt: string, giveUp: boolean): Promise<void>;
  /** A permanent failure: the row is bounced and the subscription marked bouncing. */
  markBounced(id: number, owner: string, error: string): Promise<void>;
  recordAttempt(a: DeliveryAttempt): Promise<void>;
  attempts(outboxId: number): Promise<DeliveryAttempt[]>;
  outbox(subscriptionId: number): Promise<OutboxItem[]>;
  counts(): Promise<OutboxCounts>;
  /** The earliest retry time of queued rows, or null when none is queued. */
  nextRetryAt(): Promise<string | null>;
}
