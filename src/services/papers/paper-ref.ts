// Turns what a reader gives for a paper (id, versioned arXiv id, arxiv.org URL) into a public id.
import { AppError } from '../../errors.ts';
import { parseArxivId } from '../../ingest/normalize.ts';

/**
 * The public id a paper reference names; BAD_INPUT for empty or oversized input.
 * @example paperIdOf('https://arxiv.org/abs/2503.11677v2') // '2503.11677'
 */
export function paperIdOf(raw: string): string {
  const s = raw.trim();
  if (s === '' || s.length > 300) throw new AppError('BAD_INPUT', 'Give a paper id such as 2503.11677.');
  return parseArxivId(s)?.id ?? s;
}

/** NOT_FOUND for a paper id the store does not hold. */
export function noSuchPaper(id: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `No paper "${id.slice(0, 100)}" here; submit it by arXiv id, or check the id.`,
  );
}
