// `paperboy train`, `paperboy embed` and `paperboy reindex`: the corpus model, paper vectors and search indexes.
import { intOption, parseCommandArgs } from './args.ts';
import type { Services } from '../services/services.ts';
import {
  DEFAULT_TRAIN_PAIRS,
  withEmbedLease,
  type RebuildStep,
  type VectorSnapshotFollower,
} from '../services/search/index.ts';
import { println, type CliContext, type Command, type Output } from './command.ts';
import { AppError } from '../errors.ts';
import { EXIT } from './exit-codes.ts';
import { createProgress } from './progress.ts';
import { createStepMeter, formatStep, peakNow, type StepReport } from '../platform/index.ts';
import type { GraphLayoutOutcome } from '../services/search/index.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train the semantic model on the stored papers',
  help: `Usage: paperboy train [--pairs N|all] [--sample N] [--dim N] [--epochs N] [--seed N] [--no-embed] [--json]

Learns Paperboy's own embedding model from the titles and abstracts in the store
(offline, on CPU: about 10 minutes for 75,000 papers on 2 cores, measured: training
6, embedding 2, the search index snapshot 1; longer on a busy machine; the progress
lines estimate the time left), stores it in
the database under a versioned name (paperboy-static-v1-<hash>) and makes it the
active model. Then it embeds every paper with it (skip with --no-embed; \`serve\`
and \`paperboy embed\` do it later) and writes the search index snapshot that
\`search\` and \`serve\` start from. A running serve does not embed meanwhile: one
embedding job runs at a time (train waits if serve is in the middle of one). Retrain as the corpus grows: vectors of the
old model are replaced as papers are re-embedded.

Training time follows the number of training pairs (a title or a sentence of a
paper, and the rest of that paper): by default every paper gives one pair per
epoch, 3 or more epochs. A large store trains on a budget, --pairs (default
${DEFAULT_TRAIN_PAIRS.toLocaleString('en-US')}): with more papers than pairs, that many papers are picked at
random (the same seed picks the same ones) and each gives one pair; otherwise
the epochs stop when the budget is spent. Every paper's words are in the
vocabulary either way, and every paper is embedded. The default binds only
above ${Math.ceil(DEFAULT_TRAIN_PAIRS / 3).toLocaleString('en-US')} papers and keeps 2.7 million papers to about 25 minutes of training;
quality at a budget is measured in docs/BENCHMARKS.md, "#23 training on a
budget". --sample N learns from N papers picked at random instead (more epochs
over fewer papers: worse at the same cost).

Used when EMBEDDER is auto (the default) or static. Needs at least 50 papers.
With EMBEDDER=auto, \`serve\` also trains by itself once the store holds
PAPERBOY_AUTO_TRAIN_PAPERS papers, and retrains as the store grows; this command
is for doing it now.

Options:
  --pairs N    at most N training pairs (default ${DEFAULT_TRAIN_PAIRS.toLocaleString('en-US')}); "all": no budget,
               every paper every epoch
  --sample N   train on N papers picked at random (default: every paper)
  --dim N      vector size (default 512)
  --epochs N   passes over the corpus (default: scaled to the corpus size)
  --seed N     random seed; the same seed and corpus give the same sample and
               model (default 1)
  --no-embed   only train; do not embed the papers now
  --json       print one JSON summary line
  -h, --help   show this help`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('train', args, {
      sample: { type: 'string' },
      pairs: { type: 'string' },
      dim: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      'no-embed': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const dim = values.dim === undefined ? undefined : intOption('train', 'dim', values.dim, 256, 1024);
    if (dim !== undefined && dim < 8) {
      println(ctx.stderr, 'paperboy train: --dim must be at least 8');
      return EXIT.USAGE;
    }
    const epochs =
      values.epochs === undefined ? undefined : intOption('train', 'epochs', values.epochs, 0, 200);
    const seed = values.seed === undefined ? undefined : intOption('train', 'seed', values.seed, 1, 2 ** 31);
    const sample = sampleOption(values.sample);
    const pairs = pairsOption(values.pairs);
    const services = await ctx.services();
    // Held from before the new model becomes active until its vectors are in: a running serve then
    // leaves the embedding to this process instead of doing it a second time.
    return withEmbedLease(
      services.jobLease('embed'),
      () => train(ctx, services, values, { dim, epochs, seed, sample, pairs }),
      {
        signal: ctx.signal,
        onWaiting: () => waitingLine(ctx.stderr),
      },
    );
  },
};

async function train(
  ctx: CliContext,
  services: Services,
  values: { json?: boolean; 'no-embed'?: boolean },
  opts: { dim?: number; epochs?: number; seed?: number; sample?: number; pairs?: number },
): Promise<number> {
  const { dim, epochs, seed, sample, pairs } = opts;
  const quiet = values.json === true && ctx.stderr.isTTY !== true;
  const bar = createProgress({ label: 'train', sink: ctx.stderr, quiet });
  const summary = await services.semantic.train({
    dim,
    epochs,
    seed,
    sample,
    pairs,
    signal: ctx.signal,
    onProgress: (p) =>
      bar.update(
        p.done,
        p.total > 0 ? p.total : null,
        p.phase === 'train' ? `epoch ${p.epoch ?? ''} loss ${p.loss?.toFixed(3) ?? ''}` : p.phase,
      ),
  });
  const sampled =
    summary.papers < summary.corpus ? ` (a sample of the ${summary.corpus.toLocaleString('en-US')})` : '';
  bar.finish(
    `trained ${summary.model} on ${summary.papers.toLocaleString('en-US')} papers${sampled}, ${summary.pairs.toLocaleString('en-US')} pairs, in ${summary.seconds.toFixed(0)} s`,
  );
  let embedded: object | null = null;
  if (values['no-embed'] !== true && services.config.EMBEDDER !== 'none') {
    const ebar = createProgress({ label: 'embed', sink: ctx.stderr, quiet });
    const e = await services.semantic.embed({
      signal: ctx.signal,
      onProgress: (p) => ebar.update(p.done, p.total, ''),
    });
    ebar.finish(`embedded ${e.embedded.toLocaleString('en-US')} papers (${Math.round(e.rate)}/s)`);
    embedded = e;
    if (e.status === 'interrupted') {
      println(ctx.stderr, 'Interrupted; run `paperboy embed` to embed the rest.');
      return EXIT.INTERRUPTED;
    }
    await writeSnapshot(services, ctx.stderr);
  }
  if (values.json === true) println(ctx.stdout, JSON.stringify({ ...summary, embed: embedded }));
  else {
    println(
      ctx.stdout,
      `Model ${summary.model} is active (${summary.dimension} dims, ${summary.vocabulary.toLocaleString('en-US')} tokens, ${summary.epochs} epochs).`,
    );
    if (summary.replaced !== null) println(ctx.stdout, `It replaces ${summary.replaced}.`);
    if (services.config.EMBEDDER !== 'auto' && services.config.EMBEDDER !== 'static')
      println(
        ctx.stdout,
        `Note: EMBEDDER=${services.config.EMBEDDER}, so search uses that model, not this one.`,
      );
  }
  return EXIT.OK;
}

/** --sample: a positive whole number of papers (0 would train on nothing, so it is refused, not read as "all"). */
function sampleOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new AppError(
      'USAGE',
      `paperboy train: --sample must be a whole number of papers, at least 1, got "${raw}"`,
    );
  return n;
}

/** --pairs: a whole number of pairs, at least 2 (one step needs two), or "all" for no budget. */
function pairsOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 2)
    throw new AppError(
      'USAGE',
      `paperboy train: --pairs must be a whole number of training pairs, at least 2, or "all", got "${raw}"`,
    );
  return n;
}

function waitingLine(err: Output): void {
  println(
    err,
    'another process (a running serve, or another train/embed) is embedding papers; waiting for it to finish…',
  );
}

/**
 * Builds the search indexes with the fresh vectors and snapshots them, so the first `search` or `serve` start
 * after `train` loads them in seconds instead of rebuilding the vector index (a minute at 75k papers).
 */
async function writeSnapshot(services: Services, err: Output): Promise<void> {
  const embedder = await services.semantic.current();
  if (embedder === null) return;
  const started = performance.now();
  println(err, 'writing the search index snapshot (search and serve start from it)…');
  await services.searchIndexes.snapshotFor(embedder.model, embedder.dimension);
  println(err, `search index snapshot written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** What the snapshot's graph layout did, in a few words for the reindex log and summary; null when there was none. */
function describeLayout(outcome: GraphLayoutOutcome | null): string | null {
  if (outcome === null) return null;
  if (!outcome.relaid) return `left as saved: ${outcome.reason}`;
  return `relaid in neighbourhood order (median link ${formatSpan(outcome.spanBefore)} -> ${formatSpan(outcome.spanAfter)} of the file)`;
}

const formatSpan = (span: number): string => `${(span * 100).toPrecision(2)} %`;

/**
 * `embed`'s snapshot: the vector index with the fresh vectors (rows and HNSW graph), so the next `search`, `serve`
 * or `reindex` loads it instead of building the graph again (minutes at 300k papers). It was followed while the
 * papers were embedded (`follower`: the graph grows on a second core meanwhile), and is finished here. The
 * lexical snapshot is carried over as it is, not rebuilt: `reindex` writes it, and rebuilds it from the store in
 * any case; rebuilding it here too was the larger part of `embed` at 2.7M papers (docs/BENCHMARKS.md "#23 embed
 * time (h24e)").
 */
async function writeVectorSnapshot(follower: VectorSnapshotFollower, err: Output): Promise<void> {
  const started = performance.now();
  println(err, 'writing the vector index snapshot (search and serve start from it)…');
  const { lexical } = await follower.finish();
  println(err, `vector index snapshot written in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!lexical)
    println(
      err,
      'No lexical index snapshot yet: `paperboy reindex` writes one (otherwise the first `serve` or `search` builds it).',
    );
}

export const embedCommand: Command = {
  name: 'embed',
  summary: 'compute missing paper vectors for the active model',
  help: `Usage: paperboy embed [--limit N] [--batch N] [--json]

Embeds every paper that has no vector for the active model yet (or whose text
changed since), then writes the vector index snapshot (vectors and HNSW graph;
the lexical snapshot is kept as it is: \`paperboy reindex\` writes that). Safe to
interrupt: each batch is saved as it finishes and the next run continues.
\`serve\` does this in the background after every harvest.

Options:
  --limit N   embed at most N papers
  --batch N   papers per batch (default 512)
  --json      print one JSON summary line
  -h, --help  show this help

Exit codes: 0 embedded some, 1 nothing to do, 6 no active model or the embedder failed, 130 interrupted.`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('embed', args, {
      limit: { type: 'string' },
      batch: { type: 'string' },
      json: { type: 'boolean' },
    });
    const limit = values.limit === undefined ? undefined : intOption('embed', 'limit', values.limit, 0);
    const batchSize = intOption('embed', 'batch', values.batch, 512, 10_000);
    const services = await ctx.services();
    const bar = createProgress({
      label: 'embed',
      sink: ctx.stderr,
      quiet: values.json === true && ctx.stderr.isTTY !== true,
    });
    /** The vector snapshot following this pass (set once the lease is held and the model known). */
    const snapshot: { follower: VectorSnapshotFollower | null } = { follower: null };
    try {
      const e = await withEmbedLease(
        services.jobLease('embed'),
        async () => {
          const active = await services.semantic.current().catch(() => null);
          if (active !== null)
            snapshot.follower = services.searchIndexes.followVectors(active.model, active.dimension);
          return services.semantic.embed({
            signal: ctx.signal,
            limit,
            batchSize: Math.max(1, batchSize),
            onProgress: (p) => {
              bar.update(p.done, p.total, '');
              snapshot.follower?.more();
            },
          });
        },
        { signal: ctx.signal, onWaiting: () => waitingLine(ctx.stderr) },
      );
      bar.finish(
        `embedded ${e.embedded.toLocaleString('en-US')} papers with ${e.model} (${Math.round(e.rate)}/s)`,
      );
      const follower = snapshot.follower;
      if (e.embedded > 0 && e.status !== 'interrupted' && follower !== null) {
        snapshot.follower = null;
        await writeVectorSnapshot(follower, ctx.stderr);
      }
      if (values.json === true) println(ctx.stdout, JSON.stringify(e));
      else
        println(
          ctx.stdout,
          `${e.embedded.toLocaleString('en-US')} embedded, ${e.remaining.toLocaleString('en-US')} remaining (${e.model}).`,
        );
      if (e.status === 'interrupted') return EXIT.INTERRUPTED;
      return e.embedded > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
    } finally {
      // Nothing embedded, interrupted or failed: the snapshot on disk stays as it was.
      await snapshot.follower?.cancel();
    }
  },
};

/**
 * While the lexical postings step runs beside it, the lookup worker reads no further page while the process is
 * above this RSS (MiB): that step still grows to its own peak (2.6 GiB at 2.7M papers), and both together must
 * stay under the 6 GiB of issue #23 (docs/BENCHMARKS.md "#23 reindex: the lookup file on a worker"). Once reindex
 * waits for it (after that step) it never waits.
 */
export const LOOKUP_BESIDE_INDEXES_MIB = 4608;

/** `work`, or an INTERRUPTED error as soon as `signal` is aborted (the caller then stops the work itself). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal, why: string): Promise<T> {
  if (signal.aborted) throw new AppError('INTERRUPTED', why);
  let onAbort: (() => void) | null = null;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AppError('INTERRUPTED', why));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort !== null) signal.removeEventListener('abort', onAbort);
  }
}

export const reindexCommand: Command = {
  name: 'reindex',
  summary: 'rebuild the search index snapshots',
  help: `Usage: paperboy reindex [--json]

Rebuilds the lexical index from every stored paper, loads the active model's
vectors, and writes the snapshots that \`serve\` and \`search\` start from, the
spelling and suggestion tables' lookup.bin among them
(INDEX_DIR, default: beside the database as <file>.index). An HNSW graph of
VECTOR_GRAPH_LAYOUT_ABOVE vectors or more is rewritten with its nodes in
neighbourhood order as it is saved (same answers, fewer pages read per search;
"graphLayout" in --json says what was done). Not needed in normal
use: indexes follow the store's change log by themselves. Ctrl-C stops it within
a page of papers (exit 130); the snapshots on disk then stay as they were.
The lookup file is built and written on a second thread beside the lexical
postings step (pausing while the process is above ${LOOKUP_BESIDE_INDEXES_MIB.toLocaleString('en-US')} MiB), and the lexical
write starts once it is written; a failure there stops the reindex before a
generation is written. Each step (lexical postings, lookup wait, lexical write,
vectors, save snapshots; on the worker: lookup tables, lookup write) logs its
seconds and peak memory on stderr (anonymous and file-backed, sampled every
50 ms), and --json lists them under "steps" and "lookupSteps".

Options:
  --json      print one JSON summary line
  -h, --help  show this help`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('reindex', args, { json: { type: 'boolean' } });
    const services = await ctx.services();
    const started = performance.now();
    const ix = services.searchIndexes;
    const embedder = await services.semantic.current();
    // Each step's seconds and memory go to the log (at 2.7M papers the whole takes half an hour).
    const meter = createStepMeter();
    const steps: StepReport[] = [];
    const log = (r: StepReport, count: number | null): void => {
      const what = count === null ? '' : ` (${count.toLocaleString('en-US')})`;
      println(ctx.stderr, `reindex: ${formatStep({ ...r, step: `${r.step}${what}` })}`);
    };
    const stepDone = (step: string, count: number | null): void => {
      const r = meter.step(step);
      steps.push(r);
      log(r, count);
    };
    // The lookup file is built and written on a worker thread beside the index build (#23: it was a third of a
    // 2.7M reindex on one core after everything else); its steps are metered from its own start.
    const lookupMeter = createStepMeter();
    const lookupSteps: StepReport[] = [];
    const lookupStepDone = (step: string, count: number | null): void => {
      const r = lookupMeter.step(step);
      lookupSteps.push(r);
      log(r, count);
    };
    // A failed worker stops the rebuild at its next page: no generation is written then.
    const failed = new AbortController();
    const worker = services.search.saveLookupFileInWorker({
      holdAboveMiB: LOOKUP_BESIDE_INDEXES_MIB,
      onBuilt: (n, _s, held) =>
        lookupStepDone(
          held > 0
            ? `lookup tables, on a worker (waited ${held} s for memory)`
            : 'lookup tables, on a worker',
          n,
        ),
      onWaiting: (n, rss) =>
        println(
          ctx.stderr,
          `reindex: lookup tables, on a worker: waiting for memory at ${n.toLocaleString('en-US')} papers (RSS ${rss.toLocaleString('en-US')} MiB, above ${LOOKUP_BESIDE_INDEXES_MIB.toLocaleString('en-US')} beside the lexical postings)`,
        ),
      onWritten: () => lookupStepDone('lookup write, on a worker', null),
      onFailed: () => failed.abort(),
    });
    const signal = AbortSignal.any([ctx.signal, failed.signal]);
    let papers = 0;
    let vectors = 0;
    let lookup: { papers: number; seconds: number } | null = null;
    let graphLayout: string | null = null;
    /**
     * After the lexical postings step (main holds the least there: 1.7 GiB at 2.7M papers), the rebuild waits
     * for the worker's file before merging its runs and loading the vector rows: the lookup tables beside those
     * steps' memory would pass 6 GiB at 2.7M (3.8 GiB at save alone, docs/BENCHMARKS.md "#23 reindex: the
     * lookup file on a worker"). The worker grows freely meanwhile.
     */
    const lookupWritten = async (): Promise<void> => {
      if (worker === null) return;
      worker.release();
      const written = await untilAborted(
        worker.done,
        ctx.signal,
        'The index rebuild was stopped before it finished; the snapshots on disk are unchanged. Run `paperboy reindex` again.',
      );
      stepDone('lookup wait', null);
      lookup = { papers: written.papers, seconds: written.seconds };
    };
    const onStep = async (step: RebuildStep, count: number): Promise<void> => {
      stepDone(step, count);
      if (step === 'lexical postings') await lookupWritten();
    };
    try {
      try {
        await ix.rebuild(embedder?.model ?? null, embedder?.dimension ?? 0, signal, onStep);
        // The file's place was found writable and the worker's store opened before a generation is written.
        await worker?.ready;
      } catch (err) {
        throw worker?.failure() ?? err;
      }
      const failure = worker?.failure() ?? null;
      if (failure !== null) throw failure;
      papers = ix.lexical.size;
      vectors = ix.vectors?.size ?? 0;
      graphLayout = describeLayout(ix.save({ layoutGraph: true }));
      // The indexes are on disk now: dropped here, so a lookup step after them does not run beside them (#23:
      // the vector rows and the lexical index held beside its tables made the 2.7M peak).
      ix.release();
      stepDone('save snapshots', null);
      if (graphLayout !== null) println(ctx.stderr, `reindex: graph ${graphLayout}`);
      if (worker === null) {
        // No second connection (a ":memory:" store): the lookup file is built here, after the indexes.
        lookup = await services.search.saveLookupFile((n) => stepDone('lookup tables', n));
        if (lookup !== null) stepDone('lookup write', null);
      }
    } finally {
      // Stopped or failed: the worker ends and the lookup file stays as it was (a written one is kept).
      await worker?.stop();
      await meter.close();
      await lookupMeter.close();
    }
    const summary = {
      papers,
      vectors,
      model: embedder?.model ?? null,
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      lookupSeconds: lookup === null ? null : Number(lookup.seconds.toFixed(2)),
      peakMiB: peakNow(),
      graphLayout,
      steps,
      ...(lookupSteps.length > 0 ? { lookupSteps } : {}),
    };
    if (values.json === true) println(ctx.stdout, JSON.stringify(summary));
    else
      println(
        ctx.stdout,
        `Indexed ${summary.papers.toLocaleString('en-US')} papers and ${summary.vectors.toLocaleString('en-US')} vectors (${summary.model ?? 'no model'}) in ${summary.seconds} s.`,
      );
    return EXIT.OK;
  },
};
