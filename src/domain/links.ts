// The one rule for links taken from records (a paper's abstract page and PDF): http, https or relative only.

/** Resolves relative links, so that "/x" and "paper.pdf" count as same-site links. */
const RELATIVE_BASE = 'http://relative.invalid/';

/**
 * The link when a browser or feed reader would open it as a web page (http:, https: or relative), else
 * null: `javascript:`, `data:`, `vbscript:`, `file:` and anything unparsable. It parses like a browser
 * does, so "java\tscript:" and " JavaScript:" are caught too. Every renderer passes record links through
 * it, and ingest drops what it refuses.
 * @example href('javascript:alert(1)') // null
 * @example href('https://arxiv.org/pdf/2503.11677') // 'https://arxiv.org/pdf/2503.11677'
 */
export function href(url: string | null | undefined): string | null {
  if (url == null) return null;
  const trimmed = url.trim();
  if (trimmed === '') return null;
  // The common case, decided without parsing: cards call this for every link they show.
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  let parsed: URL;
  try {
    parsed = new URL(trimmed, RELATIVE_BASE);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? trimmed : null;
}
