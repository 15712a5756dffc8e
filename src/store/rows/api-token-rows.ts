// Row shapes of personal API tokens shared by the SQLite and PostgreSQL engines, and their mappings.
import type { ApiTokenInfo, User } from '../../domain/index.ts';

/** The listed columns of one api_tokens row (never the hash). */
export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** A token joined with the user who owns it, looked up by the token's hash. */
export interface TokenOwnerRow {
  token_id: number;
  id: number;
  email: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/**
 * Maps an api_tokens row to what a reader sees of the token.
 * @example toApiTokenInfo(row).prefix; // 'pb_ab12'
 */
export function toApiTokenInfo(r: ApiTokenRow): ApiTokenInfo {
  return { id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

/**
 * Maps a token-owner row to the user the token authenticates.
 * @example toTokenOwner(row).email; // 'a@b.org'
 */
export function toTokenOwner(r: TokenOwnerRow): User {
  return { id: r.id, email: r.email, name: r.name, createdAt: r.created_at };
}
