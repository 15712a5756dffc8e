// `paperboy serve --port 0` without PAPERBOY_BASE_URL: mailed links carry the port really listened on (not PORT's
// 8080), and serve warns once that the base URL is not configured. Mail goes to a real SMTP server on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.ts';
import { TEST_SECRET } from '../helpers/reader-env.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

let dir: string;
let sink: SmtpSink;
let child: ChildProcess;
let base = '';
let log = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-base-url-'));
  sink = await startSmtpSink();
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: join(dir, 'paperboy.db'),
    PAPERBOY_SECRET: TEST_SECRET,
    PAPERBOY_HARVEST: 'false',
    PAPERBOY_BASE_URL: '',
    SMTP_URL: sink.url,
    HOST: '127.0.0.1',
    PORT: '8080',
    LOG_LEVEL: 'info',
  };
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${log}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log += `${line}\n`;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Posts a form the way a browser does: the CSRF cookie and token from the form page first. */
async function postForm(page: string, action: string, fields: Record<string, string>): Promise<number> {
  const form = await fetch(`${base}${page}`);
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}${action}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ _csrf: token, ...fields }),
    redirect: 'manual',
  });
  return res.status;
}

async function mailTo(to: string): Promise<string> {
  await sink.waitFor((e) => e.event === 'accepted' && e.to === to);
  const mail = (await sink.messages()).find((m) => !Array.isArray(m.to) && m.to?.text === to);
  return mail?.text ?? '';
}

describe('serve --port 0 without PAPERBOY_BASE_URL', () => {
  it('mails sign-up links with the port it listens on', async () => {
    expect(base).not.toBe('http://127.0.0.1:8080');
    const status = await postForm('/signup', '/signup', {
      email: 'ada@example.org',
      password: 'correct horse battery',
      name: 'Ada',
    });
    expect(status).toBe(200);
    expect(await mailTo('ada@example.org')).toContain(`${base}/confirm/`);
  });

  it('mails digest confirmation links with the port it listens on', async () => {
    const status = await postForm('/digest', '/digest/subscribe', { email: 'grace@example.org' });
    expect(status).toBeLessThan(400);
    expect(await mailTo('grace@example.org')).toContain(`${base}/digest/confirm/`);
  });

  it('warns once that the base URL is not configured', () => {
    const warnings = log.split('\n').filter((l) => l.includes('PAPERBOY_BASE_URL is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(base);
  });
});
