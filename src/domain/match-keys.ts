// Normalized keys for matching names and titles across sources (pure string functions).

/** Folds accents, case and punctuation so "Müller, J." and "muller j" compare equal. */
export function foldForMatch(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A title reduced to letters and digits for duplicate detection across sources. */
export function normalizeTitle(title: string): string {
  return foldForMatch(title.replace(/\$[^$]*\$/g, ' ').replace(/[{}\\]/g, ''));
}

/**
 * Normalized author name used for matching: folded "given family" order, so
 * "Vaswani, Ashish" and "Ashish Vaswani" both become "ashish vaswani".
 */
export function normalizeAuthorName(name: string): string {
  const s = name.trim();
  const comma = s.indexOf(',');
  const ordered = comma > 0 ? `${s.slice(comma + 1)} ${s.slice(0, comma)}` : s;
  return foldForMatch(ordered);
}

/** The family name of an author (last word of the normalized name), for the title+first-author key. */
export function familyName(name: string): string {
  const parts = normalizeAuthorName(name).split(' ');
  return parts[parts.length - 1] ?? '';
}

/**
 * The duplicate-detection key for records without arXiv id or DOI: normalized title plus
 * the first author's family name.
 * @example titleKey('Attention Is All You Need', ['Ashish Vaswani']) // 'attention is all you need|vaswani'
 */
export function titleKey(title: string, authors: readonly string[]): string {
  return `${normalizeTitle(title)}|${authors[0] !== undefined ? familyName(authors[0]) : ''}`;
}
