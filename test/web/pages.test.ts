// Public pages in-process: daily papers with day/week/month, paper, author and category pages, escaping, headers.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let web: WebClient;

const NASTY = {
  arxivId: '2607.00666',
  title: 'Masked <SEG> tokens & [MASK] "quotes" <script>alert(1)</script> with $\\mathcal{O}(n^2)$',
  abstract:
    'We show &amp; prove $\\alpha < \\beta$ and <img src=x onerror=alert(1)> with $$\\sum_i x_i$$ done.',
  authors: ['Eve <b>Hacker</b>', 'Ada Lovelace', 'Bob Smith', 'Carol Jones'],
  announced: '2026-07-01',
  comment: '<i>12 pages</i>',
  journalRef: 'J. <Foo> 2026',
  doi: '10.1000/xyz"1',
  absUrl: 'https://arxiv.org/abs/2607.00666',
  pdfUrl: 'https://arxiv.org/pdf/2607.00666',
};

beforeAll(async () => {
  env = await webEnv();
  web = new WebClient(env.app);
  await env.addPapers([
    paper({ ...NASTY, version: 3, published: '2026-06-30', updated: '2026-07-05' }),
    paper({ arxivId: '2607.00001', title: 'Plain first', announced: '2026-07-01', categories: ['cs.CV'] }),
    paper({ arxivId: '2607.00002', title: 'Next day paper', announced: '2026-07-02' }),
    paper({ arxivId: '2606.00001', title: 'June paper', announced: '2026-06-15' }),
    paper({
      arxivId: 'hep-th/9901001',
      title: 'Old style id',
      announced: '1999-01-04',
      categories: ['hep-th'],
    }),
  ]);
});
afterAll(async () => env.cleanup());

describe('empty store', () => {
  it('tells a new user how to fill it', async () => {
    const fresh = await webEnv();
    try {
      const res = await fresh.app.request('/');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('No papers yet');
      expect(text).toContain('npx paperboy ingest');
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('daily papers', () => {
  it('shows the latest day with papers, with links to earlier days and other periods', async () => {
    const text = await (await web.get('/')).text();
    expect(text).toContain('Daily papers');
    expect(text).toContain('Thursday, 2 July 2026');
    expect(text).toContain('Next day paper');
    expect(text).not.toContain('Plain first');
    expect(text).toContain('href="/day/2026-07-01"');
    expect(text).toContain('href="/week/2026-W27"');
    expect(text).toContain('href="/month/2026-07"');
  });

  it('renders a day, a week and a month', async () => {
    const day = await (await web.get('/day/2026-07-01')).text();
    expect(day).toContain('Plain first');
    expect(day).toContain('href="/day/2026-06-15"');
    const week = await (await web.get('/week/2026-W27')).text();
    expect(week).toContain('Next day paper');
    expect(week).toContain('Plain first');
    const month = await (await web.get('/month/2026-06')).text();
    expect(month).toContain('June paper');
    expect(month).toContain('June 2026');
  });

  it('filters by category and sorts on request', async () => {
    const text = await (await web.get('/day/2026-07-01?category=cs.CV&sort=newest')).text();
    expect(text).toContain('Plain first');
    expect(text).not.toContain('Masked');
    expect((await web.get('/day/2026-07-01?sort=random')).status).toBe(400);
  });

  it('answers bad dates and pages with a clear 400 page', async () => {
    for (const path of [
      '/day/2026-02-30',
      '/day/tomorrow',
      '/week/2026-W99',
      '/month/2026-13',
      '/day/2026-07-01?page=0',
      '/day/2026-07-01?page=x',
      '/?category=%3Cscript%3E',
    ]) {
      const res = await web.get(path);
      expect(res.status, path).toBe(400);
      const text = await res.text();
      expect(text, path).toContain('Bad request');
      expect(text).not.toContain('<script>');
    }
    const empty = await (await web.get('/day/2026-07-04')).text();
    expect(empty).toContain('No papers on this day');
  });
});

describe('paper page', () => {
  it('is not kept for anonymous readers when its similar papers were answered during a large sync', async () => {
    const search = env.services.search;
    const real = search.similarSoon.bind(search);
    // Rendered anew for every request, or kept from the second on: told apart by how often it asks.
    const asked = async (id: string, behind: boolean): Promise<number> => {
      const spy = vi
        .spyOn(search, 'similarSoon')
        .mockImplementation(async (paperId, k) => ({ ...(await real(paperId, k)), behind }));
      try {
        for (let i = 0; i < 3; i++) {
          const res = await web.get(`/papers/${id}`);
          expect(res.status).toBe(200);
          // Said on the page, as a search page says it.
          expect((await res.text()).includes('New papers are being indexed')).toBe(behind);
        }
        // The page's own six similar papers (the related-papers graph asks too, for its rings).
        return spy.mock.calls.filter(([, k]) => k === 6).length;
      } finally {
        spy.mockRestore();
      }
    };
    expect(await asked('2607.00001', true)).toBe(3);
    expect(await asked('2607.00002', false)).toBe(2);
  });

  it('shows everything about a paper with math rendered and data escaped', async () => {
    const res = await web.get('/papers/2607.00666');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('class="katex"');
    expect(text).toContain('href="/static/katex/katex.min.css"');
    expect(text).toContain(
      'Masked &lt;SEG&gt; tokens &amp; [MASK] &quot;quotes&quot; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(text).toContain('We show &amp;amp; prove');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toMatch(/<script>alert|<img src=x|<b>Hacker|<i>12 pages/);
    expect(text).toContain('href="/authors/Eve%20%3Cb%3EHacker%3C%2Fb%3E"');
    expect(text).toContain('href="/categories/cs.CL"');
    expect(text).toContain('href="https://arxiv.org/abs/2607.00666v2"');
    expect(text).toContain('href="https://doi.org/10.1000/xyz&quot;1"');
    expect(text).toContain('J. &lt;Foo&gt; 2026');
    expect(text).toContain('@article{bhackerb2026masked,');
    expect(text).toMatch(/Sign in<\/a> to upvote/);
  });

  it('redirects versioned ids and arXiv-style links to the canonical page, and serves BibTeX', async () => {
    expect((await web.get('/papers/2607.00666v2')).headers.get('location')).toBe('/papers/2607.00666');
    expect((await web.get('/abs/2607.00666')).headers.get('location')).toBe('/papers/2607.00666');
    expect((await web.get('/papers/hep-th/9901001')).status).toBe(200);
    const bib = await web.get('/bibtex/2607.00666');
    expect(bib.headers.get('content-type')).toContain('application/x-bibtex');
    expect(await bib.text()).toContain('eprint = {2607.00666}');
  });

  it('answers unknown and absurd ids with a 404 page', async () => {
    for (const path of [
      '/papers/2607.99999',
      `/papers/${'9'.repeat(400)}`,
      '/papers/%3Cscript%3E',
      '/bibtex/nope',
    ]) {
      const res = await web.get(path);
      expect([400, 404], path).toContain(res.status);
      expect(await res.text()).not.toContain('<script>');
    }
  });
});

describe('authors and categories', () => {
  it('lists an author’s and a category’s papers', async () => {
    const author = await (await web.get('/authors/Ada%20Lovelace')).text();
    expect(author).toContain('Plain first');
    expect(author).toContain('Masked &lt;SEG&gt;');
    const cat = await (await web.get('/categories/hep-th')).text();
    expect(cat).toContain('Old style id');
    expect((await web.get('/authors/Nobody%20Here')).status).toBe(404);
    expect((await web.get('/categories/not%20a%20category')).status).toBe(400);
  });
});

describe('headers and assets', () => {
  it('sends a strict CSP without inline scripts and other security headers', async () => {
    const res = await web.get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    const text = await res.text();
    expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(text).not.toContain(' onclick=');
    expect((await web.get('/nothing-here')).status).toBe(404);
  });

  it('puts the security headers on every kind of response: pages, JSON, errors, redirects, files', async () => {
    for (const path of [
      '/',
      '/api/search?q=retrieval',
      '/api/papers?period=day',
      '/nothing-here',
      '/static/site.css',
      '/library',
    ]) {
      const res = await web.get(path);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('permissions-policy'), path).toContain('camera=()');
    }
  });

  it('serves the stylesheet, the script, KaTeX css and fonts', async () => {
    expect((await web.get('/static/site.css')).headers.get('content-type')).toContain('text/css');
    expect(await (await web.get('/static/site.js')).text()).toContain('X-CSRF-Token');
    expect((await web.get('/static/katex/katex.min.css')).status).toBe(200);
    expect((await web.get('/static/katex/fonts/KaTeX_Main-Regular.woff2')).headers.get('content-type')).toBe(
      'font/woff2',
    );
    expect((await web.get('/static/katex/fonts/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await web.get('/health')).status).toBe(200);
  });
});
