// `paperboy --version` says package.json's version, and --help documents every exit code the CLI can return.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, INTERNAL_EXIT, exitCodeFor } from '../../src/cli/exit-codes.ts';
import { ERROR_CATALOG } from '../../src/errors.ts';
import { paperboyIn } from './cli-io.ts';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
  version: string;
};
const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('paperboy --version and exit codes', () => {
  it('prints the version package.json states', async () => {
    const r = await paperboyIn(['--version'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`paperboy ${pkg.version}\n`);
  });

  it('documents every exit code, the internal-error 70 included, in --help and the README', async () => {
    const help = (await paperboyIn(['--help'], {})).stdout;
    const codes = new Set<number>([
      ...Object.values(EXIT),
      ...Object.values(ERROR_CATALOG).map((e) => e.exit),
      INTERNAL_EXIT,
    ]);
    for (const code of codes) {
      expect(help, `--help lists exit ${code}`).toMatch(new RegExp(`^\\s+${code}\\s{2,}\\S`, 'm'));
      expect(readme, `README lists exit ${code}`).toContain(`| ${code} |`);
    }
    expect(exitCodeFor(new Error('a bug'))).toBe(70);
  });
});
