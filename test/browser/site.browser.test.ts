// The site in headless Chromium against a real `paperboy serve`: sign up, vote, save and export, submit, feed, search.
// Each test opens its own page (and signs up its own reader when it needs one), so any test runs alone.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import {
  ARTIFACTS,
  chromiumAvailable,
  newBrowserPage,
  openBrowserPage,
  signUpInBrowser,
} from '../helpers/browser.ts';
import { startArxivStub, recordedPage, type ArxivStub } from '../helpers/arxiv-stub.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('browser tests');
const SUBMIT_RECORDING = 'id_1605.08386_s0_m100_199195aa31ad.xml';

describe.skipIf(!hasChromium)('the site in Chromium', () => {
  let dir: string;
  let stub: ArxivStub;
  let server: ServeProcess;
  let browser: Browser;
  /** The pages this test opened, each with the script errors it met. */
  let opened: { page: Page; problems: string[] }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-browser-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({
        arxivId: '2607.00001',
        title: 'Attention for tokens <SEG> & [MASK]',
        abstract: 'We bound the loss by $\\mathcal{O}(n^2)$ and show $$\\sum_i x_i = 1$$ for all inputs.',
        announced: '2026-07-01',
      }),
      paper({
        arxivId: '2607.00002',
        title: 'Diffusion models for vision',
        announced: '2026-07-01',
        categories: ['cs.CV'],
      }),
      paper({
        arxivId: '2607.00003',
        title: 'Retrieval with dense vectors',
        announced: '2026-07-01',
        authors: ['Grace Hopper'],
      }),
    ]);
    await store.close();
    stub = await startArxivStub((url) =>
      url.searchParams.get('id_list') === '1605.08386'
        ? { status: 200, body: recordedPage(SUBMIT_RECORDING) }
        : { status: 200, body: recordedPage('id_0000.0000_s0_m100_8b51d9633a68.xml') },
    );
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_MAIL_DIR: join(dir, 'mail'),
      ARXIV_API_URL: stub.url,
      ARXIV_DELAY_MS: '0',
    });
    const first = await openBrowserPage();
    browser = first.browser;
    await first.page.context().close();
  });

  afterEach(async () => {
    const problems = opened.flatMap((o) => o.problems);
    for (const o of opened) await o.page.context().close();
    opened = [];
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A page of its own: no cookies from other tests. */
  async function freshPage(): Promise<Page> {
    const o = await newBrowserPage(browser, { acceptDownloads: true });
    opened.push(o);
    return o.page;
  }

  /** The link in the newest mail to `email` (the file mailer writes one .eml per mail, newest last). */
  function lastMailLink(email: string): string {
    const mails = readdirSync(join(dir, 'mail'))
      .sort()
      .map((f) => readFileSync(join(dir, 'mail', f), 'utf8'))
      .filter((text) => text.includes(`\r\nTo: ${email}\r\n`));
    return /http:\/\/\S+/.exec(mails.at(-1) ?? '')?.[0] ?? '';
  }

  /** Signs `email` up through the pages and the mailed link, leaving the page signed in. */
  async function signUp(page: Page, email: string): Promise<void> {
    await signUpInBrowser(page, {
      base: server.base,
      email,
      name: email.split('@')[0] ?? '',
      async confirmLink() {
        await expect.poll(() => lastMailLink(email)).toMatch(/^http:\/\//);
        return lastMailLink(email);
      },
    });
  }

  /** A fresh page with a reader of its own signed in. */
  async function signedIn(email: string): Promise<Page> {
    const page = await freshPage();
    await signUp(page, email);
    return page;
  }

  it('generated and announced a signing secret beside the database', () => {
    expect(server.log()).toContain(`generated a random one into ${join(dir, 'secret')}`);
  });

  it('signs up through the mailed link', async () => {
    const page = await signedIn('ada@example.org');
    expect(await page.getByRole('link', { name: 'Library' }).count()).toBe(1);
  });

  it('upvotes without a reload and the order changes', async () => {
    const page = await signedIn('voter@example.org');
    await page.goto(`${server.base}/day/2026-07-01`);
    const ids = (): Promise<string[]> =>
      page.locator('article.card').evaluateAll((els) => els.map((e) => e.id));
    expect(await ids()).toEqual(['paper-2607.00001', 'paper-2607.00002', 'paper-2607.00003']);
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'home-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    const third = page.locator('article.card').nth(2).locator('button.vote');
    await third.click();
    await expect.poll(() => third.getAttribute('aria-pressed')).toBe('true');
    expect(await third.locator('.count').textContent()).toBe('1');
    await page.reload();
    expect((await ids())[0]).toBe('paper-2607.00003');
  });

  it('renders the paper page with KaTeX and escaped text, saves with a tag and exports BibTeX', async () => {
    const page = await signedIn('saver@example.org');
    await page.goto(`${server.base}/papers/2607.00001`);
    await page.getByRole('heading', { level: 1, name: /Attention for tokens <SEG> & \[MASK\]/ }).waitFor();
    expect(await page.locator('.abstract-full .katex').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'paper.png'), fullPage: true });
    await page.getByLabel('Tags').fill('to-read, attention');
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.goto(`${server.base}/library?tag=attention`);
    expect(await page.locator('article.card').count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'BibTeX' }).click(),
    ]);
    const bib = readFileSync((await download.path()) ?? '', 'utf8');
    expect(bib).toContain('eprint = {2607.00001}');
    expect(bib).toContain('Attention for tokens <SEG> \\& [MASK]');
  });

  it('submits a paper by arXiv id', async () => {
    const page = await signedIn('submitter@example.org');
    await page.goto(`${server.base}/submit`);
    await page.getByLabel('arXiv id or link').fill('https://arxiv.org/abs/1605.08386');
    await page.getByRole('button', { name: 'Fetch and add' }).click();
    await page.getByRole('heading', { level: 1, name: 'Heat-bath random walks with Markov bases' }).waitFor();
    expect(page.url()).toBe(`${server.base}/papers/1605.08386`);
    expect(stub.requests.some((r) => r.includes('id_list=1605.08386'))).toBe(true);
  });

  it('serves an Atom feed that parses', async () => {
    const page = await freshPage();
    const res = await page.goto(`${server.base}/feeds/daily.atom`);
    const xml = (await res?.text()) ?? '';
    await page.goto(`${server.base}/`);
    // Evaluated in the page (a string, since this project compiles without the DOM library).
    const parsed = await page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
      return { error: doc.querySelector('parsererror') !== null, entries: [...doc.getElementsByTagName('entry')].map((e) => e.getElementsByTagName('title')[0]?.textContent), title: doc.getElementsByTagName('title')[0]?.textContent };
    })()`);
    // A paper submitted by another test may be in the feed as well: look for the three seeded ones.
    expect(parsed).toMatchObject({ error: false, title: 'Paperboy: daily papers' });
    expect((parsed as { entries: string[] }).entries).toEqual(
      expect.arrayContaining([
        'Attention for tokens <SEG> & [MASK]',
        'Diffusion models for vision',
        'Retrieval with dense vectors',
      ]),
    );
  });

  it('searches and opens a paper', async () => {
    const page = await freshPage();
    const probe = await page.request.get(`${server.base}/api/search?q=diffusion`);
    expect(probe.status()).toBe(200);
    await page.goto(`${server.base}/`);
    await page.getByLabel('Search papers').fill('diffusion');
    await page.locator('#suggestions [role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=diffusion/);
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });
    await page.locator('main article.card h2 a').first().click();
    await page.getByRole('heading', { level: 1, name: 'Diffusion models for vision' }).waitFor();
  });

  it('meets no script error or CSP violation, and a phone-sized page does not scroll sideways', async () => {
    const page = await freshPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${server.base}/papers/2607.00001`);
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
  });
});
