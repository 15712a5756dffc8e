// Password hashing behind a small interface: argon2id (memory-hard) in production, cheaper in tests.
type Argon2 = typeof import('@node-rs/argon2');
let argon2: Promise<Argon2> | null = null;
/** The native module loads on first use: commands that never hash a password (a cold `search`) skip about 0.1 s. */
const loadArgon2 = (): Promise<Argon2> => (argon2 ??= import('@node-rs/argon2'));

/** argon2's algorithm number for argon2id (the package's const enum cannot be imported under verbatimModuleSyntax). */
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or an unreadable hash; never throws for bad input. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export interface Argon2Options {
  /** KiB of memory per hash; OWASP's minimum for argon2id is 19456 (19 MiB). */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's recommended argon2id settings (2024 password storage cheat sheet). */
export const OWASP_ARGON2: Argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * An argon2id hasher; hashes carry their own parameters, so raising the cost later keeps old hashes valid.
 * @example const h = createArgon2Hasher(); await h.verify(await h.hash('pw'), 'pw'); // true
 */
export function createArgon2Hasher(opts: Argon2Options = OWASP_ARGON2): PasswordHasher {
  return {
    hash: async (password) => (await loadArgon2()).hash(password, { algorithm: ARGON2ID, ...opts }),
    async verify(passwordHash, password) {
      const { verify } = await loadArgon2();
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
  };
}
