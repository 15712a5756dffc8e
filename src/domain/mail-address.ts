// The one rule for an e-mail address Paperboy stores or mails: plain ASCII local@domain, nothing a mail
// library could read as a group, a display name, a second recipient or a header.

/** Longest address (RFC 5321 path limit) and longest part before the @. */
export const MAIL_ADDRESS_MAX = 254;
export const MAIL_LOCAL_MAX = 64;

const SHAPE =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/**
 * The address as stored (trimmed, lower-cased) when it obeys the rule, else null. Refused: control
 * characters, bidi overrides and any other non-ASCII, `:` `,` `;` `<` `>` `"` `(` `)` and spaces (a mail
 * library reads `grp:carl@example.org` as a group and mails carl), dots at either end of the local part or
 * doubled, more than 64 characters before the @ or 254 in all, a domain without a dot.
 * @example normalMailAddress(' Ada@Example.org ') // 'ada@example.org'
 * @example normalMailAddress('grp:carl@example.org') // null
 */
export function normalMailAddress(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const ok =
    email.length <= MAIL_ADDRESS_MAX &&
    SHAPE.test(email) &&
    at <= MAIL_LOCAL_MAX &&
    !email.startsWith('.') &&
    !email.includes('..') &&
    email[at - 1] !== '.';
  return ok ? email : null;
}
