// Row shape of one-time e-mailed links shared by the SQLite and PostgreSQL engines, and its mapping.
import type { EmailToken } from '../../domain/index.ts';

/** The columns of one email_tokens row that make up an EmailToken (payload as JSON text). */
export interface EmailTokenRow {
  purpose: EmailToken['purpose'];
  email: string;
  user_id: number | null;
  payload: string;
  created_at: string;
  expires_at: string;
}

/**
 * Maps an email_tokens row to an EmailToken, parsing its JSON payload.
 * @example toEmailToken({ ...row, payload: '{"next":"/"}' }).payload.next; // '/'
 */
export function toEmailToken(r: EmailTokenRow): EmailToken {
  return {
    purpose: r.purpose,
    email: r.email,
    userId: r.user_id,
    payload: JSON.parse(r.payload) as Record<string, string>,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}
