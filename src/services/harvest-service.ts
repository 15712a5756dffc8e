// Use case: harvest arXiv by category and date range, resuming an unfinished run where it stopped.
import { AppError } from '../errors.ts';
import { fetchArxivIds, harvestArxivApi } from '../ingest/arxiv-api.ts';
import type { Getter } from '../ingest/http.ts';
import type { Store } from '../store/store.ts';
import { ingestPages, type IngestOptions, type IngestSummary, type RecordPage } from './ingest-service.ts';

export interface HarvestRequest {
  categories: string[];
  /** First submission day (YYYY-MM-DD, UTC). */
  since: string;
  /** Last submission day; defaults to today. */
  until?: string;
  dryRun?: boolean;
  onProgress?: IngestOptions['onProgress'];
  signal?: AbortSignal;
}

export interface HarvestService {
  /** Harvests the arXiv export API; a rerun of an interrupted or failed harvest continues from its checkpoint. */
  arxiv(req: HarvestRequest): Promise<IngestSummary & { resumedFrom: number }>;
  /** Fetches specific papers by arXiv id or URL and stores them. */
  arxivIds(ids: readonly string[], opts?: { dryRun?: boolean }): Promise<IngestSummary & { missing: string[] }>;
}

export interface HarvestDeps {
  store: Store;
  get: Getter;
  apiUrl: string;
  now: () => Date;
}

/**
 * @example await createHarvestService({ store, get, apiUrl, now }).arxiv({ categories: ['cs.CL'], since: '2026-11-01' });
 */
export function createHarvestService(deps: HarvestDeps): HarvestService {
  return {
    async arxiv(req) {
      if (req.categories.length === 0) throw new AppError('USAGE', 'harvest needs at least one category, e.g. --categories cs.CL');
      const until = req.until ?? deps.now().toISOString().slice(0, 10);
      if (req.since > until) throw new AppError('USAGE', `--since ${req.since} is after --until ${until}`);
      const source = `arxiv-api ${[...req.categories].sort().join(',')} ${req.since}..${until}`;
      const previous = await deps.store.runs.lastUnfinished(source);
      const startAt = previous?.checkpoint != null ? Number(previous.checkpoint) : 0;
      const pages = harvestArxivApi({
        categories: req.categories,
        since: req.since,
        until,
        baseUrl: deps.apiUrl,
        get: deps.get,
        startAt,
      });
      const summary = await ingestPages(deps.store, pages, {
        source,
        dryRun: req.dryRun,
        onProgress: req.onProgress,
        signal: req.signal,
      });
      return { ...summary, resumedFrom: startAt };
    },
    async arxivIds(ids, opts) {
      const { records, missing } = await fetchArxivIds(ids, { baseUrl: deps.apiUrl, get: deps.get });
      const page: RecordPage = { records, checkpoint: null };
      const summary = await ingestPages(deps.store, single(page), { source: `arxiv-api ids ${ids.length}`, dryRun: opts?.dryRun });
      return { ...summary, missing };
    },
  };
}

async function* single(page: RecordPage): AsyncGenerator<RecordPage> {
  yield page;
}
