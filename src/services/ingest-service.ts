// Use case: push a stream of source records into the store in batches, recording the run.
import type { IngestCounts, Rejection, SourceRecord } from '../domain/index.ts';
import { describeError } from '../errors.ts';
import { validatePaper } from '../ingest/validate.ts';
import type { Store } from '../store/store.ts';

export interface IngestProgress {
  processed: number;
  counts: IngestCounts;
}

export interface IngestOptions {
  /** Name recorded with the run: a file path, URL or "arxiv-api cs.CL since 2026-11-01". */
  source: string;
  dryRun?: boolean;
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Stops after the current batch when aborted (SIGINT); the run is marked interrupted. */
  signal?: AbortSignal;
}

export interface IngestSummary extends IngestCounts {
  source: string;
  runId: number | null;
  status: 'done' | 'failed' | 'interrupted';
  rejections: Rejection[];
  /** Set when the source itself broke off (truncated file, network failure) after `processed` records. */
  fatal: string | null;
  processed: number;
  seconds: number;
}

/** Rejections kept in memory for the report; counts stay exact beyond it. */
const MAX_REPORTED = 1000;

export function emptyCounts(): IngestCounts {
  return { added: 0, updated: 0, unchanged: 0, rejected: 0 };
}

/**
 * Validates and upserts records batch by batch (each batch one transaction), so a kill
 * leaves whole batches stored and a rerun finishes the job idempotently.
 * @example const summary = await ingestRecords(store, openFileSource('x.jsonl').records, { source: 'x.jsonl' });
 */
export async function ingestRecords(
  store: Store,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  opts: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const dryRun = opts.dryRun === true;
  const run = dryRun ? null : await store.runs.start(opts.source);
  const counts = emptyCounts();
  const rejections: Rejection[] = [];
  const batchSize = opts.batchSize ?? 1000;
  let batch: SourceRecord[] = [];
  let processed = 0;
  let fatal: string | null = null;

  const reject = (r: Rejection): void => {
    counts.rejected++;
    if (rejections.length < MAX_REPORTED) rejections.push(r);
  };
  const flush = async (): Promise<void> => {
    const good = batch.flatMap((rec) => {
      if (!rec.ok) return (reject({ location: rec.location, reason: rec.reason }), []);
      const why = validatePaper(rec.paper);
      return why === null ? [rec.paper] : (reject({ location: rec.location, reason: why }), []);
    });
    processed += batch.length;
    batch = [];
    for (const outcome of await store.papers.upsertMany(good, { dryRun })) counts[outcome]++;
    if (run) await store.runs.progress(run.id, counts, rejections, String(processed));
    opts.onProgress?.({ processed, counts: { ...counts } });
  };

  try {
    for await (const rec of records) {
      batch.push(rec);
      if (batch.length >= batchSize) {
        await flush();
        if (opts.signal?.aborted === true) break;
      }
    }
  } catch (err) {
    fatal = describeError(err);
  }
  await flush();
  const status = fatal !== null ? 'failed' : opts.signal?.aborted === true ? 'interrupted' : 'done';
  if (fatal !== null) reject({ location: opts.source, reason: fatal });
  if (run) await store.runs.finish(run.id, status, counts, rejections);
  return {
    source: opts.source,
    runId: run?.id ?? null,
    status,
    ...counts,
    rejections,
    fatal,
    processed,
    seconds: (performance.now() - started) / 1000,
  };
}
