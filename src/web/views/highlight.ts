// Marks matched query terms in text with <mark>, escaping everything else.
import { escapeHtml, rawHtml, type SafeHtml } from './html.ts';

const MAX_TERMS = 20;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Escapes `text` and wraps case-insensitive occurrences of `terms` that start a word in <mark>.
 * @example highlightHtml('Dense <b> retrieval', ['retrieval']).value // 'Dense &lt;b&gt; <mark>retrieval</mark>'
 */
export function highlightHtml(text: string, terms: readonly string[]): SafeHtml {
  const usable = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length > 1 && t.length < 100))]
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_TERMS);
  if (usable.length === 0) return rawHtml(escapeHtml(text));
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${usable.map(escapeRegExp).join('|')})`, 'giu');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    out += `${escapeHtml(text.slice(last, at))}<mark>${escapeHtml(m[0])}</mark>`;
    last = at + m[0].length;
  }
  return rawHtml(out + escapeHtml(text.slice(last)));
}
