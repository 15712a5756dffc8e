// Shared clean-up of identifiers, names and text, so every source produces the same shapes.
export { foldForMatch, normalizeTitle, normalizeAuthorName, familyName } from '../domain/match-keys.ts';

const NEW_ID = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/**
 * Parses an arXiv identifier in any common spelling: bare, with version, "arXiv:" prefix,
 * or an arxiv.org abs/pdf URL. Returns null when it is not an arXiv id.
 * @example parseArxivId('https://arxiv.org/abs/2503.11677v2') // { id: '2503.11677', version: 2 }
 */
export function parseArxivId(raw: string): { id: string; version: number | null } | null {
  let s = raw.trim();
  s = s.replace(/^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i, '');
  s = s.replace(/^oai:arxiv\.org:/i, '').replace(/^arxiv:/i, '');
  s = s.replace(/\.pdf$/i, '').replace(/\/+$/, '');
  const m = NEW_ID.exec(s) ?? OLD_ID.exec(s);
  if (!m || m[1] === undefined) return null;
  return { id: m[1], version: m[2] !== undefined ? Number(m[2]) : null };
}

/** Collapses runs of whitespace (arXiv wraps abstracts at ~80 columns) and trims. */
export function cleanText(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** cleanText, but null for empty strings. */
export function cleanOptional(s: string | null | undefined): string | null {
  const t = cleanText(s);
  return t === '' ? null : t;
}

/** Lower-cases a DOI and strips resolver prefixes; null when it does not look like a DOI. */
export function normalizeDoi(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw
    .trim()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(s) ? s : null;
}

/** Normalizes a date-ish string to YYYY-MM-DD (or keeps a full ISO timestamp's date); null if unparseable. */
export function isoDate(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().slice(0, 10);
}
