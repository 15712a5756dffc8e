// The standing hostile-request suite: seeded random and malformed requests at every registered route, over a
// real HTTP server, signed in and anonymous, asserting no 5xx, no stall and a healthy server afterwards.
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';
import { hostileRequests, type HostileRequest, type RouteSpec } from './hostile-requests.ts';

/** Override with PAPERBOY_FUZZ_SEED to replay a failure; the count bounds the run to well under a minute. */
const SEED = Number(process.env.PAPERBOY_FUZZ_SEED ?? 20261204);
const COUNT = Number(process.env.PAPERBOY_FUZZ_COUNT ?? 4000);
const CONCURRENCY = 6;
/** One /health probe after every this many hostile answers (when the previous probe has returned). */
const PROBE_EVERY = 10;

let env: Awaited<ReturnType<typeof webEnv>>;
let server: ServerType;
let base = '';
let session = { cookie: '', csrf: '' };

beforeAll(async () => {
  env = await webEnv({ ADMIN_EMAILS: 'admin@example.org' });
  await env.addPapers([
    paper({ arxivId: '2401.00001', title: 'Hostile <script>alert(1)</script> title', authors: ['Ada <b>'] }),
    paper({
      arxivId: '2401.00002',
      title: 'Spoof \u202eevil\u202c and \u0007 bell',
      abstract: 'Masked [MASK] <SEG> tokens and $\\frac{a}{b}$ with \\textbf{bold}.',
      absUrl: 'javascript:alert(1)',
      pdfUrl: 'javascript:alert(2)',
    }),
    paper({ arxivId: null, doi: '10.1000/xyz', title: 'No arXiv id here', authors: ['Bob'] }),
  ]);
  const client = new WebClient(env.app);
  await signUpVia(client, env, 'admin@example.org');
  session = {
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    csrf: await client.csrf(),
  };
  await new Promise<void>((resolve) => {
    server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await env.cleanup();
});

/** Every method and path the app registers, without its catch-all middleware. */
function routes(): RouteSpec[] {
  const seen = new Map<string, RouteSpec>();
  for (const r of env.app.routes) {
    if (r.method === 'ALL' || r.path === '*' || r.path === '/*') continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

/** Sends one request, half of them as the signed-in reader with a valid CSRF token. */
async function send(req: HostileRequest, signedIn: boolean): Promise<Response> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    // A value no HTTP client can send (control characters) never reaches a server either; others go as
    // their UTF-8 bytes, as a raw client would send them.
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v)) headers.set(k, Buffer.from(v).toString('latin1'));
  }
  let body = req.body;
  if (signedIn) {
    headers.set('cookie', session.cookie);
    headers.set('x-csrf-token', session.csrf);
    if (body !== undefined && req.headers['content-type']?.startsWith('application/x-www-form'))
      body = `_csrf=${encodeURIComponent(session.csrf)}&${body}`;
  }
  return fetch(base + req.path, {
    method: req.method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
}

/** A Location header that stays on this site and carries no control characters. */
function safeLocation(location: string | null): boolean {
  if (location === null) return true;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(location)) return false;
  if (location.startsWith('/')) return !location.startsWith('//');
  return location.startsWith(env.services.baseUrl + '/') || location === env.services.baseUrl;
}

describe('hostile requests at every route', () => {
  it(`answers ${COUNT} seeded hostile requests with no 5xx, no stall and no off-site redirect`, async () => {
    const specs = routes();
    expect(specs.length).toBeGreaterThan(30);
    const requests = hostileRequests(specs, SEED, COUNT);
    const failures: string[] = [];
    let slowest = 0;
    // /health is probed alongside the hostile requests, one probe at a time, started after every
    // PROBE_EVERY answers: the run itself paces the probes, so a stall shows as a slow probe.
    let probe: Promise<void> | null = null;
    let probes = 0;
    const probeHealth = async (): Promise<void> => {
      probes += 1;
      const t0 = performance.now();
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      slowest = Math.max(slowest, performance.now() - t0);
      if (res === null || !res.ok) failures.push(`/health failed during the run`);
      else await res.arrayBuffer();
    };
    let answered = 0;
    const answeredOne = (): void => {
      answered += 1;
      if (answered % PROBE_EVERY === 0 && probe === null) probe = probeHealth().finally(() => (probe = null));
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const i = next++;
        const req = requests[i] as HostileRequest;
        try {
          const res = await send(req, i % 2 === 0);
          await res.arrayBuffer();
          if (res.status >= 500) failures.push(`${res.status} for #${i} ${req.describe}`);
          if (!safeLocation(res.headers.get('location')))
            failures.push(
              `unsafe Location ${JSON.stringify(res.headers.get('location'))} for #${i} ${req.describe}`,
            );
        } catch (e) {
          const cause = (e as Error & { cause?: Error }).cause;
          failures.push(
            `${(e as Error).name}: ${(e as Error).message} (${cause?.message ?? ''}) for #${i} ${req.describe}`,
          );
        }
        answeredOne();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await probe;
    expect(probes, '/health probes during the run').toBeGreaterThan(0);
    expect(failures.slice(0, 20), `seed ${SEED}`).toEqual([]);
    expect(slowest, 'slowest /health answer during the run (ms)').toBeLessThan(1000);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('No arXiv id here');
  });
});
