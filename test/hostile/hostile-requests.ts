// A seeded generator of hostile HTTP requests for every route the app registers: odd paths, query strings,
// bodies, headers and redirect parameters, as a fuzzer or an attacker would send them.
import { createRng } from '../../src/index/embedders/static/random.ts';

/** The project's seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  return createRng(seed).next;
}

export interface RouteSpec {
  method: string;
  path: string;
}

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** One line saying what was sent, for the failure report. */
  describe: string;
}

/** Values that have broken web apps before: control and bidi characters, traversal, markup, huge and odd numbers. */
export const HOSTILE_VALUES: readonly string[] = [
  '',
  ' ',
  '%00',
  '\u0000',
  '\u0007bell',
  '\u007f',
  '\u202eevil\u202c',
  '\u2066x\u2069',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '//evil.example.org/',
  '/\\evil.example.org',
  'https://evil.example.org/',
  '/%0d%0aSet-Cookie:%20x=1',
  '\r\nSet-Cookie: x=1',
  "' OR 1=1 --",
  '1; DROP TABLE papers',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'NaN',
  '2026-13-45',
  '2401.00001',
  'arXiv:2401.00001v99',
  '$\\frac{a}{b}$ \\textbf{x} [MASK] <SEG>',
  'author:',
  'cat:',
  '"unbalanced',
  '-',
  '((((((((((',
  '\ud800',
  '😀'.repeat(50),
  'a'.repeat(5000),
  'x '.repeat(3000),
];

const QUERY_KEYS = [
  'q',
  'next',
  'return',
  'page',
  'limit',
  'offset',
  'since',
  'before',
  'until',
  'category',
  'sort',
  'date',
  'period',
  'mode',
  'k',
  'to',
  'format',
  'tag',
  'notice',
  'token',
  'id',
  'window',
  'interval',
];

const FORM_KEYS = [
  'email',
  'password',
  'name',
  'next',
  'q',
  'tag',
  'tags',
  'id',
  'paperId',
  'body',
  'title',
  'ids',
  'hour',
  'timezone',
  'frequency',
  'count',
  'format',
  'text',
  'query',
  'author',
  'category',
  'token',
];

const AUTHORIZATION = [
  'Basic dXNlcjpwYXNz',
  'Bearer ',
  'Bearer pb_' + 'x'.repeat(40),
  'Bearer \u0000',
  'Digest username="x"',
  'Negotiate abc',
  'bearer lowercase',
];

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/json',
  'multipart/form-data; boundary=xyz',
  'text/plain',
  'application/json; charset=utf-16',
  'application/xml',
];

/**
 * Builds `count` hostile requests over `routes`, reproducible from `seed`.
 * @example hostileRequests([{ method: 'GET', path: '/papers/:id' }], 1, 10)
 */
export function hostileRequests(routes: readonly RouteSpec[], seed: number, count: number): HostileRequest[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const value = (): string => (rand() < 0.7 ? pick(HOSTILE_VALUES) : String(Math.floor(rand() * 1e6)));
  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const route = pick(routes);
    const path = route.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, () => pathSegment(value(), rand() < 0.3));
    const params = new URLSearchParams();
    const nq = Math.floor(rand() * 4);
    for (let j = 0; j < nq; j++) params.append(pick(QUERY_KEYS), value());
    const query = params.size > 0 ? `?${params.toString()}` : rand() < 0.1 ? '?%E0%A4%A&&=&%zz' : '';
    const headers: Record<string, string> = {};
    if (rand() < 0.2) headers.authorization = pick(AUTHORIZATION);
    if (rand() < 0.15) headers['x-forwarded-for'] = pick(['1.2.3.4, 5.6.7.8', 'garbage', '::1', '']);
    if (rand() < 0.1) headers.referer = pick(['https://evil.example.org/', '/\\evil', value()]);
    if (rand() < 0.1) headers.range = 'bytes=0-1,5-2,9999999999-';
    if (rand() < 0.1) headers['accept-language'] = value().slice(0, 200);
    if (rand() < 0.05) headers['if-none-match'] = value().slice(0, 200);
    let body: string | undefined;
    if (route.method !== 'GET' && route.method !== 'HEAD') {
      const type = pick(CONTENT_TYPES);
      headers['content-type'] = type;
      body = hostileBody(type, rand, pick, value);
    }
    out.push({
      method: route.method,
      path: path + query,
      headers,
      body,
      describe: `${route.method} ${(path + query).slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)} body=${JSON.stringify(body ?? '').slice(0, 200)}`,
    });
  }
  return out;
}

/** A path segment: percent-encoded, or raw (`%00`, `..%2F..` as typed) when printable; a lone surrogate as bad UTF-8. */
function pathSegment(v: string, raw: boolean): string {
  if (raw && /^[\x21-\x7e]+$/.test(v) && !v.includes('?') && !v.includes('#')) return v;
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
}

function hostileBody(
  type: string,
  rand: () => number,
  pick: <T>(xs: readonly T[]) => T,
  value: () => string,
): string {
  if (type.startsWith('application/json')) {
    const r = rand();
    if (r < 0.2) return '{"body": ';
    if (r < 0.3) return '[' + '['.repeat(2000) + ']'.repeat(2000) + ']';
    if (r < 0.4) return JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: {} } });
    const obj: Record<string, unknown> = {};
    for (let j = 0; j < 1 + Math.floor(rand() * 4); j++)
      obj[pick(FORM_KEYS)] = rand() < 0.2 ? [value()] : rand() < 0.1 ? { x: value() } : value();
    return JSON.stringify(obj);
  }
  const form = new URLSearchParams();
  for (let j = 0; j < Math.floor(rand() * 5); j++) form.append(pick(FORM_KEYS), value());
  if (type.startsWith('multipart'))
    return `--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\n${value()}\r\n--xy`;
  return form.toString();
}
