// Row shape of ingest runs shared by the SQLite and PostgreSQL engines: the mapping to an IngestRun and the
// JSON encoding of the stored rejections (capped at MAX_STORED_ERRORS).
import type { IngestRun, Rejection } from '../../domain/index.ts';

/** At most this many rejections are kept per run; the count is always exact. */
export const MAX_STORED_ERRORS = 1000;

/** One row of the ingest_runs table (errors as JSON text). */
export interface IngestRunRow {
  id: number;
  source: string;
  started_at: string;
  finished_at: string | null;
  status: IngestRun['status'];
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: string;
  checkpoint: string | null;
}

/**
 * Maps an ingest_runs row to an IngestRun, parsing its JSON error list.
 * @example toIngestRun(row).counts.added; // 12
 */
export function toIngestRun(r: IngestRunRow): IngestRun {
  return {
    id: r.id,
    source: r.source,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    counts: { added: r.added, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected },
    errors: JSON.parse(r.errors) as Rejection[],
    checkpoint: r.checkpoint,
  };
}

/**
 * Encodes the first MAX_STORED_ERRORS rejections as the JSON text stored in ingest_runs.errors.
 * @example storedErrorsJson([]); // '[]'
 */
export function storedErrorsJson(errors: readonly Rejection[]): string {
  return JSON.stringify(errors.slice(0, MAX_STORED_ERRORS));
}
