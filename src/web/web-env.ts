// The per-request state routes share (signed-in user, CSRF nonce), typed for Hono.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { User } from '../domain/index.ts';
import type { Services } from '../services/services.ts';
import type { ResponseCache } from './response-cache.ts';

export interface WebVariables {
  /** The signed-in reader, or null. */
  user: User | null;
  /** How the reader proved who they are: a session cookie or an API token. */
  via: 'session' | 'token' | null;
  /** The session cookie value of a signed-in browser. */
  sessionToken: string | null;
  /** This browser's CSRF nonce (from its cookie, or new and set on the response). */
  csrfNonce: string | null;
  /** The signed-in reader's unread notifications, for the header (pages only; 0 otherwise). */
  unread: number;
}

export type WebEnv = { Bindings: Partial<HttpBindings>; Variables: WebVariables };
export type WebContext = Context<WebEnv>;

/** What route modules receive: the services named by `K` (all by default) and site-wide settings. */
export interface WebDeps<K extends keyof Services = keyof Services> {
  services: Pick<Services, K>;
  /** Cookies get Secure and the __Host- prefix when the site is served over https. */
  secure: boolean;
  secret: string;
  /** Reverse proxies in front that append to X-Forwarded-For (PAPERBOY_TRUST_PROXY); 0 = use the socket. */
  trustProxyHops: number;
  /** Rendered anonymous pages and user-independent API answers, until the store changes. */
  cache: ResponseCache;
}
