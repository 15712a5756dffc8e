// Names topics by class-based tf-idf: the words and two-word phrases frequent in one topic and rare in the rest.
import { isStopword } from '../lexical/stopwords.ts';

/** A term and its class-based tf-idf weight in one topic. */
export interface TopicTerm {
  term: string;
  weight: number;
}

/** Words every abstract uses whatever its field; they would name every topic. */
const BOILERPLATE = new Set(
  `paper propose proposed proposes method methods approach approaches result results show shows shown novel
   present presents work new using use used based study studies demonstrate experiments experimental
   performance existing introduce introduces framework can also well however first one two three achieve
   achieves significantly significant state art outperforms across different various many further specifically
   address problem task tasks data our while both such provide provides effective effectively`.split(/\s+/),
);

/**
 * A text's terms: lower-case words of 3+ letters (not stopwords, not numbers) and adjacent pairs of them.
 * @example termsOf('Graph neural networks for molecules') // ['graph','neural','networks','molecules','graph neural','neural networks','networks molecules']
 */
export function termsOf(text: string): string[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .map((w) => w.replace(/^-+|-+$/g, ''));
  const out: string[] = [];
  let prev: string | null = null;
  for (const w of words) {
    const keep = w.length >= 3 && !/^[\d-]+$/.test(w) && !isStopword(w) && !BOILERPLATE.has(w);
    if (!keep) {
      prev = null;
      continue;
    }
    out.push(w);
    if (prev !== null) out.push(`${prev} ${w}`);
    prev = w;
  }
  return out;
}

/** Term counts per topic, fed one document at a time (keeps only counts, not texts). */
export class TopicTermCounter {
  private readonly perTopic: Map<string, number>[];
  private readonly total = new Map<string, number>();
  private readonly words: number[];

  constructor(readonly topics: number) {
    this.perTopic = Array.from({ length: topics }, () => new Map());
    this.words = new Array<number>(topics).fill(0);
  }

  add(topic: number, text: string): void {
    const counts = this.perTopic[topic];
    if (counts === undefined) return;
    for (const t of termsOf(text)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      this.total.set(t, (this.total.get(t) ?? 0) + 1);
      this.words[topic] = (this.words[topic] ?? 0) + 1;
    }
  }

  /**
   * The `top` terms of each topic by c-TF-IDF: tf(t,c)/words(c) · log(1 + A / f(t)), A the mean words per
   * topic and f(t) the term's count over all topics. Terms seen fewer than 3 times in a topic are skipped
   * (a single odd abstract should not name a topic).
   */
  topTerms(top: number): TopicTerm[][] {
    const nonEmpty = this.words.filter((w) => w > 0).length;
    const avg = this.words.reduce((a, b) => a + b, 0) / Math.max(1, nonEmpty);
    return this.perTopic.map((counts, c) => {
      const words = this.words[c] ?? 0;
      const scored: TopicTerm[] = [];
      for (const [term, tf] of counts) {
        if (tf < 3 && words > 200) continue;
        const idf = Math.log(1 + avg / (this.total.get(term) ?? 1));
        scored.push({ term, weight: (tf / Math.max(1, words)) * idf });
      }
      scored.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term));
      return scored.slice(0, top * 3);
    });
  }
}

/**
 * A short name from ranked terms: up to three, skipping a word already inside a chosen phrase and a phrase
 * whose words are both chosen.
 * @example topicLabel([{term:'neural networks',weight:2},{term:'neural',weight:1},{term:'graph',weight:1}]) // 'neural networks, graph'
 */
export function topicLabel(terms: readonly TopicTerm[], max = 3): string {
  const chosen: string[] = [];
  for (const { term } of terms) {
    if (chosen.length >= max) break;
    const parts = term.split(' ');
    const covered = (w: string): boolean => chosen.some((c) => c.split(' ').includes(w));
    if (parts.every(covered)) continue;
    if (parts.length > 1) {
      // A phrase replaces its words that were chosen on their own.
      for (let i = chosen.length - 1; i >= 0; i--) if (parts.includes(chosen[i] ?? '')) chosen.splice(i, 1);
    }
    chosen.push(term);
  }
  return chosen.join(', ');
}

/** Drops from a term list the single words that a higher-ranked phrase already holds. */
export function distinctTerms(terms: readonly TopicTerm[], max: number): TopicTerm[] {
  const out: TopicTerm[] = [];
  for (const t of terms) {
    if (out.length >= max) break;
    const parts = t.term.split(' ');
    if (parts.length === 1 && out.some((o) => o.term.split(' ').includes(t.term))) continue;
    out.push(t);
  }
  return out;
}
