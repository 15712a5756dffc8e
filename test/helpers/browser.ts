// Shared set-up for browser tests: Debian's Chromium through playwright-core, with console errors collected.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots go here (not committed). */
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

/**
 * Whether Chromium is installed. Absent, the suite is skipped with a message, except under
 * PAPERBOY_REQUIRE_BROWSER=1 (CI), where the test file fails.
 */
export function chromiumAvailable(suite: string): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env.PAPERBOY_REQUIRE_BROWSER === '1')
    throw new Error(`${CHROMIUM} is absent but PAPERBOY_REQUIRE_BROWSER=1 (CI): apt-get install chromium`);
  if (!ok) console.warn(`skipping ${suite}: ${CHROMIUM} is absent (apt-get install chromium)`);
  return ok;
}

export interface BrowserPage {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
}

/** Launches headless Chromium with one 1100×900 page whose script errors are collected. */
export async function openBrowserPage(opts: { acceptDownloads?: boolean } = {}): Promise<BrowserPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, ...(await newBrowserPage(browser, opts)) };
}

/**
 * A 1100×900 page in a context of its own (no cookies shared with other pages), its script errors collected.
 * @example const { page, problems } = await newBrowserPage(browser); await page.context().close();
 */
export async function newBrowserPage(
  browser: Browser,
  opts: { acceptDownloads?: boolean } = {},
): Promise<Omit<BrowserPage, 'browser'>> {
  const context = await browser.newContext({
    acceptDownloads: opts.acceptDownloads ?? false,
    viewport: { width: 1100, height: 900 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

/**
 * WCAG contrast ratio of two computed colours ("rgb(r, g, b)" or "rgba(…)"), 1 to 21.
 * @example contrastRatio('rgb(0, 0, 0)', 'rgb(255, 255, 255)') // 21
 */
export function contrastRatio(a: string, b: string): number {
  const luminance = (c: string): number => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/** What signUpInBrowser needs: where the site is, who signs up, and how to find the link mailed to them. */
export interface BrowserSignUp {
  base: string;
  email: string;
  /** Filled in when given (the field is optional on the form). */
  name?: string;
  handle?: string;
  /** The confirmation link mailed to `email`; each suite reads its own mail catcher. */
  confirmLink: () => string | Promise<string>;
}

/**
 * Signs a reader up through the pages and the mailed link, leaving the page signed in.
 * @example await signUpInBrowser(page, { base: server.base, email: 'ada@example.org', confirmLink: () => lastMailLink() });
 */
export async function signUpInBrowser(page: Page, s: BrowserSignUp): Promise<void> {
  await page.goto(`${s.base}/signup`);
  await page.getByLabel('E-mail').fill(s.email);
  if (s.name !== undefined) await page.getByLabel('Name (optional)').fill(s.name);
  if (s.handle !== undefined) await page.getByLabel('Handle (optional)').fill(s.handle);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  await page.goto(await s.confirmLink());
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Welcome! You are signed in.').waitFor();
}
