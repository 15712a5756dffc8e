// The signing secret: configured, else generated once beside the database (0600) and reused; never a default.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { resolveServerSecret } from '../../src/platform/server-secret.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('server secret', () => {
  it('generates a file with mode 0600 once, then reuses it', () => {
    const db = join(dir, 'data', 'paperboy.db');
    const first = resolveServerSecret('', db);
    expect(first.origin).toBe('generated');
    expect(first.path).toBe(join(dir, 'data', 'secret'));
    expect(statSync(first.path ?? '').mode & 0o777).toBe(0o600);
    const again = resolveServerSecret('', db);
    expect(again).toMatchObject({ origin: 'file', value: first.value });
    expect(first.value.length).toBeGreaterThanOrEqual(32);
  });

  it('prefers PAPERBOY_SECRET, and rejects short ones at configuration time', () => {
    expect(resolveServerSecret('s'.repeat(40), join(dir, 'x.db'))).toMatchObject({
      origin: 'config',
      path: null,
    });
    expect(() => loadConfig({ PAPERBOY_SECRET: 'short' })).toThrow(/Invalid configuration/);
    expect(resolveServerSecret('', ':memory:').origin).toBe('ephemeral');
  });

  it('refuses to start with a clear hint when the file is unusable', () => {
    writeFileSync(join(dir, 'secret'), 'too short\n');
    expect(() => resolveServerSecret('', join(dir, 'paperboy.db'))).toThrow(/openssl rand -hex 32/);
    expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe('too short\n');
  });
});
