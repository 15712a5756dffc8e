// Renders a PDF's first page to a small PNG with Debian's pdftoppm (poppler-utils), in a child process held
// to a time limit, an address-space limit and a size limit on what it writes.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../errors.ts';

/** The long side of a thumbnail, in pixels (cards show it at half that, sharp on 2x screens). */
export const THUMBNAIL_LONG_SIDE = 300;

export interface RenderLimits {
  /** The pdftoppm program. */
  pdftoppm: string;
  /** The renderer is killed after this long (default 20 s). */
  timeoutMs?: number;
  /** Its address space, in MiB (default 1024): a page that needs more fails instead of swapping the host. */
  memoryMb?: number;
  /** A PNG larger than this is refused (default 512 KiB; a 300-pixel page is 20–120 KiB). */
  maxPngBytes?: number;
}

export interface Thumbnail {
  png: Uint8Array;
  width: number;
  height: number;
}

/** "%PDF-" must appear in the first KiB (the format allows a little junk before it). */
function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}

/**
 * The first page as a PNG whose long side is THUMBNAIL_LONG_SIDE pixels. Throws AppError SOURCE_UNREADABLE
 * with a one-line reason: not a PDF, damaged, too slow, too large.
 */
export async function renderFirstPage(pdf: Uint8Array, limits: RenderLimits): Promise<Thumbnail> {
  if (!isPdf(pdf)) {
    const start = Buffer.from(pdf.subarray(0, 16))
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '.');
    throw new AppError('SOURCE_UNREADABLE', `not a PDF (it starts with "${start}")`);
  }
  try {
    await access(limits.pdftoppm, constants.X_OK);
  } catch {
    throw new AppError(
      'SOURCE_UNREADABLE',
      `${limits.pdftoppm} is not installed (apt-get install poppler-utils)`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-thumb-'));
  try {
    const input = join(dir, 'in.pdf');
    await writeFile(input, pdf);
    await runRenderer(limits, [
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      '-png',
      '-scale-to',
      String(THUMBNAIL_LONG_SIDE),
      input,
      join(dir, 'out'),
    ]);
    const out = join(dir, 'out.png');
    const size = await stat(out).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) throw new AppError('SOURCE_UNREADABLE', 'the renderer wrote no image');
    const max = limits.maxPngBytes ?? 512 * 1024;
    if (size > max)
      throw new AppError('SOURCE_UNREADABLE', `the rendered page is ${size} bytes, over ${max}`);
    const png = new Uint8Array(await readFile(out));
    const dims = pngSize(png);
    if (dims === null)
      throw new AppError('SOURCE_UNREADABLE', 'the renderer wrote something that is not a PNG');
    return { png, ...dims };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs pdftoppm under `ulimit -v` with a kill timer; rejects with its first error line. */
function runRenderer(limits: RenderLimits, args: string[]): Promise<void> {
  const timeoutMs = limits.timeoutMs ?? 20_000;
  const memoryKb = (limits.memoryMb ?? 1024) * 1024;
  return new Promise((resolve, reject) => {
    // The program and its arguments travel as positional parameters, never through the shell's parser.
    const child = spawn(
      '/bin/sh',
      ['-c', 'ulimit -v "$0" && exec "$@"', String(memoryKb), limits.pdftoppm, ...args],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new AppError('SOURCE_UNREADABLE', `could not start ${limits.pdftoppm}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new AppError('SOURCE_UNREADABLE', `rendering took longer than ${timeoutMs} ms and was stopped`),
        );
      } else if (code === 0) {
        resolve();
      } else if (code === 127) {
        // The program exists (checked before): it could not be loaded within the address-space limit.
        reject(
          new AppError(
            'SOURCE_UNREADABLE',
            `the renderer failed (exit 127): it could not start within ${memoryKb / 1024} MiB`,
          ),
        );
      } else {
        const line = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.split('\n')[0] ?? '';
        const how = signal !== null ? `was killed (${signal}; out of memory?)` : `failed (exit ${code})`;
        reject(
          new AppError(
            'SOURCE_UNREADABLE',
            `the renderer ${how}: ${line.trim().slice(0, 200) || 'no message'}`,
          ),
        );
      }
    });
  });
}

/** Width and height from a PNG's IHDR chunk, or null when it is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
