// Parses CSL-JSON (a JSON array of items, as Zotero exports it), streaming item by item.
import { emptyPaperInput, type PaperInput } from '../../domain/paper.ts';
import type { SourceRecord } from '../../domain/record.ts';
import { cleanOptional, cleanText, isoDate, normalizeDoi, parseArxivId } from '../normalize.ts';
import { displayName } from './author-names.ts';
import { arxivIdFromDoi, findArxivReference } from './arxiv-reference.ts';
import { jsonArrayItems } from './json-array-items.ts';
import { externalId } from './source-id.ts';
import {
  FieldError,
  idField,
  isJsonObject,
  kindOf,
  mapObject,
  optString,
  type JsonObject,
} from './json-fields.ts';

/** arXiv categories as Zotero writes them in `note` ("arXiv:2401.00001 [cs.CL]"); a bare archive like [cs] is not one. */
const CATEGORY =
  /^(?:[a-z-]+\.[A-Za-z-]+|astro-ph|cond-mat|gr-qc|hep-(?:ex|lat|ph|th)|math-ph|nucl-(?:ex|th)|quant-ph)$/;

/**
 * Records from a CSL-JSON array read as text chunks; each item is a record at
 * `${sourceName}:${line} (item n)`. Not an array → AppError('BAD_INPUT').
 */
export async function* parseCslJson(
  chunks: AsyncIterable<string> | Iterable<string>,
  sourceName: string,
): AsyncGenerator<SourceRecord> {
  for await (const item of jsonArrayItems(chunks, sourceName)) {
    const location = `${sourceName}:${item.lineNo} (item ${item.index})`;
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch (err) {
      yield {
        ok: false,
        reason: `item is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        location,
      };
      continue;
    }
    if (!isJsonObject(value))
      yield { ok: false, reason: `item is ${kindOf(value)}, not an object`, location };
    // Zotero's item id ("http://zotero.org/users/1/items/AB12" or "smith2020") is the item's key in that library.
    else yield mapObject(value, location, paperFromCslItem, (o) => externalId(sourceName, idField(o, 'id')));
  }
}

/**
 * Maps one CSL item to a PaperInput. The arXiv id comes from an arxiv.org URL, `number`
 * ("arXiv:2401.00001"), an arXiv DOI or `note`; the category from `note`'s brackets.
 * @example paperFromCslItem({ title: 'T', URL: 'https://arxiv.org/abs/2401.00001v2' }).version // 2
 */
export function paperFromCslItem(item: JsonObject): PaperInput {
  const doi = normalizeDoi(optString(item, 'DOI', 'doi'));
  const url = cleanOptional(optString(item, 'URL', 'url'));
  const note = optString(item, 'note') ?? '';
  const id = arxivIdOf(item, doi, url, note);
  return {
    ...emptyPaperInput(),
    arxivId: id?.id ?? null,
    version: id?.version ?? null,
    doi,
    title: cleanText(optString(item, 'title')),
    abstract: cleanText(optString(item, 'abstract')),
    authors: authorsOf(item),
    categories: categoriesOf(note),
    published: issuedDate(item['issued']),
    comment: cleanOptional(/^\s*Comments?:\s*(.+)$/im.exec(note)?.[1]),
    journalRef: journalRefOf(item),
    absUrl: url,
  };
}

function arxivIdOf(
  item: JsonObject,
  doi: string | null,
  url: string | null,
  note: string,
): { id: string; version: number | null } | null {
  const fromUrl = url !== null && /arxiv\.org/i.test(url) ? parseArxivId(url) : null;
  if (fromUrl !== null) return fromUrl;
  const number = numberField(item);
  const archive = optString(item, 'archive', 'publisher') ?? '';
  const fromNumber =
    number !== null && (/arxiv/i.test(number) || /arxiv/i.test(archive)) ? parseArxivId(number) : null;
  if (fromNumber !== null) return fromNumber;
  return arxivIdFromDoi(doi) ?? findArxivReference(note);
}

/** `number` is a string in Zotero exports, but some tools write a number. */
function numberField(item: JsonObject): string | null {
  const raw = item['number'];
  return typeof raw === 'number' ? String(raw) : optString(item, 'number');
}

function authorsOf(item: JsonObject): string[] {
  const raw = item['author'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw new FieldError(`field "author" should be an array of names, not ${kindOf(raw)}`);
  return raw
    .map((person: unknown, i) => {
      if (!isJsonObject(person))
        throw new FieldError(`field "author" item ${i + 1} should be an object, not ${kindOf(person)}`);
      const literal = optString(person, 'literal');
      if (literal !== null) return cleanText(literal);
      const given = [optString(person, 'given'), optString(person, 'dropping-particle')]
        .filter((p) => p !== null)
        .join(' ');
      const family = [optString(person, 'non-dropping-particle'), optString(person, 'family')]
        .filter((p) => p !== null)
        .join(' ');
      return displayName(given, family, optString(person, 'suffix'));
    })
    .filter((name) => name !== '');
}

function categoriesOf(note: string): string[] {
  const inBrackets = /arxiv\s*:\s*\S+\s*\[([^\]]+)\]/i.exec(note)?.[1] ?? '';
  return inBrackets.split(/[\s,]+/).filter((c) => CATEGORY.test(c));
}

/** `issued` as {"date-parts": [[2024, 5, 1]]} (numbers or numeric strings), or {"raw": "2024-05-01"}. */
function issuedDate(issued: unknown): string | null {
  if (!isJsonObject(issued)) return null;
  const parts = issued['date-parts'];
  const first: unknown = Array.isArray(parts) ? parts[0] : undefined;
  if (Array.isArray(first) && first.length > 0) {
    const [y, m, d] = first.map((p: unknown) => Number(p));
    if (y === undefined || !Number.isInteger(y)) return null;
    const pad = (n: number | undefined): string =>
      String(n !== undefined && Number.isInteger(n) && n > 0 ? n : 1).padStart(2, '0');
    return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
  }
  const raw = issued['raw'] ?? issued['literal'];
  return typeof raw === 'string' ? isoDate(raw) : null;
}

function journalRefOf(item: JsonObject): string | null {
  const container = cleanOptional(optString(item, 'container-title'));
  if (container === null || /^arxiv\b/i.test(container)) return null;
  const volume = item['volume'];
  const page = cleanOptional(optString(item, 'page'));
  const vol = typeof volume === 'string' || typeof volume === 'number' ? ` ${volume}` : '';
  return `${container}${vol}${page !== null ? `, ${page}` : ''}`;
}
