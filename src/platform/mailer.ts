// Outgoing mail behind one interface; development mailers log the message or write .eml files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from './secure-random.ts';
import type { Logger } from './logger.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Logs each mail (for development: the link to click is in the log).
 */
export function createLogMailer(log: Logger): Mailer {
  return {
    async send(mail) {
      log.info(`mail to ${mail.to}: ${mail.subject}\n${mail.text}`);
    },
  };
}

/** Encodes a header value with non-ASCII characters as an RFC 2047 encoded word. */
function headerValue(v: string): string {
  const clean = v.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
}

/**
 * Writes each mail as an .eml file in `dir` (newest last by name), for development and browser tests.
 */
export function createFileMailer(dir: string, now: () => Date): Mailer {
  return {
    async send(mail) {
      mkdirSync(dir, { recursive: true });
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      const body = [
        `Date: ${now().toUTCString()}`,
        'From: Paperboy <paperboy@localhost>',
        `To: ${headerValue(mail.to)}`,
        `Subject: ${headerValue(mail.subject)}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        mail.text.replace(/\r?\n/g, '\r\n'),
      ].join('\r\n');
      writeFileSync(join(dir, `${stamp}-${randomToken(6)}.eml`), body, { mode: 0o600 });
    },
  };
}

/** A mailer that knows which of its sends are still in flight. */
export interface TrackedMailer extends Mailer {
  /** Resolves once every send started so far has finished (delivered or failed); at once when none is. */
  idle(): Promise<void>;
}

/**
 * Wraps a mailer so that background sends can be awaited: tests wait for the mail instead of sleeping,
 * and a stopping server can let the last confirmations go out.
 * @example const mailer = trackSends(createLogMailer(log)); deliverLater(mailer, log, mail); await mailer.idle();
 */
export function trackSends(inner: Mailer): TrackedMailer {
  const inFlight = new Set<Promise<void>>();
  return {
    send(mail) {
      const sending = inner.send(mail);
      const settled = sending.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return sending;
    },
    async idle() {
      // A send may start while an earlier one finishes, so look again until none is left.
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

/**
 * Sends without waiting, logging failures: flows that must not reveal whether an address has an
 * account answer at once and alike, whatever the mail server does.
 */
export function deliverLater(mailer: Mailer, log: Logger, mail: Mail): void {
  mailer
    .send(mail)
    .catch((err: unknown) => log.error(`could not send "${mail.subject}" to ${mail.to}: ${String(err)}`));
}
