// Removes what a record must never carry into pages, feeds and mail: control characters, bidi overrides, non-web links.
import type { PaperInput } from '../domain/index.ts';
import { href } from '../domain/links.ts';

/**
 * C0 controls except tab, line feed and carriage return; DEL and the C1 controls; the bidi embeddings and
 * overrides U+202A–U+202E and isolates U+2066–U+2069, which reorder the text around them on screen (a title
 * that reads differently from what it is).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same set, without the global flag's state
const HAS_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/**
 * The text without control characters (tab and line ends kept) and bidi override characters.
 * @example stripUnsafeChars('Safe\u202Etxt.exe\u0007') // 'Safetxt.exe'
 */
export function stripUnsafeChars(s: string): string {
  return HAS_UNSAFE.test(s) ? s.replace(UNSAFE, '') : s;
}

function strip(s: string | null): string | null {
  return s === null ? null : stripUnsafeChars(s);
}

export interface SanitizedPaper {
  paper: PaperInput;
  /** What was dropped, for the ingest report ("dropped the PDF link ..."). */
  warnings: string[];
}

/** A record's link if it is a web link; else null and a warning naming what was dropped. */
function keepLink(raw: string | null, what: string, warnings: string[]): string | null {
  const url = strip(raw);
  if (url === null || url.trim() === '') return url;
  if (href(url) !== null) return url;
  warnings.push(`dropped the ${what} link "${url.slice(0, 60)}": only http and https links are kept`);
  return null;
}

/**
 * Cleans every text field of a record from any source before it is validated and stored: unsafe characters
 * are removed, an author left empty by that is dropped, and a link other than http(s) or relative is dropped
 * with a warning.
 * @example sanitizePaper({ ...emptyPaperInput(), title: 'A\u0000B', pdfUrl: 'javascript:alert(1)' }).paper.pdfUrl // null
 */
export function sanitizePaper(p: PaperInput): SanitizedPaper {
  const warnings: string[] = [];
  const paper: PaperInput = {
    ...p,
    arxivId: strip(p.arxivId),
    doi: strip(p.doi),
    title: stripUnsafeChars(p.title),
    abstract: stripUnsafeChars(p.abstract),
    authors: p.authors.flatMap((a) => {
      const name = stripUnsafeChars(a);
      return name.trim() === '' && a.trim() !== '' ? [] : [name];
    }),
    categories: p.categories.map(stripUnsafeChars),
    published: strip(p.published),
    updated: strip(p.updated),
    announced: strip(p.announced),
    comment: strip(p.comment),
    journalRef: strip(p.journalRef),
    license: strip(p.license),
    absUrl: keepLink(p.absUrl, 'abstract page', warnings),
    pdfUrl: keepLink(p.pdfUrl, 'PDF', warnings),
  };
  return { paper, warnings };
}
