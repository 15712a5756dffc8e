// Wires the reader-facing use cases (accounts, votes, library, listings, submit) for the Services bundle.
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import {
  type AccountSettingsService,
  type AccountsService,
  type ApiTokensService,
  createAccountSettingsService,
  createAccountsService,
  createApiTokensService,
  createPasswordResetService,
  type PasswordResetService,
} from './accounts/index.ts';
import type { HarvestService } from './ingest/index.ts';
import {
  createLibraryService,
  createListingsService,
  createSubmitService,
  createVotesService,
  type LibraryService,
  type ListingsService,
  type SubmitService,
  type VotesService,
} from './papers/index.ts';
import {
  createArgon2Hasher,
  type PasswordHasher,
  type ServerSecret,
  type SiteOrigin,
} from '../platform/index.ts';
import type { SiteParts } from './site-parts.ts';

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
}

/** The reader-facing features over the site's shared parts. */
export function createReaderServices(
  store: Store,
  config: Config,
  harvest: HarvestService,
  parts: SiteParts,
  deps: ReaderServiceDeps = {},
): ReaderServices {
  const { now, log, mailer, limiter, origin, serverSecret } = parts;
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
