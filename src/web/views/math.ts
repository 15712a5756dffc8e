// Text with LaTeX math rendered server-side by KaTeX; everything else escaped. Renders are cached.
import katex from 'katex';
import { escapeHtml, rawHtml, type SafeHtml } from './html.ts';

const MATH =
  /\$\$([^$]{1,2000}?)\$\$|\\\[([\s\S]{1,2000}?)\\\]|\\\(([\s\S]{1,2000}?)\\\)|\$([^$\n]{1,500}?)\$/g;
const CACHE_MAX = 5000;
const cache = new Map<string, string>();

function renderFormula(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    // trust: false keeps \href, \url, \includegraphics and \html* off; maxExpand bounds macro loops.
    out = katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      maxExpand: 200,
      maxSize: 20,
      output: 'htmlAndMathml',
    });
  } catch {
    out = `<code class="tex">${escapeHtml(display ? `$$${tex}$$` : `$${tex}$`)}</code>`;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, out);
  return out;
}

/**
 * Escapes `text` and renders its $…$, $$…$$, \(…\) and \[…\] spans with KaTeX (unrenderable math stays
 * visible as source).
 * @example mathHtml('Loss $\\mathcal{L}$ <SEG>').value // '...katex...&lt;SEG&gt;'
 */
export function mathHtml(text: string): SafeHtml {
  if (!/[$\\]/.test(text)) return rawHtml(escapeHtml(text));
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const at = m.index ?? 0;
    if (at > 0 && text[at - 1] === '\\') continue; // an escaped \$ is a dollar sign, not math
    out += escapeHtml(text.slice(last, at));
    const display = m[1] !== undefined || m[2] !== undefined;
    out += renderFormula((m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim(), display);
    last = at + m[0].length;
  }
  return rawHtml(out + escapeHtml(text.slice(last)));
}

/** True when the text has something mathHtml would render (pages then link KaTeX's stylesheet). */
export function hasMath(text: string): boolean {
  return /[$\\]/.test(text) && new RegExp(MATH.source).test(text);
}
