// Use case: push pages of source records into the store, one transaction per page, recording the run.
import type { IngestCounts, Rejection, SourceRecord } from '../../domain/index.ts';
import { describeError, isAppError, type ErrorCode } from '../../errors.ts';
import { sanitizePaper } from '../../ingest/sanitize.ts';
import { repairPaper, validatePaper } from '../../ingest/validate.ts';
import type { Store, UpsertRecord } from '../../store/store.ts';

/** A batch of records and, once it is stored, where a rerun may resume (null: from the start). */
export interface RecordPage {
  records: readonly SourceRecord[];
  checkpoint: string | null;
  /** Total records the source expects, when it knows (for progress bars). */
  total?: number | null;
}

export interface IngestProgress {
  processed: number;
  total: number | null;
  counts: IngestCounts;
}

export interface IngestOptions {
  /** Name recorded with the run: a file path, URL or "arxiv-api cs.CL 2026-11-01..2026-11-28". */
  source: string;
  dryRun?: boolean;
  onProgress?: (p: IngestProgress) => void;
  /** Stops after the current page when aborted (SIGINT); the run is marked interrupted. */
  signal?: AbortSignal;
  /** Collect each stored record's paper id (and source id) for the report (`ingest --ids`). */
  collectIds?: boolean;
}

/** Two records that became one paper: `location` merged into the paper first made from `into`. */
export interface MergeReport {
  location: string;
  /** file:line of the paper's first record when known, else the paper's id. */
  into: string;
  paperId: string;
  by: 'doi' | 'title';
}

/** Which paper a stored record became, by its location and its own id in the source. */
export interface IdMapping {
  location: string;
  sourceId: string | null;
  paperId: string;
}

export interface IngestSummary extends IngestCounts {
  source: string;
  runId: number | null;
  status: 'done' | 'failed' | 'interrupted';
  rejections: Rejection[];
  /** Records stored with something dropped (a `javascript:` link, say), and the first of those notes. */
  warned: number;
  warnings: Rejection[];
  /** Records that merged into a paper another record made (DOI or corroborated title). */
  merged: number;
  /** The first merges (capped like rejections). */
  merges: MergeReport[];
  /** With `collectIds`: every stored record's paper id, in source order; else empty. */
  ids: IdMapping[];
  /** Of `rejected`, records the previous finished run of the same source rejected the same way (unchanged since). */
  stillRejected: number;
  /** That previous run, when some records are still rejected. */
  previousRunId: number | null;
  /** The rejections that previous run did not have (all of `rejections` when there is none). */
  newRejections: Rejection[];
  /** Set when the source itself broke off (truncated file, network failure); what came before is kept. */
  fatal: string | null;
  /** The error code of `fatal` (NETWORK, SOURCE_UNREADABLE, ...). */
  fatalCode: ErrorCode | null;
  processed: number;
  seconds: number;
}

/** Rejections kept in memory for the report; counts stay exact beyond it. */
const MAX_REPORTED = 1000;

export function emptyCounts(): IngestCounts {
  return { added: 0, updated: 0, unchanged: 0, rejected: 0 };
}

/**
 * How many of this run's rejections the previous finished run of the same source made too (same place, same
 * reason: the record did not change), so a re-import that changes nothing reads as "nothing new".
 */
async function alreadyRejected(
  store: Store,
  source: string,
  runId: number,
  rejections: readonly Rejection[],
): Promise<{ count: number; runId: number; fresh: Rejection[] } | null> {
  const previous = await store.runs.previousDone(source, runId);
  if (previous === null) return null;
  const key = (r: Rejection): string => `${r.location}\n${r.reason}`;
  const before = new Set(previous.errors.map(key));
  const fresh = rejections.filter((r) => !before.has(key(r)));
  const count = rejections.length - fresh.length;
  return count > 0 ? { count, runId: previous.id, fresh } : null;
}

/** A record's location with its arXiv id, so a warning names the paper as well as the line. */
function whereIs(location: string, p: { arxivId: string | null }): string {
  return p.arxivId !== null && !location.includes(p.arxivId) ? `${location} (${p.arxivId})` : location;
}

/**
 * Groups a record stream into pages of `size`, each checkpointed by how many records precede its end.
 */
export async function* paginate(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  size = 1000,
): AsyncGenerator<RecordPage> {
  let page: SourceRecord[] = [];
  let seen = 0;
  for await (const rec of records) {
    page.push(rec);
    seen++;
    if (page.length >= size) {
      yield { records: page, checkpoint: String(seen) };
      page = [];
    }
  }
  if (page.length > 0) yield { records: page, checkpoint: String(seen) };
}

/**
 * Validates and upserts page by page (each page one transaction), so a kill leaves whole pages
 * stored with the run's checkpoint, and a rerun finishes the job idempotently.
 */
export async function ingestPages(
  store: Store,
  pages: AsyncIterable<RecordPage>,
  opts: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const dryRun = opts.dryRun === true;
  const run = dryRun ? null : await store.runs.start(opts.source);
  const counts = emptyCounts();
  const rejections: Rejection[] = [];
  const warnings: Rejection[] = [];
  let warned = 0;
  const merges: MergeReport[] = [];
  const ids: IdMapping[] = [];
  let merged = 0;
  let processed = 0;
  let fatal: string | null = null;
  let fatalCode: ErrorCode | null = null;
  const reject = (r: Rejection): void => {
    counts.rejected++;
    if (rejections.length < MAX_REPORTED) rejections.push(r);
  };

  try {
    for await (const page of pages) {
      const good = page.records.flatMap((rec): UpsertRecord[] => {
        if (!rec.ok) return (reject({ location: rec.location, reason: rec.reason }), []);
        // Cleaned (control characters, non-web links), then repaired (a field it can do without), then checked.
        const clean = sanitizePaper(rec.paper);
        const { paper, warnings: dropped } = repairPaper(clean.paper);
        const why = validatePaper(paper);
        if (why !== null) return (reject({ location: rec.location, reason: why }), []);
        const notes = [...(rec.warnings ?? []), ...clean.warnings, ...dropped];
        if (notes.length > 0) {
          warned++;
          for (const reason of notes)
            if (warnings.length < MAX_REPORTED)
              warnings.push({ location: whereIs(rec.location, paper), reason });
        }
        return [{ paper, externalId: rec.externalId ?? null, location: rec.location }];
      });
      const results = await store.papers.upsertRecords(good, { dryRun });
      results.forEach((r, i) => {
        counts[r.outcome]++;
        const rec = good[i];
        if (rec === undefined) return;
        if (r.mergedBy !== null) {
          merged++;
          if (merges.length < MAX_REPORTED)
            merges.push({
              location: rec.location ?? '',
              into: r.into ?? r.paperId,
              paperId: r.paperId,
              by: r.mergedBy,
            });
        }
        if (opts.collectIds === true)
          ids.push({
            location: rec.location ?? '',
            sourceId: rec.externalId?.id ?? null,
            paperId: r.paperId,
          });
      });
      processed += page.records.length;
      if (run) await store.runs.progress(run.id, counts, rejections, page.checkpoint);
      opts.onProgress?.({ processed, total: page.total ?? null, counts: { ...counts } });
      if (opts.signal?.aborted === true) break;
    }
  } catch (err) {
    // A source cut short by the stop request itself ends the run as interrupted, resumable, not failed.
    const stopped = opts.signal?.aborted === true && isAppError(err) && err.code === 'INTERRUPTED';
    if (!stopped) {
      fatal = describeError(err);
      fatalCode = isAppError(err) ? err.code : 'INTERNAL';
      reject({ location: opts.source, reason: fatal });
    }
  }
  const status = fatal !== null ? 'failed' : opts.signal?.aborted === true ? 'interrupted' : 'done';
  // After a failure (a full disk most of all) recording the run's end may fail the same way: the first error
  // is the one to report, and the run's last checkpoint still says where a rerun continues.
  if (run)
    await store.runs.finish(run.id, status, counts, rejections).catch((err: unknown) => {
      if (fatal === null) throw err;
    });
  const known =
    run && counts.rejected > 0 ? await alreadyRejected(store, opts.source, run.id, rejections) : null;
  const seconds = (performance.now() - started) / 1000;
  return {
    source: opts.source,
    runId: run?.id ?? null,
    status,
    ...counts,
    rejections,
    warned,
    warnings,
    merged,
    merges,
    ids,
    stillRejected: known?.count ?? 0,
    previousRunId: known?.runId ?? null,
    newRejections: known?.fresh ?? rejections,
    fatal,
    fatalCode,
    processed,
    seconds,
  };
}
