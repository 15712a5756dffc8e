// An in-process browser stand-in for app.request(): keeps cookies, finds CSRF tokens, posts forms and JSON.
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';

export class WebClient {
  readonly cookies = new Map<string, string>();
  private token: string | null = null;
  /** The nonce cookie `token` was signed for: a new nonce (set at sign-in) needs a new token. */
  private tokenNonce: string | undefined;

  constructor(private readonly app: Hono<WebEnv>) {}

  /** Sends a request with this client's cookies and keeps the ones the answer sets. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** The CSRF token for this client's nonce cookie (fetched from a form page once). */
  async csrf(): Promise<string> {
    const nonce = (): string | undefined => this.cookies.get('pb_csrf') ?? this.cookies.get('__Host-pb_csrf');
    if (this.token !== null && nonce() !== undefined && nonce() === this.tokenNonce) return this.token;
    const page = await (await this.get('/signup')).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m?.[1]) throw new Error('no CSRF token on /signup');
    this.token = m[1];
    this.tokenNonce = nonce();
    return this.token;
  }

  /** Posts a url-encoded form, with the CSRF token unless `csrf` is given (use '' to send none). */
  async post(path: string, fields: Record<string, string> = {}, csrf?: string): Promise<Response> {
    const body = new URLSearchParams({ _csrf: csrf ?? (await this.csrf()), ...fields });
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Sends JSON with the CSRF header (as the page script does), or with `headers` instead. */
  async json(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response> {
    const h: Record<string, string> = headers ?? { 'x-csrf-token': await this.csrf() };
    if (body !== undefined) h['content-type'] = 'application/json';
    return this.request(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/**
 * Signs up through the pages and the mailed link, leaving the client signed in.
 * @example await signUpVia(client, env, 'ada@example.org');
 */
export async function signUpVia(
  client: WebClient,
  env: { lastLink(to: string): string; mailed(): Promise<void> },
  email: string,
  password = 'correct horse battery',
): Promise<void> {
  const res = await client.post('/signup', { email, password, name: email.split('@')[0] ?? '' });
  if (res.status !== 200) throw new Error(`sign-up answered ${res.status}`);
  await env.mailed();
  const path = new URL(env.lastLink(email)).pathname;
  const confirmed = await client.post(path);
  if (confirmed.status !== 303)
    throw new Error(`confirm answered ${confirmed.status}: ${await confirmed.text()}`);
}
