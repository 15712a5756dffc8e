// Parses arXiv's daily announcement feeds (rss.arxiv.org, RSS 2.0 or Atom) into source records.
import { emptyPaperInput, type SourceRecord } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import {
  arxivLinks,
  authorName,
  firstDoi,
  orderCategories,
  shortId,
  splitByline,
  toRecord,
} from './arxiv-fields.ts';
import { cleanOptional, cleanText, isoDate, parseArxivId } from './normalize.ts';
import { attr, child, childNodes, childText, childTexts, parseXml, type XmlNode } from './xml.ts';

/** The listing feed base; append a category or several joined with "+" (cs.CL+cs.LG). */
export const ARXIV_RSS_URL = 'https://rss.arxiv.org/rss';

/** Why a paper is in today's listing: first appearance, cross-list, or a new version. */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface ArxivListing {
  records: SourceRecord[];
  /** The announcement day (YYYY-MM-DD) of the listing, or null when the feed does not say. */
  announced: string | null;
  /** How each listed paper was announced, by arXiv id. */
  announceTypes: Map<string, AnnounceType>;
}

/** The fields RSS items and Atom entries share, read from either shape. */
interface ListingItem {
  title: string | null;
  description: string | null;
  guid: string | null;
  categories: string[];
  date: string | null;
  announceType: string | null;
  authors: string[];
  license: string | null;
  doi: string | null;
  journalRef: string | null;
}

const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?([\s\S]*)$/;
const TYPES: readonly string[] = ['new', 'cross', 'replace', 'replace-cross'];

/**
 * Parses one listing feed. New papers and cross-lists get `announced` set to the listing day;
 * replacements leave it null, since a new version is not a new paper (the store keeps the
 * first announcement). Items without an arXiv id become rejections.
 * @example parseArxivListing(xml, 'arXiv listing cs.CL').announced // '2025-11-18'
 */
export function parseArxivListing(xml: string, sourceName: string): ArxivListing {
  const doc = parseXml(xml, sourceName);
  const channel = child(child(doc, 'rss'), 'channel');
  const feed = child(doc, 'feed');
  if (channel === undefined && feed === undefined) {
    throw new AppError(
      'SOURCE_UNREADABLE',
      `${sourceName} is XML but neither an RSS channel nor an Atom feed.`,
    );
  }
  const items =
    channel !== undefined
      ? childNodes(channel, 'item').map(fromRss)
      : childNodes(feed, 'entry').map(fromAtom);
  const listingDate = isoDate(
    channel !== undefined ? childText(channel, 'pubDate') : childText(feed, 'updated'),
  );
  const listing: ArxivListing = { records: [], announced: listingDate, announceTypes: new Map() };
  items.forEach((item, i) => {
    const record = itemToRecord(item, listingDate, `${sourceName} item ${i + 1}`);
    listing.records.push(record);
    const type = item.announceType;
    if (record.ok && record.paper.arxivId !== null && type !== null && TYPES.includes(type)) {
      listing.announceTypes.set(record.paper.arxivId, type as AnnounceType);
    }
  });
  return listing;
}

function fromRss(item: XmlNode): ListingItem {
  return {
    title: childText(item, 'title'),
    description: childText(item, 'description'),
    guid: childText(item, 'guid') ?? childText(item, 'link'),
    categories: childTexts(item, 'category'),
    date: childText(item, 'pubDate'),
    announceType: cleanOptional(childText(item, 'announce_type')),
    authors: childTexts(item, 'creator').flatMap(splitByline),
    license: cleanOptional(childText(item, 'rights')),
    doi: childText(item, 'DOI') ?? childText(item, 'doi'),
    journalRef: cleanOptional(childText(item, 'journal_reference') ?? childText(item, 'journal_ref')),
  };
}

function fromAtom(entry: XmlNode): ListingItem {
  const named = childNodes(entry, 'author').flatMap((a) => childTexts(a, 'name'));
  return {
    title: childText(entry, 'title'),
    description: childText(entry, 'summary'),
    guid: childText(entry, 'id'),
    categories: childNodes(entry, 'category').map((c) => attr(c, 'term') ?? ''),
    date: childText(entry, 'published') ?? childText(entry, 'updated'),
    announceType: cleanOptional(childText(entry, 'announce_type')),
    authors:
      named.length > 1
        ? named.flatMap((n) => authorName(n) ?? [])
        : [...named, ...childTexts(entry, 'creator')].flatMap(splitByline),
    license: cleanOptional(childText(entry, 'rights')),
    doi: childText(entry, 'DOI') ?? childText(entry, 'doi'),
    journalRef: cleanOptional(childText(entry, 'journal_reference') ?? childText(entry, 'journal_ref')),
  };
}

function itemToRecord(item: ListingItem, listingDate: string | null, where: string): SourceRecord {
  const m = DESCRIPTION.exec(item.description ?? '');
  const parsed = parseArxivId(m?.[1] ?? item.guid ?? '');
  const location = `${where} (${shortId(m?.[1] ?? item.guid)})`;
  if (parsed === null)
    return { ok: false, reason: 'item carries no arXiv id in its description or guid', location };
  const type = m?.[2] ?? item.announceType;
  const isNewPaper = type === 'new' || type === 'cross';
  return toRecord(
    {
      ...emptyPaperInput(),
      arxivId: parsed.id,
      version: parsed.version,
      doi: firstDoi(item.doi),
      title: cleanText(item.title),
      abstract: cleanText(m?.[3] ?? item.description),
      authors: item.authors,
      categories: orderCategories(null, item.categories),
      announced: isNewPaper ? (isoDate(item.date) ?? listingDate) : null,
      journalRef: item.journalRef,
      license: item.license,
      ...arxivLinks(parsed.id, parsed.version),
    },
    location,
  );
}

/** One fetched listing, shaped like the other harvesters' pages. */
export interface ListingPage extends ArxivListing {
  checkpoint: null;
  done: true;
}

/**
 * Fetches today's listing for the categories in one request (arXiv merges "cs.CL+cs.LG" and
 * lists each paper once) and yields it as a single page.
 */
export async function* harvestArxivListing(opts: {
  baseUrl: string;
  categories: string[];
  get: (url: string) => Promise<string>;
}): AsyncGenerator<ListingPage> {
  if (opts.categories.length === 0)
    throw new AppError('BAD_INPUT', 'Give at least one arXiv category for the daily listing, e.g. cs.CL.');
  const path = opts.categories.map((c) => encodeURIComponent(c.trim())).join('+');
  const listing = parseArxivListing(
    await opts.get(`${opts.baseUrl.replace(/\/+$/, '')}/${path}`),
    `arXiv listing ${opts.categories.join('+')}`,
  );
  yield { ...listing, checkpoint: null, done: true };
}
