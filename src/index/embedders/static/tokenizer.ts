// Splits text into stemmed lowercase word tokens and sentences; the one tokenizer the static model trains and embeds with.
import { createHash } from 'node:crypto';
import { stem } from '../../lexical/stemmer.ts';

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'may might more most no not of on or our over she should so such than that the their them then there these they this ' +
    'those through to under up upon was we were what when where which while who whom why will with would you your also ' +
    'both each further here however thus very'
  ).split(' '),
);

/** Folds accents and case so "Naïve" and "naive" are one token. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Stemmed lowercase alphanumeric tokens without stopwords; single letters are dropped, single digits kept.
 * Stemming (the lexical index's stemmer) lets "inhibits" in a query meet "inhibition" in an abstract.
 * @example tokenize('The p53 proteins: a Review') // ['p53', 'protein', 'review']
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of rawWords(text)) {
    const token = tokenOf(raw);
    if (token !== null) out.push(token);
  }
  return out;
}

/** A text's words as `tokenize` first splits them (folded, cut at every other character), empty ones included. */
export function rawWords(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/);
}

/**
 * The token `tokenize` makes of one raw word, or null for none (empty, a stopword, a single letter).
 * @example tokenOf('proteins') // 'protein'
 */
export function tokenOf(raw: string): string | null {
  if (raw === '' || STOPWORDS.has(raw)) return null;
  if (raw.length === 1 && !/[0-9]/.test(raw)) return null;
  return stem(raw.length > 40 ? raw.slice(0, 40) : raw);
}

/**
 * Splits an abstract into sentences at ., ! or ? followed by space and a capital, digit or bracket.
 * @example splitSentences('We did A. Then B happened.') // ['We did A.', 'Then B happened.']
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9([])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const CANARY =
  'Inhibition of the receptors reduces inflammatory signalling; the networks were trained, evaluated and generalized ' +
  'across languages, studies and measurements of 3D graphs, p53 mutations and naïve Bayesian classifiers.';

/**
 * A short hash of how the tokenizer splits a fixed text; a model trained under another tokenizer is refused at load.
 * @example tokenizerFingerprint() // e.g. '5c1e09aa'
 */
export function tokenizerFingerprint(): string {
  return createHash('sha256').update(tokenize(CANARY).join(' ')).digest('hex').slice(0, 8);
}
