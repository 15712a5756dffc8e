// arXiv metadata conventions shared by the API, OAI-PMH and listing parsers.
import type { PaperInput, SourceRecord } from '../domain/index.ts';
import { cleanText, normalizeDoi } from './normalize.ts';
import { repairPaper, validatePaper } from './validate.ts';

/**
 * Turns a parsed paper into a SourceRecord: accepted, or rejected with the validator's reason.
 * @example toRecord({ ...emptyPaperInput(), title: '' }, 'feed entry 1').ok // false
 */
export function toRecord(parsed: PaperInput, location: string): SourceRecord {
  const { paper, warnings } = repairPaper(parsed);
  const problem = validatePaper(paper);
  if (problem !== null) return { ok: false, reason: problem, location };
  return warnings.length > 0 ? { ok: true, paper, location, warnings } : { ok: true, paper, location };
}

/**
 * The first valid DOI in a field that may hold several ("10.1/a, 10.1/b;10.1/c"), lower-cased.
 * @example firstDoi('10.1103/PhysRevD.93.016005, 10.1103/X') // '10.1103/physrevd.93.016005'
 */
export function firstDoi(raw: string | null): string | null {
  if (raw === null) return null;
  for (const part of raw.split(/[\s,;]+/)) {
    const doi = normalizeDoi(part);
    if (doi !== null) return doi;
  }
  return null;
}

/**
 * Categories with the primary one first and no duplicates, keeping the source's order otherwise.
 * @example orderCategories('cs.CL', ['cs.AI', 'cs.CL', 'cs.AI']) // ['cs.CL', 'cs.AI']
 */
export function orderCategories(primary: string | null, all: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of primary === null ? all : [primary, ...all]) {
    const c = raw.trim();
    if (c !== '' && !seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  return out;
}

/**
 * Abstract-page and PDF links for an arXiv id, pinned to a version when one is known.
 * @example arxivLinks('2503.11677', 2).pdfUrl // 'https://arxiv.org/pdf/2503.11677v2'
 */
export function arxivLinks(id: string, version: number | null): { absUrl: string; pdfUrl: string } {
  const v = version === null ? '' : `v${version}`;
  return { absUrl: `https://arxiv.org/abs/${id}${v}`, pdfUrl: `https://arxiv.org/pdf/${id}${v}` };
}

/**
 * A cleaned author name, or null for the punctuation-only fragments arXiv's author parser
 * sometimes leaves behind (e.g. a lone ":" after "Super-Kamiokande Collaboration").
 * @example authorName('  Jane   Doe ') // 'Jane Doe'
 */
export function authorName(raw: string | null): string | null {
  const name = cleanText(raw);
  return /[\p{L}\p{N}]/u.test(name) ? name : null;
}

/**
 * Splits a byline such as "Ada Lovelace, Alan Turing and Grace Hopper" into names.
 * @example splitByline('A. One, B. Two and C. Three') // ['A. One', 'B. Two', 'C. Three']
 */
export function splitByline(byline: string | null): string[] {
  return cleanText(byline)
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map(authorName)
    .filter((n): n is string => n !== null);
}

/**
 * The "2503.11677v2" part of an arXiv URL or OAI identifier, for locations in messages.
 * @example shortId('http://arxiv.org/abs/2503.11677v2') // '2503.11677v2'
 */
export function shortId(raw: string | null): string {
  if (raw === null || raw.trim() === '') return 'no id';
  return raw
    .trim()
    .replace(/^https?:\/\/[^/]+\/(?:abs|pdf)\//i, '')
    .replace(/^oai:arxiv\.org:/i, '');
}
