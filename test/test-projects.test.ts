// The suite splits into a fast and a slow vitest project; CI runs both and `npm test` still runs everything.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('test projects', () => {
  it('has scripts for each project and one for all', () => {
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.scripts['test:fast']).toBe('vitest run --project fast');
    expect(pkg.scripts['test:slow']).toBe('vitest run --project slow');
  });

  it('has .ci/run run both projects', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm run test:fast$/m);
    expect(ci).toMatch(/^npm run test:slow$/m);
  });

  it('keeps spawned processes and Chromium out of the fast project', () => {
    const config = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');
    const inProcess = [...config.matchAll(/'(test\/e2e\/[\w-]+\.test\.ts)'/g)].map((m) => m[1] ?? '');
    // A file named fast must not start the binary or a server process.
    for (const file of inProcess) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/\brunPaperboy\(|startServe\(|spawn\(/);
    }
    expect(inProcess.length).toBeGreaterThan(0);
  });
});
