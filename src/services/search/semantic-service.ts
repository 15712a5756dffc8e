// Use cases for the semantic half of search: which embedder is active, training the corpus model, embedding papers.
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Embedder } from '../../index/embedders/embedder.ts';
import { createHttpEmbedder } from '../../index/embedders/http.ts';
import { createOnnxEmbedder } from '../../index/embedders/onnx.ts';
import {
  countDocumentFrequencies,
  encodeStaticModel,
  trainStaticModel,
  type TrainProgress,
  type TrainingText,
} from '../../index/embedders/static/index.ts';
import { createUseLiteEmbedder } from '../../index/embedders/use-lite.ts';
import type { Store } from '../../store/store.ts';
import {
  countMissingAmong,
  embedAmong,
  embedPending,
  type EmbedProgress,
  type EmbedSummary,
} from './embed-service.ts';
import { saveModelImage, staticEmbedder, type ModelImageOptions } from './model-images.ts';
import { trainInWorker } from './train-in-worker.ts';
import { sampleTrainingTexts } from './training-sample.ts';

/** Settings key naming the trained static model in use. */
export const ACTIVE_STATIC_MODEL = 'search.static_model';
/**
 * Settings key: `{ model, seq }`, the change-log position at which a pass left no paper without a current vector
 * of `model`. Kept in the store, so a restarted serve does not count the whole store again to find nothing to
 * embed (6.5 s at 300k papers, docs/BENCHMARKS.md "#23 serve start-up"): any paper written since moves the log on.
 */
export const EMBEDDED_THROUGH = 'search.embedded_through';

/**
 * At most this many change-log entries since a complete pass are read to find the papers to look at; more (a large
 * import since) and the pass scans the store instead, which reads each paper once where the log may name one many
 * times.
 */
export const CHANGES_FOLLOWED = 100_000;

/**
 * The default training budget in pairs. It binds only above 200,000 papers (smaller stores train 3 or more
 * epochs over every paper, under it). Measured at 75k papers: about 670 pairs a CPU-second, and the pass over
 * every paper for the vocabulary 0.18 ms a paper; so 2.7M papers train in about 24 minutes on one core (the
 * issue's bound is 30), from 600,000 papers picked at random (docs/BENCHMARKS.md, "#23 training on a budget").
 * Since then the step's blocked products cut its CPU a pair to 0.6–0.8 of that (docs/BENCHMARKS.md, "#19 batch,
 * steps and temperature"): by estimate 16–19 minutes at 2.7M, not yet measured there.
 */
export const DEFAULT_TRAIN_PAIRS = 600_000;

/** How often a long-running process re-reads which model is active (another process may have trained one). */
const RECHECK_MS = 5000;

export interface TrainSummary {
  model: string;
  /** Papers the model learned from (the sample's size when sampled). */
  papers: number;
  /** Papers in the store when it was trained. */
  corpus: number;
  vocabulary: number;
  dimension: number;
  /** Passes over the papers learned from; fractional when the pair budget ended the last one early. */
  epochs: number;
  /** Training pairs drawn (at most the budget). */
  pairs: number;
  seconds: number;
  /** The model it replaced as the active one, if any. */
  replaced: string | null;
}

export interface TrainRequest {
  dim?: number;
  epochs?: number;
  seed?: number;
  /** Pairs per training step (default 256). */
  batchSize?: number;
  /** Train on at most this many papers (newest first is not implied: store order). */
  limit?: number;
  /**
   * Train on a random sample of this many papers (seeded by `seed`: the same seed and store give the same
   * sample) instead of all of them; the whole store when it holds no more. Bounds training time at any size.
   */
  sample?: number;
  /**
   * The training budget: at most this many (query, paper) pairs in all, one per paper per epoch (default
   * DEFAULT_TRAIN_PAIRS; Infinity for none). When the store holds more papers than the budget, that many
   * papers are picked at random (seeded by `seed`) and each gives one pair; otherwise every paper is used
   * and the epochs stop when the budget is spent. Training time follows the pairs, so this bounds it.
   */
  pairs?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Make the new model the active one now (default true); serve's own training activates it after embedding. */
  activate?: boolean;
  /** Train on a low-priority worker thread, so that this thread keeps serving (default false). */
  inWorker?: boolean;
}

export interface SemanticStatus {
  /** The configured EMBEDDER. */
  configured: Config['EMBEDDER'];
  /** The model vectors are made with now; null when semantic search is off. */
  model: string | null;
  dimension: number | null;
  /** Papers with a current vector for the active model, and without one. */
  embedded: number;
  pending: number;
  /** Why semantic search is off, when it is. */
  reason: string | null;
}

export interface SemanticService {
  /** The active embedder, or null when semantic search is off (EMBEDDER=none, or auto with no trained model). */
  current(): Promise<Embedder | null>;
  status(): Promise<SemanticStatus>;
  /** Trains the corpus model on every stored paper and makes it the active static model. */
  train(req?: TrainRequest): Promise<TrainSummary>;
  /** Embeds papers lacking a current vector for the active model (or for the stored static model `model`). */
  embed(opts?: {
    signal?: AbortSignal;
    limit?: number;
    batchSize?: number;
    onProgress?: (p: EmbedProgress) => void;
    model?: string;
  }): Promise<EmbedSummary>;
  /** Makes a stored static model the active one; returns the model it replaced. */
  activate(model: string): Promise<string | null>;
  /** How many papers the store held when the active static model was trained (the papers it learned from, for
   * models from before samples); null when there is none. */
  trainedOn(): Promise<number | null>;
  close(): Promise<void>;
}

function offReason(config: Config, active: string | null): string | null {
  if (config.EMBEDDER === 'none') return 'EMBEDDER=none';
  if ((config.EMBEDDER === 'auto' || config.EMBEDDER === 'static') && active === null)
    return 'no model trained yet: run `paperboy train`';
  return null;
}

async function buildEmbedder(
  config: Config,
  store: Store,
  active: string | null,
  images: ModelImageOptions,
): Promise<Embedder | null> {
  switch (config.EMBEDDER) {
    case 'none':
      return null;
    case 'auto':
    case 'static': {
      if (active === null) return null;
      return staticEmbedder(store, active, images);
    }
    case 'use-lite':
      return createUseLiteEmbedder();
    case 'http': {
      const problems: string[] = [];
      if (config.EMBEDDER_URL === '') problems.push('EMBEDDER_URL: required with EMBEDDER=http');
      if (config.EMBEDDER_MODEL === '') problems.push('EMBEDDER_MODEL: required with EMBEDDER=http');
      if (config.EMBEDDER_DIMENSION === 0) problems.push('EMBEDDER_DIMENSION: required with EMBEDDER=http');
      if (problems.length > 0)
        throw new AppError('CONFIG_INVALID', 'The embeddings API is not fully configured', problems);
      return createHttpEmbedder({
        baseUrl: config.EMBEDDER_URL,
        model: config.EMBEDDER_MODEL,
        dimension: config.EMBEDDER_DIMENSION,
        apiKey: config.EMBEDDER_API_KEY || undefined,
      });
    }
    case 'onnx':
      if (config.EMBEDDER_ONNX_DIR === '')
        throw new AppError('CONFIG_INVALID', 'The ONNX model is not configured', [
          'EMBEDDER_ONNX_DIR: required with EMBEDDER=onnx',
        ]);
      return createOnnxEmbedder({ dir: config.EMBEDDER_ONNX_DIR });
  }
}

/** Streams stored papers as training texts, page by page. */
async function* trainingTexts(
  store: Store,
  limit: number,
  signal?: AbortSignal,
): AsyncGenerator<TrainingText> {
  let n = 0;
  for await (const page of store.papers.scan(2000)) {
    for (const p of page) {
      if (n >= limit) return;
      n += 1;
      yield { title: p.title, abstract: p.abstract };
    }
    if (signal?.aborted === true)
      throw new AppError('INTERRUPTED', 'Training interrupted; nothing was changed.');
    // SQLite answers synchronously: without this, reading 75k papers would hold every request up until done.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The saved `{ model, seq }` of EMBEDDED_THROUGH, or null for none or anything else. */
function parseEmbeddedThrough(text: string | null): { model: string; seq: number } | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as { model?: unknown; seq?: unknown };
    return typeof v.model === 'string' && typeof v.seq === 'number' ? { model: v.model, seq: v.seq } : null;
  } catch {
    return null;
  }
}

async function collect<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * `images` says where the trained model's image lives (beside the search snapshots): a cold process opens it
 * in place instead of decoding the model from the store (docs/BENCHMARKS.md, cold `paperboy search`).
 * @example const semantic = createSemanticService(store, config); await semantic.train(); await semantic.embed();
 */
export function createSemanticService(
  store: Store,
  config: Config,
  images: ModelImageOptions = { dir: null },
): SemanticService {
  let cached: { key: string; embedder: Embedder | null } | null = null;
  let checkedAt = 0;
  let activeName: string | null = null;

  const active = async (): Promise<string | null> => {
    if (Date.now() - checkedAt > RECHECK_MS || checkedAt === 0) {
      activeName = await store.settings.get(ACTIVE_STATIC_MODEL);
      checkedAt = Date.now();
    }
    return activeName;
  };

  const current = async (): Promise<Embedder | null> => {
    const name = await active();
    const key = `${config.EMBEDDER}:${name ?? ''}`;
    if (cached?.key === key) return cached.embedder;
    const previous = cached?.embedder;
    const embedder = await buildEmbedder(config, store, name, images);
    cached = { key, embedder };
    await previous?.close?.();
    return embedder;
  };

  const activate = async (model: string): Promise<string | null> => {
    const replaced = await store.settings.get(ACTIVE_STATIC_MODEL);
    await store.settings.set(ACTIVE_STATIC_MODEL, model);
    checkedAt = 0;
    return replaced;
  };

  /** An embedder for a stored static model that need not be the active one (a model still being rolled out). */
  const stored = (name: string): Promise<Embedder> => staticEmbedder(store, name, images);

  /** The change-log position at which every paper had a vector of `model` (see `embed`). */
  let upToDate: { model: string; seq: number } | null = null;
  /**
   * Where `model`'s vectors stand at change `seq` (the latest): `'complete'` when a pass left no paper without one at
   * `seq`; else the papers written (added or changed) since the last complete pass, the only ones that can lack a
   * current vector; null when no pass of `model` was complete or too many changes came since. The stored mark
   * (another process's, or one from before a restart) is read once, and only when this process's is not at `seq`.
   */
  const sinceComplete = async (model: string, seq: number): Promise<'complete' | string[] | null> => {
    let mark = upToDate?.model === model ? upToDate : null;
    if (mark?.seq !== seq) {
      const saved = parseEmbeddedThrough(await store.settings.get(EMBEDDED_THROUGH));
      if (saved?.model === model && (mark === null || saved.seq > mark.seq)) mark = saved;
    }
    if (mark === null || mark.seq > seq || seq - mark.seq > CHANGES_FOLLOWED) return null;
    if (mark.seq === seq) {
      upToDate = mark;
      return 'complete';
    }
    const ids = new Set<string>();
    for (let after = mark.seq; after < seq; ) {
      const page = await store.papers.changesSince(after, 10_000);
      if (page.length === 0) break;
      for (const c of page) if (c.seq <= seq && c.op === 'upsert') ids.add(c.paperId);
      after = page[page.length - 1]!.seq;
    }
    return [...ids];
  };
  return {
    current,

    async status() {
      const name = await active();
      const reason = offReason(config, name);
      const embedder = reason === null ? await current() : null;
      if (embedder === null)
        return { configured: config.EMBEDDER, model: null, dimension: null, embedded: 0, pending: 0, reason };
      const seq = await store.papers.latestChangeSeq();
      const pending = async (): Promise<number> => {
        const since = await sinceComplete(embedder.model, seq);
        if (since === 'complete') return 0;
        return since === null
          ? await store.vectors.countMissing(embedder.model)
          : await countMissingAmong(store, embedder.model, since);
      };
      return {
        configured: config.EMBEDDER,
        model: embedder.model,
        dimension: embedder.dimension,
        embedded: await store.vectors.count(embedder.model),
        pending: await pending(),
        reason: null,
      };
    },

    async train(req = {}) {
      const papers = await store.papers.count();
      if (papers < 50)
        throw new AppError(
          'BAD_INPUT',
          `Training needs at least 50 papers in the store (it holds ${papers}); import or harvest some first.`,
        );
      if (req.sample !== undefined && !(Number.isInteger(req.sample) && req.sample > 0))
        throw new AppError(
          'BAD_INPUT',
          `The training sample must be a whole number above 0, got ${req.sample}.`,
        );
      const budget = req.pairs ?? DEFAULT_TRAIN_PAIRS;
      if (!(budget === Number.POSITIVE_INFINITY || (Number.isInteger(budget) && budget >= 2)))
        throw new AppError(
          'BAD_INPUT',
          `The training budget must be a whole number of pairs above 1, got ${budget}.`,
        );
      // Fewer pairs than papers: one pair from each of that many papers picked at random, so memory holds only
      // those and the pairs are spread over the whole store (not several from each of fewer papers).
      const size = Math.min(req.sample ?? papers, budget);
      const sampled = size < papers;
      const limit = req.limit ?? Number.POSITIVE_INFINITY;
      // Two passes over the store, neither holding the corpus (all 2.7M papers' texts were 3.9 GiB of RSS): the
      // vocabulary's papers (every paper when sampled) are counted word by word and dropped, then the papers
      // learned from are read again and each kept only as token ids.
      const documentFrequencies = await countDocumentFrequencies(
        trainingTexts(store, sampled ? Number.POSITIVE_INFINITY : limit, req.signal),
        req.onProgress,
      );
      const texts = sampled
        ? sampleTrainingTexts(store, { size, total: papers, seed: req.seed ?? 1, signal: req.signal })
        : trainingTexts(store, limit, req.signal);
      const opts = {
        dim: req.dim,
        epochs: req.epochs,
        seed: req.seed,
        batchSize: req.batchSize,
        pairs: budget,
        onProgress: req.onProgress,
      };
      const model =
        req.inWorker === true
          ? await trainInWorker(await collect(texts), {
              ...opts,
              documentFrequencies,
              signal: req.signal,
            })
          : await trainStaticModel(texts, { ...opts, documentFrequencies });
      if (req.signal?.aborted === true)
        throw new AppError('INTERRUPTED', 'Training interrupted; nothing was changed.');
      await store.models.save({
        name: model.name,
        kind: 'static',
        // `corpus`: the store's size when trained, which auto-train compares growth against (a sample's
        // `docs` is far smaller than the store it stands for).
        info: {
          ...model.training,
          corpus: papers,
          dimension: model.dimension,
          vocabulary: model.vocab.tokens.length,
        },
        data: encodeStaticModel(model),
      });
      // The next cold process (a CLI search) opens this instead of decoding the blob just saved.
      saveModelImage(model, images);
      const replaced =
        req.activate === false ? await store.settings.get(ACTIVE_STATIC_MODEL) : await activate(model.name);
      return {
        model: model.name,
        papers: model.training.docs,
        corpus: papers,
        vocabulary: model.vocab.tokens.length,
        dimension: model.dimension,
        epochs: model.training.epochs,
        pairs: model.training.pairs ?? Math.round(model.training.epochs * model.training.docs),
        seconds: model.training.seconds,
        replaced: replaced === model.name ? null : replaced,
      };
    },

    async embed(opts = {}) {
      if (opts.model !== undefined) {
        // Closed after the pass: an image's file stays open until every row block has been read.
        const embedder = await stored(opts.model);
        try {
          return await embedPending(store, embedder, opts);
        } finally {
          await embedder.close?.();
        }
      }
      const embedder = await current();
      if (embedder === null) {
        const reason = offReason(config, await active()) ?? 'no embedder';
        throw new AppError('EMBEDDER', `Semantic search is off (${reason}); nothing to embed.`);
      }
      // Counting what lacks a vector scans every paper (6.5 s at 300k), so a pass after one that left nothing,
      // with no paper changed since (in this process or before a restart), answers without asking.
      const seq = await store.papers.latestChangeSeq();
      const since = opts.limit === undefined ? await sinceComplete(embedder.model, seq) : null;
      if (since === 'complete')
        return { model: embedder.model, embedded: 0, remaining: 0, seconds: 0, rate: 0, status: 'done' };
      // After a complete pass, only the papers written since can lack a vector: found by key from the change log.
      const summary =
        since !== null
          ? await embedAmong(store, embedder, since, opts)
          : await embedPending(store, embedder, opts);
      upToDate = summary.remaining === 0 ? { model: embedder.model, seq } : null;
      if (upToDate !== null) await store.settings.set(EMBEDDED_THROUGH, JSON.stringify(upToDate));
      return summary;
    },

    activate,

    async trainedOn() {
      const name = await active();
      if (name === null) return null;
      const info = (await store.models.list()).find((m) => m.name === name)?.info;
      if (typeof info?.corpus === 'number') return info.corpus;
      return typeof info?.docs === 'number' ? info.docs : null;
    },

    async close() {
      await cached?.embedder?.close?.();
      cached = null;
    },
  };
}
