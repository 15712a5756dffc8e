// What the background jobs found (GitHub stars, model summaries, thumbnails), held in memory for rendering.
import type { Store } from '../../store/store.ts';

/** A repository's facts as a chip shows them. */
export interface RepoBadge {
  stars: number;
  archived: boolean;
  pushedAt: string | null;
}

export interface EnrichmentOverlay {
  /** By "owner/name" in lower case. */
  repos: ReadonlyMap<string, RepoBadge>;
  /** Model summaries of the configured model and prompt version, by paper id. */
  summaries: ReadonlyMap<string, string>;
  /** The model that wrote `summaries` (shown in the API), or null when SUMMARIZER is extractive. */
  summaryModel: string | null;
  /** Papers with a thumbnail, or null when thumbnails are off (cards then show no picture at all). */
  thumbnails: ReadonlySet<string> | null;
  /**
   * Moves on every reload: cached anonymous pages were rendered with an older overlay once it differs
   * (another node's job wrote facts this process only reads on its next reload).
   */
  generation: number;
}

const EMPTY: EnrichmentOverlay = {
  repos: new Map(),
  summaries: new Map(),
  summaryModel: null,
  thumbnails: null,
  generation: 0,
};
let current: EnrichmentOverlay = EMPTY;

/** The overlay pages render with now. Rendering stays synchronous: pages never wait on the store for it. */
export function enrichmentOverlay(): EnrichmentOverlay {
  return current;
}

export interface OverlaySettings {
  /** Model and prompt version of summaries to show, or null for extractive only. */
  summarizer: { model: string; promptVersion: string } | null;
  thumbnails: boolean;
}

/**
 * Reloads the overlay from the store: after each job batch and periodically (other nodes' work). About 40
 * bytes per repository and 300 per summary, so a whole store's summaries fit in a few tens of MB.
 */
export async function reloadEnrichmentOverlay(store: Store, settings: OverlaySettings): Promise<void> {
  const repos = new Map<string, RepoBadge>();
  for (const f of await store.enrichment.repoFacts())
    if (f.status !== 'missing' && f.stars !== null)
      repos.set(f.repo, { stars: f.stars, archived: f.archived, pushedAt: f.pushedAt });
  const s = settings.summarizer;
  const summaries =
    s === null
      ? new Map<string, string>()
      : new Map((await store.enrichment.summaries(s.model, s.promptVersion)).map((r) => [r.paperId, r.text]));
  const thumbnails = settings.thumbnails ? await store.enrichment.thumbnailIds() : null;
  current = {
    repos,
    summaries,
    summaryModel: s?.model ?? null,
    thumbnails,
    generation: current.generation + 1,
  };
}

/** Back to nothing (tests, and a store being closed). */
export function clearEnrichmentOverlay(): void {
  current = { ...EMPTY, generation: current.generation + 1 };
}
