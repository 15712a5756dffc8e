// Text with LaTeX math rendered server-side by KaTeX; everything else escaped. Renders are cached.
import { latexAccents } from '../../domain/index.ts';
import { texHtml } from '../../domain/tex-formula.ts';
import { escapeHtml, rawHtml, type SafeHtml } from './html.ts';

const MATH =
  /\$\$([^$]{1,2000}?)\$\$|\\\[([\s\S]{1,2000}?)\\\]|\\\(([\s\S]{1,2000}?)\\\)|\$([^$\n]{1,500}?)\$/g;
const CACHE_MAX = 5000;
const cache = new Map<string, string>();

function renderFormula(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out =
    texHtml(tex, display) ?? `<code class="tex">${escapeHtml(display ? `$$${tex}$$` : `$${tex}$`)}</code>`;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, out);
  return out;
}

/** Text-mode macros outside math and the HTML they become (the argument is already escaped). */
const TEXT_MACRO =
  /\\(textbf|textit|textsl|emph|texttt|textsc|textrm|textsf|textup|textnormal|underline)\{([^{}]*)\}/g;
const TAGS: Record<string, [string, string]> = {
  textbf: ['<strong>', '</strong>'],
  textit: ['<em>', '</em>'],
  textsl: ['<em>', '</em>'],
  emph: ['<em>', '</em>'],
  texttt: ['<code>', '</code>'],
  underline: ['<u>', '</u>'],
};

/** Escapes text outside math, with accents as letters, \textbf{…}-style macros as markup and \% as %. */
function textHtml(text: string): string {
  if (!text.includes('\\')) return escapeHtml(text);
  return escapeHtml(latexAccents(text))
    .replace(TEXT_MACRO, (_m, name: string, arg: string) => {
      const [open, close] = TAGS[name] ?? ['', ''];
      return `${open}${arg}${close}`;
    })
    .replace(/\\(%|&amp;|_|#|\$)/g, '$1');
}

/**
 * Escapes `text` and renders its $…$, $$…$$, \(…\) and \[…\] spans with KaTeX (unrenderable math stays
 * visible as source).
 * @example mathHtml('Loss $\\mathcal{L}$ <SEG>').value // '...katex...&lt;SEG&gt;'
 */
export function mathHtml(text: string): SafeHtml {
  if (!/[$\\]/.test(text)) return rawHtml(escapeHtml(text));
  if (!text.includes('$') && !/\\[([]/.test(text)) return rawHtml(textHtml(text));
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const at = m.index ?? 0;
    if (at > 0 && text[at - 1] === '\\') continue; // an escaped \$ is a dollar sign, not math
    out += textHtml(text.slice(last, at));
    const display = m[1] !== undefined || m[2] !== undefined;
    out += renderFormula((m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim(), display);
    last = at + m[0].length;
  }
  return rawHtml(out + textHtml(text.slice(last)));
}

/** True when the text has something mathHtml would render (pages then link KaTeX's stylesheet). */
export function hasMath(text: string): boolean {
  return /[$\\]/.test(text) && new RegExp(MATH.source).test(text);
}

/** Where the math spans of `text` start and end, escaped dollars skipped. */
function mathSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(MATH)) {
    const at = m.index ?? 0;
    if (at > 0 && text[at - 1] === '\\') continue;
    spans.push([at, at + m[0].length]);
  }
  return spans;
}

/**
 * The first `max` characters or so of `text`, never ending inside a formula: at the last sentence end past
 * half of `max`, else at the last space outside math (a formula that straddles `max` is kept whole when it
 * ends within `slack` characters, dropped otherwise). "…" marks a cut.
 * @example previewText('We show $a+b$ works. More.', 18) // 'We show $a+b$ works.…'
 */
export function previewText(text: string, max: number, slack = 120): string {
  if (text.length <= max) return text;
  const spans = mathSpans(text);
  let limit = max;
  const straddling = spans.find(([a, b]) => a < max && b > max);
  if (straddling !== undefined) limit = straddling[1] <= max + slack ? straddling[1] : straddling[0];
  const inMath = (i: number): boolean => spans.some(([a, b]) => i > a && i < b);
  const head = text.slice(0, limit);
  let sentence = -1;
  for (const m of head.matchAll(/[.!?](?=\s)/g)) {
    const i = (m.index ?? 0) + 1;
    if (!inMath(i)) sentence = i;
  }
  if (sentence >= max / 2) return `${head.slice(0, sentence)}…`;
  if (limit === straddling?.[1]) return `${head}…`;
  for (let i = head.length; i > max / 3; i--)
    if (head[i] === ' ' && !inMath(i)) return `${head.slice(0, i)}…`;
  return `${head.trimEnd()}…`;
}
