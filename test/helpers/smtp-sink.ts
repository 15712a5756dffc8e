// Starts the SMTP sink (smtp-sink-process.ts) in a child process and reads its messages back with mailparser.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SinkOptions {
  rcptDelayMs?: number;
  reject?: string[];
  tempFail?: string[];
  tempFails?: number;
  /** Store messages but hold their 250 answers until releaseAcks() (the window a kill can repeat). */
  holdAcks?: boolean;
  /** Once this many messages are stored, hold every RCPT answer until releaseRcpts() (a sender stopped mid-message). */
  holdRcptAfter?: number;
}

/** One line the sink reported: `rcpt` (held: answered only on release), `accepted`, `listening`, `error`. */
export interface SinkEvent {
  event: string;
  to?: string;
  held?: boolean;
}

export interface SmtpSink {
  port: number;
  url: string;
  /** Every event so far ({event:'rcpt'|'accepted', to}). */
  events: SinkEvent[];
  /** Resolves when an event matches. */
  waitFor(pred: (e: SinkEvent) => boolean, timeoutMs?: number): Promise<void>;
  /** The accepted messages, parsed, in order of acceptance. */
  messages(): Promise<ParsedMail[]>;
  /** Sends the held 250 answers and stops holding (see SinkOptions.holdAcks). */
  releaseAcks(): void;
  /** Answers the held RCPTs and stops holding them (see SinkOptions.holdRcptAfter). */
  releaseRcpts(): void;
  stop(): Promise<void>;
}

const SCRIPT = resolve(import.meta.dirname, 'smtp-sink-process.ts');

/**
 * @example const sink = await startSmtpSink({ reject: ['gone@example.org'] }); ... await sink.stop();
 */
export async function startSmtpSink(o: SinkOptions = {}): Promise<SmtpSink> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-smtp-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      SINK_DIR: dir,
      SINK_RCPT_DELAY_MS: String(o.rcptDelayMs ?? 0),
      SINK_REJECT: (o.reject ?? []).join(','),
      SINK_TEMP_FAIL: (o.tempFail ?? []).join(','),
      SINK_TEMP_FAILS: String(o.tempFails ?? 0),
      SINK_HOLD_ACKS: o.holdAcks === true ? '1' : '0',
      SINK_HOLD_RCPT_AFTER: String(o.holdRcptAfter ?? -1),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: (SinkEvent & { port?: number })[] = [];
  const waiters: { pred: (e: SinkEvent) => boolean; done: () => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const e = JSON.parse(line) as SinkEvent & { port?: number };
    events.push(e);
    for (const w of [...waiters]) if (w.pred(e)) w.done();
  });
  const waitFor = (pred: (e: SinkEvent) => boolean, timeoutMs = 30_000) =>
    new Promise<void>((done, fail) => {
      if (events.some(pred)) return done();
      const t = setTimeout(() => fail(new Error('SMTP sink: timed out waiting for an event')), timeoutMs);
      waiters.push({ pred, done: () => (clearTimeout(t), done()) });
    });
  await waitFor((e) => e.event === 'listening');
  const port = events.find((e) => e.event === 'listening')?.port ?? 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    events,
    waitFor,
    async messages() {
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort();
      return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
    },
    releaseAcks() {
      child.stdin?.write('release\n');
    },
    releaseRcpts() {
      child.stdin?.write('release rcpt\n');
    },
    async stop() {
      child.stdin?.end();
      await new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
