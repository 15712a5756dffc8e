// The server's signing secret: PAPERBOY_SECRET, else one generated once into a file beside the database.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.ts';
import { randomToken } from './secure-random.ts';

export interface ServerSecret {
  value: string;
  /** Where it came from, for the start-up log. */
  origin: 'config' | 'file' | 'generated' | 'ephemeral';
  path: string | null;
}

const HOW =
  'Set PAPERBOY_SECRET to a random value of at least 32 characters, e.g. `export PAPERBOY_SECRET=$(openssl rand -hex 32)`.';

/** Writes the file only if it does not exist yet; false when another process won the race. */
function createOnce(path: string, value: string): boolean {
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Resolves the secret: the configured one, else `<database folder>/secret` (created with mode 0600 on first
 * use), else for an in-memory database a random one that lasts as long as the process.
 * @example resolveServerSecret('', '/srv/paperboy/paperboy.db') // { origin: 'generated', path: '/srv/paperboy/secret', ... }
 */
export function resolveServerSecret(configured: string, databaseLocation: string): ServerSecret {
  if (configured !== '') return { value: configured, origin: 'config', path: null };
  if (databaseLocation === ':memory:') return { value: randomToken(32), origin: 'ephemeral', path: null };
  if (/^postgres(ql)?:\/\//i.test(databaseLocation))
    throw new AppError(
      'CONFIG_INVALID',
      `PAPERBOY_SECRET is required with PostgreSQL: every node must sign and check sessions and links with the same secret. ${HOW}`,
    );
  const path = join(dirname(databaseLocation), 'secret');
  try {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      const value = randomToken(32);
      if (createOnce(path, value)) return { value, origin: 'generated', path };
    }
    const value = readFileSync(path, 'utf8').trim();
    if (value.length < 32) throw new Error(`${path} holds fewer than 32 characters`);
    return { value, origin: 'file', path };
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `No PAPERBOY_SECRET and cannot use ${path}: ${(err as Error).message}. ${HOW}`,
      [],
      {
        cause: err,
      },
    );
  }
}
