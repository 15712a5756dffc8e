// A paper imported with its collection's own id is reachable by that id: API, page URL and search.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;

beforeAll(async () => {
  env = await webEnv();
  const file = join(env.temp.dir, 'cacm.jsonl');
  // The ids appear nowhere in the text, so only the kept source id can find these papers by them.
  const lines = [
    ['1234', 'The first correction to an algorithm.'],
    ['1235', 'The second correction to an algorithm.'],
  ].map(([id, abstract]) => JSON.stringify({ id, title: 'Erratum', abstract }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const s = await env.services.imports.ingest(file);
  expect(s.added).toBe(2);
});
afterAll(async () => env.cleanup());

describe('external ids', () => {
  it('GET /api/papers/{id} accepts the source id, bare or with its source name', async () => {
    const bare = await env.app.request('/api/papers/1235');
    expect(bare.status).toBe(200);
    const paper = (await bare.json()) as { id: string; abstract: string };
    expect(paper.abstract).toBe('The second correction to an algorithm.');
    expect(paper.id).toMatch(/^pb:/);
    const named = (await (await env.app.request('/api/papers/cacm.jsonl:1235')).json()) as { id: string };
    expect(named.id).toBe(paper.id);
    expect((await env.app.request('/api/papers/9999')).status).toBe(404);
  });

  it("the page URL accepts it, redirecting to the paper's own address", async () => {
    const res = await env.app.request('/papers/1234');
    expect(res.status).toBe(301);
    const page = await env.app.request(res.headers.get('location') ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('The first correction');
  });

  it('search puts the paper named by its source id first', async () => {
    const res = await env.app.request('/api/search?q=1234&mode=lexical');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { papers: { abstract: string }[] };
    expect(body.papers[0]?.abstract).toBe('The first correction to an algorithm.');
  });
});
