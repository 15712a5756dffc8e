// Trains a static embedding model from the papers alone: vocabulary, random init, contrastive epochs, quantise.
import { createContrastiveStep } from './contrastive-step.ts';
import { mineHardNegatives, type HardNegatives, type MiningOptions } from './hard-negatives.ts';
import { createRng, shuffleInPlace, type Rng } from './random.ts';
import { finalizeModel, type StaticModel } from './static-model.ts';
import { splitSentences, tokenize } from './tokenizer.ts';
import {
  createBagBuilder,
  DEFAULT_PAIR_MIX,
  drawPair,
  type PairMix,
  type TrainDoc,
} from './training-pairs.ts';
import { buildVocabulary, createDfCounter, type TokenBag, type Vocabulary } from './vocabulary.ts';

/** A paper as the trainer reads it. */
export interface TrainingText {
  title: string;
  abstract: string;
}

/** In how many of `docs` papers each token occurs: all the vocabulary and its idf are made from. */
export interface DocumentFrequencies {
  counts: ReadonlyMap<string, number>;
  docs: number;
}

/** Progress of a training run, for a CLI bar: `done` of `total` in the current phase. */
export interface TrainProgress {
  phase: 'read' | 'train' | 'done';
  done: number;
  total: number;
  epoch?: number;
  loss?: number;
}

export interface TrainOptions {
  /** Vector dimension (default 512: +0.004 hybrid nDCG@10 on SciFact over 256, at half the embedding speed). */
  dim?: number;
  /** Passes over the corpus; default scales with corpus size (about 20 for 5k papers, 3 for 35k+). */
  epochs?: number;
  /**
   * At most this many training pairs in all (one pair per paper per epoch): the run stops after the first
   * `pairs` of its shuffled epochs, so the last epoch may cover only some papers. Training time follows pairs.
   * Default: no bound (every paper, `epochs` times).
   */
  pairs?: number;
  /** Seed for initialisation and sampling; the same seed and corpus give the same model (default 1). */
  seed?: number;
  /**
   * Pairs per step, each one's negatives are the others (default 256). 1,024 was measured on SciFact: +0.0013
   * held-out hybrid gain over five seeds, within seed noise, at 1.6–1.9 times the cost a pair (docs/BENCHMARKS.md
   * "#19 batch, steps and temperature"); fewer epochs or a lower `lr` at 256 did not do better either.
   */
  batchSize?: number;
  /** Adam learning rate (default 0.003). */
  lr?: number;
  /** Softmax temperature (default 0.1). */
  temperature?: number;
  /**
   * Tokens in fewer papers are not learned (default 1: every token). A word found in one paper only (a
   * gene, a dataset, a coined name) is the strongest pointer to that paper; dropping such words cost
   * 0.06 semantic nDCG@10 on SciFact.
   */
  minDf?: number;
  mix?: Partial<PairMix>;
  /**
   * Mined hard negatives per pair (default 0: in-batch negatives only): for each pair, this many papers drawn
   * from the ones BM25 ranks highest for its paper's title join every query's softmax denominator. Off by
   * default: at 1 the SciFact held-out hybrid gain fell (+0.0269 to +0.0132, seed 1; docs/BENCHMARKS.md "#19
   * hard negatives"). Mining costs about 50 µs a paper, but each negative doubles a step's cost (×2.08 at
   * k = 1): turned on, it must come out of the pair budget (pairs × (1 + k) ≤ budget), not on top of it.
   */
  hardNegatives?: number;
  /**
   * Draw the hard negatives from these BM25 ranks (1-based, inclusive; e.g. `[10, 30]`: softer negatives, not
   * the title's lexical near-duplicates) instead of the best 4. Sets `mining.ranks`. Default: off.
   */
  hardNegativeRanks?: readonly [number, number];
  /** How hard negatives are mined (pool per paper, shard size); see `mineHardNegatives`. */
  mining?: MiningOptions;
  /**
   * The papers whose words make the vocabulary (and its idf), when training on a sample of them: every
   * word of the corpus gets a vector (its idf-weighted random start where the sample never shows it), not
   * only the sample's. Default: the training papers. Without it a 27% sample of SciFact lost 0.17
   * semantic nDCG@10 (docs/BENCHMARKS.md, #23). Read before the training papers.
   */
  vocabularyFrom?: Iterable<TrainingText> | AsyncIterable<TrainingText>;
  /**
   * The vocabulary's counts, made beforehand (`countDocumentFrequencies`), instead of `vocabularyFrom`: the
   * same vocabulary and idf, without reading its papers here (a worker thread is handed these, not the texts).
   */
  documentFrequencies?: DocumentFrequencies;
  onProgress?: (p: TrainProgress) => void;
}

/** The defaults of the knobs above (epochs scale with the corpus); tuned with `npm run eval:semantic` and `npm run eval`. */
export const DEFAULT_TRAINING = { dim: 512, minDf: 1, batchSize: 256, lr: 0.003, temperature: 0.1 } as const;

/** About 100k training pairs in all: at least 3 and at most 40 epochs. */
function autoEpochs(docs: number): number {
  return Math.min(40, Math.max(3, Math.round(100_000 / Math.max(docs, 1))));
}

/**
 * Counts the papers each token occurs in, reading `texts` once and keeping none of them: memory holds the
 * distinct tokens, not the corpus. Yields to the event loop every few hundred papers (a serving thread counts).
 * @example const df = await countDocumentFrequencies(papers); df.counts.get('gene') // papers with "gene"
 */
export async function countDocumentFrequencies(
  texts: Iterable<TrainingText> | AsyncIterable<TrainingText>,
  onProgress?: TrainOptions['onProgress'],
): Promise<DocumentFrequencies> {
  const counter = createDfCounter();
  for await (const t of texts) {
    counter.add(`${t.title ?? ''} ${t.abstract ?? ''}`);
    if (counter.docs() % 5000 === 0) onProgress?.({ phase: 'read', done: counter.docs(), total: 0 });
    if (counter.docs() % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { counts: counter.counts, docs: counter.docs() };
}

/** The training papers as token ids, each turned into ids as it is read: their texts are never all held. */
async function readTrainDocs(
  docs: Iterable<TrainingText> | AsyncIterable<TrainingText>,
  vocab: Vocabulary,
  onProgress?: TrainOptions['onProgress'],
): Promise<TrainDoc[]> {
  const all: TrainDoc[] = [];
  for await (const d of docs) {
    all.push(toTrainDoc({ title: d.title ?? '', abstract: d.abstract ?? '' }, vocab));
    if (all.length % 5000 === 0) onProgress?.({ phase: 'read', done: all.length, total: 0 });
  }
  return all;
}

async function readAll(
  docs: Iterable<TrainingText> | AsyncIterable<TrainingText>,
  onProgress?: TrainOptions['onProgress'],
): Promise<TrainingText[]> {
  const all: TrainingText[] = [];
  for await (const d of docs) {
    all.push({ title: d.title ?? '', abstract: d.abstract ?? '' });
    if (all.length % 5000 === 0) onProgress?.({ phase: 'read', done: all.length, total: 0 });
  }
  return all;
}

/** A text as training reads it: its title and each abstract sentence as token ids (words outside `vocab` dropped). */
export function toTrainDoc(t: TrainingText, vocab: Vocabulary): TrainDoc {
  const ids = (s: string): Int32Array =>
    Int32Array.from(
      tokenize(s)
        .map((tok) => vocab.ids.get(tok) ?? -1)
        .filter((i) => i >= 0),
    );
  return {
    title: ids(t.title),
    sentences: splitSentences(t.abstract)
      .map(ids)
      .filter((s) => s.length > 0),
  };
}

/** Random unit-scale token vectors and idf-initialised log weights: the untrained random-projection model. */
function initParams(
  vocab: Vocabulary,
  dim: number,
  rng: Rng,
): { dim: number; vectors: Float32Array; logWeights: Float32Array } {
  const vectors = new Float32Array(vocab.tokens.length * dim);
  const scale = 1 / Math.sqrt(dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rng.normal() * scale;
  return { dim, vectors, logWeights: Float32Array.from(vocab.idf, (x) => Math.log(x)) };
}

/**
 * Trains a model on papers' titles and abstracts only; never on queries or relevance judgments.
 * With `epochs: 0` it returns the untrained idf-weighted random projection (a useful control).
 */
export async function trainStaticModel(
  docs: Iterable<TrainingText> | AsyncIterable<TrainingText>,
  opts: TrainOptions = {},
): Promise<StaticModel> {
  const started = performance.now();
  const minDf = opts.minDf ?? DEFAULT_TRAINING.minDf;
  // The vocabulary's papers are read first, so `docs` may be a sample filled while they are read.
  const known =
    opts.documentFrequencies ??
    (opts.vocabularyFrom !== undefined
      ? await countDocumentFrequencies(opts.vocabularyFrom, opts.onProgress)
      : null);
  let vocab: Vocabulary;
  let trainDocs: TrainDoc[];
  if (known !== null) {
    vocab = buildVocabulary(known.counts, known.docs, { minDf });
    // Token ids are all the epochs need: each paper's text goes as soon as it is read (about 1 KB a paper,
    // most of a gigabyte for 600,000 papers, never held at once).
    trainDocs = await readTrainDocs(docs, vocab, opts.onProgress);
  } else {
    // The training papers make the vocabulary: they are counted before any can be turned into ids.
    const texts = await readAll(docs, opts.onProgress);
    const df = await countDocumentFrequencies(texts);
    vocab = buildVocabulary(df.counts, df.docs, { minDf });
    trainDocs = texts.map((t) => toTrainDoc(t, vocab));
    texts.length = 0;
  }
  const seed = opts.seed ?? 1;
  const rng = createRng(seed);
  const params = initParams(vocab, opts.dim ?? DEFAULT_TRAINING.dim, rng);
  const papers = trainDocs.length;
  const epochs = opts.epochs ?? autoEpochs(papers);
  const pairs = Math.min(papers * epochs, Math.max(0, Math.floor(opts.pairs ?? Infinity)));
  const run = await runEpochs(trainDocs, params, pairs, rng, opts);
  for (let t = 0; t < vocab.tokens.length; t++) {
    const w = Math.exp(params.logWeights[t]!);
    for (let j = t * params.dim; j < (t + 1) * params.dim; j++) params.vectors[j]! *= w;
  }
  const seconds = (performance.now() - started) / 1000;
  opts.onProgress?.({ phase: 'done', done: run.steps, total: run.steps, loss: run.loss });
  return finalizeModel(vocab, params.dim, params.vectors, {
    docs: papers,
    // Passes actually made: fewer than asked (and fractional) when the pair budget ended the run early.
    epochs: papers === 0 ? 0 : Math.round((100 * pairs) / papers) / 100,
    pairs,
    steps: run.steps,
    seed,
    seconds,
    finalLoss: run.loss,
    minDf,
  });
}

async function runEpochs(
  docs: TrainDoc[],
  params: ReturnType<typeof initParams>,
  pairs: number,
  rng: Rng,
  opts: TrainOptions,
): Promise<{ steps: number; loss: number }> {
  const batch = Math.max(2, Math.min(opts.batchSize ?? DEFAULT_TRAINING.batchSize, docs.length));
  const mix: PairMix = { ...DEFAULT_PAIR_MIX, ...opts.mix };
  const step = createContrastiveStep(params, batch, {
    lr: opts.lr ?? DEFAULT_TRAINING.lr,
    temperature: opts.temperature ?? DEFAULT_TRAINING.temperature,
  });
  const bag = createBagBuilder(params.logWeights.length);
  const perPair = Math.max(0, Math.floor(opts.hardNegatives ?? 0));
  const mining =
    opts.hardNegativeRanks === undefined ? opts.mining : { ...opts.mining, ranks: opts.hardNegativeRanks };
  const mined = perPair > 0 ? mineHardNegatives(docs, params.logWeights.length, mining) : undefined;
  const epochs = docs.length === 0 ? 0 : Math.ceil(pairs / docs.length);
  // Papers in epoch e: all of them, but only what is left of the budget in the last one.
  const inEpoch = (e: number): number => Math.min(docs.length, pairs - e * docs.length);
  let total = 0;
  for (let e = 0; e < epochs; e++) total += Math.ceil(inEpoch(e) / batch);
  let steps = 0;
  let loss = Number.NaN;
  for (let e = 0; e < epochs; e++) {
    const order = shuffleInPlace([...docs.keys()], rng);
    const n = inEpoch(e);
    for (let b = 0; b * batch < n; b++) {
      const pairsOfBatch = order.slice(b * batch, Math.min((b + 1) * batch, n)).flatMap((i) => {
        const pair = drawPair(docs[i]!, rng, mix, bag);
        return pair === undefined ? [] : [{ ...pair, from: i }];
      });
      if (pairsOfBatch.length < 2) continue;
      const negatives =
        mined === undefined ? [] : drawNegatives(pairsOfBatch, docs, mined, perPair, rng, bag);
      const l = step(
        pairsOfBatch.map((p) => p.query),
        pairsOfBatch.map((p) => p.doc),
        ++steps,
        negatives,
      );
      loss = Number.isNaN(loss) ? l : 0.95 * loss + 0.05 * l;
      opts.onProgress?.({ phase: 'train', done: steps, total, epoch: e + 1, loss });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { steps, loss };
}

/** For each pair, `perPair` distinct papers drawn from its paper's mined pool, as whole-paper bags. */
function drawNegatives(
  pairs: readonly { from: number }[],
  docs: readonly TrainDoc[],
  mined: HardNegatives,
  perPair: number,
  rng: Rng,
  bag: (parts: readonly Int32Array[]) => TokenBag,
): TokenBag[] {
  const out: TokenBag[] = [];
  const candidates: number[] = [];
  for (const { from } of pairs) {
    candidates.length = 0;
    for (let r = 0; r < mined.pool; r++) {
      const id = mined.ids[from * mined.pool + r]!;
      if (id >= 0) candidates.push(id);
    }
    for (let k = 0; k < perPair && candidates.length > 0; k++) {
      const [id] = candidates.splice(rng.int(candidates.length), 1);
      const doc = docs[id!]!;
      out.push(bag([doc.title, ...doc.sentences]));
    }
  }
  return out;
}
