// The discussion's limits and input checks: length, posting rate, links from new accounts, report reasons.
import { AppError } from '../../errors.ts';
import { RateLimitError } from '../../platform/index.ts';
import { hasLink } from './comment-markdown.ts';

/** The limits of the discussion; documented in docs/SECURITY.md ("Limits at a glance"). */
export const COMMENT_LIMITS = {
  /** Characters in one comment. */
  maxChars: 10_000,
  /** Comments a reader may post in 10 minutes, and in a day. */
  perTenMinutes: 10,
  perDay: 100,
  /** A reader's comments before this many earlier ones may hold no links (spam from fresh accounts). */
  linksAfter: 3,
  /** Characters in a report's reason. */
  maxReasonChars: 500,
} as const;

const MINUTE = 60_000;

/**
 * The trimmed body, or BAD_INPUT saying what is wrong (empty, too long).
 * @example checkBody('  Nice result  ') // 'Nice result'
 */
export function checkBody(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new AppError('BAD_INPUT', 'The comment is empty: write something first.');
  const body = raw.replace(/\r\n?/g, '\n').trim();
  if (body.length > COMMENT_LIMITS.maxChars)
    throw new AppError(
      'BAD_INPUT',
      `A comment is limited to ${COMMENT_LIMITS.maxChars.toLocaleString('en-US')} characters; this one has ` +
        `${body.length.toLocaleString('en-US')}. Shorten it, or split it into two comments.`,
    );
  return body;
}

/** BAD_INPUT when a reader with fewer than `linksAfter` earlier comments posts a link. */
export function checkLinks(body: string, earlierComments: number): void {
  if (earlierComments < COMMENT_LIMITS.linksAfter && hasLink(body))
    throw new AppError(
      'BAD_INPUT',
      `New accounts cannot post links until they have written ${COMMENT_LIMITS.linksAfter} comments ` +
        '(this keeps spam out); write the address without http:// for now, or post without the link.',
    );
}

/** RATE_LIMITED when the reader already posted the most allowed in the last 10 minutes or day. */
export function checkRate(lastTenMinutes: number, lastDay: number): void {
  if (lastTenMinutes >= COMMENT_LIMITS.perTenMinutes)
    throw new RateLimitError(
      `You posted ${COMMENT_LIMITS.perTenMinutes} comments in the last 10 minutes; wait a few minutes and post again.`,
      10 * 60,
    );
  if (lastDay >= COMMENT_LIMITS.perDay)
    throw new RateLimitError(
      `You posted ${COMMENT_LIMITS.perDay} comments today, the most a reader may; post again tomorrow.`,
      24 * 60 * 60,
    );
}

/** Start of the two rate windows before `now`, as ISO times. */
export function rateWindows(now: Date): { tenMinutes: string; day: string } {
  const t = now.getTime();
  return {
    tenMinutes: new Date(t - 10 * MINUTE).toISOString(),
    day: new Date(t - 24 * 60 * MINUTE).toISOString(),
  };
}

/**
 * A parent comment id from form or JSON input: null for none, else a positive integer (BAD_INPUT otherwise).
 * @example parentIdOf('') // null; parentIdOf('12') // 12
 */
export function parentIdOf(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new AppError('BAD_INPUT', 'parentId must be the id of the comment you reply to (a whole number).');
  return n;
}

/** The report's reason, trimmed and bounded. */
export function checkReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length > COMMENT_LIMITS.maxReasonChars)
    throw new AppError(
      'BAD_INPUT',
      `A report's reason is limited to ${COMMENT_LIMITS.maxReasonChars} characters; shorten it.`,
    );
  return reason;
}
