// The program's version, read once from package.json so that releases change it in one place.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version?: unknown;
};

/** Paperboy's version as package.json states it. */
export const VERSION: string = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
