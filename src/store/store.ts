// The store's public interface: repositories per aggregate, the same for every engine.
import type { IngestCounts, IngestRun, Paper, PaperInput, Rejection, UpsertOutcome } from '../domain/index.ts';

/** A change to a paper, in commit order; the search indexes follow this log. */
export interface PaperChange {
  seq: number;
  paperId: string;
  op: 'upsert' | 'delete';
}

export interface NewestQuery {
  limit: number;
  offset?: number;
  category?: string;
}

export interface PaperRepo {
  /**
   * Inserts or merges each record in one transaction: matched by arXiv id, then DOI, then
   * normalized title + first author. With `dryRun` nothing is written.
   */
  upsertMany(inputs: readonly PaperInput[], opts?: { dryRun?: boolean }): Promise<UpsertOutcome[]>;
  get(id: string): Promise<Paper | null>;
  getMany(ids: readonly string[]): Promise<Paper[]>;
  newest(q: NewestQuery): Promise<Paper[]>;
  count(): Promise<number>;
  delete(id: string): Promise<boolean>;
  /** Changes after `seq`, oldest first, at most `limit`. */
  changesSince(seq: number, limit: number): Promise<PaperChange[]>;
  /** Every paper in stable order, in pages, for rebuilding derived indexes. */
  scan(pageSize: number): AsyncIterable<Paper[]>;
}

export interface IngestRunRepo {
  start(source: string): Promise<IngestRun>;
  /** Records progress so far; called after every committed batch. */
  progress(id: number, counts: IngestCounts, errors: readonly Rejection[], checkpoint: string | null): Promise<void>;
  finish(id: number, status: IngestRun['status'], counts: IngestCounts, errors: readonly Rejection[]): Promise<void>;
  /** The latest run of a source when it did not finish (killed, interrupted or failed), else null. */
  lastUnfinished(source: string): Promise<IngestRun | null>;
  recent(limit: number): Promise<IngestRun[]>;
  /** Marks runs left 'running' by a killed process as 'interrupted'; returns how many. */
  markStale(): Promise<number>;
}

export interface StoreStats {
  papers: number;
  authors: number;
  categories: number;
  newestDate: string | null;
  oldestDate: string | null;
  ingestRuns: number;
  schemaVersion: number;
  engine: 'sqlite';
  location: string;
}

export interface Store {
  readonly papers: PaperRepo;
  readonly runs: IngestRunRepo;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
