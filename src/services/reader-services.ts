// Wires the reader-facing use cases (accounts, votes, library, listings, submit) for the Services bundle.
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import { createAccountSettingsService, type AccountSettingsService } from './accounts/index.ts';
import { createAccountsService, type AccountsService } from './accounts/index.ts';
import { createApiTokensService, type ApiTokensService } from './accounts/index.ts';
import type { HarvestService } from './ingest/index.ts';
import { createLibraryService, type LibraryService } from './papers/index.ts';
import { createListingsService, type ListingsService } from './papers/index.ts';
import { createLogger, type Logger } from '../platform/index.ts';
import { createFileMailer, createLogMailer, type Mailer } from '../platform/index.ts';
import { createArgon2Hasher, type PasswordHasher } from '../platform/index.ts';
import { createPasswordResetService, type PasswordResetService } from './accounts/index.ts';
import { createRateLimiter, type RateLimiter } from '../platform/index.ts';
import { resolveServerSecret, type ServerSecret } from '../platform/index.ts';
import { createSiteOrigin, type SiteOrigin } from '../platform/index.ts';
import { createSubmitService, type SubmitService } from './papers/index.ts';
import { createVotesService, type VotesService } from './papers/index.ts';

export interface ReaderServices {
  readonly accounts: AccountsService;
  readonly accountSettings: AccountSettingsService;
  readonly passwordResets: PasswordResetService;
  readonly apiTokens: ApiTokensService;
  readonly votes: VotesService;
  readonly library: LibraryService;
  readonly listings: ListingsService;
  readonly submissions: SubmitService;
  /** The public origin used in e-mailed links (PAPERBOY_BASE_URL, else the address serve listens on). */
  readonly baseUrl: string;
  /** Where that origin comes from; serve tells it the address it listens on. */
  readonly origin: SiteOrigin;
  /** The signing secret: PAPERBOY_SECRET, or a generated one kept beside the database (resolved on first use). */
  serverSecret(): ServerSecret;
}

export interface ReaderServiceDeps {
  /** Password hashing; tests pass a cheaper argon2id. */
  hasher?: PasswordHasher;
  /** Outgoing mail; default: PAPERBOY_MAIL_DIR files, else the log. */
  mailer?: Mailer;
  log?: Logger;
  limiter?: RateLimiter;
  now?: () => Date;
  /** Shared with the digest services, so that every mailed link uses the same origin. */
  origin?: SiteOrigin;
}

/**
 * @example const readers = createReaderServices(store, config, harvest, { now: () => new Date() });
 */
export function createReaderServices(
  store: Store,
  config: Config,
  harvest: HarvestService,
  deps: ReaderServiceDeps,
): ReaderServices {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? createLogger(config.LOG_LEVEL, (l) => process.stderr.write(`${l}\n`));
  const mailer =
    deps.mailer ??
    (config.PAPERBOY_MAIL_DIR !== ''
      ? createFileMailer(config.PAPERBOY_MAIL_DIR, now)
      : createLogMailer(log));
  const limiter = deps.limiter ?? createRateLimiter(() => now().getTime());
  const origin = deps.origin ?? createSiteOrigin(config);
  let secret: ServerSecret | null = null;
  const serverSecret = (): ServerSecret =>
    (secret ??= resolveServerSecret(config.PAPERBOY_SECRET, parseDatabaseUrl(config.DATABASE_URL).location));
  const accountDeps = {
    store,
    hasher: deps.hasher ?? createArgon2Hasher(),
    mailer,
    limiter,
    log,
    now,
    // Read when a mail is written: serve learns its port (`--port 0`) only after the services exist.
    get baseUrl() {
      return origin.url();
    },
    sessionDays: config.PAPERBOY_SESSION_DAYS,
    secret: () => serverSecret().value,
  };
  return {
    accounts: createAccountsService(accountDeps),
    accountSettings: createAccountSettingsService(accountDeps),
    passwordResets: createPasswordResetService(accountDeps),
    apiTokens: createApiTokensService(store),
    votes: createVotesService(store, now),
    library: createLibraryService(store, () => serverSecret().value),
    listings: createListingsService(store, now),
    submissions: createSubmitService({ store, harvest, limiter }),
    get baseUrl() {
      return origin.url();
    },
    origin,
    serverSecret,
  };
}
