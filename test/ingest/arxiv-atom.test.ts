// The export-API Atom parser on every recorded arXiv response, plus broken and hand-made feeds.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperInput, SourceRecord } from '../../src/domain/index.ts';
import { AppError } from '../../src/errors.ts';
import { atomErrorMessage, parseAtomFeed } from '../../src/ingest/arxiv-atom.ts';
import { parseOaiListRecords } from '../../src/ingest/arxiv-oai.ts';
import { parseArxivListing } from '../../src/ingest/arxiv-rss.ts';
import { child, parseXml, repairMojibake, textOf } from '../../src/ingest/xml.ts';
import { fixturePath } from '../helpers/fixtures.ts';

const DIR = fixturePath('arxiv', 'atom-api');
const read = (prefix: string): string => {
  const name = readdirSync(DIR).find((f) => f.startsWith(prefix) && f.endsWith('.xml'));
  if (name === undefined) throw new Error(`no fixture ${prefix}*`);
  return readFileSync(join(DIR, name), 'utf8');
};
const papers = (records: SourceRecord[]): PaperInput[] =>
  records.map((r) => (r.ok ? r.paper : expect.fail(`${r.location}: ${r.reason}`)));
const only = (prefix: string): PaperInput => {
  const list = papers(parseAtomFeed(read(prefix), prefix).records);
  expect(list).toHaveLength(1);
  return list[0]!;
};

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseAtomFeed on recorded export-API responses', () => {
  it('parses every recorded feed: one accepted record per entry, counts from opensearch', () => {
    for (const name of readdirSync(DIR).filter((f) => f.endsWith('.xml') && !f.startsWith('id_abc'))) {
      const xml = readFileSync(join(DIR, name), 'utf8');
      const page = parseAtomFeed(xml, name);
      expect(page.records.length, name).toBe((xml.match(/<entry>/g) ?? []).length);
      expect(
        page.records.every((r) => r.ok),
        name,
      ).toBe(true);
      expect(page.totalResults, name).toBe(Number(/<opensearch:totalResults>(\d+)/.exec(xml)?.[1]));
    }
  });

  it('puts the primary category first, as arxiv:primary_category says, on every entry', () => {
    const xml = read('q_testing_s0_m100');
    const primaries = [...xml.matchAll(/<arxiv:primary_category term="([^"]+)"/g)].map((m) => m[1]);
    const firsts = papers(parseAtomFeed(xml, 'q').records).map((p) => p.categories[0]);
    expect(primaries).toHaveLength(100);
    expect(firsts).toEqual(primaries);
  });

  it('reads ids, versions, paging counts, DOI and journal ref from a search page', () => {
    const page = parseAtomFeed(read('q_testing_s10_m10'), 'arXiv API');
    expect([page.totalResults, page.startIndex, page.itemsPerPage]).toEqual([214881, 10, 10]);
    const first = parseAtomFeed(read('q_testing_s0_m10'), 'arXiv API');
    expect(first.records[0]!.location).toBe('arXiv API entry 1 (2202.12139v1)');
    const p = papers(first.records)[0]!;
    expect(p).toMatchObject({
      arxivId: '2202.12139',
      version: 1,
      doi: '10.1109/icstw55395.2022.00035',
      title: 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
      authors: ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker'],
      categories: ['cs.SE', 'cs.LG'],
      published: '2022-02-24',
      comment: 'Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022',
      absUrl: 'https://arxiv.org/abs/2202.12139v1',
      pdfUrl: 'https://arxiv.org/pdf/2202.12139v1',
    });
    expect(p.journalRef).toMatch(/^Artificial Intelligence in Software Testing @ 2022 IEEE/);
    expect(p.abstract).toMatch(/^Deep Learning \(DL\) has revolutionized .* discuss its results\.$/);
  });

  it('keeps all 34 authors of 1707.08567 in order and repairs the double-encoded "Wübben"', () => {
    const p = only('id_1707.08567');
    expect(p.authors).toHaveLength(34);
    expect(p.authors[0]).toBe('Kees A. Schouhamer Immink');
    expect(p.authors[4]).toBe('Peter H. N. de With');
    expect(p.authors[32]).toBe('Dirk Wübben');
    expect(p.authors[33]).toBe('Hirosuke Yamamoto');
    expect(p).toMatchObject({
      categories: ['cs.IT'],
      published: '2017-07-27',
      updated: '2017-07-27',
      doi: null,
    });
  });

  it('reads old-style ids, secondary categories and journal refs', () => {
    expect(only('id_astro-ph_0601001')).toMatchObject({
      arxivId: 'astro-ph/0601001',
      version: 1,
      authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
      journalRef: 'ActaAstron.56:1-50,2006',
      published: '2006-01-02',
      pdfUrl: 'https://arxiv.org/pdf/astro-ph/0601001v1',
    });
    expect(only('id_quant-ph_0201082v1')).toMatchObject({
      arxivId: 'quant-ph/0201082',
      categories: ['quant-ph', 'cs.PL'],
    });
    expect(only('id_1605.08386')).toMatchObject({
      categories: ['math.CO', 'math.ST'],
      authors: ['Caprice Stanley', 'Tobias Windisch'],
    });
  });

  it('keeps a title of "0" as text, not a number or an empty title', () => {
    expect(only('id_2104.12255v1')).toMatchObject({
      arxivId: '2104.12255',
      title: '0',
      authors: ['Quan Thoi Minh Nguyen'],
    });
  });

  it('decodes entities and collapses the leading spaces of old abstracts', () => {
    expect(only('id_astro-ph_0601001').abstract).toMatch(
      /^We derive .*Gould & Morgan \(2003\).*V_max<17\.5\./,
    );
  });

  it('returns no records for an id arXiv does not have', () => {
    const page = parseAtomFeed(read('id_0000.0000'), 'lookup');
    expect(page.records).toEqual([]);
    expect(page.totalResults).toBe(0);
  });

  it("turns arXiv's error feed (HTTP 400 for id abc) into BAD_INPUT with arXiv's message", () => {
    const err = thrown(() => parseAtomFeed(read('id_abc'), 'arXiv API lookup'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe('arXiv API lookup: arXiv rejected the query: incorrect id format for abc.');
    expect(atomErrorMessage(read('id_abc'))).toBe('incorrect id format for abc');
    expect(atomErrorMessage(read('id_1605.08386'))).toBeNull();
  });

  it('reports truncated XML as SOURCE_UNREADABLE naming the source and the line', () => {
    const xml = read('q_testing_s0_m10');
    const err = thrown(() => parseAtomFeed(xml.slice(0, Math.floor(xml.length / 2)), 'arXiv API (start 0)'));
    expect(err.code).toBe('SOURCE_UNREADABLE');
    expect(err.message).toMatch(/^arXiv API \(start 0\) is not readable XML: .* at line \d+/);
  });
});

describe('parseAtomFeed on hand-made input', () => {
  const feed = (entries: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>${entries}</feed>`;

  it('rejects an entry without an arXiv id and one without a title, keeping the rest', () => {
    const page = parseAtomFeed(
      feed(
        '<entry><id>http://example.org/x</id><title>T</title></entry>' +
          '<entry><id>http://arxiv.org/abs/2503.11677v2</id><title> </title></entry>' +
          '<entry><id>http://arxiv.org/abs/2503.11678v1</id><title>Fine</title><author><name>A B</name></author></entry>',
      ),
      'mini',
    );
    expect(page.records.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'entry id "http://example.org/x" is not an arXiv id',
      'record has no title',
      'ok',
    ]);
    expect(page.records[1]!.location).toBe('mini entry 2 (2503.11677v2)');
    expect(page.totalResults).toBe(2);
    expect(page.startIndex).toBeNull();
  });

  it('moves the primary category to the front when arXiv lists it later', () => {
    const page = parseAtomFeed(
      feed(
        '<entry><id>http://arxiv.org/abs/2503.11677v2</id><title>T</title><category term="cs.AI"/><category term="cs.CL"/>' +
          '<arxiv:primary_category term="cs.CL"/><arxiv:doi>10.1000/ABC, 10.1000/def</arxiv:doi></entry>',
      ),
      'mini',
    );
    expect(page.records[0]).toMatchObject({
      ok: true,
      paper: { categories: ['cs.CL', 'cs.AI'], doi: '10.1000/abc', version: 2 },
    });
  });

  it('says what is wrong with empty, HTML and non-Atom bodies', () => {
    expect(thrown(() => parseAtomFeed('', 'src')).message).toBe(
      'src is not readable XML: the response is empty.',
    );
    expect(
      thrown(() => parseAtomFeed('<!DOCTYPE html><html><body>Rate limited</body></html>', 'src')).message,
    ).toMatch(/HTML page/);
    expect(thrown(() => parseAtomFeed('<rss><channel/></rss>', 'src')).message).toMatch(/not an Atom feed/);
    expect(thrown(() => parseAtomFeed('<feed><entry></feed>', 'src')).code).toBe('SOURCE_UNREADABLE');
  });
});

describe('XML entity declarations in any arXiv response', () => {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "${'a'.repeat(10_000)}">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${'&a;'.repeat(5000)}</title></feed>`;

  it('refuses a DOCTYPE or ENTITY in the Atom, OAI-PMH and listing parsers instead of expanding it', () => {
    for (const parse of [parseAtomFeed, parseOaiListRecords, parseArxivListing]) {
      const err = thrown(() => parse(laughs, 'arXiv API'));
      expect(err.code).toBe('SOURCE_UNREADABLE');
      expect(err.message).toBe(
        'arXiv API is not readable XML: it declares a DOCTYPE or entities, which arXiv feeds never do (refused, so no entity is expanded).',
      );
    }
    expect(thrown(() => parseAtomFeed('<!-- x --><!doctype feed><feed/>', 's')).message).toMatch(/DOCTYPE/);
  });

  it('still reads predefined entities, and reads "<!DOCTYPE" as literal CDATA text', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A &amp; B</title>
      <subtitle><![CDATA[<!DOCTYPE is text here]]></subtitle></feed>`;
    expect(parseAtomFeed(xml, 's').records).toEqual([]);
    expect(textOf(child(parseXml(xml, 's'), 'feed')?.title)).toBe('A & B');
  });

  it('does not quote an HTML page it was given', () => {
    expect(thrown(() => parseAtomFeed('<html><body>INTERNAL-SECRET</body></html>', 'src')).message).toBe(
      'src is not readable XML: it is an HTML page, not XML.',
    );
  });
});

describe('repairMojibake', () => {
  it('fixes UTF-8 read as Latin-1 and leaves genuine text alone', () => {
    expect(repairMojibake('Dirk WÃ¼bben')).toBe('Dirk Wübben');
    expect(repairMojibake('FranÃ§ois MÃ¼ller')).toBe('François Müller');
    expect(repairMojibake('Müller, café, Ångström')).toBe('Müller, café, Ångström');
    expect(repairMojibake('Â½ is not ½ here → keep')).toBe('Â½ is not ½ here → keep');
  });
});
