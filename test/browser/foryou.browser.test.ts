// For you in headless Chromium against a real `paperboy serve`: follow an author from a card, see their paper first.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { ARTIFACTS, chromiumAvailable, openBrowserPage, signUpInBrowser } from '../helpers/browser.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('the For-you browser test');

/** A day relative to the real clock, since serve runs on it. */
const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('For you in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-foryou-browser-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({
        arxivId: '2601.00001',
        title: 'Parsing grammar with transformers',
        abstract: 'Syntax parsing of sentences.',
        authors: ['Lin Guist'],
        announced: daysAgo(20),
      }),
      paper({
        arxivId: '2601.00002',
        title: 'Grammar parsing for long sentences',
        abstract: 'Parsing grammar and syntax.',
        authors: ['Pat Parser'],
        announced: daysAgo(1),
      }),
      paper({
        arxivId: '2601.00003',
        title: 'Sentence syntax at scale',
        abstract: 'Parsing many sentences with a grammar.',
        authors: ['Sam Syntax'],
        announced: daysAgo(1),
      }),
      paper({
        arxivId: '2601.00004',
        title: 'Circuit lower bounds',
        abstract: 'Boolean circuit complexity.',
        authors: ['Grace Hopper'],
        categories: ['cs.CC'],
        announced: daysAgo(2),
      }),
    ]);
    await store.close();
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_MAIL_DIR: join(dir, 'mail'),
    });
    ({ browser, page, problems } = await openBrowserPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows an author from a card and shows their new paper first, with the reason', async () => {
    await signUpInBrowser(page, {
      base: server.base,
      email: 'ada@example.org',
      confirmLink: () => {
        const mails = readdirSync(join(dir, 'mail')).sort();
        return /http:\/\/\S+/.exec(readFileSync(join(dir, 'mail', mails.at(-1) ?? ''), 'utf8'))?.[0] ?? '';
      },
    });

    await page.goto(`${server.base}/papers/2601.00001`);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByRole('link', { name: 'For you' }).click();
    const ids = (): Promise<string[]> =>
      page.locator('article.card').evaluateAll((els) => els.map((e) => e.id));
    expect((await ids()).slice(0, 2).sort()).toEqual(['paper-2601.00002', 'paper-2601.00003']);
    await page.locator('#paper-2601\\.00004').getByRole('button', { name: 'Follow Grace Hopper' }).click();
    await page.waitForLoadState();
    expect((await ids())[0]).toBe('paper-2601.00004');
    expect(await page.locator('#paper-2601\\.00004 .reason').textContent()).toBe('by Grace Hopper');
    await page.screenshot({ path: join(ARTIFACTS, 'foryou.png'), fullPage: true });

    await page.locator('#paper-2601\\.00002').getByRole('button', { name: 'Not interested' }).click();
    await page.waitForLoadState();
    expect(await ids()).not.toContain('paper-2601.00002');
    expect(problems).toEqual([]);
  });
});
