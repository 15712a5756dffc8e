// Submitting a paper while the configured arXiv address misbehaves: redirects inward, entity bombs, HTML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArxivStub, type ArxivStub } from '../helpers/arxiv-stub.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

describe('submit when arXiv answers with something hostile', () => {
  let internal: ArxivStub;
  let arxiv: ArxivStub;
  let env: Env;
  let web: WebClient;
  let answer: 'redirect' | 'entities' | 'html' = 'redirect';

  beforeAll(async () => {
    internal = await startArxivStub(() => ({ status: 200, body: 'INTERNAL-SECRET admin console' }));
    arxiv = await startArxivStub(() => {
      if (answer === 'redirect') return { status: 302, body: '', headers: { location: internal.url } };
      if (answer === 'html') return { status: 200, body: '<html><body>INTERNAL-SECRET</body></html>' };
      const entity = 'a'.repeat(10_000);
      return {
        status: 200,
        body: `<!DOCTYPE feed [<!ENTITY a "${entity}">]><feed xmlns="http://www.w3.org/2005/Atom"><title>${'&a;'.repeat(5000)}</title></feed>`,
      };
    });
    env = await webEnv({ ARXIV_API_URL: arxiv.url, ARXIV_RETRIES: '0' });
    web = new WebClient(env.app);
    await signUpVia(web, env, 'ada@example.org');
  });
  afterAll(async () => {
    await env.cleanup();
    await arxiv.close();
    await internal.close();
  });

  it('does not follow a redirect to an internal address, and shows nothing from there', async () => {
    answer = 'redirect';
    const res = await web.post('/submit', { id: '1605.08386' });
    expect(res.status).toBe(502);
    const page = await res.text();
    // The refusal itself is tested in test/ingest/http.test.ts; the reader gets the fault in words, no URL.
    expect(page).toContain('arXiv could not be reached; try again later.');
    expect(page).not.toContain(internal.url);
    expect(page).not.toContain('INTERNAL-SECRET');
    expect(internal.requests).toEqual([]);
  });

  it('refuses an answer that declares entities, and quotes no HTML body', async () => {
    answer = 'entities';
    const bomb = await web.post('/submit', { id: '1605.08386' });
    expect(bomb.status).toBe(422);
    expect(await bomb.text()).toContain('it declares a DOCTYPE or entities');
    answer = 'html';
    const html = await web.post('/submit', { id: '1605.08386' });
    expect(html.status).toBe(422);
    expect(await html.text()).not.toContain('INTERNAL-SECRET');
  });
});
