// Configuration: defaults, file + environment precedence, and every problem reported at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { parseDatabaseUrl } from '../src/store/db.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('./data/paperboy.db');
    expect(c.PORT).toBe(8080);
    expect(c.PAPERBOY_CATEGORIES).toEqual(['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG']);
    expect(c.PAPERBOY_HARVEST).toBe(true);
  });

  it('reads a JSON config file under the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-cfg-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ PORT: 9000, PAPERBOY_CATEGORIES: ['cs.IR'], LOG_LEVEL: 'warn' }));
      const c = loadConfig({ PAPERBOY_CONFIG: file, LOG_LEVEL: 'debug' });
      expect(c.PORT).toBe(9000);
      expect(c.PAPERBOY_CATEGORIES).toEqual(['cs.IR']);
      expect(c.LOG_LEVEL).toBe('debug');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every bad value at once', () => {
    try {
      loadConfig({
        PORT: '70000',
        PAPERBOY_HARVEST: 'maybe',
        ARXIV_API_URL: 'ftp://x',
        PAPERBOY_CONFIG: '/nonexistent.json',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const details = (err as AppError).details.join('\n');
      for (const name of ['PORT', 'PAPERBOY_HARVEST', 'ARXIV_API_URL', 'PAPERBOY_CONFIG'])
        expect(details).toContain(name);
    }
  });
});

describe('parseDatabaseUrl', () => {
  it('accepts paths and sqlite: URLs and refuses unknown schemes', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.db')).toEqual({ engine: 'sqlite', location: '/tmp/x.db' });
    expect(parseDatabaseUrl('/tmp/y.db').location).toBe('/tmp/y.db');
    expect(() => parseDatabaseUrl('mysql://host/db')).toThrow(/unsupported scheme/);
    expect(parseDatabaseUrl('postgres://u:p@h:5433/db')).toEqual({
      engine: 'postgres',
      location: 'postgres://u:p@h:5433/db',
    });
    expect(() => parseDatabaseUrl('postgres://')).toThrow(/not a valid PostgreSQL URL/);
    // Refused, and the refusal does not print the password it was given.
    expect(() => parseDatabaseUrl('mysql://user:secret@h/db')).toThrow(/unsupported scheme/);
    expect(() => parseDatabaseUrl('mysql://user:secret@h/db')).not.toThrow(/secret/);
  });
});
