// Digest subscriptions: subscribe by address (double opt-in), confirm, one-click unsubscribe, manage by signed link.
import { AppError } from '../../errors.ts';
import type { DigestSectionName, Subscription, SubscriptionSettings } from '../../store/digest.ts';

/** The subscription as surfaces see it (web/ and cli/ do not import store/). */
export type { Subscription } from '../../store/digest.ts';
import type { Store } from '../../store/store.ts';
import {
  chargeMail,
  checkEmail,
  deliverLater,
  type Logger,
  type Mailer,
  randomToken,
  type RateLimiter,
  tokenHash,
} from '../../platform/index.ts';
import {
  digestLinkToken,
  digestTokenId,
  digestTokenMatches,
  type DigestLinkPurpose,
} from '../../digest/index.ts';

/** A confirmation link works this long. */
export const CONFIRM_DAYS = 7;

const LINK_GONE = 'This link is not valid any more. Subscribe again from the box on any page.';
const ALL_SECTIONS: readonly DigestSectionName[] = ['trending', 'foryou', 'alerts', 'authors'];

/**
 * The address as stored (trimmed, lower-cased), or BAD_INPUT: the site's one address rule (`checkEmail`).
 * @example checkDigestEmail(' Ada@Example.org ') // 'ada@example.org'
 */
export const checkDigestEmail = checkEmail;

/** Raw form values of the manage page. */
export interface SettingsInput {
  frequency: string;
  sendHour: string;
  timeZone: string;
  weekday: string;
  maxPapers: string;
  sections: string[];
}

/** Whether the runtime knows the IANA zone. */
export function isTimeZone(tz: string): boolean {
  if (tz === '' || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function intIn(v: string, min: number, max: number, what: string): number {
  const n = Number(v);
  if (!/^\d{1,3}$/.test(v) || n < min || n > max)
    throw new AppError('BAD_INPUT', `${what} must be a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * Validates the manage form.
 */
export function parseSettings(f: SettingsInput): SubscriptionSettings {
  if (f.frequency !== 'daily' && f.frequency !== 'weekly')
    throw new AppError('BAD_INPUT', 'Choose a daily or a weekly digest.');
  if (!isTimeZone(f.timeZone))
    throw new AppError('BAD_INPUT', 'Choose a time zone such as Europe/Berlin or America/New_York.');
  const sections = ALL_SECTIONS.filter((s) => f.sections.includes(s));
  return {
    frequency: f.frequency,
    sendHour: intIn(f.sendHour, 0, 23, 'The hour'),
    timeZone: f.timeZone,
    weekday: intIn(f.weekday, 0, 6, 'The weekday'),
    maxPapers: intIn(f.maxPapers, 1, 50, 'The number of papers'),
    sections: sections.length > 0 ? sections : ['trending'],
  };
}

export interface DigestService {
  /** Mails a confirmation link (whatever the address's state, so the answer reveals nothing). */
  subscribe(email: string, client: string, userId?: number | null): Promise<void>;
  /** Activates the subscription of a mailed link; LINK_INVALID when forged, used or expired. */
  confirm(token: string): Promise<Subscription>;
  /** The subscription a signed link names; LINK_INVALID when forged. */
  fromLink(purpose: DigestLinkPurpose, token: string): Promise<Subscription>;
  unsubscribe(token: string): Promise<Subscription>;
  updateSettings(token: string, input: SettingsInput): Promise<Subscription>;
  /** The subscription of an address (any status), or null; for the signed-in reader's settings page. */
  forAddress(email: string): Promise<Subscription | null>;
  /**
   * The account's subscriptions for its settings page: the one of its address (or null), and those linked to
   * the account under other addresses (subscribed before an e-mail change).
   */
  forAccount(user: {
    id: number;
    email: string;
  }): Promise<{ own: Subscription | null; others: Subscription[] }>;
  /** Links the subscription of the account's own address, made without an account, to it; false when none. */
  linkAccount(user: { id: number; email: string }): Promise<boolean>;
  /** The signed unsubscribe and manage links of a subscription. */
  links(sub: { id: number; email: string }): { unsubscribeUrl: string; manageUrl: string };
}

export interface DigestServiceDeps {
  store: Store;
  mailer: Mailer;
  log: Logger;
  limiter: RateLimiter;
  now: () => Date;
  baseUrl: string;
  secret: () => string;
}

const PER_CLIENT = { limit: 10, windowMs: 60 * 60_000 };
const PER_ADDRESS = { limit: 3, windowMs: 60 * 60_000 };

export function createDigestService(d: DigestServiceDeps): DigestService {
  async function fromLink(purpose: DigestLinkPurpose, token: string): Promise<Subscription> {
    const id = digestTokenId(token);
    const sub = id !== null ? await d.store.digest.get(id) : null;
    if (!sub || !digestTokenMatches(d.secret(), purpose, token, sub))
      throw new AppError('LINK_INVALID', LINK_GONE);
    return sub;
  }
  return {
    async subscribe(raw, client, userId = null) {
      const email = checkDigestEmail(raw);
      // A suspended account (moderation, community issue) cannot subscribe.
      if (userId !== null && (await d.store.discussion.isSuspended(userId)))
        throw new AppError('FORBIDDEN', 'This account is suspended: it cannot post, vote or subscribe.');
      d.limiter.hit(`digest-client:${client}`, PER_CLIENT, 'subscription');
      d.limiter.hit(`digest-address:${email}`, PER_ADDRESS, 'subscription');
      chargeMail(d.limiter, { recipient: email, client, account: userId });
      const token = randomToken(32);
      await d.store.digest.upsertPending(email, userId, tokenHash(token));
      deliverLater(d.mailer, d.log, {
        to: email,
        subject: 'Confirm your Paperboy digest',
        text: `Someone (hopefully you) asked to get the Paperboy paper digest at ${email}.\n\nTo start it, open this link within ${CONFIRM_DAYS} days:\n\n${d.baseUrl}/digest/confirm/${token}\n\nIf it was not you, ignore this mail: nothing will be sent.\n`,
      });
    },
    async confirm(token) {
      const notBefore = new Date(d.now().getTime() - CONFIRM_DAYS * 86_400_000).toISOString();
      const sub = /^[\w-]{43}$/.test(token)
        ? await d.store.digest.confirm(tokenHash(token), notBefore)
        : null;
      if (!sub) throw new AppError('LINK_INVALID', LINK_GONE);
      d.log.info(`digest subscription ${sub.id} confirmed`);
      return sub;
    },
    fromLink,
    async unsubscribe(token) {
      const sub = await fromLink('unsubscribe', token);
      if (sub.status !== 'unsubscribed') await d.store.digest.setStatus(sub.id, 'unsubscribed');
      return { ...sub, status: 'unsubscribed' };
    },
    async updateSettings(token, input) {
      const sub = await fromLink('manage', token);
      const s = parseSettings(input);
      await d.store.digest.updateSettings(sub.id, s);
      return { ...sub, ...s };
    },
    forAddress(email) {
      return d.store.digest.byEmail(email.trim().toLowerCase());
    },
    async forAccount(user) {
      const email = user.email.trim().toLowerCase();
      const own = await d.store.digest.byEmail(email);
      const others = (await d.store.digest.byUser(user.id)).filter((s) => s.email !== email);
      return { own, others };
    },
    async linkAccount(user) {
      const own = await d.store.digest.byEmail(user.email.trim().toLowerCase());
      if (!own || own.userId !== null) return false;
      await d.store.digest.linkUser(own.id, user.id);
      return true;
    },
    links(sub) {
      const secret = d.secret();
      return {
        unsubscribeUrl: `${d.baseUrl}/digest/unsubscribe/${digestLinkToken(secret, 'unsubscribe', sub)}`,
        manageUrl: `${d.baseUrl}/digest/manage/${digestLinkToken(secret, 'manage', sub)}`,
      };
    },
  };
}
