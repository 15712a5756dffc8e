// `paperboy library import`, run in this process: matches, interests, rejected entries, exit codes, usage errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { lastJson, runPaperboyIn } from '../helpers/cli.ts';
import { paper } from '../helpers/temp-store.ts';

const BIB = resolve(import.meta.dirname, '../fixtures/foryou/library.bib');

describe('paperboy library import', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-library-cli-'));
    env = { DATABASE_URL: join(dir, 'pb.db'), LOG_LEVEL: 'silent' };
    const store = await openStore(env.DATABASE_URL ?? '');
    await store.papers.upsertMany([
      paper({ arxivId: '2607.00062', title: 'Robot manipulation notes' }),
      paper({ arxivId: null, doi: '10.5555/jir.2026.42', title: 'Soft Grippers for Deformable Objects' }),
    ]);
    await store.users.create('ada@example.org', 'Ada', 'x');
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves the matches, keeps the rest as interests, lists the broken entry and exits 3', async () => {
    const r = await runPaperboyIn(['library', 'import', BIB, '--user', 'ada@example.org', '--json'], env);
    expect(r.code).toBe(3);
    expect(lastJson(r.stdout)).toMatchObject({ format: 'bibtex', entries: 3, saved: 2, interests: 1 });
    const again = await runPaperboyIn(['library', 'import', BIB, '--user', 'ada@example.org'], env);
    expect(again.stdout).toContain('0 saved, 2 already saved');
    expect(again.stderr).toContain('rejected library.bib:20');
  });

  it('says what is wrong with the command line or the account', async () => {
    expect((await runPaperboyIn(['library', 'import', BIB], env)).code).toBe(2);
    expect((await runPaperboyIn(['library', 'export', BIB, '--user', 'ada@example.org'], env)).code).toBe(2);
    const nobody = await runPaperboyIn(['library', 'import', BIB, '--user', 'bob@example.org'], env);
    expect(nobody.code).toBe(4);
    expect(nobody.stderr).toContain('No account with the address bob@example.org');
    const missing = await runPaperboyIn(
      ['library', 'import', join(dir, 'nope.bib'), '--user', 'ada@example.org'],
      env,
    );
    expect(missing.code).toBe(5);
  });
});
