// Porter's 1980 suffix-stripping stemmer for English, so "learning", "learned" and "learns" meet at "learn".

/*
 * Terms: a word is read as [C](VC)^m[V], where C is a run of consonants and V a run of vowels; m is the
 * word's "measure". "y" is a vowel when it follows a consonant. Each step strips the longest matching suffix
 * of its table; when that suffix's condition fails, the step does nothing (no shorter suffix is tried).
 */

const PLAIN_WORD_RE = /^[a-z]+$/;

function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  // a e i o u
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c === 121) return i === 0 || !isConsonant(w, i - 1);
  return true;
}

/** The measure m of w[0, end). */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

/** w[0, end) ends in a doubled consonant ("tt", "ss"). */
function endsDouble(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** w[0, end) ends consonant-vowel-consonant, the last not w, x or y ("hop", not "snow"). */
function endsCvc(w: string, end: number): boolean {
  if (end < 3 || !isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3))
    return false;
  const last = w[end - 1];
  return last !== 'w' && last !== 'x' && last !== 'y';
}

type Rule = readonly [suffix: string, replacement: string];

/** Applies the longest matching rule whose stem has measure > minMeasure. */
function applyRules(
  w: string,
  rules: readonly Rule[],
  minMeasure: number,
  extra?: (stem: string) => boolean,
): string {
  for (const [suffix, replacement] of rules) {
    if (!w.endsWith(suffix)) continue;
    const stemEnd = w.length - suffix.length;
    const ok = measure(w, stemEnd) > minMeasure && (extra === undefined || extra(w.slice(0, stemEnd)));
    return ok ? w.slice(0, stemEnd) + replacement : w;
  }
  return w;
}

/** Orders a table longest suffix first, so the first match is the longest. */
function longestFirst(rules: readonly Rule[]): readonly Rule[] {
  return [...rules].sort((a, b) => b[0].length - a[0].length);
}

const STEP2 = longestFirst([
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
]);

const STEP3 = longestFirst([
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
]);

const STEP4 = longestFirst(
  [
    'al',
    'ance',
    'ence',
    'er',
    'ic',
    'able',
    'ible',
    'ant',
    'ement',
    'ment',
    'ent',
    'ion',
    'ou',
    'ism',
    'ate',
    'iti',
    'ous',
    'ive',
    'ize',
  ].map((suffix): Rule => [suffix, '']),
);

function step1a(w: string): string {
  if (w.endsWith('sses') || w.endsWith('ies')) return w.slice(0, -2);
  if (w.endsWith('ss')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith('eed')) return measure(w, w.length - 3) > 0 ? w.slice(0, -1) : w;
  let stemEnd = -1;
  if (w.endsWith('ed') && hasVowel(w, w.length - 2)) stemEnd = w.length - 2;
  else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) stemEnd = w.length - 3;
  if (stemEnd < 0) return w;
  const s = w.slice(0, stemEnd);
  if (s.endsWith('at') || s.endsWith('bl') || s.endsWith('iz')) return `${s}e`;
  if (endsDouble(s, s.length) && !/[lsz]$/.test(s)) return s.slice(0, -1);
  if (measure(s, s.length) === 1 && endsCvc(s, s.length)) return `${s}e`;
  return s;
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w, w.length - 1) ? `${w.slice(0, -1)}i` : w;
}

function step4(w: string): string {
  // "-ion" goes only after s or t ("adoption" → "adopt", but not "onion").
  return applyRules(w, STEP4, 1, (s) => !w.endsWith('ion') || s.endsWith('s') || s.endsWith('t'));
}

function step5(w: string): string {
  if (w.endsWith('e')) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (w.endsWith('ll') && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/**
 * Porter stem of a lower-case word; words with digits or non-ASCII letters, and words of two letters or
 * fewer, come back unchanged.
 * @example stem('generalization') // 'gener'
 * @example stem('running') // 'run'
 */
export function stem(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  if (word.length <= 2 || !PLAIN_WORD_RE.test(word)) return word;
  let w = step1c(step1b(step1a(word)));
  w = step5(step4(applyRules(applyRules(w, STEP2, 0), STEP3, 0)));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, w);
  return w;
}
