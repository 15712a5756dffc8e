// Citations of a paper for reference managers: BibTeX entries and CSL-JSON items (pure functions).
import { href } from './links.ts';
import { foldForMatch } from './match-keys.ts';
import type { Paper } from './paper.ts';

/** A CSL-JSON name. */
export interface CslName {
  family: string;
  given?: string;
  literal?: string;
}

/** The CSL-JSON fields Paperboy fills (a subset of the CSL 1.0 schema). */
export interface CslItem {
  id: string;
  type: 'article' | 'article-journal';
  title: string;
  author: CslName[];
  issued?: { 'date-parts': number[][] };
  abstract?: string;
  DOI?: string;
  URL?: string;
  number?: string;
  publisher?: string;
  note?: string;
  keyword?: string;
  'container-title'?: string;
}

/** Splits "Ada Lovelace" or "Lovelace, Ada" into family and given names. */
export function splitName(name: string): { family: string; given: string } {
  const s = name.trim().replace(/\s+/g, ' ');
  const comma = s.indexOf(',');
  if (comma > 0) return { family: s.slice(0, comma).trim(), given: s.slice(comma + 1).trim() };
  const space = s.lastIndexOf(' ');
  return space < 0 ? { family: s, given: '' } : { family: s.slice(space + 1), given: s.slice(0, space) };
}

function year(p: Paper): string {
  return (p.published ?? p.announced ?? p.updated ?? '').slice(0, 4);
}

/**
 * A readable citation key: first author's family name, year and first long title word.
 * @example citeKey(paper) // 'vaswani2017attention'
 */
export function citeKey(p: Paper): string {
  const first =
    p.authors[0] !== undefined ? foldForMatch(splitName(p.authors[0]).family).replace(/ /g, '') : 'anon';
  const word =
    foldForMatch(p.title.replace(/\$[^$]*\$/g, ' '))
      .split(' ')
      .find((w) => w.length > 3) ?? 'paper';
  return `${first || 'anon'}${year(p)}${word}`;
}

/** Makes a value safe inside BibTeX braces: balanced braces and escaped specials outside math. */
function bibValue(s: string): string {
  let depth = 0;
  let balanced = true;
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) balanced = false;
  }
  const text = balanced && depth === 0 ? s : s.replace(/[{}]/g, '');
  return text
    .replace(/(^|[^\\])([&%#])/g, '$1\\$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A BibTeX entry (@misc for preprints, @article with a journal reference).
 * @example toBibtex(paper) // '@misc{lovelace2025study,\n  title = {A Study of Things}, ...'
 */
export function toBibtex(p: Paper, key = citeKey(p)): string {
  const fields: [string, string | null][] = [
    ['title', `{${bibValue(p.title)}}`],
    [
      'author',
      p.authors
        .map((a) => {
          const n = splitName(a);
          return n.given ? `${n.family}, ${n.given}` : n.family;
        })
        .map(bibValue)
        .join(' and '),
    ],
    ['year', year(p) || null],
    ['journal', p.journalRef !== null ? bibValue(p.journalRef) : null],
    ['eprint', p.arxivId],
    ['archivePrefix', p.arxivId !== null ? 'arXiv' : null],
    ['primaryClass', p.arxivId !== null ? (p.categories[0] ?? null) : null],
    ['doi', p.doi],
    ['url', href(p.absUrl)],
    ['note', p.comment !== null ? bibValue(p.comment) : null],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== null && f[1] !== '')
    .map(([k, v]) => `  ${k} = {${v}}`)
    .join(',\n');
  return `@${p.journalRef !== null ? 'article' : 'misc'}{${key},\n${body}\n}\n`;
}

/**
 * BibTeX for many papers, with keys made unique by a letter suffix.
 * @example toBibtexList([a, b]) // two entries separated by a blank line
 */
export function toBibtexList(papers: readonly Paper[]): string {
  const seen = new Map<string, number>();
  return papers
    .map((p) => {
      const base = citeKey(p);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return toBibtex(
        p,
        n === 0 ? base : `${base}${String.fromCharCode(97 + ((n - 1) % 26))}${n > 26 ? n : ''}`,
      );
    })
    .join('\n');
}

function dateParts(p: Paper): number[][] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(p.published ?? p.announced ?? '');
  return m ? [[Number(m[1]), Number(m[2]), Number(m[3])]] : null;
}

/**
 * A CSL-JSON item, as Zotero's "CSL JSON" import expects.
 * @example toCsl(paper).author[0] // { family: 'Lovelace', given: 'Ada' }
 */
export function toCsl(p: Paper): CslItem {
  const item: CslItem = {
    id: p.id,
    type: p.journalRef !== null ? 'article-journal' : 'article',
    title: p.title,
    author: p.authors.map((a) => {
      const n = splitName(a);
      return n.given ? { family: n.family, given: n.given } : { family: n.family };
    }),
  };
  const issued = dateParts(p);
  if (issued) item.issued = { 'date-parts': issued };
  if (p.abstract !== '') item.abstract = p.abstract;
  if (p.doi !== null) item.DOI = p.doi;
  const url = href(p.absUrl);
  if (url !== null) item.URL = url;
  if (p.arxivId !== null) Object.assign(item, { number: `arXiv:${p.arxivId}`, publisher: 'arXiv' });
  if (p.journalRef !== null) item['container-title'] = p.journalRef;
  if (p.comment !== null) item.note = p.comment;
  if (p.categories.length > 0) item.keyword = p.categories.join(', ');
  return item;
}
