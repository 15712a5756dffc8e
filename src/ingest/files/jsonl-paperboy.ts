// Parses Paperboy's JSON-lines paper shape (the shared arXiv dump, abs-records, and Paperboy's own exports).
import { emptyPaperInput, type PaperInput } from '../../domain/paper.ts';
import type { SourceRecord } from '../../domain/record.ts';
import { cleanOptional, cleanText, isoDate, normalizeDoi, parseArxivId } from '../normalize.ts';
import { splitByline } from './author-names.ts';
import {
  FieldError,
  idField,
  mapJsonLines,
  optNumber,
  optString,
  optStringList,
  type JsonObject,
} from './json-fields.ts';
import type { LineInput } from './lines.ts';

/** A `date_kind` that says the date is when arXiv announced the paper, not when it was submitted. */
const ANNOUNCED_KIND = /digest|announce|mailing/i;

/**
 * Records from Paperboy JSON lines: `{id, arxiv_id, title, abstract, authors[], date, date_kind?,
 * categories[], comment|comments, journal_ref, doi, license, versions, url, pdf}`; camelCase PaperInput
 * keys (arxivId, journalRef, absUrl, ...) are read too, so Paperboy's own exports re-import.
 */
export function parsePaperboyJsonl(lines: LineInput, sourceName: string): AsyncGenerator<SourceRecord> {
  return mapJsonLines(lines, sourceName, paperFromPaperboyJson, sourceIdOf);
}

/** The record's own `id` ("1234"), kept as its external id unless it is just the arXiv id ("arxiv:2401.00001"). */
function sourceIdOf(obj: JsonObject): string | null {
  const id = idOf(obj);
  return id !== null && parseArxivId(id) === null ? id : null;
}

/**
 * Maps one Paperboy JSON object to a PaperInput; throws FieldError for a field of the wrong shape.
 * @example paperFromPaperboyJson({ arxiv_id: '2503.11677v2', title: 'T' }).version // 2
 */
export function paperFromPaperboyJson(obj: JsonObject): PaperInput {
  const id = arxivIdOf(obj);
  const dates = datesOf(obj);
  return {
    ...emptyPaperInput(),
    arxivId: id?.id ?? null,
    version: id?.version ?? versionOf(obj),
    doi: normalizeDoi(optString(obj, 'doi')),
    title: cleanText(optString(obj, 'title')),
    abstract: cleanText(optString(obj, 'abstract', 'summary')),
    authors: authorsOf(obj),
    categories: (optStringList(obj, 'categories') ?? []).map((c) => c.trim()).filter((c) => c !== ''),
    ...dates,
    comment: cleanOptional(optString(obj, 'comment', 'comments')),
    journalRef: cleanOptional(optString(obj, 'journal_ref', 'journalRef')),
    license: cleanOptional(optString(obj, 'license')),
    absUrl: cleanOptional(optString(obj, 'url', 'absUrl', 'abs_url')),
    pdfUrl: cleanOptional(optString(obj, 'pdf', 'pdfUrl', 'pdf_url')),
  };
}

/** `id` as text: collections number their records ("id": 1234) as often as they quote them. */
function idOf(obj: JsonObject): string | null {
  return idField(obj, 'id') ?? optString(obj, 'id');
}

function arxivIdOf(obj: JsonObject): { id: string; version: number | null } | null {
  const explicit = optString(obj, 'arxiv_id', 'arxivId');
  if (explicit !== null) {
    const parsed = parseArxivId(explicit);
    if (parsed === null)
      throw new FieldError(`field "arxiv_id" is "${explicit}", which is not an arXiv identifier`);
    return parsed;
  }
  // `id` is "arxiv:<id>" in the shared dump; anything else there is a private id, not an arXiv one.
  const id = idOf(obj);
  const fromId = id !== null ? parseArxivId(id) : null;
  if (fromId !== null) return fromId;
  const url = optString(obj, 'url', 'absUrl');
  return url !== null ? parseArxivId(url) : null;
}

/** abs-records count versions ("versions": 3 means v3 is current); exports carry "version". */
function versionOf(obj: JsonObject): number | null {
  const n = optNumber(obj, 'version', 'versions');
  return n !== null && Number.isInteger(n) && n > 0 ? n : null;
}

function authorsOf(obj: JsonObject): string[] {
  const list = optStringList(obj, 'authors');
  if (list !== null) return list.map((a) => cleanText(a)).filter((a) => a !== '');
  const raw = optString(obj, 'authors_raw', 'authorsRaw');
  return raw !== null ? splitByline(raw) : [];
}

function datesOf(obj: JsonObject): Pick<PaperInput, 'published' | 'updated' | 'announced'> {
  const date = isoDate(optString(obj, 'date'));
  const kind = optString(obj, 'date_kind') ?? '';
  const announcedFromDate = ANNOUNCED_KIND.test(kind) ? date : null;
  const announced = isoDate(optString(obj, 'announced')) ?? announcedFromDate;
  // An announcement date is the best date such a record has, so it also stands in for `published`.
  const published = isoDate(optString(obj, 'published')) ?? date;
  return { published, updated: isoDate(optString(obj, 'updated')), announced };
}
