// serve's own semantic model: trained once the store is large enough, retrained as it grows, rolled out behind the old one.
import type { Logger } from '../../platform/index.ts';
import type { SemanticService } from './semantic-service.ts';
import type { SettingsRepo } from '../../store/vectors.ts';
import type { TrainingProgress } from './training-progress.ts';

/** Settings key naming a model trained by serve whose papers are still being embedded (resumed after a restart). */
export const CANDIDATE_MODEL = 'search.static_model_candidate';

export interface AutoTrainPolicy {
  /** Train the first model at this many papers; 0 = never train automatically. */
  minPapers: number;
  /** Retrain when the store holds this many times the papers the active model learned from. */
  growth: number;
}

/** Training needs this many papers at least (semantic-service refuses fewer). */
const FLOOR = 50;

/**
 * Whether a model should be trained now: the first one once the store reaches `minPapers`, a new one once
 * the store has grown by `growth` over what the active model learned from.
 * @example trainingDue(3000, null, { minPapers: 2000, growth: 1.5 }) // 'first'
 */
export function trainingDue(
  papers: number,
  trainedOn: number | null,
  policy: AutoTrainPolicy,
): 'first' | 'grown' | null {
  if (policy.minPapers <= 0 || papers < Math.max(FLOOR, policy.minPapers)) return null;
  if (trainedOn === null) return 'first';
  return papers >= Math.ceil(trainedOn * policy.growth) ? 'grown' : null;
}

export interface AutoTrainDeps {
  semantic: SemanticService;
  countPapers: () => Promise<number>;
  /** Never below countPapers() and cheap (the largest paper key): when even it is not due, no full count is made. */
  countPapersUpperBound?: () => Promise<number>;
  settings: SettingsRepo;
  progress: TrainingProgress;
  log: Logger;
  policy: AutoTrainPolicy;
  /** Training knobs (tests make small models); default: those of `paperboy train`. */
  train?: { dim?: number; epochs?: number; seed?: number; batchSize?: number };
  /** Papers per embedding batch: small, so that no batch holds a request up for long (default 64). */
  embedBatch?: number;
  /** After a failed training, wait this long before trying again (default 1 hour). */
  retryAfterMs?: number;
  now?: () => number;
}

/** One pass of the job: run it while holding the embed lease. Resolves to what happened. */
export type AutoTrain = (signal: AbortSignal) => Promise<'trained' | 'idle' | 'interrupted' | 'failed'>;

/**
 * @example const autoTrain = createAutoTrain({ semantic, countPapers, settings, progress, log, policy });
 * await withEmbedLease(lease, () => autoTrain(signal));
 */
export function createAutoTrain(deps: AutoTrainDeps): AutoTrain {
  const now = deps.now ?? Date.now;
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (signal) => {
    if (deps.policy.minPapers <= 0 || now() - failedAt < (deps.retryAfterMs ?? 3_600_000)) return 'idle';
    try {
      let candidate = (await deps.settings.get(CANDIDATE_MODEL)) ?? '';
      if (candidate === '') {
        const model = await trainIfDue(deps, signal);
        if (model === null) return 'idle';
        candidate = model;
      } else deps.log.info(`semantic model: resuming the roll-out of ${candidate}`);
      if (!(await embedAll(deps, candidate, signal))) return 'interrupted';
      const replaced = await deps.semantic.activate(candidate);
      await deps.settings.set(CANDIDATE_MODEL, '');
      await deps.progress.clear();
      deps.log.info(
        `semantic model ${candidate} is active${replaced === null ? ': semantic search is on' : ` (replaces ${replaced})`}`,
      );
      return 'trained';
    } catch (err) {
      if (signal.aborted) return 'interrupted';
      failedAt = now();
      await deps.progress.clear().catch(() => undefined);
      deps.log.warn(
        `semantic model training failed (trying again in an hour; \`paperboy train\` shows the error in full): ${err instanceof Error ? err.message : String(err)}`,
      );
      return 'failed';
    }
  };
}

/** Trains a new model when one is due and records it as the candidate; null when none is due. */
export async function trainIfDue(deps: AutoTrainDeps, signal: AbortSignal): Promise<string | null> {
  const trainedOn = await deps.semantic.trainedOn();
  // trainingDue grows with the count, so a bound that is not due means the count is not: a full count of
  // millions of papers held serve's event loop 3.5 s at start (cold cache, 2.7M papers); the bound takes 1 ms.
  if (deps.countPapersUpperBound !== undefined) {
    const bound = await deps.countPapersUpperBound();
    if (trainingDue(bound, trainedOn, deps.policy) === null) return null;
  }
  const papers = await deps.countPapers();
  const due = trainingDue(papers, trainedOn, deps.policy);
  if (due === null) return null;
  deps.log.info(
    due === 'first'
      ? `semantic model: the store holds ${papers} papers; training the first model in the background (search answers by words meanwhile)`
      : `semantic model: the store has grown from ${trainedOn ?? 0} to ${papers} papers; training a new model in the background (the current one serves meanwhile)`,
  );
  await deps.progress.report('training', 0);
  const say = tenths(deps, 'training');
  const t = await deps.semantic.train({
    ...deps.train,
    activate: false,
    inWorker: true,
    signal,
    onProgress: (p) => {
      if (p.phase === 'train' && p.total > 0) say((100 * p.done) / p.total);
    },
  });
  await deps.settings.set(CANDIDATE_MODEL, t.model);
  deps.log.info(
    `semantic model ${t.model} trained on ${t.papers} papers in ${t.seconds.toFixed(0)} s; embedding every paper with it`,
  );
  return t.model;
}

/** Gives every paper a vector of `model`, papers that arrive meanwhile included; false when stopped. */
async function embedAll(deps: AutoTrainDeps, model: string, signal: AbortSignal): Promise<boolean> {
  await deps.progress.report('embedding', 0);
  const say = tenths(deps, 'embedding');
  for (let round = 0; round < 5; round++) {
    const e = await deps.semantic.embed({
      model,
      signal,
      batchSize: deps.embedBatch ?? 64,
      onProgress: (p) => say((100 * p.done) / Math.max(1, p.total)),
    });
    if (e.status === 'interrupted' || signal.aborted) return false;
    if (e.remaining === 0) return true;
  }
  // The store keeps changing under a long roll-out: the regular embedding pass takes what is left.
  return true;
}

/** Reports every percent to the store and logs every tenth. */
function tenths(deps: AutoTrainDeps, phase: 'training' | 'embedding'): (percent: number) => void {
  let logged = 0;
  return (percent) => {
    const p = Math.floor(percent);
    void deps.progress.report(phase, p).catch(() => undefined);
    if (p >= logged + 10) {
      logged = p - (p % 10);
      deps.log.info(`semantic model ${phase}: ${logged}%`);
    }
  };
}
