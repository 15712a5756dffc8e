// When a new record and a stored paper with the same title are the same work (pure rules, no I/O).
import { familyName, foldForMatch } from './match-keys.ts';
import type { PaperInput } from './paper.ts';

/** Venue text without volume, page and year numbers, so "CACM 8, 12-14 (1965)" and "CACM 8 (1965)" compare equal. */
export function venueKey(journalRef: string | null): string {
  return foldForMatch(journalRef ?? '')
    .replace(/\b\d+\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function year(p: PaperInput): number | null {
  const y = Number((p.published ?? p.announced ?? '').slice(0, 4));
  return Number.isInteger(y) && y > 0 ? y : null;
}

/**
 * Whether two records that share a title also share evidence of being one work: at least one author
 * (by family name), or a year within one and the same venue. A title alone is never enough: short notes,
 * errata and "Letters to the editor" share titles without being the same paper.
 * @example corroborates({ ...a, authors: ['A. Smith'] }, { ...a, authors: ['Smith, Ann', 'B. Jones'] }) // true
 */
export function corroborates(stored: PaperInput, incoming: PaperInput): boolean {
  if (stored.authors.length > 0 && incoming.authors.length > 0) {
    const families = new Set(stored.authors.map(familyName));
    if (incoming.authors.some((a) => families.has(familyName(a)))) return true;
  }
  const [ys, yi] = [year(stored), year(incoming)];
  const venue = venueKey(incoming.journalRef);
  return (
    ys !== null &&
    yi !== null &&
    Math.abs(ys - yi) <= 1 &&
    venue !== '' &&
    venue === venueKey(stored.journalRef)
  );
}

/** Two DOIs or two arXiv ids that differ name two different works, whatever the titles say. */
export function idsConflict(stored: PaperInput, incoming: PaperInput): boolean {
  const differ = (a: string | null, b: string | null): boolean => a !== null && b !== null && a !== b;
  return differ(stored.arxivId, incoming.arxivId) || differ(stored.doi, incoming.doi);
}
