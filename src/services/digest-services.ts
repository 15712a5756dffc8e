// Wires the digest pieces (subscriptions, selection, outbox delivery, scheduler) and the site's mailer.
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import { createDigestDelivery, type DigestDelivery } from './digest-delivery.ts';
import { startDigestScheduler } from './digest-scheduler.ts';
import type { JobLease } from './job-lease.ts';
import { createDigestSelector, type PersonalSections } from './digest-select.ts';
import { createDigestService, type DigestService } from './digest-service.ts';
import { createLogger, type Logger } from './logger.ts';
import { createFileMailer, createLogMailer, trackSends, type Mailer, type TrackedMailer } from './mailer.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { createSiteOrigin, type SiteOrigin } from './site-origin.ts';
import { resolveServerSecret } from './server-secret.ts';
import { createSmtpMailer, createSmtpTransport, type MailTransport } from './smtp-mailer.ts';

export interface DigestServices {
  readonly subscriptions: DigestService;
  readonly delivery: DigestDelivery;
  /** Starts the per-minute digest loop of `serve`. */
  /** Starts the every-minute digest job; with a lease, only one node of a cluster runs it at a time. */
  schedule(
    log: Logger,
    intervalMs?: number,
    lease?: JobLease,
  ): { stop(): Promise<void>; tick(): Promise<void> };
  /** The mailer the whole site uses: SMTP when SMTP_URL is set, else PAPERBOY_MAIL_DIR files, else the log. */
  readonly mailer: TrackedMailer;
  close(): void;
}

export interface DigestServiceDeps {
  mailer?: Mailer;
  /** Replaces the SMTP transport of digests (tests). */
  transport?: MailTransport;
  log?: Logger;
  now?: () => Date;
  /** Personal sections (for you, alerts, followed authors); see digest-select.ts. */
  personalSections?: PersonalSections;
  /** Delivery tuning for tests and benchmarks. */
  backoffMs?: number;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The origin of links in confirmations and digests, shared with the reader services. */
  origin?: SiteOrigin;
  /** Rate limits; shared with the account services so one mail budget covers every action. */
  limiter?: RateLimiter;
}

/** Message-only transport over a Mailer, for installations without SMTP (the text part goes to the log or files). */
function mailerTransport(mailer: Mailer): MailTransport {
  return { send: (m) => mailer.send({ to: m.to, subject: m.subject, text: m.text }), close: () => {} };
}

/**
 * @example const digest = createDigestServices(store, config, { now });
 */
export function createDigestServices(
  store: Store,
  config: Config,
  deps: DigestServiceDeps = {},
): DigestServices {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? createLogger(config.LOG_LEVEL, (l) => process.stderr.write(`${l}\n`));
  const smtp =
    config.SMTP_URL !== ''
      ? createSmtpTransport(config.SMTP_URL, config.DIGEST_FROM, {
          ratePerSecond: config.DIGEST_RATE_PER_SECOND,
        })
      : null;
  const mailer = trackSends(
    deps.mailer ??
      (smtp
        ? createSmtpMailer(smtp)
        : config.PAPERBOY_MAIL_DIR !== ''
          ? createFileMailer(config.PAPERBOY_MAIL_DIR, now)
          : createLogMailer(log)),
  );
  const transport = deps.transport ?? smtp ?? mailerTransport(mailer);
  let secretValue: string | null = null;
  const secret = (): string =>
    (secretValue ??= resolveServerSecret(
      config.PAPERBOY_SECRET,
      parseDatabaseUrl(config.DATABASE_URL).location,
    ).value);
  const origin = deps.origin ?? createSiteOrigin(config);
  const subscriptions = createDigestService({
    store,
    mailer,
    log,
    limiter: deps.limiter ?? createRateLimiter(() => now().getTime()),
    now,
    // Read when a mail is written: serve learns its port (`--port 0`) only after the services exist.
    get baseUrl() {
      return origin.url();
    },
    secret,
  });
  const delivery = createDigestDelivery({
    store,
    selector: createDigestSelector(store, deps.personalSections),
    transport,
    links: (sub) => subscriptions.links(sub),
    secret,
    get baseUrl() {
      return origin.url();
    },
    now,
    log,
    skipEmpty: config.DIGEST_SKIP_EMPTY,
    ...(deps.backoffMs !== undefined ? { backoffMs: deps.backoffMs } : {}),
    ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
    ...(deps.sleep !== undefined ? { sleep: deps.sleep } : {}),
  });
  return {
    subscriptions,
    delivery,
    mailer,
    schedule: (l, intervalMs, lease) => startDigestScheduler({ delivery, log: l, intervalMs, lease }),
    close: () => {
      smtp?.close();
      if (deps.transport) deps.transport.close();
    },
  };
}
