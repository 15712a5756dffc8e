// Use case: ingest files and URLs of any supported format, each as its own recorded run.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppError, describeError } from '../../errors.ts';
import { openFileSource } from '../../ingest/files/open-file-source.ts';
import type { Getter } from '../../ingest/http.ts';
import { parseArxivId } from '../../ingest/normalize.ts';
import type { Store } from '../../store/store.ts';
import type { HarvestService } from './harvest-service.ts';
import { ingestPages, type IngestOptions, type IngestSummary } from './ingest-service.ts';
import { readPagesInWorker } from './parallel-file-source.ts';

export interface ImportOptions {
  dryRun?: boolean;
  onProgress?: IngestOptions['onProgress'];
  signal?: AbortSignal;
  /** List each stored record's paper id in the summary. */
  collectIds?: boolean;
  /** Called once the format of a file is known. */
  onFormat?: (source: string, format: string) => void;
  /** Lines about a bulk import's deferred indexes (dropped, each being built, built), for the log. */
  onBulkLoad?: (message: string) => void;
}

export interface ImportService {
  /** Ingests one file path, http(s) URL, arXiv id or arxiv.org URL. */
  ingest(source: string, opts?: ImportOptions): Promise<IngestSummary>;
}

export interface ImportDeps {
  store: Store;
  harvest: HarvestService;
  /** Plain getter for non-arXiv URLs. */
  get: Getter;
  /** A file at least this big into a nearly empty store is a bulk import (`PAPERBOY_BULK_IMPORT_MB`); default never. */
  bulkImportMinBytes?: number;
}

/**
 * Records a file import writes per transaction. Each commit writes every page the batch dirtied once, however
 * many of its records touched it, and records its run's progress: fewer, larger commits write fewer pages
 * (docs/BENCHMARKS.md, "#23 bulk ingest"). A kill still leaves whole batches; a rerun stores the rest.
 */
export const FILE_BATCH_RECORDS = 10_000;

function isFile(source: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && parseArxivId(source) === null;
}

export function createImportService(deps: ImportDeps): ImportService {
  async function ingestFile(path: string, label: string, opts: ImportOptions): Promise<IngestSummary> {
    const { format } = await openFileSource(path);
    opts.onFormat?.(label, format);
    const big = statSync(path).size >= (deps.bulkImportMinBytes ?? Infinity);
    const bulk = opts.dryRun === true ? false : await deps.store.papers.bulkLoad(big);
    if (bulk) opts.onBulkLoad?.('bulk import: author and external-id indexes are built once at the end');
    try {
      // One page parsed ahead: a page is large, and parsing it overlaps the store's writing of the one before.
      return await ingestPages(
        deps.store,
        readPagesInWorker(path, format, basename(path), FILE_BATCH_RECORDS, 1),
        {
          source: label,
          dryRun: opts.dryRun,
          onProgress: opts.onProgress,
          signal: opts.signal,
          collectIds: opts.collectIds,
        },
      );
    } finally {
      // Also after an interruption or a failure: the store is left with every index it should have.
      if (bulk) await finishBulkLoad(opts);
    }
  }

  async function finishBulkLoad(opts: ImportOptions): Promise<void> {
    try {
      await deps.store.papers.finishBulkLoad((name, done, total, seconds) => {
        // PostgreSQL restores foreign keys too (named <table>_<column>_fkey by the schema).
        const what = name.endsWith('_fkey') ? `foreign key ${name}` : `index ${name}`;
        opts.onBulkLoad?.(
          seconds === null
            ? `building ${what} (${done + 1} of ${total})`
            : `built ${what} in ${seconds.toFixed(1)} s`,
        );
      });
    } catch (err) {
      // Never hides the import's own outcome: answers stay right without these indexes, only slower.
      opts.onBulkLoad?.(
        `indexes not all built (${describeError(err)}); the next \`paperboy\` command to open the store builds them`,
      );
    }
  }

  async function ingestUrl(url: string, opts: ImportOptions): Promise<IngestSummary> {
    const body = await deps.get(url);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-url-'));
    try {
      const file = join(dir, basename(new URL(url).pathname) || 'download');
      writeFileSync(file, body);
      return await ingestFile(file, url, opts);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  return {
    async ingest(source, opts = {}) {
      // A killed bulk import's missing indexes are built before anything else is written (a file may resume it).
      if (opts.dryRun !== true && !isFile(source)) await deps.store.papers.bulkLoad(false);
      // An arXiv id (2401.00001, arXiv:2401.00001, hep-th/9901001) is fetched from arXiv, never read as a file name.
      if (!/^https?:\/\//i.test(source) && parseArxivId(source) !== null)
        return deps.harvest.arxivIds([source], opts);
      if (/^https?:\/\//i.test(source)) {
        if (parseArxivId(source) !== null) return deps.harvest.arxivIds([source], opts);
        return ingestUrl(source, opts);
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
        throw new AppError(
          'USAGE',
          `Cannot ingest "${source}": only files, http(s) URLs and arXiv ids are supported.`,
        );
      }
      return ingestFile(source, source, opts);
    },
  };
}
