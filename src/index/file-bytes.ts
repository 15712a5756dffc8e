// Positional whole-buffer reads and writes on an open file, for snapshots written and read section by section.
import { readSync, writeSync } from 'node:fs';

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
