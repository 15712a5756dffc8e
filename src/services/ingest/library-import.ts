// Reads a reader's library export (BibTeX, CSL-JSON or a list of arXiv ids) into references for matching.
import type { SourceRecord } from '../../domain/record.ts';
import { emptyPaperInput, type PaperInput, type Rejection } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { parseArxivRef } from '../../index/lexical/arxiv-ref.ts';
import { parseBibtex } from '../../ingest/files/bibtex.ts';
import { parseCslJson } from '../../ingest/files/csl-json.ts';
import { sanitizePaper } from '../../ingest/sanitize.ts';
import { LIMITS } from '../../ingest/validate.ts';
import { createPacer } from '../../platform/index.ts';

export type LibraryFormat = 'bibtex' | 'csl-json' | 'ids';

/** One readable entry of the file: a parsed record, or just an arXiv id. */
export interface LibraryRef {
  location: string;
  paper: PaperInput;
}

export interface ParsedLibrary {
  format: LibraryFormat;
  refs: LibraryRef[];
  rejected: Rejection[];
}

/** A run of the file's entries in file order: the readable ones and the rejected ones. */
export type LibraryPage = ParsedLibrary;

/** Entries above this are refused as a whole (a library export, not a corpus: use `paperboy ingest`). */
export const MAX_IMPORT_ENTRIES = 20_000;

/**
 * Characters BibTeX @string macros may add to one library file in all. An export uses macros for
 * journal names; this keeps a few hundred bytes of nested macros from becoming gigabytes.
 */
export const MAX_LIBRARY_MACRO_CHARS = 4 * 1024 * 1024;

/** CSL-JSON text is handed to the parser in pieces of this size, pacing between them. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A line that opens a BibTeX entry. Leading blanks stop at line ends: `^\s*` with the m flag rescanned every
 * following blank line from each line start, quadratic (64,000 empty lines took 10 s), and matches nothing
 * more, since `^` also matches after each line end.
 */
const BIBTEX_ENTRY_LINE = /^[^\S\r\n\u2028\u2029]*@[A-Za-z]+\s*[{(]/m;

/** Guesses the format from the content: JSON, BibTeX (an "@type{"), else a list of ids. */
export function detectLibraryFormat(text: string): LibraryFormat {
  const head = text.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'csl-json';
  if (BIBTEX_ENTRY_LINE.test(text)) return 'bibtex';
  return 'ids';
}

/** For parsing where nothing else waits (a worker thread): never pauses. */
const noPause = async (): Promise<void> => {};

function* numberedLines(text: string): Generator<{ line: string; lineNo: number }> {
  let lineNo = 0;
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    lineNo += 1;
    yield { line: text.slice(at, end).replace(/\r$/, ''), lineNo };
    at = end + 1;
  }
}

async function* chunksOf(text: string, pace: () => Promise<void>): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += CHUNK_CHARS) {
    yield text.slice(at, at + CHUNK_CHARS);
    await pace();
  }
}

async function* idRecords(
  text: string,
  source: string,
  pace: () => Promise<void>,
): AsyncGenerator<SourceRecord> {
  for (const { line, lineNo } of numberedLines(text)) {
    await pace();
    const bare = line.replace(/#.*$/, '').trim();
    if (bare === '') continue;
    for (const token of bare.split(/[\s,;]+/).filter((t) => t !== '')) {
      const id = parseArxivRef(token);
      const location = `${source}:${lineNo}`;
      if (id === null)
        yield { ok: false, location, reason: `"${token.slice(0, 60)}" is not an arXiv id or link` };
      else yield { ok: true, location, paper: { ...emptyPaperInput(), arxivId: id } };
    }
  }
}

/** Why an entry's text is too large to keep as an interest: the same limits as a stored paper's. */
function oversize(p: PaperInput): string | null {
  if (p.title.length > LIMITS.titleChars)
    return `title is ${p.title.length} characters; the limit is ${LIMITS.titleChars}`;
  if (p.abstract.length > LIMITS.abstractChars)
    return `abstract is ${p.abstract.length} characters; the limit is ${LIMITS.abstractChars}`;
  return null;
}

function tooManyEntries(source: string): AppError {
  return new AppError(
    'BAD_INPUT',
    `${source} has more than ${MAX_IMPORT_ENTRIES.toLocaleString('en')} entries; import it in parts, or add papers to the store with \`paperboy ingest\`.`,
  );
}

/**
 * Parses a library export into pages of about `pageSize` entries. Broken BibTeX entries, unreadable CSL
 * items and entries whose title or abstract exceeds a paper's limits are rejected with their line and reason
 * while the rest are kept; an empty file, CSL-JSON that is not an array, and more than MAX_IMPORT_ENTRIES
 * entries are BAD_INPUT errors. The last page is yielded even when empty (it carries the format).
 * `pace` is awaited between entries, so parsing on a server's event loop lets other requests run.
 */
export async function* libraryPages(
  text: string,
  source: string,
  format?: LibraryFormat,
  pace: () => Promise<void> = noPause,
  pageSize = 250,
): AsyncGenerator<LibraryPage> {
  if (text.trim() === '')
    throw new AppError(
      'BAD_INPUT',
      `${source} is empty: export your library as BibTeX or CSL-JSON, or list arXiv ids.`,
    );
  const fmt = format ?? detectLibraryFormat(text);
  const records =
    fmt === 'ids'
      ? idRecords(text, source, pace)
      : fmt === 'bibtex'
        ? parseBibtex(numberedLines(text), source, { maxMacroChars: MAX_LIBRARY_MACRO_CHARS, pace })
        : parseCslJson(chunksOf(text, pace), source);
  let page: LibraryPage = { format: fmt, refs: [], rejected: [] };
  let seen = 0;
  for await (const r of records) {
    // Counted as they come, so a file of a million entries is refused before it is read whole.
    if (seen >= MAX_IMPORT_ENTRIES) throw tooManyEntries(source);
    seen += 1;
    const tooBig = r.ok ? oversize(r.paper) : null;
    if (!r.ok) page.rejected.push({ location: r.location, reason: r.reason });
    else if (tooBig !== null) page.rejected.push({ location: r.location, reason: tooBig });
    else page.refs.push({ location: r.location, paper: sanitizePaper(r.paper).paper });
    if (page.refs.length + page.rejected.length >= pageSize) {
      yield page;
      page = { format: fmt, refs: [], rejected: [] };
    }
    await pace();
  }
  yield page;
}

/**
 * The whole library at once (see `libraryPages`), parsed on the calling thread in slices of a few
 * milliseconds (`pace`). A server parses uploads with `readLibraryInWorker` instead.
 */
export async function parseLibrary(
  text: string,
  source: string,
  format?: LibraryFormat,
  pace: () => Promise<void> = createPacer(),
): Promise<ParsedLibrary> {
  const out: ParsedLibrary = { format: format ?? 'ids', refs: [], rejected: [] };
  for await (const page of libraryPages(text, source, format, pace)) {
    out.format = page.format;
    out.refs.push(...page.refs);
    out.rejected.push(...page.rejected);
  }
  return out;
}
