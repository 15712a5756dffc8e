// Parses BibTeX/BibLaTeX files into records; a broken entry is rejected and parsing resumes at the next "@".
import { emptyPaperInput, type PaperInput } from '../../domain/paper.ts';
import type { SourceRecord } from '../../domain/record.ts';
import { cleanOptional, cleanText, isoDate, normalizeDoi, parseArxivId } from '../normalize.ts';
import { arxivIdFromDoi, findArxivReference } from './arxiv-reference.ts';
import {
  BibtexSyntaxError,
  DEFAULT_MACRO_CHARS,
  parseBibtexEntry,
  type BibtexEntry,
  type ExpansionBudget,
} from './bibtex-entry.ts';
import { parseBibtexNames } from './bibtex-names.ts';
import { BibtexScanner, type ScannedEntry } from './bibtex-scanner.ts';
import { externalId } from './source-id.ts';
import { decodeLatex } from './latex.ts';
import type { LineInput } from './lines.ts';

/** Entry types that hold no paper. */
const NON_PAPERS = new Set(['string', 'preamble', 'comment']);

export interface BibtexOptions {
  /** Characters @string macro references may add to the whole file (default 64 Mi). */
  maxMacroChars?: number;
  /**
   * Awaited between pieces of work, so a caller on a server's event loop can let other requests run
   * (see `createPacer`). Without it, parsing only pauses where the line source does.
   */
  pace?: () => Promise<void>;
}

/** Long lines are scanned in pieces of this many characters, pacing between them. */
const PIECE_CHARS = 64 * 1024;

/**
 * Records from a BibTeX file, one per entry (any type: article, misc, inproceedings, ...). An entry
 * that cannot be parsed is a rejection at `${sourceName}:${startLine}`; @string macros apply to later entries.
 */
export async function* parseBibtex(
  lines: LineInput,
  sourceName: string,
  opts: BibtexOptions = {},
): AsyncGenerator<SourceRecord> {
  const scanner = new BibtexScanner();
  const limit = opts.maxMacroChars ?? DEFAULT_MACRO_CHARS;
  const file: FileState = { sourceName, macros: new Map(), budget: { limit, macroCharsLeft: limit } };
  for await (const { line, lineNo } of lines) {
    for (const scanned of scanner.startLine(line, lineNo)) yield* toRecords(scanned, file);
    for (let at = 0; at < line.length || at === 0; at += PIECE_CHARS) {
      for (const scanned of scanner.scan(line.slice(at, at + PIECE_CHARS), lineNo))
        yield* toRecords(scanned, file);
      await opts.pace?.();
    }
    scanner.endLine();
  }
  for (const scanned of scanner.end()) yield* toRecords(scanned, file);
}

/** What one file's entries share: where they come from, its @string macros and its expansion budget. */
interface FileState {
  sourceName: string;
  macros: Map<string, string>;
  budget: ExpansionBudget;
}

function toRecords(scanned: ScannedEntry, file: FileState): SourceRecord[] {
  const location = `${file.sourceName}:${scanned.startLine}`;
  if (scanned.kind === 'broken') return [{ ok: false, reason: `BibTeX entry: ${scanned.reason}`, location }];
  let entry: BibtexEntry;
  try {
    entry = parseBibtexEntry(scanned.text, file.macros, file.budget);
  } catch (err) {
    if (!(err instanceof BibtexSyntaxError)) throw err;
    const line = scanned.startLine + countNewlines(scanned.text.slice(0, err.offset));
    const head = /^@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)/.exec(scanned.text);
    const name = head ? `@${head[1]}{${head[2]}}` : 'entry';
    return [{ ok: false, reason: `BibTeX ${name}: ${err.message} (line ${line})`, location }];
  }
  if (NON_PAPERS.has(entry.type)) return [];
  const paper = paperFromBibtexEntry(entry);
  // The citation key is how the user's documents cite the paper: kept as its external id.
  const ext = externalId(file.sourceName, entry.key);
  return [ext !== null ? { ok: true, paper, location, externalId: ext } : { ok: true, paper, location }];
}

/**
 * Maps a parsed entry to a PaperInput, decoding LaTeX; arXiv ids come from eprint/archivePrefix, an
 * arXiv DOI (10.48550/arXiv.*), or an arxiv.org URL or "arXiv:" note.
 * @example paperFromBibtexEntry({ type: 'misc', key: 'k', fields: new Map([['eprint', '2401.00001']]) }).arxivId // '2401.00001'
 */
export function paperFromBibtexEntry(entry: BibtexEntry): PaperInput {
  const f = (name: string): string | null => cleanOptional(decodeLatex(entry.fields.get(name) ?? ''));
  const doi = normalizeDoi(entry.fields.get('doi'));
  const id = arxivIdOf(entry.fields, doi);
  const primary = f('primaryclass');
  return {
    ...emptyPaperInput(),
    arxivId: id?.id ?? null,
    version: id?.version ?? null,
    doi,
    title: cleanText(decodeLatex(entry.fields.get('title') ?? '')),
    abstract: cleanText(decodeLatex(entry.fields.get('abstract') ?? '')),
    authors: parseBibtexNames(entry.fields.get('author') ?? entry.fields.get('editor') ?? ''),
    categories: primary !== null ? [primary] : [],
    published: dateOf(f('date'), f('year'), f('month')),
    comment: noteComment(f('note')),
    journalRef: journalRefOf(f),
    absUrl: f('url'),
  };
}

function arxivIdOf(
  fields: Map<string, string>,
  doi: string | null,
): { id: string; version: number | null } | null {
  const prefix = (fields.get('archiveprefix') ?? fields.get('eprinttype') ?? '').trim().toLowerCase();
  const eprint = fields.get('eprint');
  if (eprint !== undefined && (prefix === '' || prefix === 'arxiv')) {
    const parsed = parseArxivId(eprint);
    if (parsed !== null) return parsed;
  }
  const fromDoi = arxivIdFromDoi(doi);
  if (fromDoi !== null) return fromDoi;
  for (const name of ['url', 'journal', 'note', 'howpublished', 'eprint']) {
    const found = findArxivReference(fields.get(name) ?? '');
    if (found !== null) return found;
  }
  return null;
}

function dateOf(date: string | null, year: string | null, month: string | null): string | null {
  const exact = isoDate(date !== null && /^\d{4}-\d{2}-\d{2}/.test(date) ? date : null);
  if (exact !== null) return exact;
  const y = /\d{4}/.exec(date ?? year ?? '')?.[0];
  if (y === undefined) return null;
  const m = monthNumber(month ?? /^\d{4}-(\d{2})/.exec(date ?? '')?.[1] ?? null);
  // BibTeX rarely has a day; the first of the month (or year) keeps dates sortable and filterable.
  return `${y}-${String(m ?? 1).padStart(2, '0')}-01`;
}

function monthNumber(month: string | null): number | null {
  if (month === null) return null;
  const n = Number(month.trim());
  if (Number.isInteger(n) && n >= 1 && n <= 12) return n;
  const names = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const i = names.indexOf(month.trim().slice(0, 3).toLowerCase());
  return i === -1 ? null : i + 1;
}

function journalRefOf(f: (name: string) => string | null): string | null {
  const venue = f('journal') ?? f('journaltitle') ?? f('booktitle');
  if (venue === null || /^(arxiv|corr)\b/i.test(venue)) return null;
  const volume = f('volume');
  const pages = f('pages');
  const year = f('year');
  return `${venue}${volume !== null ? ` ${volume}` : ''}${pages !== null ? `, ${pages}` : ''}${year !== null ? ` (${year})` : ''}`;
}

function noteComment(note: string | null): string | null {
  if (note === null || /^arxiv\s*:?\s*\S+(\s*\[[^\]]*\])?$/i.test(note)) return null;
  return note;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
}
