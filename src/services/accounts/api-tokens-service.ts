// Use cases: personal API tokens — create (shown once), list, revoke, and authenticate a bearer token.
import type { ApiTokenInfo, User } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { checkName, randomToken, tokenHash } from '../../platform/index.ts';

export interface ApiTokensService {
  create(userId: number, name: string): Promise<{ token: string; info: ApiTokenInfo }>;
  list(userId: number): Promise<ApiTokenInfo[]>;
  revoke(userId: number, id: number): Promise<void>;
  /** The owner of a bearer token, or null. */
  authenticate(token: string): Promise<User | null>;
}

/** Tokens start with this, so secret scanners and readers can recognise them. */
export const TOKEN_PREFIX = 'pb_';
const MAX_TOKENS = 20;

/**
 * @example const { token } = await createApiTokensService(store).create(user.id, 'laptop'); // 'pb_...'
 */
export function createApiTokensService(store: Store): ApiTokensService {
  return {
    async create(userId, rawName) {
      const name = checkName(rawName) || 'token';
      if ((await store.apiTokens.list(userId)).length >= MAX_TOKENS) {
        throw new AppError('CONFLICT', `You have ${MAX_TOKENS} tokens already; revoke one first.`);
      }
      const token = `${TOKEN_PREFIX}${randomToken(32)}`;
      const info = await store.apiTokens.create(userId, name, token.slice(0, 10), tokenHash(token));
      return { token, info };
    },
    list: (userId) => store.apiTokens.list(userId),
    async revoke(userId, id) {
      if (!(await store.apiTokens.revoke(userId, id)))
        throw new AppError('NOT_FOUND', `You have no token ${id}.`);
    },
    async authenticate(token) {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
      return store.apiTokens.use(tokenHash(token));
    },
  };
}
