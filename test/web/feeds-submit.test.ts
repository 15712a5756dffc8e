// Atom feeds parse and escape; submitting a paper by arXiv id fetches it through recorded arXiv responses.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomRecordings, replayFetch } from '../helpers/arxiv-replay.ts';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

describe('daily Atom feed', () => {
  let env: Env;
  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers([
      paper({
        arxivId: '2607.00001',
        title: 'Tokens <SEG> & [MASK] \u0001',
        abstract: 'LaTeX $\\alpha$ &amp; <script>x</script>',
        announced: '2026-07-01',
        categories: ['cs.CL'],
      }),
      paper({
        arxivId: '2607.00002',
        title: 'Vision paper',
        announced: '2026-07-01',
        categories: ['cs.CV'],
        authors: [],
      }),
    ]);
  });
  afterAll(async () => env.cleanup());

  it('parses as Atom with escaped titles and summaries', async () => {
    const res = await env.app.request('/feeds/daily.atom');
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(xml).not.toContain('<script>');
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      feed: { title: string; entry: { title: string; summary: string; id: string }[] };
    };
    expect(doc.feed.title).toBe('Paperboy: daily papers');
    expect(doc.feed.entry).toHaveLength(2);
    const first = doc.feed.entry.find((e) => e.id.endsWith('/papers/2607.00001'));
    expect(String(first?.title).trim()).toBe('Tokens <SEG> & [MASK]');
    expect(first?.summary).toContain('LaTeX α'); // plain text: feed readers run no KaTeX
    const cv = new XMLParser().parse(
      await (await env.app.request('/feeds/daily.atom?category=cs.CV')).text(),
    ) as { feed: { entry: { title: string } } };
    expect(cv.feed.entry.title).toBe('Vision paper');
    expect((await env.app.request('/feeds/daily.atom?period=year')).status).toBe(400);
  });
});

describe('submit by arXiv id', () => {
  let env: Env;
  let web: WebClient;
  beforeAll(async () => {
    env = await webEnv({}, { fetch: replayFetch(loadAtomRecordings()), sleep: async () => undefined });
    web = new WebClient(env.app);
    await signUpVia(web, env, 'ada@example.org');
  });
  afterAll(async () => env.cleanup());

  it('fetches the paper from arXiv and opens its page', async () => {
    expect(await (await web.get('/submit')).text()).toContain('arXiv id or link');
    const res = await web.post('/submit', { id: 'https://arxiv.org/abs/1605.08386' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/papers/1605.08386');
    expect(await (await web.get('/papers/1605.08386')).text()).toContain(
      'Heat-bath random walks with Markov bases',
    );
  });

  it('says clearly when the id is malformed or arXiv has no such paper', async () => {
    const bad = await web.post('/submit', { id: 'not an id <b>' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('value="not an id &lt;b&gt;"');
    const none = await web.post('/submit', { id: '0000.0000' });
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('arXiv has no paper 0000.0000');
    expect((await new WebClient(env.app).post('/submit', { id: '1605.08386' })).status).toBe(401);
  });
});
