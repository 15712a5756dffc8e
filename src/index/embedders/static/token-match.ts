// Late interaction with a static model's token vectors: how well each query word is met somewhere in a paper.
import type { StaticModel } from './static-model.ts';
import { tokenize } from './tokenizer.ts';

type Rows = Pick<StaticModel, 'quantized' | 'dimension' | 'vocab' | 'ensureRows'>;

/** A text's known tokens as unique vocabulary ids, in first-seen order. */
function tokenIds(model: Rows, text: string): number[] {
  const out = new Set<number>();
  for (const t of tokenize(text)) {
    const id = model.vocab.ids.get(t);
    if (id !== undefined) out.add(id);
  }
  return [...out];
}

/**
 * For each text of `docs`: the idf-weighted mean, over the query's known words, of the best cosine between
 * that word's vector and any word vector of the text (1 for the word itself), in 0–1 (0 for a query the
 * model does not know). Unlike the pooled cosine it keeps each query word apart, so a paper that meets
 * every word of a claim outranks one that only shares its topic; unlike word matching it credits related
 * words ("inhibits" meets "suppression"). Cost: query words × distinct words of the texts × dimension.
 * @example tokenMatch(model, 'p53 inhibits growth', [abstractA, abstractB]) // [0.83, 0.41]
 */
export function tokenMatch(model: Rows, query: string, docs: readonly string[]): number[] {
  const q = tokenIds(model, query);
  const bags = docs.map((d) => tokenIds(model, d));
  if (q.length === 0) return docs.map(() => 0);
  // Every distinct word of the texts once: its cosine to each query word is shared by all texts holding it.
  const slot = new Map<number, number>();
  for (const bag of bags) for (const t of bag) if (!slot.has(t)) slot.set(t, slot.size);
  const words = [...slot.keys()];
  model.ensureRows?.(Int32Array.from([...q, ...words]));
  const { quantized, dimension: dim } = model;
  // int8 rows: the per-row scale cancels in a cosine, so only the rows' own norms are needed.
  const norm = (t: number): number => {
    let s = 0;
    for (let j = t * dim, end = j + dim; j < end; j++) s += quantized[j]! * quantized[j]!;
    return Math.sqrt(s);
  };
  const wordNorm = Float64Array.from(words, norm);
  const cos = new Float64Array(q.length * words.length);
  q.forEach((t, a) => {
    const qn = norm(t);
    const base = t * dim;
    for (let w = 0; w < words.length; w++) {
      const u = words[w]!;
      if (u === t) {
        cos[a * words.length + w] = 1;
        continue;
      }
      const other = u * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += quantized[base + j]! * quantized[other + j]!;
      const d = qn * wordNorm[w]!;
      cos[a * words.length + w] = d > 0 ? s / d : 0;
    }
  });
  const idf = q.map((t) => model.vocab.idf[t] ?? 1);
  const total = idf.reduce((a, b) => a + b, 0);
  return bags.map((bag) => {
    let sum = 0;
    q.forEach((_, a) => {
      let best = 0;
      for (const t of bag) best = Math.max(best, cos[a * words.length + slot.get(t)!]!);
      sum += idf[a]! * best;
    });
    return total > 0 ? sum / total : 0;
  });
}
