// Phone-width (390 px) and dark-mode layout in Chromium against a real `paperboy serve`: a compact vote control,
// one look for Save signed in and out, a tidy search filter row, and no sideways scrolling on the settings tokens
// table, the admin digest preview or the API page. Screenshots go to test-artifacts/.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { ARTIFACTS, chromiumAvailable, openBrowserPage, signUpInBrowser } from '../helpers/browser.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('first-hour layout tests');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1100, height: 900 };
const EMAIL = 'ada@example.org';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe.skipIf(!hasChromium)('first-hour layout in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-layout-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({
        arxivId: '2607.00001',
        title: "\\textbf{HierBias}: Mat\\'ern kernels for hierarchical bias with \\texttt{HTSR} at scale",
        abstract:
          'We study kernels for Gaussian processes on graphs and manifolds with many nodes and edges. ' +
          'Our bound holds for every graph we tried in the experiments reported here, and it is tight in ' +
          'the regime of interest where $\\upsilon = \\frac{1}{2}\\sum_{i=1}^{n} \\lambda_i^2$ holds. More text.',
        categories: ['cs.LG', '68T50', 'I.2.7'],
        announced: '2026-07-01',
      }),
      paper({ arxivId: '2607.00002', title: 'Diffusion models for vision', announced: '2026-07-01' }),
      paper({ arxivId: '2607.00003', title: 'Retrieval with dense vectors', announced: '2026-07-01' }),
    ]);
    await store.close();
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_MAIL_DIR: join(dir, 'mail'),
      ADMIN_EMAILS: EMAIL,
    });
    ({ browser, page, problems } = await openBrowserPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function lastMailLink(): string {
    const files = readdirSync(join(dir, 'mail')).sort();
    const text = readFileSync(join(dir, 'mail', files[files.length - 1] ?? ''), 'utf8');
    return /http:\/\/\S+/.exec(text)?.[0] ?? '';
  }

  async function box(selector: string): Promise<Box> {
    const b = await page.locator(selector).first().boundingBox();
    if (b === null) throw new Error(`${selector} is not visible`);
    return b;
  }

  /** The document's width beyond the viewport (0: no sideways scrolling). */
  const overflow = (): Promise<number> =>
    page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>;

  /** Light and dark screenshots of the current page. */
  async function shots(name: string): Promise<void> {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-dark.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  /** What makes the Save control look like itself. */
  const saveLook = (): Promise<Record<string, string | number>> =>
    page.locator('.card .save').first().evaluate(`(el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopWidth + ' ' + s.borderTopStyle, radius: s.borderTopLeftRadius,
        background: s.backgroundColor, color: s.color, font: s.fontSize, padding: s.paddingLeft,
        height: Math.round(el.getBoundingClientRect().height) };
    }`) as Promise<Record<string, string | number>>;

  let anonymousSave: Record<string, string | number> = {};

  it('puts a compact vote control beside the title on a phone, not a bar above it', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/day/2026-07-01`);
    const card = await box('article.card');
    const vote = await box('article.card .vote');
    const title = await box('article.card h2');
    expect(vote.width).toBeLessThan(card.width * 0.15);
    expect(vote.height).toBeLessThan(56);
    expect(vote.x + vote.width).toBeLessThanOrEqual(title.x);
    expect(Math.abs(vote.y - title.y)).toBeLessThan(16);
    expect(await overflow()).toBe(0);
    expect(await page.locator('article.card').first().locator('.cat').allTextContents()).toEqual(['cs.LG']);
    anonymousSave = await saveLook();
    await shots('phone-home');
  });

  it('signs up through the mailed link', async () => {
    await page.setViewportSize(DESKTOP);
    await signUpInBrowser(page, { base: server.base, email: EMAIL, confirmLink: () => lastMailLink() });
  });

  it('shows Save the same way signed in and signed out', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/day/2026-07-01`);
    expect(await saveLook()).toEqual(anonymousSave);
    const card = await box('article.card');
    const vote = await box('article.card .vote');
    expect(vote.width).toBeLessThan(card.width * 0.15);
    expect(vote.height).toBeLessThan(56);
    await shots('phone-home-signed-in');
    await page.setViewportSize(DESKTOP);
    await shots('desktop-home-signed-in');
  });

  it('lays the search filters out in tidy rows on a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/search?q=kernels&since=2026-01-01&before=2026-12-31`);
    const from = await box('.filters label:has(input[name=since])');
    const before = await box('.filters label:has(input[name=before])');
    const sort = await box('.filters label:has(select[name=sort])');
    const category = await box('.filters label:has(select[name=category])');
    // Two to a row, each label above its box, all inside the screen.
    expect(Math.abs(from.y - before.y)).toBeLessThan(2);
    expect(Math.abs(sort.y - category.y)).toBeLessThan(2);
    for (const b of [from, before, sort, category]) expect(b.x + b.width).toBeLessThanOrEqual(PHONE.width);
    const dateInput = await box('.filters input[name=since]');
    expect(dateInput.y).toBeGreaterThan(from.y + 5);
    expect(await overflow()).toBe(0);
    await shots('phone-search');
  });

  it('keeps the settings tokens table inside a phone screen', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/settings`);
    for (const name of ['laptop script with a long descriptive name', 'ci']) {
      await page.getByLabel('Token name').fill(name);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.locator('table.tokens').waitFor();
    }
    expect(await page.locator('table.tokens tbody tr').count()).toBe(2);
    expect(await overflow()).toBe(0);
    await shots('phone-settings');
  });

  it('keeps the admin digest preview inside a phone screen', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/admin/digest/preview?to=${encodeURIComponent(EMAIL)}&date=2026-07-01`);
    await page.getByRole('heading', { name: `What ${EMAIL} would get` }).waitFor();
    expect(await overflow()).toBe(0);
    await shots('phone-admin-digest');
  });

  it('serves a readable API page that fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/api/docs`);
    await page.getByRole('heading', { name: 'GET /api/search' }).waitFor();
    expect(await overflow()).toBe(0);
    await shots('phone-api-docs');
    await page.setViewportSize(DESKTOP);
    await shots('desktop-api-docs');
  });

  it('renders the paper page and author page on a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/papers/2607.00001`);
    expect(await page.locator('h1 strong').textContent()).toBe('HierBias');
    expect(await overflow()).toBe(0);
    await shots('phone-paper');
    await page.goto(`${server.base}/authors/Ada%20Lovelace`);
    expect(await overflow()).toBe(0);
    await shots('phone-author');
  });

  it('widens an empty For-you window to the newest papers the store has, and fits a phone', async () => {
    await page.setViewportSize(PHONE);
    // The corpus ends on 2026-07-01; the real clock is later, so the default window is empty.
    await page.goto(`${server.base}/foryou`);
    await page.getByText('so this shows the newest papers the').waitFor();
    expect(await page.locator('article.card').count()).toBe(3);
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await page.waitForURL(/since=all/);
    expect(await page.locator('article.card').count()).toBe(3);
    expect(await overflow()).toBe(0);
    await page.goto(`${server.base}/foryou`);
    await shots('phone-foryou');
  });

  it('had no script errors', () => {
    expect(problems).toEqual([]);
  });
});
