// Coordinate-descent sweep of the BM25F knobs on the tune split, to choose DEFAULT_BM25F (eval --tune).
import { DEFAULT_BM25F, type Bm25fOptions } from '../../src/index/lexical/bm25f-options.ts';
import type { BeirSet } from './beir.ts';
import { idsOnly, runLexical } from './eval-runs.ts';
import { summarize, type Judgments } from './metrics.ts';

type Knob = 'k1' | 'title.weight' | 'title.b' | 'abstract.b';

const GRID: Readonly<Record<Knob, readonly number[]>> = {
  k1: [0.6, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 2.0],
  'title.weight': [0.5, 1, 1.5, 2, 2.5, 3, 4],
  'title.b': [0, 0.25, 0.5, 0.75, 1],
  'abstract.b': [0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1],
};

function withKnob(o: Bm25fOptions, knob: Knob, value: number): Bm25fOptions {
  if (knob === 'k1') return { ...o, k1: value };
  const [field, param] = knob.split('.') as ['title' | 'abstract', 'weight' | 'b'];
  return { ...o, fields: { ...o.fields, [field]: { ...o.fields[field], [param]: value } } };
}

/**
 * Tries each knob's grid in turn (two passes), keeping what raises tune-split nDCG@10, and logs the path.
 * @example sweepBm25f(snapshot, set, tuneQrels, console.error)
 */
export function sweepBm25f(
  snapshot: Buffer,
  set: BeirSet,
  tune: ReadonlyMap<string, Judgments>,
  log: (m: string) => void,
): Bm25fOptions {
  const qids = [...tune.keys()];
  const score = (o: Bm25fOptions): number =>
    summarize(idsOnly(runLexical(snapshot, set, qids, 10, o)), tune)['ndcg@10'];
  let best = DEFAULT_BM25F;
  let bestScore = score(best);
  log(`tune: defaults nDCG@10 ${bestScore.toFixed(4)}`);
  for (let pass = 0; pass < 2; pass++) {
    for (const knob of Object.keys(GRID) as Knob[]) {
      for (const value of GRID[knob]) {
        const candidate = withKnob(best, knob, value);
        const s = score(candidate);
        if (s > bestScore + 1e-6) {
          best = candidate;
          bestScore = s;
          log(`tune: ${knob}=${value} → ${s.toFixed(4)}`);
        }
      }
    }
  }
  log(`tune: best ${JSON.stringify(best)} nDCG@10 ${bestScore.toFixed(4)}`);
  return best;
}
