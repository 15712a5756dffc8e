// The extractive TL;DR: the abstract's most central sentence (two when the best one is short), by word overlap.
import { splitSentences } from './sentences.ts';

/** A summary as surfaces show it; `kind` says how it was made, `model` which method or model made it. */
export interface PaperSummary {
  text: string;
  /** extractive: a sentence of the abstract; abstractive: written by a language model (SUMMARIZER=http). */
  kind: 'extractive' | 'abstractive';
  model: string;
}

/** The method's name and version, shown in the API so a changed method can be told apart. */
export const EXTRACTIVE_MODEL = 'centroid-v1';
/** A best sentence shorter than this gets its best neighbour added, so the TL;DR says something. */
const MIN_CHARS = 80;
/** Longer than this and the TL;DR is cut at a word (a 600-character "sentence" is usually a list). */
const MAX_CHARS = 320;

const STOPWORDS = new Set(
  (
    'a about above after all also an and any are as at be been being between both but by can could did do does ' +
    'each for from had has have how however i if in into is it its just more most no nor not of on only or other ' +
    'our over paper propose proposed present show such than that the their them then there these they this those ' +
    'through thus to under up us using via was we were what when where which while who will with within without ' +
    'would you approach method methods results work study new based'
  ).split(' '),
);

const MATH = /\$[^$]*\$/g;
const WORD = /[a-z][a-z0-9-]+/g;

/** A sentence's words, lower-cased, math and one-letter tokens dropped (stop words still in). */
function wordsOf(sentence: string): string[] {
  return sentence.toLowerCase().replace(MATH, ' ').match(WORD) ?? [];
}

/** The content words of a sentence: lower-cased, stop words, math and one-letter tokens dropped. */
export function contentWords(sentence: string): string[] {
  return wordsOf(sentence).filter((w) => !STOPWORDS.has(w));
}

/** `new Set(contentWords(sentence))`, without the intermediate filtered list. */
function contentWordSet(sentence: string): Set<string> {
  const set = new Set<string>();
  for (const w of wordsOf(sentence)) if (!STOPWORDS.has(w)) set.add(w);
  return set;
}

/**
 * Scores each sentence by how much of the abstract's vocabulary it shares: the sum, over its distinct content
 * words, of how many *other* sentences use the word, divided by the square root of its length (a centroid
 * score that neither favours long sentences nor one-word ones). The best sentence wins; ties go to the earlier.
 * @example extractiveSummary('Deep nets are big. We prune deep nets to small nets. Results hold.')?.text
 *   // 'We prune deep nets to small nets.'
 */
export function extractiveSummary(abstract: string): PaperSummary | null {
  const sentences = splitSentences(abstract).filter((s) => s.length >= 20 || abstract.length < 40);
  if (sentences.length === 0) return null;
  const best = rankSentences(sentences);
  let text = sentences[best[0]!]!;
  if (text.length < MIN_CHARS && best.length > 1) {
    const second = best[1]!;
    text = second < best[0]! ? `${sentences[second]} ${text}` : `${text} ${sentences[second]}`;
  }
  return { text: cut(text), kind: 'extractive', model: EXTRACTIVE_MODEL };
}

/** Sentence indexes, best first. */
export function rankSentences(sentences: readonly string[]): number[] {
  const words = sentences.map(contentWordSet);
  const df = new Map<string, number>();
  for (const set of words) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1);
  const scores = words.map((set) => {
    let shared = 0;
    for (const w of set) shared += (df.get(w) ?? 1) - 1;
    return set.size === 0 ? 0 : shared / Math.sqrt(set.size);
  });
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

function cut(text: string): string {
  if (text.length <= MAX_CHARS) return text;
  const space = text.lastIndexOf(' ', MAX_CHARS);
  const head = text.slice(0, space > MAX_CHARS / 2 ? space : MAX_CHARS);
  // Never leave a formula open: drop back to before an unmatched "$".
  const dollars = (head.match(/(?<!\\)\$/g) ?? []).length;
  return `${dollars % 2 === 1 ? head.slice(0, head.lastIndexOf('$')).trimEnd() : head}…`;
}
