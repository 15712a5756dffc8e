// The JSON API in-process: lists with limits, papers, tokens, the library by bearer token, errors, OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
interface PaperJson {
  id: string;
  votes: number;
  voted?: boolean;
  saved?: boolean;
  announced: string | null;
}
interface ListJson {
  papers: PaperJson[];
  total: number;
}
interface ErrorJson {
  error: { code: string; message: string };
}

async function read<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}
let env: Env;
let token: string;

function bearer(method = 'GET', body?: unknown): RequestInit {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers(
    Array.from({ length: 25 }, (_, i) =>
      paper({
        arxivId: `2607.${String(i).padStart(5, '0')}`,
        title: `Paper ${i}`,
        announced: i < 20 ? '2026-07-01' : '2026-07-02',
      }),
    ),
  );
  const web = new WebClient(env.app);
  await signUpVia(web, env, 'ada@example.org');
  const res = await web.json('POST', '/api/tokens', { name: 'script' });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { token: string }).token;
});
afterAll(async () => env.cleanup());

describe('papers', () => {
  it('lists newest papers and windows with paging limits', async () => {
    const newest = await read<ListJson>(env.app.request('/api/papers?limit=5'));
    expect(newest.papers).toHaveLength(5);
    const day = await read<ListJson>(
      env.app.request('/api/papers?period=day&date=2026-07-01&limit=10&offset=15'),
    );
    expect(day).toMatchObject({
      total: 20,
      limit: 10,
      offset: 15,
      prev: null,
      next: '2026-07-02',
      window: { period: 'day', key: '2026-07-01' },
    });
    expect(day.papers).toHaveLength(5);
    const month = await read<ListJson>(env.app.request('/api/papers?period=month&sort=newest'));
    expect(month.total).toBe(25);
    expect(month.papers[0]?.announced).toBe('2026-07-02');
    for (const q of [
      'limit=0',
      'limit=101',
      'offset=-1',
      'offset=10001',
      'limit=abc',
      'period=year',
      'period=day&date=2026-02-31',
      'sort=best',
    ]) {
      const res = await env.app.request(`/api/papers?${q}`);
      expect(res.status, q).toBe(400);
      expect((await read<ErrorJson>(res)).error.code).toBe('BAD_INPUT');
    }
  });

  it('returns one paper with votes, and JSON errors for unknown ids and routes', async () => {
    const p = await read<PaperJson>(env.app.request('/api/papers/2607.00003v1'));
    expect(p).toMatchObject({ id: '2607.00003', votes: 0 });
    expect(p.voted).toBeUndefined();
    const mine = await (await env.app.request('/api/papers/2607.00003', bearer())).json();
    expect(mine).toMatchObject({ voted: false, saved: false });
    const missing = await env.app.request('/api/papers/2607.99999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await env.app.request('/api/nothing')).status).toBe(404);
  });
});

describe('with a personal token', () => {
  it('votes and manages the library without CSRF', async () => {
    expect(await (await env.app.request('/api/me', bearer())).json()).toMatchObject({
      email: 'ada@example.org',
    });
    expect(await (await env.app.request('/api/papers/2607.00001/vote', bearer('PUT'))).json()).toMatchObject({
      voted: true,
      count: 1,
    });
    const saved = await env.app.request('/api/library/2607.00001', bearer('PUT', { tags: ['Reading List'] }));
    expect(await saved.json()).toMatchObject({ paperId: '2607.00001', tags: ['reading-list'] });
    const lib = await read<{ items: { paper: PaperJson }[] }>(
      env.app.request('/api/library?tag=reading-list', bearer()),
    );
    expect(lib).toMatchObject({ total: 1, tags: [{ tag: 'reading-list', count: 1 }] });
    expect(lib.items[0]?.paper.id).toBe('2607.00001');
    const bib = await env.app.request('/api/library/export?format=bibtex', bearer());
    expect(await bib.text()).toContain('eprint = {2607.00001}');
    const csl = await read<{ id: string }[]>(
      env.app.request('/api/library/export?format=csl-json', bearer()),
    );
    expect(csl[0]?.id).toBe('2607.00001');
    expect((await env.app.request('/api/library/2607.00001', bearer('DELETE'))).status).toBe(204);
    expect((await env.app.request('/api/library/2607.00001', bearer('DELETE'))).status).toBe(404);
  });

  it('refuses bad bodies and bad tokens with one error format', async () => {
    const cases: [string, RequestInit, number][] = [
      [
        '/api/library/2607.00001',
        {
          ...bearer('PUT'),
          body: '{not json',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        400,
      ],
      ['/api/library/2607.00001', bearer('PUT', { tags: 'not-a-list' }), 400],
      ['/api/library/2607.00001', bearer('PUT', [1, 2]), 400],
      [
        '/api/library/2607.00001',
        bearer('PUT', { tags: Array.from({ length: 30 }, (_, i) => `t${i}`) }),
        400,
      ],
      ['/api/library/2607.99999', bearer('PUT', { tags: [] }), 404],
      ['/api/me', { headers: { authorization: 'Bearer pb_forged' } }, 401],
      ['/api/me', { headers: { authorization: 'Basic abc' } }, 401],
      ['/api/me', {}, 401],
      ['/api/tokens', bearer('POST', { name: 'a token minting another' }), 403],
      ['/api/submit', bearer('POST', { id: 'not an id' }), 400],
    ];
    for (const [path, init, status] of cases) {
      const res = await env.app.request(path, init);
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(status);
      const body = await read<ErrorJson>(res);
      expect(typeof body.error.code).toBe('string');
      expect(typeof body.error.message).toBe('string');
    }
    const tokens = await read<{ tokens: unknown[] }>(env.app.request('/api/tokens', bearer()));
    expect(tokens.tokens[0]).toMatchObject({ name: 'script', prefix: token.slice(0, 10) });
    expect(JSON.stringify(tokens)).not.toContain(token);
  });
});

describe('OpenAPI', () => {
  /** `/api/papers/:id{.+}/vote` and `/api/papers/{id}/vote` both become `/api/papers/{}/vote`. */
  const template = (path: string): string =>
    path.replace(/:\w+(\{[^}]*\})?/g, '{}').replace(/\{\w+\}/g, '{}');
  /** The document and its viewer describe the API; they are not part of it. */
  const SELF = new Set(['GET /api/openapi.json', 'GET /api/docs']);

  it('describes every API route it serves, and only those', async () => {
    const doc = await read<{ openapi: string; paths: Record<string, Record<string, { responses: object }>> }>(
      env.app.request('/api/openapi.json'),
    );
    expect(doc.openapi).toBe('3.1.0');
    const served = new Set(
      env.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${template(r.path)}`)
        .filter((route) => !SELF.has(route)),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${template(path)}`),
      ),
    );
    expect(served.size).toBeGreaterThan(30);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
  });
});
