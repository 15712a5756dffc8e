// Locates the read-only ../shared folder (the large corpus and eval sets) for the few tests that need it.
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

/**
 * True when the shared file exists; tests use `describe.skipIf(!hasShared(...))`.
 * With PAPERBOY_REQUIRE_SHARED=1 (set by .ci/run) an absent file throws instead, so the test file fails
 * with the path it wanted rather than skipping quietly.
 */
export function hasShared(...parts: string[]): boolean {
  const path = sharedPath(...parts);
  if (existsSync(path)) return true;
  const why = `${path} is absent (../shared is not beside this checkout; set PAPERBOY_SHARED to its folder)`;
  if (process.env.PAPERBOY_REQUIRE_SHARED === '1') throw new Error(`required test data missing: ${why}`);
  console.warn(`skipping: ${why}`);
  return false;
}
