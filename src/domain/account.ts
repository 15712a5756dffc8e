// Plain types for readers: accounts, sessions, personal API tokens and one-time e-mail links.

/** A reader's account as the surfaces see it (never the password hash). */
export interface User {
  id: number;
  /** Lower-cased, trimmed address; unique. */
  email: string;
  /** What the site calls the reader; may be empty. */
  name: string;
  createdAt: string;
}

/** A signed-in browser: only the SHA-256 of its cookie value is stored. */
export interface Session {
  userId: number;
  createdAt: string;
  expiresAt: string;
}

/** A personal API token as listed in settings (the secret itself is shown once, at creation). */
export interface ApiTokenInfo {
  id: number;
  name: string;
  /** The first characters of the token, so a reader can tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a one-time e-mailed link is for. */
export type EmailTokenPurpose = 'signup' | 'reset' | 'email-change';

/** A one-time link's stored payload, as it comes back when the link is used. */
export interface EmailToken {
  purpose: EmailTokenPurpose;
  email: string;
  userId: number | null;
  /** Purpose-specific data: for sign-up the chosen password hash and name. */
  payload: Record<string, string>;
  createdAt: string;
  expiresAt: string;
}
