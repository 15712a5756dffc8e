// The rules for what readers type into collections (title, description, notes) and how slugs are made.
import { AppError } from '../../errors.ts';
import { stripUnsafeChars } from '../../ingest/sanitize.ts';
import type { RandomBytes } from '../../platform/index.ts';

export const COLLECTION_LIMITS = {
  titleChars: 120,
  descriptionChars: 2000,
  noteChars: 1000,
  perReader: 100,
  papersPerCollection: 1000,
} as const;

/** True when the text holds a control character other than the line breaks a description or note may hold. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 10) || c === 127) return true;
  }
  return false;
}

function clean(raw: unknown, what: string, max: number, multiline: boolean): string {
  if (typeof raw !== 'string') throw new AppError('BAD_INPUT', `${what} must be text.`);
  // Bidi overrides would make the text read differently on screen; removed as in names and paper records.
  let s = stripUnsafeChars(raw.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')).trim();
  if (!multiline) s = s.replace(/\s+/g, ' ');
  if (hasControl(s)) throw new AppError('BAD_INPUT', `${what} holds control characters; remove them.`);
  const n = [...s].length;
  if (n > max) throw new AppError('BAD_INPUT', `${what} is ${n} characters; the limit is ${max}.`);
  return s;
}

/**
 * A collection title: 1 to 120 characters on one line.
 * @example checkTitle('  Vision  transformers ') // 'Vision transformers'
 */
export function checkTitle(raw: unknown): string {
  const t = clean(raw, 'The title', COLLECTION_LIMITS.titleChars, false);
  if (t === '') throw new AppError('BAD_INPUT', 'Give the collection a title.');
  return t;
}

/** A description of up to 2,000 characters; line breaks kept. */
export function checkDescription(raw: unknown): string {
  return clean(raw, 'The description', COLLECTION_LIMITS.descriptionChars, true);
}

/** A note on one paper of a collection, up to 1,000 characters; line breaks kept. */
export function checkNote(raw: unknown): string {
  return clean(raw, 'The note', COLLECTION_LIMITS.noteChars, true);
}

/** A slug the store may hold; anything else cannot name a collection. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A new slug: the title's words in ASCII (at most 40 characters) and 6 random characters, so two collections
 * with the same title get different URLs and a slug never has to change when the title does.
 * @example makeSlug('Vision Transformers!', randomBytes) // 'vision-transformers-k3x9q2'
 */
export function makeSlug(title: string, random: RandomBytes): string {
  const words = title
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD; dropping the marks keeps "é" as "e".
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  const tail = [...random(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${words === '' ? 'collection' : words}-${tail}`;
}
