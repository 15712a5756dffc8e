// The token vocabulary of a static model: which words it knows, their ids and their corpus idf.
import { rawWords, tokenize, tokenOf } from './tokenizer.ts';

/** Token ids by token: a Map for a model in memory, a string table read in place for an opened image. */
export interface TokenIds {
  get(token: string): number | undefined;
  has(token: string): boolean;
}

/** Known tokens with ids, and each token's inverse document frequency in the training corpus. */
export interface Vocabulary {
  readonly tokens: readonly string[];
  readonly ids: TokenIds;
  readonly idf: Float32Array;
}

/** A text as unique token ids with sublinear term-frequency coefficients (1 + ln tf). */
export interface TokenBag {
  readonly ids: Int32Array;
  readonly tf: Float32Array;
}

export interface VocabularyOptions {
  /** Tokens seen in fewer documents are dropped (default 2). */
  minDf?: number;
  /** The most frequent tokens kept (default 200,000). */
  maxSize?: number;
}

/** Counts in how many documents each token occurs; feed it every training document once. */
export function createDfCounter(): { add(text: string): void; counts: Map<string, number>; docs(): number } {
  const counts = new Map<string, number>();
  let n = 0;
  return {
    counts,
    docs: () => n,
    add(text: string): void {
      n++;
      for (const t of new Set(tokenize(text))) counts.set(t, (counts.get(t) ?? 0) + 1);
    },
  };
}

/**
 * Keeps tokens with document frequency ≥ minDf (most frequent first) and computes idf = ln(1 + N / df).
 * @example const c = createDfCounter(); c.add('gene expression'); c.add('gene editing'); buildVocabulary(c.counts, c.docs()).tokens // ['gene']
 */
export function buildVocabulary(
  counts: ReadonlyMap<string, number>,
  docs: number,
  opts: VocabularyOptions = {},
): Vocabulary {
  const minDf = opts.minDf ?? 2;
  const kept = [...counts].filter(([, df]) => df >= minDf);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = kept.slice(0, opts.maxSize ?? 200_000);
  const tokens = top.map(([t]) => t);
  const idf = Float32Array.from(top, ([, df]) => Math.log(1 + docs / df));
  return vocabularyFrom(tokens, idf);
}

/**
 * Rebuilds a vocabulary from its stored token list and idf values.
 * @example vocabularyFrom(['gene'], new Float32Array([0.69])).ids.get('gene') // 0
 */
export function vocabularyFrom(tokens: readonly string[], idf: Float32Array): Vocabulary {
  return { tokens, idf, ids: new Map(tokens.map((t, i) => [t, i])) };
}

/**
 * Encodes text as a bag of known token ids; unknown tokens are skipped.
 * @example toBag(vocab, 'gene gene editing') // { ids: [0], tf: [1.693] } when only "gene" is known
 */
export function toBag(vocab: Vocabulary, text: string): TokenBag {
  const counts = new Map<number, number>();
  for (const t of tokenize(text)) {
    const id = vocab.ids.get(t);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return bagOf(counts);
}

/**
 * `toBag` with a memo of each raw word's token id, so a word is stemmed and looked up once, not at every
 * occurrence (stemming was a fifth of embedding time at 300k papers, docs/BENCHMARKS.md "#23 embed time
 * (h24e)"). The same bag as `toBag`, ids in the same order. The memo holds at most `maxWords` words (then starts over).
 * @example const bag = bagMaker(vocab); bag('gene gene editing') // as toBag(vocab, 'gene gene editing')
 */
export function bagMaker(vocab: Vocabulary, maxWords = 200_000): (text: string) => TokenBag {
  /** Raw word → token id, or -1 when it gives no known token. */
  const memo = new Map<string, number>();
  return (text) => {
    const counts = new Map<number, number>();
    for (const raw of rawWords(text)) {
      let id = memo.get(raw);
      if (id === undefined) {
        const token = tokenOf(raw);
        id = token === null ? -1 : (vocab.ids.get(token) ?? -1);
        if (memo.size >= maxWords) memo.clear();
        memo.set(raw, id);
      }
      if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return bagOf(counts);
  };
}

/** Token counts (in first-seen order) as a bag with sublinear term frequencies. */
function bagOf(counts: ReadonlyMap<number, number>): TokenBag {
  const ids = new Int32Array(counts.size);
  const tf = new Float32Array(counts.size);
  let i = 0;
  for (const [id, c] of counts) {
    ids[i] = id;
    tf[i++] = 1 + Math.log(c);
  }
  return { ids, tf };
}
