// Reads a reader's library export (BibTeX, CSL-JSON or a list of arXiv ids) into references for matching.
import { emptyPaperInput, type PaperInput, type Rejection } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { parseArxivRef } from '../index/lexical/arxiv-ref.ts';
import { parseBibtex } from '../ingest/files/bibtex.ts';
import { parseCslJson } from '../ingest/files/csl-json.ts';
import { sanitizePaper } from '../ingest/sanitize.ts';

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

/** Entries above this are refused as a whole (a library export, not a corpus: use `paperboy ingest`). */
export const MAX_IMPORT_ENTRIES = 20_000;

/** Guesses the format from the content: JSON, BibTeX (an "@type{"), else a list of ids. */
export function detectLibraryFormat(text: string): LibraryFormat {
  const head = text.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'csl-json';
  if (/^\s*@[A-Za-z]+\s*[{(]/m.test(text)) return 'bibtex';
  return 'ids';
}

function numberedLines(text: string): { line: string; lineNo: number }[] {
  return text.split(/\r?\n/).map((line, i) => ({ line, lineNo: i + 1 }));
}

function idsOf(text: string, source: string): { refs: LibraryRef[]; rejected: Rejection[] } {
  const refs: LibraryRef[] = [];
  const rejected: Rejection[] = [];
  for (const { line, lineNo } of numberedLines(text)) {
    const bare = line.replace(/#.*$/, '').trim();
    if (bare === '') continue;
    for (const token of bare.split(/[\s,;]+/).filter((t) => t !== '')) {
      const id = parseArxivRef(token);
      const location = `${source}:${lineNo}`;
      if (id === null)
        rejected.push({ location, reason: `"${token.slice(0, 60)}" is not an arXiv id or link` });
      else refs.push({ location, paper: { ...emptyPaperInput(), arxivId: id } });
    }
  }
  return { refs, rejected };
}

/**
 * Parses a library export. Broken BibTeX entries and unreadable CSL items are rejected with their line
 * and reason while the rest are kept; CSL-JSON that is not an array is a BAD_INPUT error.
 * @example const lib = await parseLibrary(await readFile('zotero.json', 'utf8'), 'zotero.json');
 */
export async function parseLibrary(
  text: string,
  source: string,
  format: LibraryFormat = detectLibraryFormat(text),
): Promise<ParsedLibrary> {
  if (text.trim() === '')
    throw new AppError(
      'BAD_INPUT',
      `${source} is empty: export your library as BibTeX or CSL-JSON, or list arXiv ids.`,
    );
  let out: { refs: LibraryRef[]; rejected: Rejection[] };
  if (format === 'ids') out = idsOf(text, source);
  else {
    out = { refs: [], rejected: [] };
    const records =
      format === 'bibtex' ? parseBibtex(numberedLines(text), source) : parseCslJson([text], source);
    for await (const r of records) {
      // Unmatched entries become interest texts, shown and ranked like papers: cleaned the same way.
      if (r.ok) out.refs.push({ location: r.location, paper: sanitizePaper(r.paper).paper });
      else out.rejected.push({ location: r.location, reason: r.reason });
      if (out.refs.length + out.rejected.length > MAX_IMPORT_ENTRIES) break;
    }
  }
  if (out.refs.length + out.rejected.length > MAX_IMPORT_ENTRIES)
    throw new AppError(
      'BAD_INPUT',
      `${source} has more than ${MAX_IMPORT_ENTRIES.toLocaleString('en')} entries; import it in parts, or add papers to the store with \`paperboy ingest\`.`,
    );
  return { format, ...out };
}
