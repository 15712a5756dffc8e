// The daily listing parser on hand-written RSS and Atom feeds shaped like rss.arxiv.org.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperInput, SourceRecord } from '../../src/domain/index.ts';
import { AppError } from '../../src/errors.ts';
import {
  ARXIV_RSS_URL,
  harvestArxivListing,
  parseArxivListing,
  type ListingPage,
} from '../../src/ingest/arxiv-rss.ts';

const fixture = (name: string) =>
  readFileSync(resolve(import.meta.dirname, '../fixtures/arxiv-rss', name), 'utf8');
const accepted = (records: SourceRecord[]): PaperInput[] => records.flatMap((r) => (r.ok ? [r.paper] : []));

describe('parseArxivListing (RSS 2.0)', () => {
  const listing = parseArxivListing(fixture('cs.CL.rss.xml'), 'arXiv listing cs.CL');
  const [fresh, cross, replaced, replacedCross] = accepted(listing.records);

  it('reads the announcement day and how each paper was announced', () => {
    expect(listing.announced).toBe('2025-11-18');
    expect([...listing.announceTypes]).toEqual([
      ['2511.01234', 'new'],
      ['2511.01301', 'cross'],
      ['2509.04410', 'replace'],
      ['2407.11002', 'replace-cross'],
    ]);
  });

  it('splits the description into id, version and abstract', () => {
    expect(fresh).toMatchObject({
      arxivId: '2511.01234',
      version: 1,
      absUrl: 'https://arxiv.org/abs/2511.01234v1',
    });
    expect(fresh!.abstract).toBe(
      'We measure how subword vocabularies trained on high-resource languages fragment words in 41 low-resource languages, and show that a 12% drop in fertility predicts a 3.1 BLEU gain.',
    );
    expect(replaced).toMatchObject({ arxivId: '2509.04410', version: 3 });
  });

  it('dates new papers and cross-lists, but not replacements', () => {
    expect([fresh, cross, replaced, replacedCross].map((p) => p!.announced)).toEqual([
      '2025-11-18',
      '2025-11-18',
      null,
      null,
    ]);
  });

  it('splits comma- and "and"-separated bylines and keeps category order', () => {
    expect(fresh!.authors).toEqual(['Marta Quintero', 'Olu Adebayo', 'Hye-jin Park']);
    expect(replacedCross!.authors).toEqual(['Ana Sofia Ribeiro', 'Tomás Ibarra', 'Kenji Mori']);
    expect(cross!.categories).toEqual(['cs.IR', 'cs.CL']);
    expect(replacedCross!.categories).toEqual(['eess.AS', 'cs.CL', 'cs.SD']);
  });

  it('decodes entities and reads license, DOI and journal reference', () => {
    expect(cross!.title).toBe('Retrieval & Reasoning: A Benchmark for $k$-hop Questions over Tables');
    expect(cross!.abstract).toContain('$k \\geq 3$ hops & report');
    expect(fresh!.license).toBe('http://creativecommons.org/licenses/by/4.0/');
    expect(replaced).toMatchObject({
      doi: '10.18653/v1/2026.findings-xx.17',
      journalRef: 'Findings of the Association for Computational Linguistics 2026',
    });
  });

  it('rejects an item without an arXiv id, with its place in the feed', () => {
    expect(listing.records).toHaveLength(5);
    expect(listing.records[4]).toEqual({
      ok: false,
      reason: 'item carries no arXiv id in its description or guid',
      location: 'arXiv listing cs.CL item 5 (listing-note-1)',
    });
  });
});

describe('parseArxivListing (Atom)', () => {
  const listing = parseArxivListing(fixture('cs.CL.atom.xml'), 'arXiv listing cs.CL (atom)');
  const [fresh, replaced] = accepted(listing.records);

  it('reads entries, authors from <author> or dc:creator, and the day', () => {
    expect(listing.announced).toBe('2025-11-19');
    expect(fresh).toMatchObject({
      arxivId: '2511.02468',
      version: 1,
      authors: ['Lea Hoffmann', 'Rafael Costa'],
      categories: ['cs.CL', 'cs.AI'],
      announced: '2025-11-19',
    });
    expect(replaced).toMatchObject({
      arxivId: '2502.13579',
      version: 4,
      authors: ['Amara Okafor', 'Liang Chen'],
      announced: null,
    });
    expect(listing.records[1]!.location).toBe('arXiv listing cs.CL (atom) item 2 (2502.13579v4)');
  });
});

describe('parseArxivListing edge cases', () => {
  it('gives no records for a day without announcements', () => {
    const xml =
      '<rss version="2.0"><channel><title>cs.CL updates on arXiv.org</title><pubDate>Sat, 22 Nov 2025 00:00:00 -0500</pubDate></channel></rss>';
    expect(parseArxivListing(xml, 'l')).toEqual({
      records: [],
      announced: '2025-11-22',
      announceTypes: new Map(),
    });
  });

  it('reports truncated and foreign XML clearly', () => {
    const xml = fixture('cs.CL.rss.xml');
    expect(() => parseArxivListing(xml.slice(0, 2000), 'arXiv listing cs.CL')).toThrow(
      /^arXiv listing cs\.CL is not readable XML: .*line/,
    );
    expect(() => parseArxivListing('<OAI-PMH/>', 'l')).toThrow(AppError);
  });
});

describe('harvestArxivListing', () => {
  it('asks for all categories in one request and yields one finished page', async () => {
    const asked: string[] = [];
    const get = async (url: string) => {
      asked.push(url);
      return fixture('cs.CL.rss.xml');
    };
    const pages: ListingPage[] = [];
    for await (const page of harvestArxivListing({
      baseUrl: ARXIV_RSS_URL,
      categories: ['cs.CL', 'cs.LG'],
      get,
    }))
      pages.push(page);
    expect(asked).toEqual(['https://rss.arxiv.org/rss/cs.CL+cs.LG']);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ done: true, checkpoint: null, announced: '2025-11-18' });
    expect(pages[0]!.records[0]!.location).toBe('arXiv listing cs.CL+cs.LG item 1 (2511.01234v1)');
  });
});
