// Positional whole-buffer reads and writes on an open file, for snapshots written and read section by section.
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes all of `bytes` at `position` (the file's current position when omitted), however many calls it takes.
 */
export function writeFully(fd: number, bytes: Uint8Array, position?: number): void {
  for (let at = 0; at < bytes.byteLength; )
    at += writeSync(fd, bytes, at, bytes.byteLength - at, position === undefined ? null : position + at);
}

/**
 * Fills `into` from `position`; false when the file ends first.
 */
export function readFully(fd: number, into: Uint8Array, position: number): boolean {
  for (let at = 0; at < into.byteLength; ) {
    const n = readSync(fd, into, at, into.byteLength - at, position + at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

/**
 * Writes a file atomically: `fill` writes a temp file beside `path` (owner-only, its folder made if missing),
 * which then replaces `path` by rename, so a reader sees the old file or the new one, never part of one. A
 * failed `fill` leaves no temp file behind.
 */
export function writeFileAtomically(path: string, fill: (fd: number) => void): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    fill(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * A hard link of `from` at `to` (the same bytes, no second copy on disk), or a copy where links fail; a file already
 * at `to` (another generation's link) is replaced, never written through. For snapshot files, which are never
 * changed once written.
 */
export function linkOrCopyFile(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
