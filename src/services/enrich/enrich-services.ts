// Enrichment wired to the configuration: the GitHub, summary and thumbnail jobs, the in-memory overlay pages
// read, and serve's schedule for them (one node at a time under a job lease).
import type { Config } from '../../config.ts';
import { AppError, describeError } from '../../errors.ts';
import type { FetchLike } from '../../ingest/http.ts';
import type { Store } from '../../store/store.ts';
import type { StoredThumbnail } from '../../store/enrichment.ts';
import type { JobLease, Logger } from '../../platform/index.ts';
import { createChatSummarizer } from './chat-summarizer.ts';
import { reloadEnrichmentOverlay } from './enrichment-overlay.ts';
import { createGithubClient } from './github-client.ts';
import { refreshGithub, type GithubRefreshSummary } from './github-refresh.ts';
import { summarizePapers, type SummarizeSummary } from './summarize-job.ts';
import { makeThumbnails, type ThumbnailJobSummary } from './thumbnail-job.ts';

export interface JobRun {
  signal?: AbortSignal;
  limit?: number;
  onProgress?: (done: number, total: number, status: string) => void;
  log?: (line: string) => void;
}

export interface EnrichServices {
  /** Checks due GitHub repositories (`paperboy enrich --github`). */
  github(run: JobRun): Promise<GithubRefreshSummary>;
  /** Model summaries for papers without one (`paperboy summarize`); USAGE error unless SUMMARIZER=http. */
  summarize(run: JobRun): Promise<SummarizeSummary>;
  /** First-page thumbnails (`paperboy thumbnails`). */
  thumbnails(run: JobRun): Promise<ThumbnailJobSummary>;
  /** A stored thumbnail image, or null. */
  thumbnail(paperId: string): Promise<StoredThumbnail | null>;
  /** Reloads what pages show (stars, model summaries, which papers have thumbnails). */
  reload(): Promise<void>;
  /**
   * serve: reloads what pages show every 10 minutes (every process), and with `runJobs` runs the configured
   * jobs at start and hourly on the node holding the 'enrich' lease.
   */
  schedule(log: Logger, runJobs: boolean): { stop(): void };
}

export interface EnrichDeps {
  fetch: FetchLike;
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onWait?: (message: string) => void;
  lease: () => JobLease;
}

/**
 * Creates the enrichment services.
 */
export function createEnrichServices(store: Store, config: Config, deps: EnrichDeps): EnrichServices {
  const summarizerSettings = (): { model: string; promptVersion: string } | null =>
    config.SUMMARIZER === 'http'
      ? { model: config.SUMMARIZER_MODEL, promptVersion: config.SUMMARIZER_PROMPT_VERSION }
      : null;
  const reload = (): Promise<void> =>
    reloadEnrichmentOverlay(store, { summarizer: summarizerSettings(), thumbnails: config.THUMBNAILS });

  const services: EnrichServices = {
    async github(run) {
      const client = createGithubClient({
        fetch: deps.fetch,
        apiUrl: config.GITHUB_API_URL,
        token: config.GITHUB_TOKEN,
        now: deps.now,
        sleep: deps.sleep,
        onWait: deps.onWait,
      });
      const onProgress = run.onProgress;
      const summary = await refreshGithub({
        store,
        client,
        now: deps.now,
        signal: run.signal,
        limit: run.limit,
        onProgress: onProgress === undefined ? undefined : (d, t) => onProgress(d, t, 'repositories'),
      });
      await reload();
      return summary;
    },
    async summarize(run) {
      if (config.SUMMARIZER !== 'http' || config.SUMMARIZER_URL === '' || config.SUMMARIZER_MODEL === '')
        throw new AppError(
          'USAGE',
          'Model summaries need SUMMARIZER=http, SUMMARIZER_URL (e.g. http://127.0.0.1:8000/v1) and SUMMARIZER_MODEL.',
        );
      const summarizer = createChatSummarizer({
        fetch: (url, init) => globalThis.fetch(url, init),
        baseUrl: config.SUMMARIZER_URL,
        model: config.SUMMARIZER_MODEL,
        apiKey: config.SUMMARIZER_API_KEY,
        timeoutMs: config.SUMMARIZER_TIMEOUT_SECONDS * 1000,
        now: deps.now,
        sleep: deps.sleep,
        onWait: deps.onWait,
      });
      const summary = await summarizePapers({
        store,
        summarizer,
        promptVersion: config.SUMMARIZER_PROMPT_VERSION,
        dailyBudget: config.SUMMARIZER_DAILY_BUDGET,
        concurrency: config.SUMMARIZER_CONCURRENCY,
        now: deps.now,
        signal: run.signal,
        limit: run.limit,
        onProgress: run.onProgress,
        log: run.log,
      });
      await reload();
      return summary;
    },
    async thumbnails(run) {
      const onProgress = run.onProgress;
      const summary = await makeThumbnails({
        store,
        fetch: deps.fetch,
        pdfUrl: config.THUMBNAIL_PDF_URL,
        delayMs: config.THUMBNAIL_DELAY_MS,
        maxPdfBytes: config.THUMBNAIL_MAX_PDF_MB * 1024 * 1024,
        render: { pdftoppm: config.PDFTOPPM_PATH },
        now: deps.now,
        sleep: deps.sleep,
        signal: run.signal,
        limit: run.limit,
        onProgress: onProgress === undefined ? undefined : (d, t) => onProgress(d, t, 'papers'),
        log: run.log,
      });
      await reload();
      return summary;
    },
    thumbnail: (paperId) => store.enrichment.thumbnail(paperId),
    reload,
    schedule(log, runJobs) {
      const lease = deps.lease();
      let busy = false;
      const say = (line: string): void => log.info(line);
      const jobs = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          await reload();
          const wanted =
            runJobs && (config.GITHUB_ENRICH || config.SUMMARIZER === 'http' || config.THUMBNAILS);
          if (!wanted || !(await lease.tryHold())) return;
          try {
            if (config.GITHUB_ENRICH)
              say(`enrich github: ${JSON.stringify(await services.github({ log: say }))}`);
            if (config.SUMMARIZER === 'http')
              say(`enrich summarize: ${JSON.stringify(await services.summarize({ limit: 200, log: say }))}`);
            if (config.THUMBNAILS)
              say(
                `enrich thumbnails: ${JSON.stringify(await services.thumbnails({ limit: 100, log: say }))}`,
              );
          } finally {
            await lease.release();
          }
        } catch (err) {
          log.warn(`enrichment job failed: ${describeError(err)}`);
        } finally {
          busy = false;
        }
      };
      void jobs();
      const reloadTimer = setInterval(() => void reload().catch(() => undefined), 10 * 60_000);
      const jobTimer = setInterval(() => void jobs(), 60 * 60_000);
      reloadTimer.unref();
      jobTimer.unref();
      return {
        stop() {
          clearInterval(reloadTimer);
          clearInterval(jobTimer);
        },
      };
    },
  };
  return services;
}
