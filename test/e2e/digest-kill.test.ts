// `paperboy digest run` killed with SIGKILL mid-batch, then run again: every subscriber gets exactly one digest.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { tokenHash } from '../../src/services/secure-random.ts';
import { BIN, runPaperboy } from '../helpers/cli.ts';
import { TEST_SECRET } from '../helpers/reader-env.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { paper } from '../helpers/temp-store.ts';

const SUBSCRIBERS = 12;
let dir: string;
let db: string;
let sink: SmtpSink;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-kill-'));
  db = join(dir, 'paperboy.db');
  const store = await openStore(db);
  await store.papers.upsertMany([
    paper({ arxivId: '2607.00001', title: 'First', announced: '2026-07-02' }),
    paper({ arxivId: '2607.00002', title: 'Second', announced: '2026-07-02' }),
  ]);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    await store.digest.upsertPending(`reader${i}@example.org`, null, tokenHash(`t${i}`));
    await store.digest.confirm(tokenHash(`t${i}`), '2000-01-01');
  }
  await store.close();
  // Every RCPT waits 150 ms, so the kill lands while a message is in flight.
  sink = await startSmtpSink({ rcptDelayMs: 150 });
});

afterAll(async () => {
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ENV = () => ({
  DATABASE_URL: db,
  PAPERBOY_SECRET: TEST_SECRET,
  PAPERBOY_HARVEST: 'false',
  SMTP_URL: `${sink.url}/?maxConnections=1`,
  LOG_LEVEL: 'warn',
});

describe('digest run after kill -9', () => {
  it('sends the rest on the next run and nothing twice', async () => {
    const child = spawn(process.execPath, [BIN, 'digest', 'run', '--date', '2026-07-02'], {
      env: { ...process.env, ...ENV() },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    await sink.waitFor(
      (e) => e.event === 'accepted' && sink.events.filter((x) => x.event === 'accepted').length >= 4,
    );
    const rcpts = sink.events.filter((e) => e.event === 'rcpt').length;
    await sink.waitFor(() => sink.events.filter((e) => e.event === 'rcpt').length > rcpts);
    child.kill('SIGKILL');
    await exited;
    const before = (await sink.messages()).length;
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(SUBSCRIBERS);

    const again = await runPaperboy(['digest', 'run', '--date', '2026-07-02', '--json'], ENV());
    expect(again.code, again.stderr).toBe(0);
    const messages = await sink.messages();
    const to = messages.map((m) => (Array.isArray(m.to) ? '' : (m.to?.text ?? '')));
    expect(to.sort()).toEqual(Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${i}@example.org`).sort());
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(SUBSCRIBERS);

    const third = await runPaperboy(['digest', 'run', '--date', '2026-07-02'], ENV());
    expect(third.code).toBe(1);
    expect((await sink.messages()).length).toBe(SUBSCRIBERS);
  });
});
