// Chooses and opens the storage engine named by DATABASE_URL.
import { resolve } from 'node:path';
import { AppError } from '../errors.ts';
import { createSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  /** Injected clock for timestamps; defaults to the system clock. */
  now?: () => Date;
}

/**
 * Resolves DATABASE_URL to an engine and location: a plain path or `sqlite:` URL selects SQLite.
 * @example parseDatabaseUrl('sqlite:./data/paperboy.db') // { engine: 'sqlite', location: '/abs/data/paperboy.db' }
 */
export function parseDatabaseUrl(url: string): { engine: 'sqlite'; location: string } {
  const u = url.trim();
  if (/^postgres(ql)?:\/\//i.test(u)) {
    throw new AppError(
      'CONFIG_INVALID',
      'DATABASE_URL: the PostgreSQL engine is not available in this version yet; use a SQLite path such as ./data/paperboy.db',
    );
  }
  if (u === ':memory:' || u === 'sqlite::memory:') return { engine: 'sqlite', location: ':memory:' };
  if (/^sqlite:/i.test(u)) {
    const rest = u.replace(/^sqlite:(\/\/)?/i, '');
    if (rest === '') throw new AppError('CONFIG_INVALID', 'DATABASE_URL: sqlite: URL has no path');
    return { engine: 'sqlite', location: resolve(rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    throw new AppError(
      'CONFIG_INVALID',
      `DATABASE_URL: unsupported scheme in "${u}"; use a file path or sqlite: URL`,
    );
  }
  return { engine: 'sqlite', location: resolve(u) };
}

/**
 * Opens the store, running migrations.
 * @example const store = await openStore('./data/paperboy.db');
 */
export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const { location } = parseDatabaseUrl(databaseUrl);
  return createSqliteStore(location, opts.now ?? (() => new Date()));
}
