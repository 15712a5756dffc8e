// Harvests arXiv's OAI-PMH interface (arXiv and oai_dc formats), following resumption tokens.
import { emptyPaperInput, type PaperInput, type SourceRecord } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { arxivLinks, authorName, firstDoi, orderCategories, toRecord } from './arxiv-fields.ts';
import { categoryFromSubject } from './arxiv-taxonomy.ts';
import { cleanOptional, cleanText, isoDate, parseArxivId } from './normalize.ts';
import { attr, child, childNodes, childText, childTexts, parseXml, textOf, type XmlNode } from './xml.ts';

/** arXiv's OAI-PMH endpoint. */
export const ARXIV_OAI_URL = 'https://oaipmh.arxiv.org/oai';

export type OaiMetadataPrefix = 'arXiv' | 'oai_dc';

/** One ListRecords (or GetRecord) response. */
export interface OaiPage {
  records: SourceRecord[];
  /** Token for the next page; null on the last page. */
  resumptionToken: string | null;
  completeListSize: number | null;
  /** arXiv ids whose header says status="deleted"; they carry no metadata. */
  deleted: string[];
  /** The latest header datestamp on the page, a safe `from` for the next incremental harvest. */
  lastDatestamp: string | null;
}

/**
 * Parses an OAI-PMH ListRecords or GetRecord response in the `arXiv` or `oai_dc` format.
 * noRecordsMatch gives an empty page; other OAI errors (badResumptionToken, badArgument...)
 * throw AppError('BAD_INPUT') with the server's message.
 * @example parseOaiListRecords(xml, 'arXiv OAI').resumptionToken // '6960524|1001'
 */
export function parseOaiListRecords(xml: string, sourceName: string): OaiPage {
  const root = child(parseXml(xml, sourceName), 'OAI-PMH');
  if (root === undefined)
    throw new AppError('SOURCE_UNREADABLE', `${sourceName} is XML but not an OAI-PMH response.`);
  const empty: OaiPage = {
    records: [],
    resumptionToken: null,
    completeListSize: null,
    deleted: [],
    lastDatestamp: null,
  };
  if (checkOaiErrors(root, sourceName) === 'no-records') return empty;
  const list = child(root, 'ListRecords') ?? child(root, 'GetRecord');
  if (list === undefined)
    throw new AppError('SOURCE_UNREADABLE', `${sourceName} has neither ListRecords nor GetRecord.`);
  const page: OaiPage = { ...empty, ...readToken(list) };
  childNodes(list, 'record').forEach((record, i) => {
    const header = child(record, 'header');
    const oaiId = childText(header, 'identifier') ?? '';
    const stamp = childText(header, 'datestamp');
    if (stamp !== null && (page.lastDatestamp === null || stamp > page.lastDatestamp))
      page.lastDatestamp = stamp;
    const location = `${sourceName} record ${i + 1} (${oaiId.replace(/^oai:arxiv\.org:/i, '') || 'no id'})`;
    if (attr(header, 'status') === 'deleted') page.deleted.push(parseArxivId(oaiId)?.id ?? oaiId);
    else page.records.push(recordToSource(child(record, 'metadata'), oaiId, location));
  });
  return page;
}

function checkOaiErrors(root: XmlNode, sourceName: string): 'no-records' | 'ok' {
  const errors = childNodes(root, 'error').map((e) => ({
    code: attr(e, 'code') ?? 'unknown',
    msg: cleanText(textOf(e)),
  }));
  if (errors.length === 0) return 'ok';
  if (errors.every((e) => e.code === 'noRecordsMatch')) return 'no-records';
  const text = errors.map((e) => `${e.code}${e.msg ? ` (${e.msg})` : ''}`).join('; ');
  const hint = errors.some((e) => e.code === 'badResumptionToken')
    ? ' The resumption token has expired or is wrong; start the harvest again with `from` set to the last datestamp seen.'
    : '';
  throw new AppError('BAD_INPUT', `${sourceName}: OAI-PMH error ${text}.${hint}`);
}

function readToken(list: XmlNode): Pick<OaiPage, 'resumptionToken' | 'completeListSize'> {
  const node = childNodes(list, 'resumptionToken')[0];
  const size = Number(attr(node, 'completeListSize') ?? NaN);
  return {
    resumptionToken: cleanOptional(textOf(node)),
    completeListSize: Number.isInteger(size) ? size : null,
  };
}

function recordToSource(metadata: XmlNode | undefined, oaiId: string, location: string): SourceRecord {
  const arxiv = child(metadata, 'arXiv');
  const dc = child(metadata, 'dc');
  const paper =
    arxiv !== undefined ? arxivFormatPaper(arxiv) : dc !== undefined ? dcFormatPaper(dc, oaiId) : null;
  if (paper === null) return { ok: false, reason: 'record has no arXiv or oai_dc metadata', location };
  if (typeof paper === 'string') return { ok: false, reason: paper, location };
  return toRecord(paper, location);
}

function arxivFormatPaper(meta: XmlNode): PaperInput | string {
  const parsed = parseArxivId(childText(meta, 'id') ?? '');
  if (parsed === null) return `id "${childText(meta, 'id') ?? ''}" is not an arXiv id`;
  const authors = childNodes(child(meta, 'authors'), 'author')
    .map((a) =>
      authorName(
        [...childTexts(a, 'forenames'), ...childTexts(a, 'keyname'), ...childTexts(a, 'suffix')].join(' '),
      ),
    )
    .filter((n): n is string => n !== null);
  const categories = cleanText(childText(meta, 'categories')).split(' ').filter(Boolean);
  return {
    ...emptyPaperInput(),
    arxivId: parsed.id,
    doi: firstDoi(childText(meta, 'doi')),
    title: cleanText(childText(meta, 'title')),
    abstract: cleanText(childText(meta, 'abstract')),
    authors,
    categories: orderCategories(null, categories),
    published: isoDate(childText(meta, 'created')),
    updated: isoDate(childText(meta, 'updated')),
    comment: cleanOptional(childText(meta, 'comments')),
    journalRef: cleanOptional(childText(meta, 'journal-ref')),
    license: cleanOptional(childText(meta, 'license')),
    ...arxivLinks(parsed.id, null),
  };
}

function dcFormatPaper(dc: XmlNode, oaiId: string): PaperInput | string {
  const identifiers = childTexts(dc, 'identifier');
  const parsed = [...identifiers, oaiId].map(parseArxivId).find((p) => p !== null) ?? null;
  if (parsed === null) return `no arXiv id among identifiers ${identifiers.join(', ') || oaiId}`;
  const descriptions = childTexts(dc, 'description');
  const comment = descriptions.find((d) => /^\s*Comment:/.test(d));
  const dates = childTexts(dc, 'date')
    .map(isoDate)
    .filter((d): d is string => d !== null);
  const subjects = childTexts(dc, 'subject').map(categoryFromSubject);
  return {
    ...emptyPaperInput(),
    arxivId: parsed.id,
    doi: firstDoi(identifiers.find((i) => /^(doi:|https?:\/\/(dx\.)?doi\.org\/)/i.test(i)) ?? null),
    title: cleanText(childText(dc, 'title')),
    abstract: cleanText(descriptions.find((d) => d !== comment)),
    // oai_dc writes "Family, Given"; Paperboy shows names in byline order.
    authors: childTexts(dc, 'creator')
      .map((c) => authorName(c.replace(/^([^,]+),\s*(.+)$/, '$2 $1')))
      .filter((n): n is string => n !== null),
    categories: orderCategories(
      null,
      subjects.filter((s): s is string => s !== null),
    ),
    published: dates[0] ?? null,
    updated: dates.length > 1 ? (dates[dates.length - 1] ?? null) : null,
    comment: comment === undefined ? null : cleanOptional(comment.replace(/^\s*Comment:\s*/, '')),
    license: cleanOptional(childText(dc, 'rights')),
    ...arxivLinks(parsed.id, null),
  };
}

export interface HarvestOaiOptions {
  baseUrl: string;
  /** An OAI set such as "cs" or "physics:hep-th"; omit for all of arXiv. */
  set?: string;
  metadataPrefix: OaiMetadataPrefix;
  /** Datestamp bounds, YYYY-MM-DD. */
  from?: string;
  until?: string;
  get: (url: string) => Promise<string>;
  /** Resume from a previous run's checkpoint. */
  resumptionToken?: string;
}

/** One harvested page; checkpoint is the resumption token for the next page (null when done). */
export interface OaiHarvestPage {
  records: SourceRecord[];
  checkpoint: string | null;
  done: boolean;
  total: number | null;
  deleted: string[];
  lastDatestamp: string | null;
}

/**
 * The ListRecords URL for a first request, or for a resumption token (which OAI-PMH requires alone).
 * @example buildOaiUrl({ baseUrl: ARXIV_OAI_URL, metadataPrefix: 'arXiv', set: 'cs', from: '2026-11-01' })
 * // 'https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2026-11-01'
 */
export function buildOaiUrl(opts: Omit<HarvestOaiOptions, 'get'>): string {
  const params = new URLSearchParams({ verb: 'ListRecords' });
  if (opts.resumptionToken !== undefined) params.set('resumptionToken', opts.resumptionToken);
  else {
    params.set('metadataPrefix', opts.metadataPrefix);
    if (opts.set !== undefined) params.set('set', opts.set);
    if (opts.from !== undefined) params.set('from', opts.from);
    if (opts.until !== undefined) params.set('until', opts.until);
  }
  return `${opts.baseUrl}?${params.toString()}`;
}

/**
 * Pages through ListRecords until the server stops sending a resumption token.
 */
export async function* harvestOai(opts: HarvestOaiOptions): AsyncGenerator<OaiHarvestPage> {
  let token = opts.resumptionToken;
  for (let n = 1; ; n++) {
    const url = buildOaiUrl({ ...opts, resumptionToken: token });
    const page = parseOaiListRecords(await opts.get(url), `arXiv OAI-PMH page ${n}`);
    const done = page.resumptionToken === null;
    const { records, completeListSize: total, deleted, lastDatestamp } = page;
    yield { records, checkpoint: page.resumptionToken, done, total, deleted, lastDatestamp };
    if (done) return;
    token = page.resumptionToken ?? undefined;
  }
}
