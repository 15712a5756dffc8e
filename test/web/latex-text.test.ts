// LaTeX in titles and snippets: text macros and accents rendered on pages, plain in feeds; previews never cut math.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latexAccents, type Paper } from '../../src/domain/index.ts';
import { plainTitle } from '../../src/digest/digest-math-text.ts';
import { renderDigest } from '../../src/services/digest/digest-render.ts';
import { mathHtml, previewText } from '../../src/web/views/math.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

const FORMULA_ABSTRACT =
  'We study kernels for Gaussian processes on graphs and manifolds with many nodes and edges. ' +
  'Our bound holds for every graph we tried in the experiments reported here, and it is tight ' +
  'in the regime of interest for practitioners who train such models at scale on modern hardware ' +
  'where $\\upsilon = \\frac{1}{2}\\sum_{i=1}^{n} \\lambda_i^2$ holds. Further text follows after the formula.';

describe('text-mode LaTeX', () => {
  it('turns accents and special letters into letters', () => {
    expect(latexAccents('Mat\\\'ern, G\\"odel, {\\"o}, \\v{S}ediv\\\'y, Erd\\H{o}s, Stra\\ss e')).toBe(
      'Matérn, Gödel, ö, Šedivý, Erdős, Straße',
    );
    // Math commands that start like an accent stay as they are.
    expect(latexAccents('\\underline{x} \\vec{v} \\cdot \\left(')).toBe(
      '\\underline{x} \\vec{v} \\cdot \\left(',
    );
  });

  it('renders \\textbf, \\texttt and \\emph as markup, escaped, beside math', () => {
    const out = mathHtml(
      '\\textbf{HierBias} with \\texttt{HTSR} and \\emph{<b>} at $O(n)$: 5\\% better',
    ).value;
    expect(out).toContain('<strong>HierBias</strong>');
    expect(out).toContain('<code>HTSR</code>');
    expect(out).toContain('<em>&lt;b&gt;</em>');
    expect(out).toContain('class="katex"');
    expect(out).toContain('5% better');
    expect(out).not.toContain('\\text');
  });

  it('gives plain text for mail and feeds', () => {
    expect(plainTitle("\\textbf{HierBias}: Mat\\'ern kernels in $O(n^2)$ via \\texttt{HTSR}")).toBe(
      'HierBias: Matérn kernels in O(n²) via HTSR',
    );
  });

  it('puts plain titles into the digest mail, both parts and the subject', () => {
    const p: Paper = {
      ...paper({ arxivId: '2607.00001', title: "\\textbf{HierBias}: Mat\\'ern kernels with \\texttt{HTSR}" }),
      id: '2607.00001',
      createdAt: '',
      modifiedAt: '',
    };
    const m = renderDigest({
      email: 'ada@example.org',
      digestDate: '2026-07-02',
      frequency: 'daily',
      baseUrl: 'https://papers.example.org',
      unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/1.x',
      manageUrl: 'https://papers.example.org/digest/manage/1.x',
      messageId: '<1@papers.example.org>',
      sections: [{ title: 'Trending', papers: [{ paper: p }] }],
    });
    for (const part of [m.subject, m.text, m.html]) {
      expect(part).toContain('HierBias: Matérn kernels with HTSR');
      expect(part).not.toMatch(/\\text|\\'/);
    }
  });

  it('cuts a preview at a sentence or outside math, never inside a formula', () => {
    const cut = previewText(FORMULA_ABSTRACT, 300);
    expect(FORMULA_ABSTRACT.indexOf('$')).toBeLessThan(300);
    expect((cut.match(/\$/g) ?? []).length % 2).toBe(0);
    expect(cut.endsWith('…')).toBe(true);
    // With no room to keep the formula whole, the cut falls before it.
    const tight = previewText(FORMULA_ABSTRACT, 300, 10);
    expect(tight).not.toContain('$');
    expect(tight).toMatch(/hardware where…$/);
  });
});

describe('on pages and in feeds', () => {
  let env: Awaited<ReturnType<typeof webEnv>>;
  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers([
      paper({
        arxivId: '2607.00001',
        title: "\\textbf{HierBias}: Mat\\'ern kernels with \\texttt{HTSR}",
        abstract: FORMULA_ABSTRACT,
        announced: '2026-07-01',
      }),
      paper({
        arxivId: '2607.00002',
        title: "More Mat\\'ern kernels with \\texttt{HTSR}",
        abstract: 'Kernels for graphs and manifolds, HierBias style.',
        announced: '2026-07-01',
      }),
    ]);
  });
  afterAll(async () => env.cleanup());

  it('renders titles and previews on cards', async () => {
    const page = await (await env.app.request('/day/2026-07-01')).text();
    expect(page).toContain('<strong>HierBias</strong>: Matérn kernels with <code>HTSR</code>');
    expect(page).not.toContain('\\textbf');
    expect(page).not.toContain('$\\upsilon');
  });

  it('renders them in search results, the similar list and the tab title', async () => {
    const results = await (await env.app.request('/search?q=kernels&mode=lexical')).text();
    expect(results).toContain('<code>HTSR</code>');
    expect(results).not.toContain('\\texttt');
    const paperPage = await (await env.app.request('/papers/2607.00002')).text();
    expect(paperPage).toContain('<title>More Matérn kernels with HTSR · Paperboy</title>');
    expect(paperPage).toContain('<h1>More Matérn kernels with <code>HTSR</code></h1>');
    // The similar-papers list.
    expect(paperPage).toContain('<strong>HierBias</strong>: Matérn');
  });

  it('writes plain text into the Atom feed', async () => {
    const xml = await (await env.app.request('/feeds/daily.atom')).text();
    expect(xml).toContain('<title>HierBias: Matérn kernels with HTSR</title>');
    expect(xml).not.toContain('\\textbf');
  });
});
