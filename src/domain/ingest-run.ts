// Bookkeeping for one ingest or harvest run.
import type { Rejection } from './record.ts';

export interface IngestCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface IngestRun {
  id: number;
  source: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  counts: IngestCounts;
  /** The first rejections, capped so a broken file cannot bloat the store. */
  errors: Rejection[];
  /** Opaque resume point for sources that can continue (a resumptionToken, a start offset). */
  checkpoint: string | null;
}
