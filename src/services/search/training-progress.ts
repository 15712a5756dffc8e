// How far serve's own model training has got, kept in the store so that every node and worker can say it.
import type { SettingsRepo } from '../../store/vectors.ts';

/** Settings key of the progress record (absent when no training runs). */
export const TRAINING_PROGRESS = 'search.training';

export interface TrainingState {
  /** Learning the model, then giving every paper a vector of it. */
  phase: 'training' | 'embedding';
  /** 0–100 within the phase. */
  percent: number;
  /** When this record was last written (ISO); an old one is a node that died mid-way. */
  updatedAt: string;
}

export interface TrainingProgress {
  report(phase: TrainingState['phase'], percent: number): Promise<void>;
  clear(): Promise<void>;
  /** The current state, or null when no training runs (or its node stopped reporting). Read at most once a second. */
  read(): Promise<TrainingState | null>;
}

/** A record not rewritten for this long belongs to a node that stopped (each percent is written as reached). */
const STALE_MS = 15 * 60_000;

/**
 * @example const progress = createTrainingProgress(store.settings); await progress.report('training', 40);
 */
export function createTrainingProgress(
  settings: SettingsRepo,
  now: () => Date = () => new Date(),
): TrainingProgress {
  let last: { at: number; state: TrainingState | null } | null = null;
  let written = '';
  return {
    async report(phase, percent) {
      const p = Math.max(0, Math.min(100, Math.floor(percent)));
      if (written === `${phase}:${p}`) return;
      written = `${phase}:${p}`;
      const state: TrainingState = { phase, percent: p, updatedAt: now().toISOString() };
      await settings.set(TRAINING_PROGRESS, JSON.stringify(state));
      last = null;
    },
    async clear() {
      written = '';
      await settings.set(TRAINING_PROGRESS, '');
      last = null;
    },
    async read() {
      const t = now().getTime();
      if (last !== null && t - last.at < 1000) return last.state;
      const state = parse(await settings.get(TRAINING_PROGRESS));
      const fresh = state !== null && t - Date.parse(state.updatedAt) < STALE_MS ? state : null;
      last = { at: t, state: fresh };
      return fresh;
    },
  };
}

function parse(text: string | null): TrainingState | null {
  if (text === null || text === '') return null;
  try {
    const v = JSON.parse(text) as Partial<TrainingState>;
    if ((v.phase === 'training' || v.phase === 'embedding') && typeof v.percent === 'number')
      return { phase: v.phase, percent: v.percent, updatedAt: String(v.updatedAt ?? '') };
  } catch {
    // A damaged record reads as no training.
  }
  return null;
}

/** The search page's words for a training in progress, e.g. "semantic model training, 40%". */
export function describeTraining(state: TrainingState): string {
  return state.phase === 'training'
    ? `semantic model training, ${state.percent}%`
    : `semantic model embedding the papers, ${state.percent}%`;
}
