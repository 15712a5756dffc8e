// Reading request input safely: form fields, JSON bodies, paging and local redirect targets.
import { AppError, isAppError } from '../errors.ts';
import type { WebContext } from './web-env.ts';

const FIELD_MAX = 10_000;

/**
 * Form fields as strings; files, repeated fields and oversized values are BAD_INPUT.
 */
export async function formFields<K extends string>(
  c: WebContext,
  names: readonly K[],
): Promise<Record<K, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw new AppError('BAD_INPUT', 'Send the form as application/x-www-form-urlencoded.');
  }
  const body = await c.req.parseBody().catch((err: unknown) => {
    throw isAppError(err) ? err : new AppError('BAD_INPUT', 'The form could not be read.');
  });
  const out = {} as Record<K, string>;
  for (const name of names) {
    const v = body[name] ?? '';
    if (typeof v !== 'string') throw new AppError('BAD_INPUT', `Field "${name}" must be text.`);
    if (v.length > FIELD_MAX) throw new AppError('BAD_INPUT', `Field "${name}" is too long.`);
    out[name] = v;
  }
  return out;
}

/**
 * A JSON object body, or BAD_INPUT saying what is wrong.
 * @example const body = await jsonBody(c); body.tags
 */
export async function jsonBody(c: WebContext): Promise<Record<string, unknown>> {
  if (!/^application\/json/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError('BAD_INPUT', 'Send a JSON body with Content-Type: application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('BAD_INPUT', 'The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AppError('BAD_INPUT', 'The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/**
 * A whole-number query parameter within [min, max], its default when absent, else BAD_INPUT.
 */
export function intQuery(c: WebContext, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new AppError('BAD_INPUT', `${name} must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

/**
 * A query parameter limited to known values.
 */
export function enumQuery<T extends string>(
  c: WebContext,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new AppError('BAD_INPUT', `${name} must be one of ${allowed.join(', ')}.`);
  return raw as T;
}

const LOCAL_ORIGIN = 'http://paperboy.invalid';
const MAX_REDIRECT_LENGTH = 2000;

/** True when every character is printable ASCII other than a space or a backslash. */
function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x5c) return false;
  }
  return true;
}

/**
 * The one check for every redirect target taken from a request (a form's or query's `next`, a return path):
 * a path on this site, as a valid Location value, else `fallback`. Refused: other origins (`//host`, `/\host`,
 * schemes), control characters, spaces, backslashes and anything that normalizes to one of those; non-ASCII
 * characters are percent-encoded.
 */
export function localPath(raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw.length > MAX_REDIRECT_LENGTH || !raw.startsWith('/')) return fallback;
  if (raw.startsWith('//') || /[\\\s]/.test(raw)) return fallback;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return fallback;
  }
  let url: URL;
  try {
    url = new URL(raw, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  const out = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== LOCAL_ORIGIN || out.startsWith('//') || out.length > MAX_REDIRECT_LENGTH)
    return fallback;
  return plainAscii(out) ? out : fallback;
}
