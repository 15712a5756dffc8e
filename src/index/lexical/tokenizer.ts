// Splits paper text into normalized words: lower-case, accents folded, LaTeX noise dropped, model names kept.
import { stem } from './stemmer.ts';
import { isStopword } from './stopwords.ts';

/** Words longer than this are noise (hashes, URLs, base64) and are dropped. */
const MAX_WORD_LENGTH = 40;

/** Letters that NFD does not decompose but readers still type without the accent. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  '’': "'",
  ʼ: "'",
};
const EXTRA_FOLD_RE = /[ßæœøłđðþıʼ’]/g;
const COMBINING_MARKS_RE = /\p{M}+/gu;
const NON_ASCII_RE = /[\u0080-\uffff]/;

// LaTeX: accent macros keep their letter (Schr\"odinger, Erd\H{o}s); other macros and escapes vanish.
const LATEX_SYMBOL_ACCENT_RE = /\\[`'"^~=.]\{?([A-Za-z])\}?/g;
const LATEX_LETTER_ACCENT_RE = /\\[Hcvurkdbt]\{([A-Za-z])\}/g;
const LATEX_MACRO_RE = /\\[A-Za-z]+\*?/g;
const LATEX_ESCAPE_RE = /\\[^A-Za-z\s]/g;

/** A compound: alphanumeric runs joined by hyphens, dots or apostrophes ("gpt-4", "3.5", "alzheimer's"). */
const COMPOUND_RE = /[\p{L}\p{N}]+(?:[-.'][\p{L}\p{N}]+)*/gu;
const DIGIT_START_RE = /^\p{N}/u;
const HAS_LETTER_RE = /\p{L}/u;
const ALL_DIGITS_RE = /^\p{N}+$/u;

/**
 * Lower-cases, folds accents and strips LaTeX markup, leaving plain text.
 * @example normalizeText('Schr\\"odinger $\\mathcal{O}(n)$ Café') // 'schrodinger $ {o}(n)$ cafe'
 */
export function normalizeText(text: string): string {
  let s = text;
  if (s.includes('\\')) {
    s = s
      .replace(LATEX_SYMBOL_ACCENT_RE, '$1')
      .replace(LATEX_LETTER_ACCENT_RE, '$1')
      .replace(LATEX_MACRO_RE, ' ')
      .replace(LATEX_ESCAPE_RE, '');
  }
  s = s.toLowerCase();
  if (NON_ASCII_RE.test(s)) {
    s = s
      .normalize('NFD')
      .replace(COMBINING_MARKS_RE, '')
      .replace(EXTRA_FOLD_RE, (c) => EXTRA_FOLDS[c] ?? c);
  }
  return s;
}

const JOINER_RE = /[-.']/;

/** Splits one compound into words; see `tokenize` for the rules. */
function splitCompound(compound: string, out: string[]): void {
  if (!JOINER_RE.test(compound)) return pushWord(compound, out);
  if (compound.includes("'")) {
    const parts = compound.split("'");
    if (parts[parts.length - 1] === 's') parts.pop();
    compound = parts.join('');
  }
  const hyphenParts = compound.split('-');
  for (let i = 0; i < hyphenParts.length; i++) {
    const part = hyphenParts[i] ?? '';
    const next = hyphenParts[i + 1];
    // "gpt-4", "covid-19", "llama-3.1": a name and its number read as one identifier.
    if (
      next !== undefined &&
      HAS_LETTER_RE.test(part) &&
      DIGIT_START_RE.test(next) &&
      !ALL_DIGITS_RE.test(part)
    ) {
      pushDotted(part, out);
      pushWord(part + next, out);
      i++;
      continue;
    }
    pushDotted(part, out);
  }
}

/** Keeps decimals ("3.5") whole and splits other dotted runs ("e.g", "arxiv.org"). */
function pushDotted(part: string, out: string[]): void {
  if (!part.includes('.')) return pushWord(part, out);
  const pieces = part.split('.');
  let i = 0;
  while (i < pieces.length) {
    const piece = pieces[i] ?? '';
    const next = pieces[i + 1];
    if (next !== undefined && ALL_DIGITS_RE.test(piece) && ALL_DIGITS_RE.test(next)) {
      pushWord(`${piece}.${next}`, out);
      i += 2;
    } else {
      pushWord(piece, out);
      i++;
    }
  }
}

function pushWord(word: string, out: string[]): void {
  if (word.length > 0 && word.length <= MAX_WORD_LENGTH) out.push(word);
}

/**
 * Splits text into normalized words, keeping stopwords and inflections. Hyphenated words split into their
 * parts, except a name followed by a number, which yields the name and the joined identifier
 * ("GPT-4" → "gpt", "gpt4"), so "gpt4", "GPT-4" and "gpt" all find it.
 * @example tokenize('GPT-4 beats BERT on Café-style QA') // ['gpt', 'gpt4', 'beats', 'bert', 'on', 'cafe', 'style', 'qa']
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeText(text).matchAll(COMPOUND_RE)) splitCompound(m[0], out);
  return out;
}

/**
 * The analyzer for titles, abstracts and queries: tokenize, drop stopwords, stem.
 * @example analyze('The transformers are learning') // ['transform', 'learn']
 */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const word of tokenize(text)) {
    let term = termCache.get(word);
    if (term === undefined) {
      term = isStopword(word) ? '' : stem(word);
      if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
      termCache.set(word, term);
    }
    if (term !== '') out.push(term);
  }
  return out;
}

/** Word → indexed term ('' for a stopword); vocabularies repeat, so most words are looked up once. */
const termCache = new Map<string, string>();
const TERM_CACHE_LIMIT = 500_000;

/**
 * The analyzer for author names: no stopword removal (the surname "An" must survive), but stemmed so that
 * a plain query word finds the name through the shared vocabulary.
 * @example analyzeName('Jürgen Schmidhuber') // ['jurgen', 'schmidhub']
 */
export function analyzeName(text: string): string[] {
  return tokenize(text).map(stem);
}
