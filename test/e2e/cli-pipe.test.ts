// Regression: output piped into a reader that closes early (`paperboy stats | head -1`) ends quietly, no stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.ts';

describe('paperboy with a closed output pipe', () => {
  it('exits without an EPIPE stack trace when the reader stops after the first line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-pipe-'));
    try {
      const child = spawn(process.execPath, [BIN, 'stats'], {
        env: { ...process.env, DATABASE_URL: join(dir, 'pb.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toContain('EPIPE');
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
