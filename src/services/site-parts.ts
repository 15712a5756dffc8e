// The parts every feature shares, built once per process: log, mailer, rate limiter, site origin, secret.
import type { Config } from '../config.ts';
import {
  createFileMailer,
  createLogger,
  createLogMailer,
  createRateLimiter,
  createSiteOrigin,
  createSmtpMailer,
  createSmtpTransport,
  type Logger,
  type Mailer,
  trackSends,
  type TrackedMailer,
  type MailTransport,
  type RateLimiter,
  type RateShare,
  resolveServerSecret,
  type ServerSecret,
  type SiteOrigin,
} from '../platform/index.ts';
import { parseDatabaseUrl } from '../store/db.ts';

/** What callers (serve, tests) may supply instead of the configured parts. */
export interface SitePartsDeps {
  /** Outgoing mail; default: SMTP when SMTP_URL is set, else PAPERBOY_MAIL_DIR files, else the log. */
  mailer?: Mailer;
  log?: Logger;
  limiter?: RateLimiter;
  /** This process's share of the rate limits when several serve side by side (`serve --workers N`). */
  rateShare?: RateShare;
  /** Where mailed links point; serve tells it the address it listens on. */
  origin?: SiteOrigin;
}

export interface SiteParts {
  readonly now: () => Date;
  readonly log: Logger;
  /** The mailer the whole site uses (accounts, digest confirmations). */
  readonly mailer: TrackedMailer;
  /** The SMTP transport behind it when SMTP_URL is set (digests send through it with their own headers). */
  readonly smtp: MailTransport | null;
  /** One limiter for every feature, so each mail budget counts every action together. */
  readonly limiter: RateLimiter;
  /** One origin for every mailed link. */
  readonly origin: SiteOrigin;
  /** The signing secret: PAPERBOY_SECRET, or a generated one kept beside the database (resolved on first use). */
  serverSecret(): ServerSecret;
  close(): void;
}

/** Builds the shared parts from the configuration, taking any that `deps` supplies. */
export function createSiteParts(config: Config, now: () => Date, deps: SitePartsDeps = {}): SiteParts {
  const log = deps.log ?? createLogger(config.LOG_LEVEL, (l) => process.stderr.write(`${l}\n`));
  const smtp =
    config.SMTP_URL !== ''
      ? createSmtpTransport(config.SMTP_URL, config.DIGEST_FROM, {
          ratePerSecond: config.DIGEST_RATE_PER_SECOND,
        })
      : null;
  // Tracked, so that whoever needs to (tests, shutdown) can await the mail still being sent.
  const mailer = trackSends(
    deps.mailer ??
      (smtp
        ? createSmtpMailer(smtp)
        : config.PAPERBOY_MAIL_DIR !== ''
          ? createFileMailer(config.PAPERBOY_MAIL_DIR, now)
          : createLogMailer(log)),
  );
  let secret: ServerSecret | null = null;
  return {
    now,
    log,
    mailer,
    smtp,
    limiter: deps.limiter ?? createRateLimiter(() => now().getTime(), { share: deps.rateShare }),
    origin: deps.origin ?? createSiteOrigin(config),
    serverSecret: () =>
      (secret ??= resolveServerSecret(
        config.PAPERBOY_SECRET,
        parseDatabaseUrl(config.DATABASE_URL).location,
      )),
    close: () => smtp?.close(),
  };
}
