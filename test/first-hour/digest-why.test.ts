// `paperboy digest run` that sends nothing says why (nobody due at this hour, empty windows, unknown address) and how to send now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { tokenHash } from '../../src/platform/secure-random.ts';
import { openStore } from '../../src/store/db.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
let env: Record<string, string> = {};
// A Wednesday, 03:17 UTC: not the hour a new subscription's digest goes out.
const now = () => new Date('2026-07-01T03:17:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-why-'));
  env = {
    DATABASE_URL: join(dir, 'p.db'),
    PAPERBOY_MAIL_DIR: join(dir, 'mail'),
    PAPERBOY_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'warn',
  };
  const store = await openStore(env.DATABASE_URL!);
  await store.digest.upsertPending('ada@example.org', null, tokenHash('ada@example.org'));
  await store.digest.confirm(tokenHash('ada@example.org'), '2000-01-01');
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('nobody due at this hour: says so, and how to send one now', async () => {
  const r = await paperboyIn(['digest', 'run'], env, { now });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('1 of 1 active subscriber is not due at this hour');
  expect(r.stdout).toContain('To send one now: paperboy digest run --date YYYY-MM-DD [--to ADDRESS]');
});

test('a date with no papers: the digest was empty; an unknown address: it has no subscription', async () => {
  const r = await paperboyIn(['digest', 'run', '--date', '2026-07-01'], env, { now });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('1 had no new papers and no replies in their window');
  const again = await paperboyIn(['digest', 'run', '--date', '2026-07-01'], env, { now });
  expect(again.stdout).toContain("1 got this date's digest already");
  const nobody = await paperboyIn(['digest', 'run', '--to', 'bob@example.org'], env, { now });
  expect(nobody.code).toBe(1);
  expect(nobody.stdout).toContain('bob@example.org has no subscription');
});
