// Opens any supported file (plain or gzip): detects its format from content and streams its records.
import { basename } from 'node:path';
import type { SourceRecord } from '../../domain/record.ts';
import { AppError } from '../../errors.ts';
import { parseAtomFeed } from '../arxiv-atom.ts';
import { parseOaiListRecords } from '../arxiv-oai.ts';
import { parseArxivListing } from '../arxiv-rss.ts';
import { parseBibtex } from './bibtex.ts';
import { parseCslJson } from './csl-json.ts';
import { describeContent, detectFormat, FILE_FORMATS, HEAD_CHARS, type FileFormat } from './detect.ts';
import { parsePaperboyJsonl } from './jsonl-paperboy.ts';
import { parseKaggleJsonl } from './kaggle.ts';
import {
  lineTooLongReason,
  readHead,
  readLines,
  readTextChunks,
  readWholeText,
  type LineInput,
} from './lines.ts';
import { parsePlainText } from './plain-text.ts';

/** An opened file: its detected format and its records, read lazily and in constant memory. */
export interface FileSource {
  format: FileFormat;
  records: AsyncIterable<SourceRecord>;
}

/** XML responses are parsed whole; one arXiv page is a few megabytes, so this is generous. */
export const MAX_XML_CHARS = 128 * 1024 * 1024;

/**
 * Opens a file of any supported format. Throws AppError('SOURCE_UNREADABLE') for a missing or
 * unreadable file and AppError('UNKNOWN_FORMAT') for content no parser reads (the message lists the
 * formats). Record locations are `${basename}:${line}` (entry numbers for XML). A damaged gzip yields
 * the records before the damage, then the iteration throws AppError('SOURCE_UNREADABLE').
 * @example const { format, records } = await openFileSource('papers.jsonl.gz'); for await (const r of records) use(r);
 */
export async function openFileSource(path: string): Promise<FileSource> {
  const head = await readHead(path, HEAD_CHARS);
  const name = basename(path);
  const format = detectFormat(head, name);
  if (format === null) throw unknownFormat(path, head);
  return { format, records: readRecords(format, path, name) };
}

/**
 * The records of a file whose format is already known (a caller that lets the user choose it).
 */
export function readRecords(
  format: FileFormat,
  path: string,
  sourceName: string,
): AsyncIterable<SourceRecord> {
  switch (format) {
    case 'paperboy-jsonl':
      return lineRecords(path, sourceName, parsePaperboyJsonl);
    case 'kaggle-jsonl':
      return lineRecords(path, sourceName, parseKaggleJsonl);
    case 'bibtex':
      return lineRecords(path, sourceName, parseBibtex);
    case 'csl-json':
      return parseCslJson(readTextChunks(path), sourceName);
    case 'plain-text':
      return lineRecords(path, sourceName, parsePlainText);
    case 'arxiv-atom':
    case 'oai-pmh':
    case 'arxiv-rss':
      return xmlRecords(format, path, sourceName);
  }
}

/**
 * A line-based parser's records, plus a rejection at `file:line` for each line too long to read; the
 * lines after it are parsed as usual, so one runaway line does not abandon the rest of the file.
 */
async function* lineRecords(
  path: string,
  sourceName: string,
  parse: (lines: LineInput, sourceName: string) => AsyncIterable<SourceRecord>,
): AsyncGenerator<SourceRecord> {
  const skipped: SourceRecord[] = [];
  const lines = readLines(path, {
    onLineTooLong: (lineNo, max) =>
      skipped.push({ ok: false, location: `${sourceName}:${lineNo}`, reason: lineTooLongReason(max) }),
  });
  for await (const record of parse(lines, sourceName)) {
    // A skipped line was read before the line this record came from, so its rejection goes first.
    yield* skipped.splice(0);
    yield record;
  }
  yield* skipped.splice(0);
}

async function* xmlRecords(
  format: FileFormat,
  path: string,
  sourceName: string,
): AsyncGenerator<SourceRecord> {
  const xml = await readWholeText(path, MAX_XML_CHARS);
  if (format === 'arxiv-atom') yield* parseAtomFeed(xml, sourceName).records;
  else if (format === 'oai-pmh') yield* parseOaiListRecords(xml, sourceName).records;
  else yield* parseArxivListing(xml, sourceName).records;
}

function unknownFormat(path: string, head: string): AppError {
  const supported = Object.entries(FILE_FORMATS).map(([name, what]) => `${name} (${what})`);
  return new AppError(
    'UNKNOWN_FORMAT',
    `Cannot import ${path}: it is ${describeContent(head)}, not a supported format. ` +
      `Supported, plain or gzip-compressed: ${supported.join('; ')}.`,
    supported,
  );
}
