// The one gate every record passes before it is stored: required fields and sane sizes.
import type { PaperInput } from '../domain/index.ts';

/** Size limits, generous for real papers and tight enough to stop garbage. */
export const LIMITS = {
  titleChars: 2_000,
  abstractChars: 65_536,
  authors: 5_000,
  authorChars: 500,
  categories: 50,
  commentChars: 10_000,
} as const;

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** A record made storable by dropping a malformed field, and a warning for each field dropped. */
export interface RepairedPaper {
  paper: PaperInput;
  warnings: string[];
}

/**
 * Drops what would reject a real paper over one malformed field: an author "name" longer than the limit
 * (in practice a whole author list run together, as in 2506.02197) goes, the paper and its other authors stay.
 * @example repairPaper({ ...p, authors: ['Ada', 'x'.repeat(600)] }).paper.authors // ['Ada']
 */
export function repairPaper(p: PaperInput): RepairedPaper {
  const tooLong = p.authors.filter((a) => a.length > LIMITS.authorChars);
  if (tooLong.length === 0) return { paper: p, warnings: [] };
  const warnings = tooLong.map(
    (a) =>
      `dropped an author name of ${a.length} characters (the limit is ${LIMITS.authorChars}): "${a.slice(0, 60)}…"`,
  );
  return { paper: { ...p, authors: p.authors.filter((a) => a.length <= LIMITS.authorChars) }, warnings };
}

/**
 * Returns why a record cannot be stored, or null when it is fine.
 * @example validatePaper({ ...emptyPaperInput(), title: '' }) // 'record has no title'
 */
export function validatePaper(p: PaperInput): string | null {
  if (p.title.trim() === '') return 'record has no title';
  if (p.title.length > LIMITS.titleChars)
    return `title is ${p.title.length} characters; the limit is ${LIMITS.titleChars}`;
  if (p.abstract.length > LIMITS.abstractChars) {
    return `abstract is ${p.abstract.length} characters; the limit is ${LIMITS.abstractChars}`;
  }
  if (p.authors.length > LIMITS.authors)
    return `record has ${p.authors.length} authors; the limit is ${LIMITS.authors}`;
  const longAuthor = p.authors.find((a) => a.length > LIMITS.authorChars);
  if (longAuthor !== undefined)
    return `an author name is ${longAuthor.length} characters; the limit is ${LIMITS.authorChars}`;
  if (p.authors.some((a) => a.trim() === '')) return 'record has an empty author name';
  if (p.categories.length > LIMITS.categories)
    return `record has ${p.categories.length} categories; the limit is ${LIMITS.categories}`;
  if ((p.comment?.length ?? 0) > LIMITS.commentChars)
    return `comment is longer than ${LIMITS.commentChars} characters`;
  for (const field of ['published', 'updated', 'announced'] as const) {
    const v = p[field];
    if (v !== null && (!DATE.test(v) || Number.isNaN(Date.parse(v.slice(0, 10))))) {
      return `${field} date "${v.slice(0, 40)}" is not a valid YYYY-MM-DD date`;
    }
  }
  if (p.version !== null && (!Number.isInteger(p.version) || p.version < 1))
    return `version ${p.version} is not a positive integer`;
  return null;
}
