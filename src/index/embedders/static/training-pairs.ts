// Training pairs the corpus gives for free: (title, abstract) and (one sentence, the rest of its paper).
import type { Rng } from './random.ts';
import type { TokenBag } from './vocabulary.ts';

/** A training document as known-token ids: its title and each abstract sentence. */
export interface TrainDoc {
  readonly title: Int32Array;
  readonly sentences: readonly Int32Array[];
}

/** How pairs are drawn; probabilities are per document per epoch. */
export interface PairMix {
  /** Chance of a (title, abstract) pair rather than a (sentence, rest) pair (default 0.3). */
  titleProb: number;
  /** Chance that the rest keeps the query sentence, which teaches exact-word matching too (default 0.1). */
  keepProb: number;
  /** Sentences with fewer known tokens are not used as queries (default 4). */
  minQueryTokens: number;
}

export const DEFAULT_PAIR_MIX: PairMix = { titleProb: 0.3, keepProb: 0.1, minQueryTokens: 4 };

/** Builds token bags from id arrays with a reusable counter the size of the vocabulary. */
export function createBagBuilder(vocabSize: number): (parts: readonly Int32Array[]) => TokenBag {
  const counts = new Float32Array(vocabSize);
  const seen: number[] = [];
  return (parts) => {
    for (const part of parts) {
      for (const t of part) {
        if (counts[t] === 0) seen.push(t);
        counts[t]! += 1;
      }
    }
    const ids = Int32Array.from(seen);
    const tf = Float32Array.from(seen, (t) => 1 + Math.log(counts[t]!));
    for (const t of seen) counts[t] = 0;
    seen.length = 0;
    return { ids, tf };
  };
}

/**
 * Draws one (query, document) pair from a paper, or undefined when it has too little text.
 */
export function drawPair(
  doc: TrainDoc,
  rng: Rng,
  mix: PairMix,
  bag: (parts: readonly Int32Array[]) => TokenBag,
): { query: TokenBag; doc: TokenBag } | undefined {
  const usable = doc.sentences.map((s, i) => (s.length >= mix.minQueryTokens ? i : -1)).filter((i) => i >= 0);
  const canTitle = doc.title.length >= 2 && doc.sentences.length > 0;
  const canSentence = usable.length > 0 && doc.sentences.length > 1;
  if (!canTitle && !canSentence) return undefined;
  if (canTitle && (!canSentence || rng.next() < mix.titleProb)) {
    return { query: bag([doc.title]), doc: bag(doc.sentences) };
  }
  const pick = usable[rng.int(usable.length)]!;
  const keep = rng.next() < mix.keepProb;
  const rest = doc.sentences.filter((_, i) => keep || i !== pick);
  return { query: bag([doc.sentences[pick]!]), doc: bag([doc.title, ...rest]) };
}
