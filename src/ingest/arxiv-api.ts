// Pages through the arXiv export API: category/date harvests, any query, and lookups by id.
import type { SourceRecord } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { parseAtomFeed } from './arxiv-atom.ts';
import { parseArxivId } from './normalize.ts';

/** The export API's query endpoint. */
export const ARXIV_API_URL = 'https://export.arxiv.org/api/query';

export type SortBy = 'relevance' | 'lastUpdatedDate' | 'submittedDate';
export type SortOrder = 'ascending' | 'descending';

export interface ArxivApiQuery {
  searchQuery: string;
  idList?: string[];
  sortBy: SortBy;
  sortOrder: SortOrder;
  start: number;
  maxResults: number;
}

/** One fetched page; `checkpoint` is the start index to resume from (the next page). */
export interface ArxivApiPage {
  records: SourceRecord[];
  checkpoint: string;
  done: boolean;
  total: number | null;
}

/**
 * Builds an export-API URL, parameters in the order arXiv's own links use.
 * @example buildArxivApiUrl(ARXIV_API_URL, { searchQuery: 'cat:cs.CL', sortBy: 'submittedDate',
 *   sortOrder: 'ascending', start: 0, maxResults: 100 })
 * // 'https://export.arxiv.org/api/query?search_query=cat%3Acs.CL&id_list=&sortBy=submittedDate&...'
 */
export function buildArxivApiUrl(baseUrl: string, q: ArxivApiQuery): string {
  const params = new URLSearchParams({
    search_query: q.searchQuery,
    id_list: (q.idList ?? []).join(','),
    sortBy: q.sortBy,
    sortOrder: q.sortOrder,
    start: String(q.start),
    max_results: String(q.maxResults),
  });
  return `${baseUrl}?${params.toString()}`;
}

/**
 * The search query for papers in any of the categories submitted between two days (inclusive, UTC).
 * @example buildCategoryQuery(['cs.CL', 'cs.LG'], '2026-11-01', '2026-11-28')
 * // '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202611010000 TO 202611282359]'
 */
export function buildCategoryQuery(categories: readonly string[], since: string, until: string): string {
  if (categories.length === 0)
    throw new AppError('BAD_INPUT', 'Give at least one arXiv category to harvest, e.g. cs.CL.');
  const bad = categories.filter((c) => !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c));
  if (bad.length > 0)
    throw new AppError(
      'BAD_INPUT',
      `Not arXiv categories: ${bad.join(', ')}. Use names like cs.CL or hep-th.`,
    );
  const cats = categories.map((c) => `cat:${c}`).join(' OR ');
  return `(${cats}) AND submittedDate:[${compactDay(since, 'since')}0000 TO ${compactDay(until, 'until')}2359]`;
}

function compactDay(day: string, name: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m || Number.isNaN(Date.parse(day)))
    throw new AppError('BAD_INPUT', `${name} "${day}" is not a YYYY-MM-DD date.`);
  return `${m[1]}${m[2]}${m[3]}`;
}

export interface HarvestQueryOptions {
  searchQuery: string;
  sortBy?: SortBy;
  sortOrder?: SortOrder;
  baseUrl: string;
  get: (url: string) => Promise<string>;
  pageSize?: number;
  /** Start index to resume from (a previous checkpoint). */
  startAt?: number;
  /** Stop after this many results even if arXiv has more. */
  limit?: number;
}

/** Pages arXiv sometimes returns empty mid-result-set; such a page is fetched again this often. */
const EMPTY_PAGE_RETRIES = 2;

/**
 * Pages through any export-API query until the results (or `limit`) run out. Each page says
 * where to resume, so a killed harvest continues with `startAt: Number(checkpoint)`.
 */
export async function* harvestArxivQuery(opts: HarvestQueryOptions): AsyncGenerator<ArxivApiPage> {
  const pageSize = opts.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 2000) {
    throw new AppError(
      'BAD_INPUT',
      `pageSize ${pageSize} must be a whole number from 1 to 2000 (arXiv's limit).`,
    );
  }
  const end = opts.limit ?? Number.POSITIVE_INFINITY;
  let start = opts.startAt ?? 0;
  while (start < end) {
    const size = Math.min(pageSize, end - start);
    const url = buildArxivApiUrl(opts.baseUrl, {
      searchQuery: opts.searchQuery,
      sortBy: opts.sortBy ?? 'submittedDate',
      sortOrder: opts.sortOrder ?? 'ascending',
      start,
      maxResults: size,
    });
    const page = await fetchPage(url, start, opts.get);
    const total = page.totalResults;
    start += size;
    const done = page.records.length === 0 || (total !== null && start >= total) || start >= end;
    yield { records: page.records, checkpoint: String(start), done, total };
    if (done) return;
  }
}

async function fetchPage(url: string, start: number, get: (url: string) => Promise<string>) {
  for (let tries = 0; ; tries++) {
    const page = parseAtomFeed(await get(url), `arXiv API (start ${start})`);
    const more = page.totalResults !== null && start < page.totalResults;
    if (page.records.length > 0 || !more) return page;
    if (tries >= EMPTY_PAGE_RETRIES) {
      throw new AppError(
        'NETWORK',
        `arXiv returned an empty page at start ${start} of ${page.totalResults} results, ${tries + 1} times (${url}). ` +
          `Run the harvest again later; it resumes from checkpoint ${start}.`,
      );
    }
  }
}

export interface HarvestApiOptions {
  categories: string[];
  /** First submission day, YYYY-MM-DD (UTC). */
  since: string;
  /** Last submission day, YYYY-MM-DD; defaults to today (UTC). */
  until?: string;
  pageSize?: number;
  baseUrl: string;
  get: (url: string) => Promise<string>;
  /** Start index from a previous run's checkpoint. */
  startAt?: number;
  now?: () => Date;
}

/**
 * Harvests papers submitted to any of the categories in a date range, oldest first, page by page.
 * @example
 * for await (const page of harvestArxivApi({ categories: ['cs.CL'], since: '2026-11-01', baseUrl: ARXIV_API_URL, get })) {
 *   await ingest(page.records); await saveCheckpoint(page.checkpoint);
 * }
 */
export function harvestArxivApi(opts: HarvestApiOptions): AsyncGenerator<ArxivApiPage> {
  const until = opts.until ?? (opts.now ?? (() => new Date()))().toISOString().slice(0, 10);
  return harvestArxivQuery({
    searchQuery: buildCategoryQuery(opts.categories, opts.since, until),
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
    baseUrl: opts.baseUrl,
    get: opts.get,
    pageSize: opts.pageSize,
    startAt: opts.startAt,
  });
}

/** How many ids go into one id_list request (arXiv's page of 100). */
const ID_CHUNK = 100;

export interface FetchIdsResult {
  records: SourceRecord[];
  /** Requested ids arXiv has no paper for. */
  missing: string[];
}

/**
 * Fetches papers by arXiv id (any spelling parseArxivId accepts; a version pins that version).
 * Throws AppError('BAD_INPUT') listing strings that are not arXiv ids, before any request.
 */
export async function fetchArxivIds(
  ids: readonly string[],
  opts: { baseUrl: string; get: (url: string) => Promise<string> },
): Promise<FetchIdsResult> {
  const wanted = normalizeIds(ids);
  const records: SourceRecord[] = [];
  for (let i = 0; i < wanted.length; i += ID_CHUNK) {
    const chunk = wanted.slice(i, i + ID_CHUNK);
    const url = buildArxivApiUrl(opts.baseUrl, {
      searchQuery: '',
      idList: chunk.map((w) => w.requested),
      sortBy: 'relevance',
      sortOrder: 'descending',
      start: 0,
      maxResults: ID_CHUNK,
    });
    records.push(
      ...parseAtomFeed(await opts.get(url), `arXiv API (id_list ${i + 1}-${i + chunk.length})`).records,
    );
  }
  const found = new Set(records.flatMap((r) => (r.ok && r.paper.arxivId !== null ? [r.paper.arxivId] : [])));
  return { records, missing: wanted.filter((w) => !found.has(w.id)).map((w) => w.requested) };
}

function normalizeIds(ids: readonly string[]): { id: string; requested: string }[] {
  const bad: string[] = [];
  const out = new Map<string, { id: string; requested: string }>();
  for (const raw of ids) {
    const p = parseArxivId(raw);
    if (p === null) bad.push(JSON.stringify(raw));
    else {
      const requested = p.version === null ? p.id : `${p.id}v${p.version}`;
      out.set(requested, { id: p.id, requested });
    }
  }
  if (bad.length > 0) {
    throw new AppError(
      'BAD_INPUT',
      `Not arXiv ids: ${bad.join(', ')}. Use forms like 2503.11677, 2503.11677v2 or hep-th/9901001.`,
    );
  }
  return [...out.values()];
}
