// The document shape the lexical index accepts, and its validation.
import { AppError } from '../../errors.ts';

/** One paper as the lexical index sees it. */
export interface LexicalDoc {
  /** Public paper id; non-empty, at most 200 characters, no newline. */
  readonly id: string;
  readonly title: string;
  readonly abstract: string;
  readonly authors: readonly string[];
  /** arXiv categories ("cs.CL"); matched case-insensitively by `cat:`. */
  readonly categories: readonly string[];
  /** `YYYY-MM-DD` or an ISO timestamp; null when unknown (such papers fail any date filter). */
  readonly date: string | null;
  /** Kinds of links the paper has ("code", "data"), matched by `has:`; absent means none. */
  readonly features?: readonly string[];
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Throws AppError('BAD_INPUT') listing every problem with `doc`.
 */
export function validateDoc(doc: LexicalDoc): void {
  const problems: string[] = [];
  const d = doc as unknown as Record<string, unknown>;
  if (typeof d.id !== 'string' || d.id === '' || d.id.length > 200 || d.id.includes('\n'))
    problems.push('id must be a non-empty string of at most 200 characters without newlines');
  if (typeof d.title !== 'string') problems.push('title must be a string');
  if (typeof d.abstract !== 'string') problems.push('abstract must be a string');
  if (!isStringList(d.authors)) problems.push('authors must be a list of strings');
  if (!isStringList(d.categories)) problems.push('categories must be a list of strings');
  if (d.date !== null && typeof d.date !== 'string') problems.push('date must be a string or null');
  if (problems.length > 0)
    throw new AppError(
      'BAD_INPUT',
      `Cannot index document ${String(d.id)}: ${problems.join('; ')}.`,
      problems,
    );
}
