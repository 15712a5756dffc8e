// The CLI: help, ingest idempotence, rejections, stats, exit codes, bad config (in this process; the binary for help and exit codes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runPaperboy, runPaperboyIn } from '../helpers/cli.ts';
import { fixturePath } from '../helpers/fixtures.ts';

const SMALL = resolve(import.meta.dirname, '../fixtures/cli/papers-small.jsonl');

describe('paperboy CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
    env = { DATABASE_URL: join(dir, 'pb.db') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help for the program and for every command', async () => {
    const top = await runPaperboy(['--help'], env); // the real binary starts at least once here
    expect(top.code).toBe(0);
    for (const name of [
      'serve',
      'ingest',
      'harvest',
      'search',
      'similar',
      'train',
      'embed',
      'reindex',
      'stats',
    ]) {
      expect(top.stdout).toContain(name);
      const sub = await runPaperboyIn([name, '--help'], env);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain(`Usage: paperboy ${name}`);
    }
  });

  it('rejects unknown commands and options with exit code 2', async () => {
    expect((await runPaperboy(['frobnicate'], env)).code).toBe(2); // the process exit code, not only runCli's
    const bad = await runPaperboyIn(['stats', '--nope'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--nope/);
  });

  it('ingests, reports rejections with file:line, and changes nothing on a second run', async () => {
    const first = await runPaperboyIn(['ingest', SMALL, '--json'], env);
    expect(first.code).toBe(3);
    expect(lastJson(first.stdout)).toMatchObject({ added: 3, updated: 0, unchanged: 0, rejected: 2 });
    expect(first.stderr).toMatch(/papers-small\.jsonl:3: .*JSON/);
    expect(first.stderr).toMatch(/papers-small\.jsonl:4: record has no title/);
    const second = await runPaperboyIn(['ingest', SMALL, '--json'], env);
    expect(lastJson(second.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 3, rejected: 2 });
    const stats = await runPaperboyIn(['stats', '--json'], env);
    expect(stats.code).toBe(0);
    expect(lastJson(stats.stdout)).toMatchObject({ papers: 3 });
  });

  it('writes nothing with --dry-run', async () => {
    const e = { DATABASE_URL: join(dir, 'dry.db') };
    const run = await runPaperboyIn(['ingest', SMALL, '--json', '--dry-run'], e);
    expect(lastJson(run.stdout)).toMatchObject({ added: 3, dryRun: true });
    expect(lastJson((await runPaperboyIn(['stats', '--json'], e)).stdout)).toMatchObject({ papers: 0 });
  });

  it('refuses an unknown file type and a missing file with clear messages', async () => {
    const bin = join(dir, 'image.png');
    writeFileSync(
      bin,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]),
    );
    const unknown = await runPaperboyIn(['ingest', bin], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('image.png');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const missing = await runPaperboyIn(['ingest', join(dir, 'nope.jsonl')], env);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('nope.jsonl');
    // --json silences progress, not failures: each source left out of the summary is named with its reason.
    const quiet = await runPaperboyIn(['ingest', join(dir, 'nope.jsonl'), bin, '--json'], env);
    expect(quiet.code).toBe(5);
    expect(lastJson(quiet.stdout)).toMatchObject({ failedSources: 2, sources: [] });
    expect(quiet.stderr).toMatch(/nope\.jsonl: .*\n/);
    expect(quiet.stderr).toMatch(/image\.png: .*not a supported format/);
  });

  it('lists every configuration problem at once', async () => {
    const r = await runPaperboyIn(['stats'], {
      ...env,
      PORT: 'eighty',
      PAPERBOY_CATEGORIES: 'cs.CL,not a category',
      LOG_LEVEL: 'loud',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('PAPERBOY_CATEGORIES');
    expect(r.stderr).toContain('LOG_LEVEL');
  });

  it('ingests a saved arXiv API response detected by content', async () => {
    const file = fixturePath('arxiv', 'atom-api', 'id_1707.08567_s0_m100_6a1afebfc6a3.xml');
    const r = await runPaperboyIn(['ingest', file, '--json'], { DATABASE_URL: join(dir, 'atom.db') });
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ added: 1, rejected: 0 });
  });
});
