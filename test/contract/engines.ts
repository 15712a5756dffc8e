// Runs a contract suite once per store engine: a real SQLite file and a real PostgreSQL database.
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  createTestDatabase,
  postgresRequired,
  postgresUnavailable,
  releaseTestPostgresServer,
  testPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';
import { tempStore, type TempStore } from '../helpers/temp-store.ts';

export type EngineName = 'sqlite' | 'postgres';

/** What a contract test sees: the engine's fresh store and a clock it may move. */
export interface EngineContext {
  readonly engine: EngineName;
  readonly store: Store;
  /** The store's clock; tests set it to move time. */
  now: Date;
}

const START = new Date('2026-11-28T12:00:00Z');

/**
 * Declares `name` once per engine; `body` registers tests that use `t.store`, a fresh empty store per test.
 * PostgreSQL runs on CI's server or a throwaway cluster; without PostgreSQL it is skipped with the reason,
 * unless PAPERBOY_REQUIRE_POSTGRES=1, when it fails.
 * @example forEachEngine('votes', (t) => it('counts', async () => { await t.store.votes.counts([]); }));
 */
export function forEachEngine(name: string, body: (t: EngineContext) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const suite = engine === 'postgres' ? describePostgres : describe;
    suite(`${name} (${engine})`, () => {
      const t = context(engine);
      let cleanup: () => Promise<void> = async () => undefined;
      beforeEach(async () => {
        t.now = new Date(START);
        const opened = await openEngine(engine, () => new Date(t.now));
        t.store = opened.store;
        cleanup = opened.cleanup;
      });
      afterEach(async () => cleanup());
      body(t);
    });
  }
}

/**
 * A describe block that needs a PostgreSQL server: skipped with the reason when none is available, failing
 * instead when PAPERBOY_REQUIRE_POSTGRES=1; the throwaway server stops after the block.
 * @example describePostgres('migrations', () => it('refuses a newer schema', async () => { ... }));
 */
export function describePostgres(name: string, body: () => void): void {
  const missing = postgresUnavailable();
  if (missing !== null && !postgresRequired()) {
    describe.skip(`${name} (skipped: ${missing})`, body);
    return;
  }
  describe(name, () => {
    beforeAll(async () => {
      if (missing !== null) throw new Error(`PAPERBOY_REQUIRE_POSTGRES=1 but ${missing}`);
      await testPostgresServer();
    });
    afterAll(releaseTestPostgresServer);
    body();
  });
}

function context(engine: EngineName): EngineContext & { store: Store } {
  return { engine, store: undefined as unknown as Store, now: new Date(START) };
}

async function openEngine(
  engine: EngineName,
  now: () => Date,
): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (engine === 'sqlite') {
    const t: TempStore = await tempStore(now);
    return { store: t.store, cleanup: () => t.cleanup() };
  }
  const db: TestDatabase = await createTestDatabase();
  const store = await createPostgresStore(db.url, now);
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
