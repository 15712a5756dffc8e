// OAI-PMH parsing (arXiv and oai_dc formats) on recorded responses, OAI errors, and token paging.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperInput, SourceRecord } from '../../src/domain/index.ts';
import { AppError } from '../../src/errors.ts';
import {
  ARXIV_OAI_URL,
  buildOaiUrl,
  harvestOai,
  parseOaiListRecords,
  type OaiHarvestPage,
} from '../../src/ingest/arxiv-oai.ts';
import { createPoliteFetch } from '../../src/ingest/http.ts';
import { fakeClock, replayFetch, type Recording } from '../helpers/arxiv-replay.ts';
import { fixturePath } from '../helpers/fixtures.ts';

const DIR = fixturePath('arxiv', 'oai-pmh');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const DC_PAGE = 'listrecords_oai_dc_cs_2024-01-25_with_resumptionToken.xml';
const unit = (n: string) => `tests__unit__responses__arxiv__sample_arxiv_record${n}.xml`;
const functional = (n: string) => `tests__functional__arxiv__fixtures__http_server__records__arxiv-${n}.xml`;
const papers = (records: SourceRecord[]): PaperInput[] =>
  records.map((r) => (r.ok ? r.paper : expect.fail(`${r.location}: ${r.reason}`)));
const one = (name: string) => papers(parseOaiListRecords(read(name), name).records)[0]!;

const oai = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-28T10:00:00Z</responseDate>${inner}</OAI-PMH>`;

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseOaiListRecords on recorded responses', () => {
  it('accepts every record in every recorded response', () => {
    for (const name of readdirSync(DIR)) {
      const xml = read(name);
      const page = parseOaiListRecords(xml, name);
      expect(page.records.length, name).toBe((xml.match(/<record>/g) ?? []).length);
      expect(
        page.records.filter((r) => !r.ok),
        name,
      ).toEqual([]);
    }
  });

  it('reads the oai_dc page: resumption token, list size, names in byline order, subjects as codes', () => {
    const page = parseOaiListRecords(read(DC_PAGE), 'arXiv OAI-PMH page 1');
    expect(page.resumptionToken).toBe('6960524|1001');
    expect(page.completeListSize).toBe(1162);
    expect(page.lastDatestamp).toBe('2024-01-26');
    expect(page.records[0]!.location).toBe('arXiv OAI-PMH page 1 record 1 (1303.2033)');
    const [first, second, , , fifth] = papers(page.records);
    expect(first).toMatchObject({
      arxivId: '1303.2033',
      title: 'Extended Fourier analysis of signals',
      authors: ['Vilnis Liepins'],
      categories: ['cs.DS', 'cs.IT', 'math.NA'],
      published: '2013-03-08',
      updated: '2024-01-23',
      comment: '32 pages, 9 figures',
      absUrl: 'https://arxiv.org/abs/1303.2033',
    });
    expect(first!.abstract).toMatch(/^This summary of the doctoral thesis .* real alternative\.$/);
    expect(second!.authors).toEqual([
      'Chuankun Li',
      'Shuai Li',
      'Yanbo Gao',
      'Ping Chen',
      'Jian Li',
      'Wanqing Li',
    ]);
    expect(second).toMatchObject({
      categories: ['cs.CV'],
      published: '2024-01-25',
      updated: null,
      comment: null,
    });
    expect(fifth).toMatchObject({
      arxivId: '2401.14040',
      categories: ['cs.CL'],
      comment: 'Accepted to the Findings of EACL 2024',
    });
  });

  it('reads the arXiv format: primary category first, DOI, journal ref, license, dates', () => {
    const p = one(functional('single'));
    expect(p).toMatchObject({
      arxivId: '1401.2122',
      authors: ['A. Sergyeyev'],
      title: 'New integrable (3+1)-dimensional systems and contact geometry',
      categories: ['math.AP', 'hep-th', 'math-ph', 'math.DG', 'math.MP', 'nlin.SI'],
      doi: '10.1007/s11005-017-1013-4',
      journalRef: 'Lett. Math. Phys. 108 (2018), no. 2, 359-376',
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      published: '2014-01-09',
      updated: '2017-10-23',
    });
    expect(p.abstract).toMatch(
      /^We introduce a novel systematic construction for integrable \(3\+1\)-dimensional dispersionless systems/,
    );
    expect(p.comment).toMatch(
      /^16 pages, LaTeX, no figures, revised and abridged, in this version \(v5\) the typos/,
    );
  });

  it('keeps author order and joins wrapped titles on a ListRecords page', () => {
    const page = parseOaiListRecords(read(functional('physics-hep-ex')), 'hep-ex');
    const [p] = papers(page.records);
    expect(page.resumptionToken).toBeNull();
    expect(p!.authors).toHaveLength(13);
    expect([p!.authors[0], p!.authors[12]]).toEqual(['Tyler Anderson', 'Mani Tripathi']);
    expect(p!.title).toBe(
      'Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors',
    );
    expect(p!.categories).toEqual(['physics.ins-det', 'hep-ex']);
  });

  it('copes with odd author records: no forenames, a stray ":", two keynames, a suffix', () => {
    expect(one(unit('0')).authors).toEqual([
      'Planck Collaboration',
      'Jieci Wang',
      'Zehua Tian',
      'Jiliang Jing',
      'Heng Fan',
    ]);
    expect(one(unit('0')).doi).toBe('10.1103/physrevd.93.016005');
    expect(one(unit('8')).authors.slice(0, 3)).toEqual([
      'Super-Kamiokande Collaboration',
      'K. Abe',
      'Y. Suzuki',
    ]);
    expect(one(unit('8')).authors).not.toContain(':');
    expect(one(unit('7')).authors).toEqual(['Curtis J. Saxton Walton', 'Ziri Younsi', 'Kinwah Wu']);
    expect(one(unit('4')).authors).toContain('R. W. IV');
  });
});

describe('parseOaiListRecords on OAI errors and deletions', () => {
  it('gives an empty page for noRecordsMatch', () => {
    const page = parseOaiListRecords(oai('<error code="noRecordsMatch">No records match</error>'), 'oai');
    expect(page).toMatchObject({ records: [], resumptionToken: null });
  });

  it('throws BAD_INPUT with a way out for an expired resumption token', () => {
    const err = thrown(() =>
      parseOaiListRecords(
        oai('<error code="badResumptionToken">Token 123|4 has expired</error>'),
        'arXiv OAI-PMH page 7',
      ),
    );
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(
      /^arXiv OAI-PMH page 7: OAI-PMH error badResumptionToken \(Token 123\|4 has expired\)\..*`from`/,
    );
    expect(
      thrown(() => parseOaiListRecords(oai('<error code="badArgument">Illegal set</error>'), 'o')).message,
    ).toContain('badArgument (Illegal set)');
  });

  it('lists deleted records apart and ends on an empty resumptionToken', () => {
    const xml = oai(
      '<ListRecords><record><header status="deleted"><identifier>oai:arXiv.org:2401.00001</identifier><datestamp>2026-11-27</datestamp></header></record>' +
        '<resumptionToken cursor="1000" completeListSize="1001"/></ListRecords>',
    );
    expect(parseOaiListRecords(xml, 'o')).toEqual({
      records: [],
      resumptionToken: null,
      completeListSize: 1001,
      deleted: ['2401.00001'],
      lastDatestamp: '2026-11-27',
    });
  });

  it('reports truncated XML as SOURCE_UNREADABLE naming the source', () => {
    const xml = oai('<ListRecords><record><header><identifier>oai:arXiv.org:2401.00001</identifier>');
    const err = thrown(() => parseOaiListRecords(xml.slice(0, -12), 'arXiv OAI-PMH page 3'));
    expect(err.code).toBe('SOURCE_UNREADABLE');
    expect(err.message).toMatch(/^arXiv OAI-PMH page 3 is not readable XML/);
  });
});

describe('harvestOai', () => {
  const lastPage = oai(
    '<ListRecords><record><header><identifier>oai:arXiv.org:2401.99999</identifier><datestamp>2024-01-27</datestamp></header>' +
      '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      '<dc:title>Last Page Paper</dc:title><dc:creator>Doe, Jane</dc:creator><dc:subject>Computer Science - Machine Learning</dc:subject>' +
      '<dc:date>2024-01-26</dc:date><dc:identifier>http://arxiv.org/abs/2401.99999</dc:identifier></oai_dc:dc></metadata></record>' +
      '<resumptionToken cursor="1001" completeListSize="1162"></resumptionToken></ListRecords>',
  );
  const first = 'https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=oai_dc&set=cs&from=2024-01-25';
  const next = 'https://oaipmh.arxiv.org/oai?verb=ListRecords&resumptionToken=6960524%7C1001';
  const recordings = () =>
    new Map<string, Recording>([
      [first, { status: 200, body: read(DC_PAGE) }],
      [next, { status: 200, body: lastPage }],
    ]);

  async function run(opts: Partial<Parameters<typeof harvestOai>[0]>) {
    const fetch = replayFetch(recordings());
    const clock = fakeClock();
    const get = createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now });
    const pages: OaiHarvestPage[] = [];
    for await (const page of harvestOai({ baseUrl: ARXIV_OAI_URL, metadataPrefix: 'oai_dc', get, ...opts }))
      pages.push(page);
    return { pages, fetch, clock };
  }

  it('follows the resumption token to the last page', async () => {
    const { pages, fetch, clock } = await run({ set: 'cs', from: '2024-01-25' });
    expect(fetch.requested).toEqual([first, next]);
    expect(pages.map((p) => [p.records.length, p.checkpoint, p.done, p.total])).toEqual([
      [5, '6960524|1001', false, 1162],
      [1, null, true, 1162],
    ]);
    expect(pages[1]!.records[0]).toMatchObject({
      ok: true,
      paper: { authors: ['Jane Doe'], categories: ['cs.LG'] },
    });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('resumes from a checkpoint with the token alone, as OAI-PMH requires', async () => {
    const { fetch, pages } = await run({ set: 'cs', from: '2024-01-25', resumptionToken: '6960524|1001' });
    expect(fetch.requested).toEqual([next]);
    expect(pages).toHaveLength(1);
  });

  it('builds first-request URLs with set and date bounds', () => {
    expect(
      buildOaiUrl({
        baseUrl: ARXIV_OAI_URL,
        metadataPrefix: 'arXiv',
        set: 'physics:hep-th',
        from: '2026-11-01',
        until: '2026-11-28',
      }),
    ).toBe(
      'https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=physics%3Ahep-th&from=2026-11-01&until=2026-11-28',
    );
  });
});
