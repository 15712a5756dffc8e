// Submitting a paper while arXiv cannot be reached fails at once, in words, without showing the API's URL.
import { afterEach, expect, test } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

test('with no DNS, /submit answers within seconds: "arXiv could not be reached; try again later", no URL', async () => {
  // A real lookup of a name that can never resolve (.invalid), through the real fetch.
  env = await webEnv({ ARXIV_API_URL: 'http://export.arxiv.invalid/api/query', ARXIV_DELAY_MS: '3000' });
  const web = new WebClient(env.app);
  await signUpVia(web, env, 'ada@example.org');
  const started = Date.now();
  const res = await web.post('/submit', { id: '2401.00001' });
  const html = await res.text();
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(res.status).toBe(502);
  expect(html).toContain('arXiv could not be reached; try again later.');
  expect(html).not.toContain('arxiv.invalid');
  expect(html).not.toContain('/api/query');
});
