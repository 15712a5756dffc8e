// Parses the Kaggle "arxiv-metadata-oai-snapshot" JSON lines (2.7M records, streamed line by line).
import { emptyPaperInput, type PaperInput } from '../../domain/paper.ts';
import type { SourceRecord } from '../../domain/record.ts';
import { cleanOptional, cleanText, isoDate, normalizeDoi, parseArxivId } from '../normalize.ts';
import { displayName, splitByline } from './author-names.ts';
import { FieldError, isJsonObject, mapJsonLines, optString, type JsonObject } from './json-fields.ts';
import { decodeLatex } from './latex.ts';
import type { LineInput } from './lines.ts';

/**
 * Records from Kaggle snapshot lines: `{id, submitter, authors, authors_parsed, title, comments,
 * "journal-ref", doi, "report-no", categories, license, abstract, versions, update_date}`.
 */
export function parseKaggleJsonl(lines: LineInput, sourceName: string): AsyncGenerator<SourceRecord> {
  return mapJsonLines(lines, sourceName, paperFromKaggleJson);
}

/**
 * Maps one Kaggle snapshot object to a PaperInput; throws FieldError when a field has the wrong shape.
 * @example paperFromKaggleJson({ id: '0704.0001', title: 'T', categories: 'hep-ph hep-th' }).categories // ['hep-ph', 'hep-th']
 */
export function paperFromKaggleJson(obj: JsonObject): PaperInput {
  const rawId = optString(obj, 'id');
  const parsed = rawId !== null ? parseArxivId(rawId) : null;
  if (rawId !== null && parsed === null)
    throw new FieldError(`field "id" is "${rawId}", which is not an arXiv identifier`);
  const versions = versionsOf(obj);
  const last = versions[versions.length - 1];
  const id = parsed?.id ?? null;
  return {
    ...emptyPaperInput(),
    arxivId: id,
    version: last?.number ?? parsed?.version ?? null,
    doi: firstDoi(optString(obj, 'doi')),
    title: cleanText(optString(obj, 'title')),
    abstract: cleanText(optString(obj, 'abstract')),
    authors: authorsOf(obj),
    categories: cleanText(optString(obj, 'categories'))
      .split(' ')
      .filter((c) => c !== ''),
    published: versions[0]?.date ?? null,
    updated: last?.date ?? isoDate(optString(obj, 'update_date')),
    comment: cleanOptional(optString(obj, 'comments')),
    journalRef: cleanOptional(optString(obj, 'journal-ref')),
    license: cleanOptional(optString(obj, 'license')),
    absUrl: id !== null ? `https://arxiv.org/abs/${id}` : null,
    pdfUrl: id !== null ? `https://arxiv.org/pdf/${id}` : null,
  };
}

/** Versions in order, e.g. [{ number: 1, date: '2007-04-02' }]; entries without a date are kept. */
function versionsOf(obj: JsonObject): { number: number; date: string | null }[] {
  const raw = obj['versions'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError('field "versions" should be an array of {version, created}');
  return raw.map((v: unknown, i) => {
    if (!isJsonObject(v)) throw new FieldError(`field "versions" item ${i + 1} should be an object`);
    const label = typeof v['version'] === 'string' ? v['version'] : '';
    const n = /^v(\d+)$/.exec(label.trim());
    const created = typeof v['created'] === 'string' ? v['created'] : null;
    return { number: n?.[1] !== undefined ? Number(n[1]) : i + 1, date: isoDate(created) };
  });
}

function authorsOf(obj: JsonObject): string[] {
  const parsed = obj['authors_parsed'];
  if (Array.isArray(parsed)) {
    return parsed
      .map((parts: unknown, i) => {
        if (!Array.isArray(parts))
          throw new FieldError(`field "authors_parsed" item ${i + 1} should be [last, first, suffix]`);
        const [last, first, suffix] = parts.map((p: unknown) =>
          typeof p === 'string' ? decodeLatex(p) : '',
        );
        return displayName(first, last, suffix);
      })
      .filter((name) => name !== '');
  }
  const byline = optString(obj, 'authors');
  return byline !== null ? splitByline(decodeLatex(byline)) : [];
}

/** The snapshot sometimes lists several DOIs separated by spaces; the first valid one is kept. */
function firstDoi(raw: string | null): string | null {
  if (raw === null) return null;
  for (const part of raw.split(/\s+/)) {
    const doi = normalizeDoi(part);
    if (doi !== null) return doi;
  }
  return null;
}
