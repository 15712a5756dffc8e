// Turns SQLite's "database or disk is full" into a message saying where, how much room is left and what to do.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors.ts';
import type { UpsertRecord } from '../store.ts';

/** True for a write refused because the filesystem (or SQLite's own size limit) has no room left. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * The error a write to `file` that found the disk full becomes. `batchBytes` is the text of what was being
 * written; the room it needs is estimated at three times that: the 75k store's file holds 1.8 times its
 * text (rows and indexes), and a batch is written to the write-ahead log before it is copied into the file.
 * @example throw diskFullError(db.name, 1000, 2_400_000);
 */
export function diskFullError(file: string, papers: number, batchBytes: number): AppError {
  let room = 'an unknown amount free on that filesystem';
  try {
    const fs = statfsSync(dirname(file));
    room = `${mib(fs.bavail * fs.bsize)} free on that filesystem (of ${mib(fs.blocks * fs.bsize)})`;
  } catch {
    // The folder cannot be asked (removed, no permission): say so rather than guess.
  }
  return new AppError(
    'STORE',
    `The disk holding the store is full: writing ${file} failed with ${room}. ` +
      `This batch of ${papers.toLocaleString('en-US')} papers needs about ${mib(3 * batchBytes)} more; none of it ` +
      'was written, and every batch before it is stored whole. Free some space (or move the store elsewhere) ' +
      'and run the same command again to continue where it stopped.',
  );
}

/** The characters of a batch's text fields: what its rows hold, before indexes. */
export function textBytes(records: readonly UpsertRecord[]): number {
  let n = 0;
  for (const { paper: p } of records)
    n +=
      p.title.length + p.abstract.length + JSON.stringify(p.authors).length + (p.comment?.length ?? 0) + 200;
  return n;
}
