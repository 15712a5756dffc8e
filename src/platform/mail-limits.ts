// One budget for every mail a visitor can make the site send (sign-up, reset, e-mail change, digest
// subscription), counted per recipient, per client address and per account across all those actions.
import { RateLimitError, type RateLimiter, type RateRule } from './rate-limiter.ts';

/** The site-wide mail limits; each action also keeps its own (RATE_RULES, digest-service). */
export const MAIL_RULES = {
  /** Mails to one address, whatever asked for them: an outsider cannot flood a stranger's inbox. */
  perRecipient: { limit: 5, windowMs: 60 * 60_000 },
  /** Mails one client address asks for, to any recipients. */
  perClient: { limit: 20, windowMs: 60 * 60_000 },
  /** Mails one signed-in account asks for (e-mail change, its own digest), from any client. */
  perAccount: { limit: 10, windowMs: 60 * 60_000 },
} as const satisfies Record<string, RateRule>;

/** Who makes the site send one mail, and to whom. */
export interface MailAsker {
  /** The checked, lower-cased recipient. */
  recipient: string;
  /** The client address as the surface sees it. */
  client: string;
  /** The signed-in account asking, if any. */
  account?: number | null;
}

function inMinutes(err: RateLimitError): string {
  return `${Math.ceil(err.retryAfterSeconds / 60)} minute(s)`;
}

/**
 * Counts one mail against every budget it falls under; throws RATE_LIMITED (with a message saying which
 * budget ran out and when to retry) when one is spent. Call before deciding whether the mail actually goes
 * out (for example whether the address has an account), so that limits reveal nothing about accounts.
 */
export function chargeMail(limiter: RateLimiter, who: MailAsker): void {
  type Budget = [key: string, rule: RateRule, say: (e: RateLimitError) => string];
  // The recipient first: once its budget is spent, refusals stop there and leave the asker's budgets alone.
  const budgets: Budget[] = [
    [
      `mail-to:${who.recipient}`,
      MAIL_RULES.perRecipient,
      (e) =>
        `Paperboy has sent as many mails to ${who.recipient} as it will in an hour; try again in ${inMinutes(e)}.`,
    ],
  ];
  if (who.account != null)
    budgets.push([
      `mail-account:${who.account}`,
      MAIL_RULES.perAccount,
      (e) => `Your account asked for too many mails; try again in ${inMinutes(e)}.`,
    ]);
  budgets.push([
    `mail-client:${who.client}`,
    MAIL_RULES.perClient,
    (e) => `Too many mails were asked for from your network; try again in ${inMinutes(e)}.`,
  ]);
  for (const [key, rule, say] of budgets) {
    try {
      limiter.hit(key, rule, 'mail');
    } catch (err) {
      if (err instanceof RateLimitError) throw new RateLimitError(say(err), err.retryAfterSeconds);
      throw err;
    }
  }
}
