// Signed links of a digest subscription (unsubscribe, manage) and the Message-ID of each digest.
import { sameString, sign } from '../platform/index.ts';

export type DigestLinkPurpose = 'unsubscribe' | 'manage';

/**
 * `<id>.<HMAC>`: the HMAC covers the purpose, the id and the address, so a token works for one
 * subscription and one purpose only and stops working when the address changes. It needs no sign-in.
 * @example digestLinkToken(secret, 'unsubscribe', { id: 7, email: 'ada@example.org' }) // '7.Qm9...'
 */
export function digestLinkToken(
  secret: string,
  purpose: DigestLinkPurpose,
  sub: { id: number; email: string },
): string {
  return `${sub.id}.${sign(secret, `digest-${purpose}:${sub.id}:${sub.email}`)}`;
}

/** The subscription id a token claims, or null when it is malformed (check it with `digestTokenMatches`). */
export function digestTokenId(token: string): number | null {
  const m = /^(\d{1,12})\.[\w-]{43}$/.exec(token);
  return m?.[1] !== undefined ? Number(m[1]) : null;
}

/** Whether `token` is the signed token of `sub` for `purpose` (constant-time). */
export function digestTokenMatches(
  secret: string,
  purpose: DigestLinkPurpose,
  token: string,
  sub: { id: number; email: string },
): boolean {
  return sameString(digestLinkToken(secret, purpose, sub), token);
}

/**
 * The digest's Message-ID: derived from subscription and date, so every retry of one digest carries the
 * same id (a receiver that sees it twice after a crash can tell it is one message).
 * @example digestMessageId(secret, 7, '2026-07-02', 'papers.example.org') // '<digest-7-2026-07-02-Xy...@papers.example.org>'
 */
export function digestMessageId(secret: string, subId: number, date: string, host: string): string {
  return `<digest-${subId}-${date}-${sign(secret, `digest-msg:${subId}:${date}`).slice(0, 12)}@${host}>`;
}
