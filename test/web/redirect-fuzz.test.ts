// Seeded fuzzing of every redirect target a request can choose (`next` on sign-in, votes, saves and "For you"
// forms, the sign-in redirect of private pages): never a 5xx, never an off-site or malformed Location.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPath } from '../../src/web/request-input.ts';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let reader: WebClient;
const ADA = 'ada@example.org';
const PASSWORD = 'correct horse battery';
const ORIGIN = 'http://localhost';

/** The project's seeded generator (mulberry32), so a failure replays exactly. */
const seeded = (seed: number): (() => number) => createRng(seed).next;

const PIECES = [
  '/',
  '//',
  '///',
  '\\',
  '/\\',
  '\\\\',
  '.',
  '..',
  '/../',
  '/./',
  '%2F',
  '%2f%2F',
  '%5C',
  '%00',
  '%0d%0a',
  '%7F',
  '%E0%A4%A',
  '%',
  '%zz',
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b',
  '\u007f',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u00a0',
  '\u2028',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ud800',
  '\udfff',
  'ü',
  '日本',
  '😀',
  'evil.example',
  '@evil.example',
  'http:',
  'https://evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  ':',
  '?',
  '#',
  '&',
  '=',
  'next=//evil',
  '"',
  "'",
  '<',
  '>',
  '`',
  '{',
  '}',
  '|',
  '^',
  'papers',
  'settings',
  'a',
  'a'.repeat(700),
  'Set-Cookie: x=1',
];

/** A hostile redirect target: pieces of the usual tricks, often (not always) starting like a local path. */
function hostileTarget(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 6);
  let s = rand() < 0.7 ? '/' : '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
  return s;
}

/** A Location must be a plain same-site path: printable ASCII, no backslash, not `//`, resolving to this origin. */
function expectSafeLocation(location: string | null, context: string): void {
  if (location === null) return;
  const why = `${context} → ${JSON.stringify(location)}`;
  expect(/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(location), why).toBe(true);
  expect(new URL(location, ORIGIN).origin, why).toBe(ORIGIN);
}

async function form(client: WebClient, path: string, fields: Record<string, string>): Promise<Response> {
  const res = await client.post(path, fields);
  const context = `POST ${path} ${JSON.stringify(fields.next)}`;
  expect(res.status, context).toBeLessThan(500);
  expectSafeLocation(res.headers.get('location'), context);
  return res;
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([paper({ arxivId: '2607.00001', title: 'Alpha paper', announced: '2026-07-01' })]);
  reader = new WebClient(env.app);
  await signUpVia(reader, env, ADA, PASSWORD);
});
afterAll(async () => env.cleanup());

describe('redirect targets', () => {
  it('localPath keeps plain local paths and refuses or cleans everything else (20,000 seeded inputs)', () => {
    const rand = seeded(1);
    expect(localPath('/papers/2607.00001?q=a#x', '/')).toBe('/papers/2607.00001?q=a#x');
    for (const bad of ['/\u0000/evil', '/\u007f', '//evil', '/\\evil', '/..//evil', 'https://evil', '/a b']) {
      expect(localPath(bad, 'FALLBACK'), JSON.stringify(bad)).toBe('FALLBACK');
    }
    for (let i = 0; i < 20_000; i++) {
      const raw = hostileTarget(rand);
      const out = localPath(raw, '/fallback');
      expectSafeLocation(out, `localPath(${JSON.stringify(raw)})`);
      // Idempotent: a cleaned path passes through unchanged, so forms that carry it stay stable.
      expect(localPath(out, '/other'), JSON.stringify(raw)).toBe(out);
    }
  });

  it('signs in with any next: the cookie is set and the Location is local (seeded)', async () => {
    const rand = seeded(2);
    for (let i = 0; i < 60; i++) {
      const next = hostileTarget(rand);
      const client = new WebClient(env.app);
      const page = await client.get(`/signin?${new URLSearchParams({ next }).toString()}`);
      expect(page.status, JSON.stringify(next)).toBe(200);
      const shown = /name="next" value="([^"]*)"/.exec(await page.text())?.[1] ?? '';
      expectSafeLocation(shown.replaceAll('&amp;', '&'), `GET /signin ${JSON.stringify(next)}`);
      // The signed-up browser is a known one for ADA, so 60 sign-ins meet no throttle.
      const res = await form(reader, '/signin', { email: ADA, password: PASSWORD, next });
      expect(res.status, JSON.stringify(next)).toBe(303);
      expect(
        res.headers.getSetCookie().some((c) => c.startsWith('pb_session=')),
        JSON.stringify(next),
      ).toBe(true);
    }
  });

  it('votes, saves and "For you" forms go back only to local paths (seeded)', async () => {
    const rand = seeded(3);
    for (let i = 0; i < 60; i++) {
      const next = hostileTarget(rand);
      await form(reader, '/vote', { paper: '2607.00001', next });
      await form(reader, '/save', { paper: '2607.00001', tags: 'x', next });
      await form(reader, '/unsave', { paper: '2607.00001', next });
      await form(reader, '/foryou/follow', { kind: 'category', name: 'cs.CL', next });
      await form(reader, '/foryou/unfollow', { kind: 'category', name: 'cs.CL', next });
      await form(reader, '/vote', { paper: hostileTarget(rand), next });
    }
  });

  it('private pages asked for with hostile paths and queries send to a working sign-in page (seeded)', async () => {
    const rand = seeded(4);
    const anon = new WebClient(env.app);
    for (let i = 0; i < 80; i++) {
      const query = new URLSearchParams({ x: hostileTarget(rand) }).toString();
      const raw = hostileTarget(rand).replace(/[#?]/g, '');
      const odd = !/[\ud800-\udfff]/.test(raw) ? `/foryou/${encodeURI(raw)}` : `/foryou/${raw.length}`;
      for (const path of [`/settings?${query}`, `/library?${query}`, odd, `/settings${raw}`]) {
        let res: Response;
        try {
          res = await anon.get(path);
        } catch {
          continue; // not a URL a client could send at all
        }
        expect(res.status, path).toBeLessThan(500);
        const location = res.headers.get('location');
        expectSafeLocation(location, `GET ${path}`);
        if (location !== null) expect((await anon.get(location)).status, location).toBe(200);
      }
    }
  });
});
