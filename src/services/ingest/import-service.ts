// Use case: ingest files and URLs of any supported format, each as its own recorded run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppError } from '../../errors.ts';
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
}

export function createImportService(deps: ImportDeps): ImportService {
  async function ingestFile(path: string, label: string, opts: ImportOptions): Promise<IngestSummary> {
    const { format } = await openFileSource(path);
    opts.onFormat?.(label, format);
    return ingestPages(deps.store, readPagesInWorker(path, format, basename(path)), {
      source: label,
      dryRun: opts.dryRun,
      onProgress: opts.onProgress,
      signal: opts.signal,
      collectIds: opts.collectIds,
    });
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
