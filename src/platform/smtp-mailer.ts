// Outgoing mail over SMTP (nodemailer, pooled and rate-limited), and how SMTP failures are classified.
import type { Transporter } from 'nodemailer';
import { redactUrl } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Mailer } from './mailer.ts';

/** A message with both parts and the headers a digest needs. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** `<id@host>`; stays the same when a message is retried. */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  /** Resolves once the server accepted the message (250 after DATA); rejects with the SMTP error. */
  send(m: OutgoingMessage): Promise<void>;
  close(): void;
}

export interface SmtpOptions {
  /** Messages per second at most (0: no limit). */
  ratePerSecond?: number;
  /** Pooled connections (default 5, or `?maxConnections=` in the URL). */
  maxConnections?: number;
  /** Socket inactivity timeout in ms (a hanging server). */
  socketTimeoutMs?: number;
}

/** What one failed send means for the outbox. */
export interface SmtpFailure {
  /** A 5xx answer: the address (or message) is refused for good. */
  permanent: boolean;
  code: number | null;
  detail: string;
}

/**
 * Classifies a send error: 5xx answers are permanent, 4xx answers and broken or timed-out connections transient.
 * @example classifySmtpError(Object.assign(new Error('550 no such user'), { responseCode: 550 })).permanent // true
 */
export function classifySmtpError(err: unknown): SmtpFailure {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const detail = `${typeof e.code === 'string' ? `${e.code}: ` : ''}${String(e.message ?? err)}`.replace(
    /\s+/g,
    ' ',
  );
  return { permanent: code !== null && code >= 500 && code < 600, code, detail: detail.slice(0, 300) };
}

function parseSmtpUrl(url: string): {
  host: string;
  port: number;
  secure: boolean;
  query: URLSearchParams;
} & {
  auth?: { user: string; pass: string };
} {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('CONFIG_INVALID', `SMTP_URL "${redactUrl(url)}" is not a URL`);
  }
  const secure = u.protocol === 'smtps:';
  const auth =
    u.username !== ''
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port !== '' ? Number(u.port) : secure ? 465 : 587,
    secure,
    query: u.searchParams,
    ...(auth ? { auth } : {}),
  };
}

/**
 * A pooled SMTP transport from an `smtp://` or `smtps://` URL (`?maxConnections=N` is honoured).
 * @example const t = createSmtpTransport('smtp://127.0.0.1:2525', 'Paperboy <p@example.org>', { ratePerSecond: 50 });
 */
export function createSmtpTransport(url: string, from: string, o: SmtpOptions = {}): MailTransport {
  const p = parseSmtpUrl(url);
  const maxConnections = Number(p.query.get('maxConnections') ?? o.maxConnections ?? 5);
  const rate = o.ratePerSecond ?? 0;
  // nodemailer (39 modules) is imported at the first message: commands that send none never load it.
  const options = {
    pool: true,
    host: p.host,
    port: p.port,
    secure: p.secure,
    ...(p.auth ? { auth: p.auth } : {}),
    maxConnections: Number.isInteger(maxConnections) && maxConnections > 0 ? maxConnections : 5,
    maxMessages: 1000,
    ...(rate > 0 ? { rateLimit: rate, rateDelta: 1000 } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: o.socketTimeoutMs ?? 60_000,
    tls: { rejectUnauthorized: p.query.get('tlsInsecure') !== 'true' },
  };
  let transporter: Promise<Transporter> | null = null;
  return {
    async send(m) {
      transporter ??= import('nodemailer').then((n) => n.default.createTransport(options));
      await (
        await transporter
      ).sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html !== undefined ? { html: m.html } : {}),
        ...(m.messageId !== undefined ? { messageId: m.messageId } : {}),
        ...(m.headers !== undefined ? { headers: m.headers } : {}),
      });
    },
    close() {
      void transporter?.then((t) => t.close());
    },
  };
}

/**
 * The site's Mailer (sign-up and reset links) over an SMTP transport.
 */
export function createSmtpMailer(transport: MailTransport): Mailer {
  return { send: (mail) => transport.send({ to: mail.to, subject: mail.subject, text: mail.text }) };
}
