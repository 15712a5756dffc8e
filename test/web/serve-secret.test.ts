// `paperboy serve` and the signing secret: generated beside the database on a fresh machine, refused when unusable.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaperboy } from '../helpers/cli.ts';
import { startServe } from '../helpers/serve-process.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-serve-secret-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve and PAPERBOY_SECRET', () => {
  it('starts without PAPERBOY_SECRET by generating one into a 0600 file beside the database', async () => {
    const env = {
      DATABASE_URL: join(dir, 'ok', 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_SECRET: '',
    };
    const server = await startServe(env);
    try {
      expect((await fetch(`${server.base}/`)).status).toBe(200);
      expect(server.log()).toContain('export PAPERBOY_SECRET=$(openssl rand -hex 32)');
    } finally {
      await server.stop();
    }
    expect(statSync(join(dir, 'ok', 'secret')).mode & 0o777).toBe(0o600);
  });

  it('refuses to start, saying how to make a secret, when none can be kept', async () => {
    mkdirSync(join(dir, 'bad', 'secret'), { recursive: true });
    const r = await runPaperboy(['serve', '--no-harvest'], {
      DATABASE_URL: join(dir, 'bad', 'paperboy.db'),
      PAPERBOY_SECRET: '',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('openssl rand -hex 32');
  });
});
