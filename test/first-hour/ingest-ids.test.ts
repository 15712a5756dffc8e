// `paperboy ingest` takes arXiv ids before file names, and without a network says so at once, in words.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { recordedPage, startArxivStub, type ArxivStub } from '../helpers/arxiv-stub.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
let stub: ArxivStub | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-ids-'));
});
afterEach(async () => {
  await stub?.close();
  stub = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) =>
    s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)),
  );
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a bare id and an arXiv:-prefixed id are fetched from the arXiv API, not read as files', async () => {
  stub = await startArxivStub(() => ({
    status: 200,
    body: recordedPage('id_1605.08386_s0_m100_199195aa31ad.xml'),
  }));
  const env = { DATABASE_URL: join(dir, 'p.db'), ARXIV_API_URL: stub.url };
  for (const source of ['1605.08386', 'arXiv:1605.08386']) {
    const r = await paperboyIn(['ingest', source], env);
    expect(r.stderr).not.toContain('Cannot read');
    expect([0, 1]).toContain(r.code);
  }
  expect(stub.requests).toHaveLength(2);
  expect(stub.requests[0]).toContain('id_list=1605.08386');
});

test('offline, an id fails at once with what happened and exit 6 (DNS)', async () => {
  const env = { DATABASE_URL: join(dir, 'p.db'), ARXIV_API_URL: 'http://export.arxiv.invalid/api/query' };
  const started = Date.now();
  const r = await paperboyIn(['ingest', 'arXiv:2401.00001'], env);
  expect(r.code).toBe(6);
  expect(r.stderr).toContain(
    'Could not reach export.arxiv.invalid: its name does not resolve (no network, or DNS is down)',
  );
  expect(r.stderr).not.toContain('retry:');
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('a refused connection is named as such, without retries', async () => {
  const port = await closedPort();
  const env = { DATABASE_URL: join(dir, 'p.db'), ARXIV_API_URL: `http://127.0.0.1:${port}/api/query` };
  const r = await paperboyIn(['ingest', 'https://arxiv.org/abs/2401.00001'], env);
  expect(r.code).toBe(6);
  expect(r.stderr).toContain(`Could not reach 127.0.0.1:${port}: it refused the connection`);
  expect(r.stderr).not.toContain('retry:');
});
