// Tests own their recorded inputs: only the large corpus is read from ../shared, and CI fails when it is missing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixturePath } from './helpers/fixtures.ts';
import { hasShared } from './helpers/shared.ts';

const TEST_DIR = import.meta.dirname;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('test data', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads only the large corpus and eval sets from ../shared', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(TEST_DIR).filter((f) => f !== import.meta.filename)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:hasShared|sharedPath)\(\s*'([^']*)'/g)) {
        const first = (m[1] ?? '').split('/')[0];
        if (first !== 'data' && first !== 'eval') offenders.push(`${relative(TEST_DIR, file)}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the recorded arXiv responses in test/fixtures', () => {
    const atom = readdirSync(fixturePath('arxiv', 'atom-api'));
    expect(atom.filter((f) => f.endsWith('.xml')).length).toBe(
      atom.filter((f) => f.endsWith('.meta.json')).length,
    );
    expect(atom.length).toBeGreaterThan(0);
    expect(readdirSync(fixturePath('arxiv', 'oai-pmh')).length).toBeGreaterThan(0);
  });

  it('fails instead of skipping when CI requires the shared data', () => {
    vi.stubEnv('PAPERBOY_REQUIRE_SHARED', '1');
    expect(() => hasShared('no-such-folder', 'corpus.jsonl.gz')).toThrow(
      /required test data missing: .*no-such-folder\/corpus\.jsonl\.gz is absent/,
    );
    vi.stubEnv('PAPERBOY_REQUIRE_SHARED', '');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(hasShared('no-such-folder')).toBe(false);
  });

  it('has .ci/run require the shared data', () => {
    const ci = readFileSync(resolve(TEST_DIR, '../.ci/run'), 'utf8');
    expect(ci).toMatch(/^export PAPERBOY_REQUIRE_SHARED=1$/m);
  });
});
