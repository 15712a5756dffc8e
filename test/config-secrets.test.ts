// Configuration problems name the variable and the rule, never a secret's value nor a URL's password.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactUrl } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { createSmtpTransport } from '../src/platform/smtp-mailer.ts';
import { parseDatabaseUrl } from '../src/store/db.ts';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return `${err.message}\n${err.details.join('\n')}`;
  }
  throw new Error('expected a configuration error');
}

describe('configuration errors keep secrets', () => {
  it('names PAPERBOY_SECRET and EMBEDDER_API_KEY and the rule, not their values', () => {
    const text = problems({ PAPERBOY_SECRET: 'shortsecret', PORT: 'x' });
    expect(text).toContain('PAPERBOY_SECRET');
    expect(text).toContain('at least 32 characters');
    expect(text).not.toContain('shortsecret');
  });

  it('shows SMTP_URL and DATABASE_URL with the password replaced by ***', () => {
    const text = problems({ SMTP_URL: 'ftp://mailer:sm7p-pa55@mail.example.org' });
    expect(text).toContain('SMTP_URL="ftp://mailer:***@mail.example.org"');
    expect(text).not.toContain('sm7p-pa55');
    expect(() => parseDatabaseUrl('mysql://app:db-pa55@db/x')).toThrow(/mysql:\/\/app:\*\*\*@db\/x/);
    try {
      parseDatabaseUrl('mysql://app:db-pa55@db/x');
    } catch (err) {
      expect(String(err)).not.toContain('db-pa55');
    }
    expect(() => createSmtpTransport('smtp://u:p%zz-secret@[bad', 'a@b.org')).toThrow(/\*\*\*/);
    try {
      createSmtpTransport('smtp://u:p%zz-secret@[bad', 'a@b.org');
    } catch (err) {
      expect(String(err)).not.toContain('zz-secret');
    }
  });

  it('hides passwords holding @ or /, and password= parameters', () => {
    expect(redactUrl('postgres://app:p@ss/w0rd@db:5432/pb')).toBe('postgres://app:***@db:5432/pb');
    expect(redactUrl('postgres://db/pb?user=app&password=hunter2')).toBe(
      'postgres://db/pb?user=app&password=***',
    );
    expect(redactUrl('./data/paperboy.db')).toBe('./data/paperboy.db');
  });

  it('does not quote a config file around its syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-cfg-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, '{"PAPERBOY_SECRET": "file-secret-value-0123456789abcdef" oops}');
      const text = problems({ PAPERBOY_CONFIG: file });
      expect(text).toContain('not valid JSON');
      expect(text).not.toContain('file-secret-value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
