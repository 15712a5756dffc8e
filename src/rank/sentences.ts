// Splits an abstract into sentences without cutting inside $…$ math, after "e.g."/"et al." or inside decimals.

/** Abbreviations whose period does not end a sentence (lower-cased, without the final period). */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'al',
  'etc',
  'cf',
  'vs',
  'fig',
  'figs',
  'eq',
  'eqs',
  'sec',
  'ref',
  'refs',
  'approx',
  'resp',
  'no',
  'vol',
  'dr',
  'mr',
  'ms',
  'prof',
  'st',
  'viz',
  'ca',
  'incl',
  'tab',
  'ch',
  'app',
  'thm',
  'def',
  'w.r.t',
]);

/**
 * The sentences of a text, trimmed, in order. A sentence ends at ".", "!" or "?" followed by space and a
 * capital, digit, quote or "(" — but not inside $…$ math, not after a known abbreviation or a
 * single initial ("J. Smith"), and never at a decimal point ("3.5") since that has no space after it.
 * @example splitSentences('We use e.g. $x. y$ here. It works.') // ['We use e.g. $x. y$ here.', 'It works.']
 */
export function splitSentences(text: string): string[] {
  // Stored abstracts are already single-spaced: then the replace would copy the text to change nothing.
  const flat = (COLLAPSIBLE.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  const sentences: string[] = [];
  let start = 0;
  let inMath = false;
  for (let i = 0; i < flat.length; i++) {
    const ch = flat[i];
    if (ch === '$' && flat[i - 1] !== '\\') {
      inMath = !inMath;
      continue;
    }
    if (inMath || (ch !== '.' && ch !== '!' && ch !== '?')) continue;
    if (flat[i + 1] !== ' ' || !/[A-Z0-9"'([$\\]/.test(flat[i + 2] ?? '')) continue;
    if (ch === '.' && isAbbreviation(flat, start, i)) continue;
    sentences.push(flat.slice(start, i + 1).trim());
    start = i + 2;
  }
  const rest = flat.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

/** Whitespace that `\s+` → ' ' changes: any but a space, or two in a row. */
const COLLAPSIBLE = /[^\S ]| {2}/;

/** Whether the word ending at the period at `dot` is an abbreviation or an initial. */
function isAbbreviation(text: string, start: number, dot: number): boolean {
  let from = dot;
  while (from > start && text[from - 1] !== ' ' && text[from - 1] !== '(') from--;
  const word = text.slice(from, dot).toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // A single capital letter: an initial ("J. Smith"), rarely a sentence end.
  return /^[a-z]$/.test(word) && /[A-Z]/.test(text[dot - 1] ?? '');
}
