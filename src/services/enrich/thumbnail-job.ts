// The thumbnail job: fetches the newest arXiv papers' PDFs one at a time, politely spaced, renders each
// first page, and stores the image (or the reason there is none) in one write per paper.
import { setTimeout as delay } from 'node:timers/promises';
import { describeError, isAppError } from '../../errors.ts';
import { unreachableReason, type FetchLike } from '../../ingest/http.ts';
import type { Paper } from '../../domain/index.ts';
import type { Store } from '../../store/store.ts';
import { renderFirstPage, type RenderLimits } from './pdf-thumbnail.ts';

export interface ThumbnailJobOptions {
  store: Store;
  fetch: FetchLike;
  /** PDF URL template holding {id} (THUMBNAIL_PDF_URL). */
  pdfUrl: string;
  /** Least gap between two downloads (THUMBNAIL_DELAY_MS). */
  delayMs: number;
  maxPdfBytes: number;
  render: RenderLimits;
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Most papers this run (default 100). */
  limit?: number;
  /** Deadline of one download (default 60 s). */
  downloadTimeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
  /** One line per paper without a thumbnail, naming it and the reason. */
  log?: (line: string) => void;
}

export interface ThumbnailJobSummary {
  planned: number;
  rendered: number;
  /** Papers recorded as having no thumbnail (no PDF, not a PDF, damaged, too slow, too large). */
  failed: number;
  stopped: null | { reason: 'network' | 'interrupted'; message: string };
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).then(() => undefined);

/** A download that did not give a PDF: `retry` when the server may give it later (the run then stops). */
class DownloadError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

async function pickPapers(store: Store, want: number): Promise<Paper[]> {
  const tried = await store.enrichment.thumbnailTriedIds();
  const out: Paper[] = [];
  for (let offset = 0; out.length < want; offset += 500) {
    const page = await store.papers.newest({ limit: 500, offset });
    for (const p of page) if (p.arxivId !== null && !tried.has(p.id) && out.length < want) out.push(p);
    if (page.length < 500) break;
  }
  return out;
}

async function download(opts: ThumbnailJobOptions, url: string): Promise<Uint8Array> {
  const deadline = AbortSignal.timeout(opts.downloadTimeoutMs ?? 60_000);
  const signal = opts.signal === undefined ? deadline : AbortSignal.any([opts.signal, deadline]);
  let res: Response;
  try {
    res = await opts.fetch(url, { signal, headers: { accept: 'application/pdf' } });
  } catch (err) {
    if (opts.signal?.aborted === true) throw err;
    throw new DownloadError(unreachableReason(err, url) ?? `download failed: ${describeError(err)}`, true);
  }
  if (res.status === 404 || res.status === 410) throw new DownloadError(`no PDF (${res.status})`, false);
  if (res.status !== 200) throw new DownloadError(`the PDF server answered ${res.status}`, true);
  const declared = Number(res.headers.get('content-length'));
  if (declared > opts.maxPdfBytes) {
    await res.body?.cancel();
    throw new DownloadError(`the PDF is ${declared} bytes, over the ${opts.maxPdfBytes}-byte limit`, false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  while (reader !== undefined) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > opts.maxPdfBytes) {
      await reader.cancel();
      throw new DownloadError(`the PDF is over the ${opts.maxPdfBytes}-byte limit`, false);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Renders thumbnails for up to `limit` papers not tried yet, newest first.
 * @example await makeThumbnails({ store, fetch, pdfUrl: 'https://arxiv.org/pdf/{id}', delayMs: 3000, ... });
 */
export async function makeThumbnails(opts: ThumbnailJobOptions): Promise<ThumbnailJobSummary> {
  const sleep = opts.sleep ?? defaultSleep;
  const todo = await pickPapers(opts.store, opts.limit ?? 100);
  const s: ThumbnailJobSummary = { planned: todo.length, rendered: 0, failed: 0, stopped: null };
  let lastAt = -Infinity;
  const aborted = (): boolean => opts.signal?.aborted === true;
  opts.onProgress?.(0, todo.length);
  for (const p of todo) {
    if (aborted()) break;
    const gap = lastAt + opts.delayMs - opts.now().getTime();
    if (gap > 0) await sleep(gap, opts.signal).catch(() => undefined);
    if (aborted()) break;
    lastAt = opts.now().getTime();
    const url = opts.pdfUrl.replace('{id}', encodeURIComponent(p.arxivId ?? p.id).replace(/%2F/g, '/'));
    const record = { paperId: p.id, createdAt: opts.now().toISOString() };
    try {
      const t = await renderFirstPage(await download(opts, url), opts.render);
      await opts.store.enrichment.putThumbnail({
        ...record,
        image: t.png,
        width: t.width,
        height: t.height,
        error: null,
      });
      s.rendered++;
    } catch (err) {
      if (aborted()) break;
      if (err instanceof DownloadError && err.retry) {
        s.stopped = { reason: 'network', message: `${url}: ${err.message}; run again later` };
        break;
      }
      if (!(err instanceof DownloadError) && !(isAppError(err) && err.code === 'SOURCE_UNREADABLE'))
        throw err;
      opts.log?.(`thumbnail ${p.id}: ${err.message}`);
      await opts.store.enrichment.putThumbnail({
        ...record,
        image: null,
        width: null,
        height: null,
        error: err.message,
      });
      s.failed++;
    }
    opts.onProgress?.(s.rendered + s.failed, todo.length);
  }
  if (s.stopped === null && aborted())
    s.stopped = { reason: 'interrupted', message: 'Interrupted; run again to continue.' };
  return s;
}
