// Wires the digest pieces (subscriptions, selection, outbox delivery, scheduler) and the site's mailer.
import type { Config } from '../../config.ts';
import type { JobLease, Logger, Mailer, MailTransport, TrackedMailer } from '../../platform/index.ts';
import type { Store } from '../../store/store.ts';
import type { SiteParts } from '../site-parts.ts';
import { createDigestDelivery, type DigestDelivery } from './digest-delivery.ts';
import { startDigestScheduler } from './digest-scheduler.ts';
import { createDigestSelector, type PersonalSections } from './digest-select.ts';
import { createDigestService, type DigestService } from './digest-service.ts';

export interface DigestServices {
  readonly subscriptions: DigestService;
  readonly delivery: DigestDelivery;
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
  /** Replaces the SMTP transport of digests (tests). */
  transport?: MailTransport;
  /** Personal sections (for you, alerts, followed authors); see digest-select.ts. */
  personalSections?: PersonalSections;
  /** Delivery tuning for tests and benchmarks. */
  backoffMs?: number;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Message-only transport over a Mailer, for installations without SMTP (the text part goes to the log or files). */
function mailerTransport(mailer: Mailer): MailTransport {
  return { send: (m) => mailer.send({ to: m.to, subject: m.subject, text: m.text }), close: () => {} };
}

/** The digest feature over the site's shared parts (mailer, limiter, origin and secret come from there). */
export function createDigestServices(
  store: Store,
  config: Config,
  parts: SiteParts,
  deps: DigestServiceDeps = {},
): DigestServices {
  const { now, log, mailer, origin } = parts;
  const transport = deps.transport ?? parts.smtp ?? mailerTransport(mailer);
  const secret = (): string => parts.serverSecret().value;
  const subscriptions = createDigestService({
    store,
    mailer,
    log,
    limiter: parts.limiter,
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
      if (deps.transport) deps.transport.close();
    },
  };
}
