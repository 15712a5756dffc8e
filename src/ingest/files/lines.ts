// Streams a plain or gzip file (detected by magic bytes) as text chunks or numbered lines, in constant memory.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../errors.ts';

/** One line of a text file, 1-based, without its line terminator. */
export interface NumberedLine {
  line: string;
  lineNo: number;
}

/** Lines from a file or from memory (tests, previews). */
export type LineInput = AsyncIterable<NumberedLine> | Iterable<NumberedLine>;

/** A line longer than this is not text we can parse (a binary file, or one record per file). */
export const MAX_LINE_CHARS = 32 * 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Errors raised by the byte stream itself, which readLines re-words with the last good line. */
const streamFailures = new WeakSet<AppError>();

/**
 * True when the file starts with the gzip magic bytes (the extension is ignored).
 * @example await isGzipFile('data/papers.jsonl.gz') // true
 */
export async function isGzipFile(path: string): Promise<boolean> {
  await assertReadableFile(path);
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw unreadable(path, err);
  });
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * Decoded UTF-8 text chunks of a file, gunzipped when it is gzip. A truncated or corrupt gzip stream
 * ends the iteration with AppError('SOURCE_UNREADABLE') after every chunk decoded before the damage.
 */
export async function* readTextChunks(path: string): AsyncGenerator<string> {
  const gzip = await isGzipFile(path);
  const stream = openByteStream(path, gzip);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      if (text !== '') yield text;
    }
  } catch (err) {
    throw streamFailure(path, gzip, err);
  } finally {
    stream.destroy();
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}

export interface ReadLinesOptions {
  /** Lines longer than this are skipped (default MAX_LINE_CHARS). */
  maxLineChars?: number;
  /**
   * Told about each skipped line; the lines after it are still read. Without it, a line that is too long
   * ends the iteration with AppError('SOURCE_UNREADABLE').
   */
  onLineTooLong?: (lineNo: number, maxLineChars: number) => void;
}

/**
 * The lines of a file (LF or CRLF), numbered from 1. If the file is a damaged gzip, every complete
 * line before the damage is yielded, then one AppError('SOURCE_UNREADABLE') names the file and the
 * last good line; the partial line at the break is dropped. A line over `maxLineChars` is never held
 * whole: it is skipped and reported to `onLineTooLong` (numbering continues after it).
 */
export async function* readLines(path: string, opts: ReadLinesOptions = {}): AsyncGenerator<NumberedLine> {
  const max = opts.maxLineChars ?? MAX_LINE_CHARS;
  let lineNo = 0;
  let pending = '';
  let skipping = false;
  try {
    for await (const text of readTextChunks(path)) {
      let from = 0;
      if (skipping) {
        const nl = text.indexOf('\n');
        if (nl === -1) continue;
        skipping = false;
        from = nl + 1;
      }
      // Only the new text is searched for line ends, so a long line costs linear time, not quadratic.
      for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
        lineNo += 1;
        if (pending.length + nl - from > max) tooLong(path, lineNo, max, opts);
        else yield { line: stripCr(pending + text.slice(from, nl)), lineNo };
        pending = '';
        from = nl + 1;
      }
      if (pending.length + text.length - from > max) {
        lineNo += 1;
        tooLong(path, lineNo, max, opts);
        pending = '';
        skipping = true;
      } else pending += text.slice(from);
    }
  } catch (err) {
    if (err instanceof AppError && streamFailures.has(err)) {
      const message = `${err.message}, after line ${lineNo} (the last complete line); the lines before it were read`;
      throw new AppError('SOURCE_UNREADABLE', message, [`lastGoodLine=${lineNo}`], { cause: err });
    }
    throw err;
  }
  if (pending !== '') yield { line: stripCr(pending), lineNo: lineNo + 1 };
}

/** Reports a skipped line, or throws when the caller did not ask to hear about them. */
function tooLong(path: string, lineNo: number, max: number, opts: ReadLinesOptions): void {
  if (opts.onLineTooLong === undefined) throw lineTooLong(path, lineNo, max);
  opts.onLineTooLong(lineNo, max);
}

/**
 * The first `maxChars` characters of a file's text (after gunzip), for format detection. Damage after
 * some text was read is ignored here; reading the records reports it.
 */
export async function readHead(path: string, maxChars = 16 * 1024): Promise<string> {
  let head = '';
  try {
    for await (const text of readTextChunks(path)) {
      head += text;
      if (head.length >= maxChars) break;
    }
  } catch (err) {
    if (head === '') throw err;
  }
  return head.slice(0, maxChars);
}

/**
 * A whole file's text (after gunzip), for formats parsed in one piece; refuses files above `maxChars`.
 */
export async function readWholeText(path: string, maxChars: number): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const text of readTextChunks(path)) {
    size += text.length;
    if (size > maxChars) {
      const mib = Math.round(maxChars / (1024 * 1024));
      throw new AppError(
        'BAD_INPUT',
        `${basename(path)} is larger than ${mib} MiB of text, the limit for a ` +
          'file that is read whole; split it into smaller files.',
      );
    }
    parts.push(text);
  }
  return parts.join('');
}

async function assertReadableFile(path: string): Promise<void> {
  const info = await stat(path).catch((err: unknown) => {
    throw unreadable(path, err);
  });
  if (!info.isFile()) {
    throw new AppError('SOURCE_UNREADABLE', `Cannot read ${path}: it is not a regular file (a directory?).`);
  }
}

function openByteStream(path: string, gzip: boolean): Readable {
  const file = createReadStream(path);
  if (!gzip) return file;
  // pipeline forwards a read error of the file into the gunzip stream, so one iterator sees every failure.
  return pipeline(file, createGunzip(), () => undefined);
}

function unreadable(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(err);
  return new AppError('SOURCE_UNREADABLE', `Cannot read ${path}: ${why}.`, [], { cause: err });
}

function streamFailure(path: string, gzip: boolean, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const what = gzip ? 'gzip data is truncated or corrupt' : 'reading failed';
  const failure = new AppError('SOURCE_UNREADABLE', `${basename(path)}: ${what} (${detail})`, [], {
    cause: err,
  });
  streamFailures.add(failure);
  return failure;
}

/**
 * Why a line was skipped, as a rejection reason.
 * @example lineTooLongReason(MAX_LINE_CHARS) // 'line is longer than 32 Mi characters; is this a text file?'
 */
export function lineTooLongReason(max: number): string {
  const size = max >= 1024 * 1024 ? `${max / (1024 * 1024)} Mi` : max.toLocaleString('en');
  return `line is longer than ${size} characters; is this a text file?`;
}

function lineTooLong(path: string, lineNo: number, max: number): AppError {
  return new AppError('SOURCE_UNREADABLE', `${basename(path)}:${lineNo}: ${lineTooLongReason(max)}`);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
