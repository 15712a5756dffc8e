// Parses the arXiv export API's Atom feed (2026 format) into source records and paging counts.
import { emptyPaperInput, type PaperInput, type SourceRecord } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { arxivLinks, authorName, firstDoi, orderCategories, shortId, toRecord } from './arxiv-fields.ts';
import { cleanOptional, cleanText, isoDate, parseArxivId } from './normalize.ts';
import { attr, child, childNodes, children, childText, parseXml, type XmlNode } from './xml.ts';

/** One page of export-API results. */
export interface AtomFeedPage {
  records: SourceRecord[];
  /** opensearch counts; null when the feed omits them. */
  totalResults: number | null;
  startIndex: number | null;
  itemsPerPage: number | null;
}

const ERROR_ID = /\/api\/errors(?:#|$)/;

/**
 * Parses one export-API response. A feed whose entry is an arXiv error ("incorrect id format
 * for abc") throws AppError('BAD_INPUT') with arXiv's message; malformed XML throws
 * AppError('SOURCE_UNREADABLE'); an entry without a usable id or title becomes a rejection.
 * @example parseAtomFeed(xml, 'arXiv API').records[0].location // 'arXiv API entry 1 (1707.08567v1)'
 */
export function parseAtomFeed(xml: string, sourceName: string): AtomFeedPage {
  const feed = child(parseXml(xml, sourceName), 'feed');
  if (feed === undefined)
    throw new AppError('SOURCE_UNREADABLE', `${sourceName} is XML but not an Atom feed (no <feed> element).`);
  const entries = childNodes(feed, 'entry');
  const error = entries.find(isErrorEntry);
  if (error !== undefined) {
    throw new AppError(
      'BAD_INPUT',
      `${sourceName}: arXiv rejected the query: ${cleanText(childText(error, 'summary'))}.`,
    );
  }
  return {
    records: entries.map((e, i) =>
      entryToRecord(e, `${sourceName} entry ${i + 1} (${shortId(childText(e, 'id'))})`),
    ),
    totalResults: count(feed, 'totalResults'),
    startIndex: count(feed, 'startIndex'),
    itemsPerPage: count(feed, 'itemsPerPage'),
  };
}

/**
 * The message of an arXiv API error feed, or null when the body is not one. Used to explain
 * HTTP 400 responses, whose body is such a feed.
 * @example atomErrorMessage(errorFeedXml) // 'incorrect id format for abc'
 */
export function atomErrorMessage(xml: string): string | null {
  try {
    const feed = child(parseXml(xml, 'error body'), 'feed');
    const error = childNodes(feed, 'entry').find(isErrorEntry);
    return error === undefined ? null : cleanOptional(childText(error, 'summary'));
  } catch {
    return null;
  }
}

function isErrorEntry(entry: XmlNode): boolean {
  return ERROR_ID.test(childText(entry, 'id') ?? '');
}

function count(feed: XmlNode, name: string): number | null {
  const raw = childText(feed, name);
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function entryToRecord(entry: XmlNode, location: string): SourceRecord {
  const rawId = childText(entry, 'id');
  const parsed = rawId === null ? null : parseArxivId(rawId);
  if (parsed === null) return { ok: false, reason: `entry id "${rawId ?? ''}" is not an arXiv id`, location };
  return toRecord(entryToPaper(entry, parsed.id, parsed.version), location);
}

function entryToPaper(entry: XmlNode, id: string, version: number | null): PaperInput {
  const primary = attr(child(entry, 'primary_category'), 'term');
  const categories = children(entry, 'category').map((c) => attr(c, 'term') ?? '');
  return {
    ...emptyPaperInput(),
    arxivId: id,
    version,
    doi: firstDoi(childText(entry, 'doi')),
    title: cleanText(childText(entry, 'title')),
    abstract: cleanText(childText(entry, 'summary')),
    authors: childNodes(entry, 'author')
      .map((a) => authorName(childText(a, 'name')))
      .filter((n): n is string => n !== null),
    categories: orderCategories(primary, categories),
    published: isoDate(childText(entry, 'published')),
    updated: isoDate(childText(entry, 'updated')),
    comment: cleanOptional(childText(entry, 'comment')),
    journalRef: cleanOptional(childText(entry, 'journal_ref')),
    license: cleanOptional(childText(entry, 'license')) ?? cleanOptional(childText(entry, 'rights')),
    ...entryLinks(entry, id, version),
  };
}

function entryLinks(entry: XmlNode, id: string, version: number | null): { absUrl: string; pdfUrl: string } {
  const fallback = arxivLinks(id, version);
  let absUrl: string | null = null;
  let pdfUrl: string | null = null;
  for (const link of children(entry, 'link')) {
    const href = attr(link, 'href');
    if (href === null) continue;
    if (attr(link, 'rel') === 'alternate' && attr(link, 'type') === 'text/html') absUrl ??= href;
    if (attr(link, 'title') === 'pdf' || attr(link, 'type') === 'application/pdf') pdfUrl ??= href;
  }
  return { absUrl: absUrl ?? fallback.absUrl, pdfUrl: pdfUrl ?? fallback.pdfUrl };
}
