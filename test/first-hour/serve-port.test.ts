// `paperboy serve` on a port another process holds: one clear line and exit code 8, never a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
let holder: Server | null = null;

afterEach(async () => {
  await new Promise<void>((r) => (holder ? holder.close(() => r()) : r()));
  holder = null;
  rmSync(dir, { recursive: true, force: true });
});

test('a taken port gives one line naming it and the next port, and exit code 8', async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-port-'));
  const server = createServer();
  holder = server;
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  const r = await paperboyIn(['serve', '--port', String(port), '--no-harvest'], {
    DATABASE_URL: join(dir, 'p.db'),
    LOG_LEVEL: 'warn',
  });
  expect(r.code).toBe(EXIT.PORT_IN_USE);
  expect(r.code).toBe(8);
  expect(r.stderr).toContain(
    `port ${port} on 127.0.0.1 is in use; try --port ${port + 1} or stop the other server`,
  );
  expect(r.stderr).not.toMatch(/EADDRINUSE|at .*\.ts:\d+/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
