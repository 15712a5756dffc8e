// Use case: harvest arXiv by category and date range, resuming an unfinished run where it stopped.
import { AppError } from '../../errors.ts';
import { fetchArxivIds, harvestArxivApi } from '../../ingest/arxiv-api.ts';
import { harvestOai } from '../../ingest/arxiv-oai.ts';
import { harvestArxivListing } from '../../ingest/arxiv-rss.ts';
import type { SourceRecord } from '../../domain/index.ts';
import type { Getter } from '../../ingest/http.ts';
import type { Store } from '../../store/store.ts';
import { ingestPages, type IngestOptions, type IngestSummary, type RecordPage } from './ingest-service.ts';

/** Which arXiv interface to harvest: the export API (search by date), OAI-PMH (bulk), or today's listing feed. */
export type HarvestVia = 'api' | 'oai' | 'rss';

export interface HarvestRequest {
  categories: string[];
  /** Default 'api'. */
  via?: HarvestVia;
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
  arxiv(req: HarvestRequest): Promise<IngestSummary & { resumedFrom: string | null }>;
  /** Fetches specific papers by arXiv id or URL and stores them. */
  arxivIds(
    ids: readonly string[],
    opts?: { dryRun?: boolean },
  ): Promise<IngestSummary & { missing: string[] }>;
}

export interface HarvestDeps {
  store: Store;
  get: Getter;
  apiUrl: string;
  oaiUrl: string;
  rssUrl: string;
  now: () => Date;
}

/** Keeps records in any of the categories (OAI sets are whole archives such as "cs"). */
function inCategories(records: readonly SourceRecord[], categories: readonly string[]): SourceRecord[] {
  const wanted = new Set(categories);
  return records.filter(
    (r) => !r.ok || r.paper.categories.some((c) => wanted.has(c) || wanted.has(c.split('.')[0] ?? '')),
  );
}

async function* filtered<P extends RecordPage>(
  pages: AsyncIterable<P>,
  categories: readonly string[],
): AsyncGenerator<RecordPage> {
  for await (const p of pages)
    yield { records: inCategories(p.records, categories), checkpoint: p.checkpoint, total: p.total ?? null };
}

function pagesFor(
  req: HarvestRequest & { until: string },
  deps: HarvestDeps,
  checkpoint: string | null,
): AsyncIterable<RecordPage> {
  const via = req.via ?? 'api';
  // A stop (Ctrl-C, serve shutting down) also cuts short a request or a backoff wait in progress.
  const signal = req.signal;
  const get: Getter = (url) => deps.get(url, signal);
  if (via === 'rss') return harvestArxivListing({ baseUrl: deps.rssUrl, categories: req.categories, get });
  if (via === 'oai') {
    const sets = [...new Set(req.categories.map((c) => c.split('.')[0] ?? c))];
    if (sets.length !== 1)
      throw new AppError(
        'USAGE',
        `--via oai harvests one archive at a time; these categories span ${sets.join(', ')}`,
      );
    const oai = harvestOai({
      baseUrl: deps.oaiUrl,
      set: sets[0],
      metadataPrefix: 'arXiv',
      from: req.since,
      until: req.until,
      get,
      resumptionToken: checkpoint ?? undefined,
    });
    return filtered(oai, req.categories);
  }
  return harvestArxivApi({
    categories: req.categories,
    since: req.since,
    until: req.until,
    baseUrl: deps.apiUrl,
    get,
    startAt: checkpoint !== null ? Number(checkpoint) : 0,
  });
}

export function createHarvestService(deps: HarvestDeps): HarvestService {
  return {
    async arxiv(req) {
      if (req.categories.length === 0)
        throw new AppError('USAGE', 'harvest needs at least one category, e.g. --categories cs.CL');
      const until = req.until ?? deps.now().toISOString().slice(0, 10);
      if (req.since > until) throw new AppError('USAGE', `--since ${req.since} is after --until ${until}`);
      const via = req.via ?? 'api';
      const range = via === 'rss' ? until : `${req.since}..${until}`;
      const source = `arxiv-${via} ${[...req.categories].sort().join(',')} ${range}`;
      const previous = via === 'rss' ? null : await deps.store.runs.lastUnfinished(source);
      const checkpoint = previous?.checkpoint ?? null;
      const pages = pagesFor({ ...req, until }, deps, checkpoint);
      const summary = await ingestPages(deps.store, pages, {
        source,
        dryRun: req.dryRun,
        onProgress: req.onProgress,
        signal: req.signal,
      });
      return { ...summary, resumedFrom: checkpoint };
    },
    async arxivIds(ids, opts) {
      const { records, missing } = await fetchArxivIds(ids, { baseUrl: deps.apiUrl, get: deps.get });
      const page: RecordPage = { records, checkpoint: null };
      const summary = await ingestPages(deps.store, single(page), {
        source: `arxiv-api ids ${ids.length}`,
        dryRun: opts?.dryRun,
      });
      return { ...summary, missing };
    },
  };
}

async function* single(page: RecordPage): AsyncGenerator<RecordPage> {
  yield page;
}
