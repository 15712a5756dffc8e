// "Did you mean": corrects a query word to a frequent corpus word within a small edit distance.

/** Words shorter than this are never corrected: too many short words are one edit apart. */
export const MIN_WORD = 4;
/** A candidate must occur in at least this many texts; rarer words are as likely typos as the query. */
export const MIN_CANDIDATE_COUNT = 2;
/** A rare word (counted at most RARE times) is corrected only to a word this many times as frequent. */
const RARE = 2;
const RARE_FACTOR = 100;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Folds a word for spelling: lower case, accents removed.
 * @example foldWord('Naïve') // 'naive'
 */
export function foldWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The letter-only words of a text, folded; digits and punctuation separate words. */
export function spellingWords(text: string): string[] {
  return foldWord(text)
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), or `max + 1` as soon
 * as it must exceed `max`.
 * @example editDistance('transfomer', 'transformer', 2) // 1
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length] ?? max + 1;
}

/** Every string one edit (delete, transpose, replace, insert of a-z) away from `w`. */
function edits1(w: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= w.length; i++) {
    const left = w.slice(0, i);
    const right = w.slice(i);
    if (right.length > 0) out.add(left + right.slice(1));
    if (right.length > 1) out.add(left + (right[1] ?? '') + (right[0] ?? '') + right.slice(2));
    for (const c of LETTERS) {
      if (right.length > 0) out.add(left + c + right.slice(1));
      out.add(left + c + right);
    }
  }
  out.delete(w);
  return out;
}

/** What a correction asks of a vocabulary (held in memory, in a lookup file, or both merged). */
export interface SpellingSource {
  /** How many texts hold `folded` (a word already folded: lower case a-z). */
  countOf(folded: string): number;
  /** False only when `word` is surely counted fewer than MIN_CANDIDATE_COUNT times (a cheap filter). */
  mayBeCandidate(word: string): boolean;
  /**
   * Words with `w`'s first letter, a length within two and an edit distance of at most two, among those that
   * may be candidates (a caller checks their counts).
   */
  farCandidates(w: string): Iterable<string>;
}

/**
 * The likeliest intended corpus word for `word`, or null when it is known (or too short, or nothing is
 * close). Known means counted more than RARE times, or counted at all with no far more frequent neighbour.
 * Every one-edit variant is tried first (a few hundred look-ups), then, only if none is a corpus word, the
 * words of the same first letter and a length within two (bounded edit distance 2).
 */
export function correctWith(src: SpellingSource, word: string): string | null {
  const w = foldWord(word);
  if (w.length < MIN_WORD || !/^[a-z]+$/.test(w)) return null;
  const own = src.countOf(w);
  if (own > RARE) return null;
  const needed = own === 0 ? MIN_CANDIDATE_COUNT : Math.max(MIN_CANDIDATE_COUNT, own * RARE_FACTOR);
  const best = bestOf(src, edits1(w), needed);
  if (best !== null || own > 0) return best;
  return bestOf(src, src.farCandidates(w), needed);
}

/** The most frequent of `candidates` counted at least `needed` times (ties: alphabetical). */
function bestOf(src: SpellingSource, candidates: Iterable<string>, needed: number): string | null {
  let best: string | null = null;
  let bestCount = needed - 1;
  for (const c of candidates) {
    if (!src.mayBeCandidate(c)) continue;
    const n = src.countOf(c);
    if (n > bestCount || (n === bestCount && best !== null && c < best)) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Word counts of a corpus (how many texts hold each word) and corrections from them (see correctWith).
 * @example const v = new SpellingVocabulary(); v.addText('Tokenization matters'); v.correct('tokenizaton')
 */
export class SpellingVocabulary implements SpellingSource {
  /** Each word's id: its place in `byId`, `counts` and `stamps`. */
  private readonly ids = new Map<string, number>();
  private readonly byId: string[] = [];
  /** How many texts hold each word, by id. */
  private counts = new Int32Array(1024);
  /**
   * The number of the last text that counted each word, by id: a word met again in the same text is skipped by
   * one compare. (A Set of each text's words was the largest cost of writing the lookup file: 33 of 76 CPU s at
   * 300k papers, docs/BENCHMARKS.md "#23 lookup write step, baseline and profile".)
   */
  private stamps = new Int32Array(1024);
  private texts = 0;
  /** Candidate words (count ≥ minCandidate) by first letter and length; built on first need. */
  private byLetter: Map<string, string[]> | null = null;

  /**
   * @param minCandidate the count from which a word is offered by `farCandidates`: MIN_CANDIDATE_COUNT, or 1
   *   for a vocabulary of recent papers whose counts add to those of a lookup file.
   */
  constructor(private readonly minCandidate = MIN_CANDIDATE_COUNT) {}

  /** Counts each distinct word of a text once. */
  addText(text: string): void {
    const stamp = ++this.texts;
    for (const w of spellingWords(text)) {
      let id = this.ids.get(w);
      if (id === undefined) {
        id = this.byId.length;
        this.ids.set(w, id);
        this.byId.push(w);
        if (id === this.counts.length) this.grow();
      } else if (this.stamps[id] === stamp) continue;
      this.stamps[id] = stamp;
      const n = (this.counts[id] ?? 0) + 1;
      this.counts[id] = n;
      // A word that just became a candidate joins its bucket (once built), so new papers cost no rebuild.
      if (n === this.minCandidate && this.byLetter !== null && w.length >= MIN_WORD - 1) {
        const key = `${w[0] ?? ''}${w.length}`;
        const list = this.byLetter.get(key);
        if (list === undefined) this.byLetter.set(key, [w]);
        else list.push(w);
      }
    }
  }

  private grow(): void {
    const counts = new Int32Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
    const stamps = new Int32Array(this.stamps.length * 2);
    stamps.set(this.stamps);
    this.stamps = stamps;
  }

  /** How many texts hold `word` (folded). */
  count(word: string): number {
    return this.countOf(foldWord(word));
  }

  countOf(folded: string): number {
    const id = this.ids.get(folded);
    return id === undefined ? 0 : (this.counts[id] ?? 0);
  }

  mayBeCandidate(): boolean {
    return true;
  }

  get size(): number {
    return this.byId.length;
  }

  /** Every word with its count, in the order first met (for writing a lookup file). */
  *entries(): Generator<readonly [string, number]> {
    for (let id = 0; id < this.byId.length; id++) yield [this.byId[id] ?? '', this.counts[id] ?? 0];
  }

  /** Every word, in the order first met. */
  get words(): readonly string[] {
    return this.byId;
  }

  /**
   * The likeliest intended corpus word for `word`, or null when it is known (or too short, or nothing is
   * close). Known means counted more than RARE times, or counted at all with no far more frequent neighbour.
   */
  correct(word: string): string | null {
    return correctWith(this, word);
  }

  /** Corpus words two edits from `w` with its first letter (buckets by first letter and length). */
  farCandidates(w: string): string[] {
    if (this.byLetter === null) {
      this.byLetter = new Map();
      for (const [word, n] of this.entries()) {
        if (n < this.minCandidate || word.length < MIN_WORD - 1) continue;
        const key = `${word[0] ?? ''}${word.length}`;
        const list = this.byLetter.get(key);
        if (list === undefined) this.byLetter.set(key, [word]);
        else list.push(word);
      }
    }
    const out: string[] = [];
    for (let len = w.length - 2; len <= w.length + 2; len++)
      for (const c of this.byLetter.get(`${w[0] ?? ''}${len}`) ?? [])
        if (editDistance(w, c, 2) <= 2) out.push(c);
    return out;
  }
}
