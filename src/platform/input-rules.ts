// Validation of what readers type: addresses, passwords, names, tags and token names (throws BAD_INPUT).
import { normalMailAddress } from '../domain/mail-address.ts';
import { AppError } from '../errors.ts';
import { stripUnsafeChars } from '../ingest/sanitize.ts';

export const LIMITS = {
  emailChars: 254,
  passwordMin: 8,
  passwordMax: 256,
  nameChars: 80,
  tagChars: 40,
  tagsPerPaper: 20,
} as const;

/** True when the text holds a control character (tabs and newlines included). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** What a refused address is told; one message wherever an address is typed. */
export const BAD_EMAIL =
  'Enter a plain e-mail address such as ada@example.org (ASCII letters only, at most 64 characters before the @).';

/**
 * A trimmed, lower-cased e-mail address obeying the one address rule (domain/mail-address.ts), or BAD_INPUT.
 * Sign-up, reset, e-mail change, digest subscription and the CLI all check addresses here.
 * @example checkEmail(' Ada@Example.org ') // 'ada@example.org'
 */
export function checkEmail(raw: string): string {
  const email = normalMailAddress(raw);
  if (email === null) throw new AppError('BAD_INPUT', BAD_EMAIL);
  return email;
}

/**
 * The password unchanged when it is 8–256 characters, else BAD_INPUT.
 * @example checkPassword('correct horse battery') // 'correct horse battery'
 */
export function checkPassword(raw: string): string {
  const n = [...raw].length;
  if (n < LIMITS.passwordMin || n > LIMITS.passwordMax || raw.trim() === '') {
    throw new AppError(
      'BAD_INPUT',
      `Choose a password of ${LIMITS.passwordMin} to ${LIMITS.passwordMax} characters.`,
    );
  }
  return raw;
}

/**
 * A display name, trimmed, up to 80 characters, without control characters and bidi overrides.
 * @example checkName('  Ada ') // 'Ada'
 */
export function checkName(raw: string): string {
  // Bidi overrides would make a name read differently on screen; removed like in paper records.
  const name = stripUnsafeChars(raw).trim().replace(/\s+/g, ' ');
  if ([...name].length > LIMITS.nameChars || hasControl(name)) {
    throw new AppError('BAD_INPUT', `A name is at most ${LIMITS.nameChars} characters.`);
  }
  return name;
}

/**
 * Tags from a comma-separated string or a list: lower-cased, spaces to hyphens, deduplicated.
 * @example checkTags('To read, ML') // ['to-read', 'ml']
 */
export function checkTags(raw: string | readonly string[]): string[] {
  const parts = typeof raw === 'string' ? raw.split(',') : raw;
  const tags = new Set<string>();
  for (const p of parts) {
    if (typeof p !== 'string') throw new AppError('BAD_INPUT', 'Tags must be text.');
    const t = p.trim().toLowerCase().replace(/\s+/g, '-');
    if (t === '') continue;
    if ([...t].length > LIMITS.tagChars || !/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(t)) {
      throw new AppError(
        'BAD_INPUT',
        `Tag "${t.slice(0, 50)}" is not valid: use up to ${LIMITS.tagChars} letters, digits, ".", "_" or "-".`,
      );
    }
    tags.add(t);
  }
  if (tags.size > LIMITS.tagsPerPaper)
    throw new AppError('BAD_INPUT', `At most ${LIMITS.tagsPerPaper} tags per paper.`);
  return [...tags];
}

/**
 * One tag for filtering (same rules as checkTags), or BAD_INPUT.
 * @example checkTag('to-read') // 'to-read'
 */
export function checkTag(raw: string): string {
  const [tag, ...rest] = checkTags([raw]);
  if (tag === undefined || rest.length > 0) throw new AppError('BAD_INPUT', 'Give one tag.');
  return tag;
}
