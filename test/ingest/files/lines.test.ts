// Reading plain and gzip files as lines: numbering, line endings, magic-byte detection, damage reporting.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import {
  isGzipFile,
  readHead,
  readLines,
  readTextChunks,
  readWholeText,
} from '../../../src/ingest/files/lines.ts';
import { collect } from './collect.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A gzip of many numbered JSON lines, cut in the middle so the stream ends early. */
function truncatedGzip(name: string, lines: number): string {
  const text = Array.from({ length: lines }, (_, i) =>
    JSON.stringify({ n: i + 1, pad: `${i}`.repeat(40) }),
  ).join('\n');
  const gz = gzipSync(text);
  return file(name, gz.subarray(0, Math.floor(gz.length * 0.6)));
}

describe('readLines', () => {
  it('numbers lines from 1, strips CR, keeps blank lines and a last line without newline', async () => {
    const path = file('crlf.txt', 'first\r\n\r\nthird\nlast');
    const lines = await collect(readLines(path));
    expect(lines).toEqual([
      { line: 'first', lineNo: 1 },
      { line: '', lineNo: 2 },
      { line: 'third', lineNo: 3 },
      { line: 'last', lineNo: 4 },
    ]);
  });

  it('detects gzip by magic bytes, whatever the extension says', async () => {
    const path = file('looks-plain.txt', gzipSync('één\ntwee\n'));
    expect(await isGzipFile(path)).toBe(true);
    expect((await collect(readLines(path))).map((l) => l.line)).toEqual(['één', 'twee']);
    const plain = file('looks-gzip.gz', 'not compressed\n');
    expect(await isGzipFile(plain)).toBe(false);
    expect((await collect(readLines(plain))).map((l) => l.line)).toEqual(['not compressed']);
  });

  it('decodes multi-byte characters split across chunk boundaries', async () => {
    const text = 'ü'.repeat(100_000);
    const path = file('wide.txt', `${text}\nend\n`);
    const lines = await collect(readLines(path));
    expect(lines[0]?.line).toBe(text);
    expect(lines[1]).toEqual({ line: 'end', lineNo: 2 });
  });

  it('yields every complete line of a truncated gzip, then one error naming the file and the last good line', async () => {
    const path = truncatedGzip('cut.jsonl.gz', 5000);
    const seen: number[] = [];
    let failure: unknown;
    try {
      for await (const { line, lineNo } of readLines(path)) {
        expect(JSON.parse(line).n).toBe(lineNo); // the partial line at the cut is never yielded
        seen.push(lineNo);
      }
    } catch (err) {
      failure = err;
    }
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.length).toBeLessThan(5000);
    expect(failure).toBeInstanceOf(AppError);
    const err = failure as AppError;
    expect(err.code).toBe('SOURCE_UNREADABLE');
    expect(err.message).toContain('cut.jsonl.gz');
    expect(err.message).toContain('truncated or corrupt');
    expect(err.message).toContain(`after line ${seen.length} `);
  });

  it('reports a missing file and a directory as SOURCE_UNREADABLE', async () => {
    await expect(collect(readLines(join(dir, 'nope.jsonl')))).rejects.toMatchObject({
      code: 'SOURCE_UNREADABLE',
      message: expect.stringContaining('no such file'),
    });
    mkdirSync(join(dir, 'sub'));
    await expect(collect(readLines(join(dir, 'sub')))).rejects.toMatchObject({
      code: 'SOURCE_UNREADABLE',
      message: expect.stringContaining('not a regular file'),
    });
  });
});

describe('readHead and readWholeText', () => {
  it('reads only the head of a gzip file, and tolerates damage after it', async () => {
    const path = truncatedGzip('head.gz', 5000);
    const head = await readHead(path, 1000);
    expect(head.length).toBe(1000);
    expect(head.startsWith('{"n":1,')).toBe(true);
  });

  it('returns an empty head for an empty file', async () => {
    expect(await readHead(file('empty.txt', ''))).toBe('');
  });

  it('reads small files whole and refuses files above the limit', async () => {
    const path = file('small.xml.gz', gzipSync('<feed>ok</feed>'));
    expect(await readWholeText(path, 1000)).toBe('<feed>ok</feed>');
    await expect(readWholeText(file('big.txt', 'x'.repeat(5000)), 1000)).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('streams text chunks that join to the whole file', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n');
    const chunks = await collect(readTextChunks(file('chunks.txt.gz', gzipSync(text))));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(text);
  });
});

describe('readLines and a line over the limit', () => {
  it('skips it wherever chunks split it, reports its number, and reads on', async () => {
    const long = 'y'.repeat(200_000);
    const path = file('long-lines.txt', `short\n${long}\nafter\n${long}`);
    const skipped: number[] = [];
    const lines = await collect(
      readLines(path, { maxLineChars: 100_000, onLineTooLong: (n) => skipped.push(n) }),
    );
    expect(lines).toEqual([
      { line: 'short', lineNo: 1 },
      { line: 'after', lineNo: 3 },
    ]);
    expect(skipped).toEqual([2, 4]);
  });

  it('ends with an error naming file:line when nobody listens for skipped lines', async () => {
    const path = file('long-line.txt', `ok\n${'z'.repeat(2000)}\n`);
    await expect(collect(readLines(path, { maxLineChars: 1000 }))).rejects.toThrow(
      'long-line.txt:2: line is longer than 1,000 characters; is this a text file?',
    );
  });
});
