// A real SQLite store with the full services and web app, a cheap argon2id, a mail catcher and a settable clock.
import type { Hono } from 'hono';
import { loadConfig } from '../../src/config.ts';
import type { PaperInput } from '../../src/domain/index.ts';
import type { Mail, Mailer } from '../../src/platform/mailer.ts';
import { createArgon2Hasher } from '../../src/platform/password-hasher.ts';
import { createServices, type ServiceDeps, type Services } from '../../src/services/services.ts';
import { createApp } from '../../src/web/app.ts';
import type { WebEnv } from '../../src/web/web-env.ts';
import { tempStore, type TempStore } from './temp-store.ts';

export interface ReaderEnv {
  services: Services;
  temp: TempStore;
  mails: Mail[];
  clock: { now: () => Date; set(iso: string): void; advance(ms: number): void };
  /** Resolves once every mail the site sent in the background so far has been delivered to `mails`. */
  mailed(): Promise<void>;
  /** The last link in the last mail sent to `to`. */
  lastLink(to: string): string;
  addPapers(papers: PaperInput[]): Promise<void>;
  cleanup(): Promise<void>;
}

/** A cheap argon2id so tests stay fast (production uses OWASP's settings). */
export const TEST_HASHER = createArgon2Hasher({ memoryCost: 256, timeCost: 1, parallelism: 1 });

/** A secret long enough for the config check; never used outside tests. */
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** Builds the environment; `env` adds configuration variables, `deps` replaces collaborators. */
export async function readerEnv(
  env: Record<string, string> = {},
  deps: ServiceDeps = {},
): Promise<ReaderEnv> {
  let t = Date.parse('2026-07-02T12:00:00Z');
  // Throttles (search applies store changes at most every 200 ms) run on real time plus what tests skip.
  let skipped = 0;
  const clock = {
    now: () => new Date(t),
    set: (iso: string) => (t = Date.parse(iso)),
    advance: (ms: number) => {
      t += ms;
      skipped += ms;
    },
  };
  const temp = await tempStore(clock.now);
  const mails: Mail[] = [];
  // Delivered on a later turn of the event loop, as a real mail server would: tests await `mailed()`.
  const mailer: Mailer = {
    send: async (m) => {
      await new Promise((r) => setImmediate(r));
      mails.push(m);
    },
  };
  const config = loadConfig({
    DATABASE_URL: temp.path,
    PAPERBOY_SECRET: TEST_SECRET,
    PAPERBOY_HARVEST: 'false',
    ARXIV_DELAY_MS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const services = createServices(temp.store, config, {
    hasher: TEST_HASHER,
    mailer,
    now: clock.now,
    elapsedMs: () => Date.now() + skipped,
    ...deps,
  });
  return {
    services,
    temp,
    mails,
    clock,
    mailed: () => services.digest.mailer.idle(),
    lastLink(to) {
      const mail = mails.filter((m) => m.to === to).at(-1);
      const link = mail?.text.match(/https?:\/\/\S+/g)?.at(-1);
      if (link === undefined) throw new Error(`no link mailed to ${to}`);
      return link;
    },
    async addPapers(papers) {
      await temp.store.papers.upsertMany(papers);
    },
    cleanup: () => temp.cleanup(),
  };
}

/** The environment plus the web app over it. */
export async function webEnv(
  env: Record<string, string> = {},
  deps: ServiceDeps = {},
): Promise<ReaderEnv & { app: Hono<WebEnv> }> {
  const e = await readerEnv(env, deps);
  return { ...e, app: createApp(e.services) };
}
