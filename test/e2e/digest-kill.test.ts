// `paperboy digest run` killed with SIGKILL mid-batch, then run again: every subscriber gets exactly one digest.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { tokenHash } from '../../src/platform/secure-random.ts';
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

/**
 * The one window a kill can repeat mail in: the server has stored a message and its 250 answer has not yet
 * reached Paperboy. The sink holds those answers back, so every open connection sits in that window when the
 * kill lands: what the README promises is at most one repeated message per open SMTP connection, each with
 * the Message-ID of the first copy.
 */
describe.each([5, 1])('digest run killed while %i connection(s) wait for the 250', (connections) => {
  let kdir: string;
  let kdb: string;
  let ksink: SmtpSink;
  const env = () => ({
    DATABASE_URL: kdb,
    PAPERBOY_SECRET: TEST_SECRET,
    PAPERBOY_HARVEST: 'false',
    // Five is also the default when the URL does not say.
    SMTP_URL: connections === 5 ? ksink.url : `${ksink.url}/?maxConnections=${connections}`,
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    kdir = mkdtempSync(join(tmpdir(), 'paperboy-digest-ack-kill-'));
    kdb = join(kdir, 'paperboy.db');
    const store = await openStore(kdb);
    await store.papers.upsertMany([
      paper({ arxivId: '2607.00001', title: 'First', announced: '2026-07-02' }),
    ]);
    for (let i = 0; i < SUBSCRIBERS; i++) {
      await store.digest.upsertPending(`ack${i}@example.org`, null, tokenHash(`a${i}`));
      await store.digest.confirm(tokenHash(`a${i}`), '2000-01-01');
    }
    await store.close();
    ksink = await startSmtpSink({ holdAcks: true });
  });

  afterAll(async () => {
    await ksink.stop();
    rmSync(kdir, { recursive: true, force: true });
  });

  it('repeats at most one message per connection, with the same Message-ID', async () => {
    const child = spawn(process.execPath, [BIN, 'digest', 'run', '--date', '2026-07-02'], {
      env: { ...process.env, ...env() },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    const accepted = () => ksink.events.filter((e) => e.event === 'accepted').length;
    await ksink.waitFor(() => accepted() >= connections);
    child.kill('SIGKILL');
    await exited;
    const inWindow = accepted();
    ksink.releaseAcks();

    const again = await runPaperboy(['digest', 'run', '--date', '2026-07-02'], env());
    expect(again.code, again.stderr).toBe(0);
    const messages = await ksink.messages();
    const to = messages.map((m) => (Array.isArray(m.to) ? '' : (m.to?.text ?? '')));
    expect(new Set(to)).toEqual(
      new Set(Array.from({ length: SUBSCRIBERS }, (_, i) => `ack${i}@example.org`)),
    );
    const repeats = messages.length - SUBSCRIBERS;
    // Every message caught in the window is sent again (rather than lost), and nothing else is.
    expect(repeats).toBe(inWindow);
    expect(repeats).toBeGreaterThan(0);
    expect(repeats).toBeLessThanOrEqual(connections);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(SUBSCRIBERS);
  });
});
