// Export-API harvests replayed from recorded arXiv responses through the same polite getter as live runs.
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/domain/index.ts';
import { AppError } from '../../src/errors.ts';
import {
  ARXIV_API_URL,
  buildArxivApiUrl,
  buildCategoryQuery,
  fetchArxivIds,
  harvestArxivApi,
  harvestArxivQuery,
  type ArxivApiPage,
} from '../../src/ingest/arxiv-api.ts';
import { parseAtomFeed } from '../../src/ingest/arxiv-atom.ts';
import { createPoliteFetch } from '../../src/ingest/http.ts';
import { fakeClock, loadAtomRecordings, replayFetch } from '../helpers/arxiv-replay.ts';

const ids = (records: SourceRecord[]) =>
  records.map((r) => (r.ok ? `${r.paper.arxivId}v${r.paper.version}` : r.reason));

async function collect(gen: AsyncGenerator<ArxivApiPage>): Promise<ArxivApiPage[]> {
  const pages: ArxivApiPage[] = [];
  for await (const page of gen) pages.push(page);
  return pages;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const emptyFeed = (total: number) =>
  `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>${total}</opensearch:totalResults></feed>`;

describe('query building', () => {
  it('builds the category and date-range query', () => {
    expect(buildCategoryQuery(['cs.CL', 'cs.LG'], '2026-11-01', '2026-11-28')).toBe(
      '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202611010000 TO 202611282359]',
    );
  });

  it('refuses bad dates and categories with BAD_INPUT', () => {
    expect(() => buildCategoryQuery(['cs.CL'], '2026/11/01', '2026-11-28')).toThrow(
      /since "2026\/11\/01" is not a YYYY-MM-DD date/,
    );
    expect(() => buildCategoryQuery([], '2026-11-01', '2026-11-28')).toThrow(AppError);
    expect(() => buildCategoryQuery(['cs.CL OR 1'], '2026-11-01', '2026-11-28')).toThrow(
      /Not arXiv categories/,
    );
  });

  it('encodes the query the way arXiv expects', () => {
    const url = buildArxivApiUrl(ARXIV_API_URL, {
      searchQuery: buildCategoryQuery(['cs.CL'], '2026-11-01', '2026-11-02'),
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
      start: 200,
      maxResults: 100,
    });
    expect(url).toBe(
      'https://export.arxiv.org/api/query?search_query=%28cat%3Acs.CL%29+AND+submittedDate%3A%5B202611010000+TO+202611022359%5D' +
        '&id_list=&sortBy=submittedDate&sortOrder=ascending&start=200&max_results=100',
    );
    expect(new URL(url).searchParams.get('search_query')).toBe(
      '(cat:cs.CL) AND submittedDate:[202611010000 TO 202611022359]',
    );
  });
});

describe('harvestArxivApi', () => {
  it('asks for the category range sorted by submission date, until today by default', async () => {
    const asked: string[] = [];
    const get = async (url: string) => {
      asked.push(url);
      return emptyFeed(0);
    };
    const now = () => new Date('2026-11-28T15:00:00Z');
    const pages = await collect(
      harvestArxivApi({
        categories: ['cs.CL', 'cs.LG'],
        since: '2026-11-01',
        baseUrl: ARXIV_API_URL,
        get,
        now,
        pageSize: 50,
      }),
    );
    expect(pages).toEqual([{ records: [], checkpoint: '50', done: true, total: 0 }]);
    const params = new URL(asked[0]!).searchParams;
    expect(params.get('search_query')).toBe(
      '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202611010000 TO 202611282359]',
    );
    expect([
      params.get('sortBy'),
      params.get('sortOrder'),
      params.get('start'),
      params.get('max_results'),
    ]).toEqual(['submittedDate', 'ascending', '0', '50']);
  });

  it('fetches an empty page again, then fails with the checkpoint to resume from', async () => {
    let calls = 0;
    const get = async () => {
      calls++;
      return emptyFeed(500);
    };
    const err = await failure(
      collect(
        harvestArxivApi({
          categories: ['cs.CL'],
          since: '2026-11-01',
          until: '2026-11-02',
          baseUrl: ARXIV_API_URL,
          get,
          startAt: 300,
        }),
      ),
    );
    expect(calls).toBe(3);
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/empty page at start 300 of 500 results.*resumes from checkpoint 300/);
  });
});

describe('replayed export-API responses', () => {
  const recordings = loadAtomRecordings();
  const setup = () => {
    const fetch = replayFetch(recordings);
    const clock = fakeClock();
    const get = createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now });
    return { fetch, clock, get };
  };
  const testing = {
    searchQuery: 'testing',
    sortBy: 'relevance',
    sortOrder: 'descending',
    baseUrl: ARXIV_API_URL,
  } as const;

  it('pages through six recorded pages of 10, politely, in the same order as one page of 100', async () => {
    const { fetch, clock, get } = setup();
    const pages = await collect(harvestArxivQuery({ ...testing, get, pageSize: 10, limit: 60 }));
    expect(pages.map((p) => p.checkpoint)).toEqual(['10', '20', '30', '40', '50', '60']);
    expect(pages.map((p) => p.done)).toEqual([false, false, false, false, false, true]);
    expect(pages.every((p) => p.total === 214881 && p.records.length === 10)).toBe(true);
    const oneBigPage = parseAtomFeed(
      recordings.get(buildArxivApiUrl(ARXIV_API_URL, { ...testing, start: 0, maxResults: 100 }))!.body,
      'x',
    );
    expect(ids(pages.flatMap((p) => p.records))).toEqual(ids(oneBigPage.records).slice(0, 60));
    expect(fetch.requested).toHaveLength(6);
    expect(clock.sleeps).toEqual([3000, 3000, 3000, 3000, 3000]);
  });

  it('resumes from a checkpoint and stops at the limit', async () => {
    const { fetch, get } = setup();
    const pages = await collect(harvestArxivQuery({ ...testing, get, pageSize: 10, startAt: 30, limit: 50 }));
    expect(fetch.requested.map((u) => new URL(u).searchParams.get('start'))).toEqual(['30', '40']);
    expect(ids(pages[0]!.records)[0]).toBe(
      ids(parseAtomFeed(recordings.get(fetch.requested[0]!)!.body, 'x').records)[0],
    );
    expect(pages.at(-1)).toMatchObject({ checkpoint: '50', done: true });
  });

  it('agrees across overlapping recorded pages (start 5 of 15 vs start 9 of 15)', async () => {
    const { get } = setup();
    const [a] = await collect(harvestArxivQuery({ ...testing, get, pageSize: 15, startAt: 5, limit: 20 }));
    const [b] = await collect(harvestArxivQuery({ ...testing, get, pageSize: 15, startAt: 9, limit: 24 }));
    expect(ids(a!.records).slice(4)).toEqual(ids(b!.records).slice(0, 11));
  });

  it('fetches by id list, reporting ids arXiv does not have', async () => {
    const { fetch, get } = setup();
    const result = await fetchArxivIds(['0808.05394', 'arXiv:1707.08567'], { baseUrl: ARXIV_API_URL, get });
    expect(ids(result.records)).toEqual(['1707.08567v1']);
    expect(result.missing).toEqual(['0808.05394']);
    expect(fetch.requested).toHaveLength(1);
  });

  it('fetches old-style and versioned ids given as URLs', async () => {
    const { get } = setup();
    const old = await fetchArxivIds(['https://arxiv.org/abs/quant-ph/0201082v1'], {
      baseUrl: ARXIV_API_URL,
      get,
    });
    expect(ids(old.records)).toEqual(['quant-ph/0201082v1']);
    const bare = await fetchArxivIds(['2104.12255v1'], { baseUrl: ARXIV_API_URL, get });
    expect(bare.records[0]).toMatchObject({ ok: true, paper: { title: '0' } });
  });

  it('rejects strings that are not arXiv ids before asking arXiv', async () => {
    const { fetch, get } = setup();
    const err = await failure(fetchArxivIds(['abc', '2503.11677'], { baseUrl: ARXIV_API_URL, get }));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/^Not arXiv ids: "abc"\./);
    expect(fetch.requested).toEqual([]);
  });

  it("explains arXiv's HTTP 400 with the message from its error feed, without retrying", async () => {
    const { fetch, clock, get } = setup();
    const url =
      'https://export.arxiv.org/api/query?search_query=&id_list=abc&sortBy=relevance&sortOrder=descending&start=0&max_results=100';
    const err = await failure(get(url));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe(`The server refused ${url} (HTTP 400): incorrect id format for abc.`);
    expect(fetch.requested).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});
