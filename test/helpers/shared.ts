// Locates the read-only ../shared folder (data, eval sets, recorded arXiv responses) for tests.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Absolute path of ../shared (or $PAPERBOY_SHARED), whether or not it exists. */
export const SHARED_DIR = resolve(
  process.env.PAPERBOY_SHARED ?? resolve(import.meta.dirname, '../../../shared'),
);

/** Path inside ../shared. */
export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

/** True when the shared file exists; tests use `describe.skipIf(!hasShared(...))` and say why. */
export function hasShared(...parts: string[]): boolean {
  const ok = existsSync(sharedPath(...parts));
  if (!ok)
    console.warn(`skipping: ${sharedPath(...parts)} is absent (../shared is not beside this checkout)`);
  return ok;
}
