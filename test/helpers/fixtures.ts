// Locates the recorded inputs that live in test/fixtures, so tests that need them always run.
import { resolve } from 'node:path';

/** Absolute path of test/fixtures. */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures');

/** Path inside test/fixtures, e.g. `fixturePath('arxiv', 'atom-api')`. */
export function fixturePath(...parts: string[]): string {
  return resolve(FIXTURES_DIR, ...parts);
}
