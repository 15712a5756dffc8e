// A rendered digest opened in Chromium as a mail client shows it (no CSP): a record's `javascript:` link runs
// nothing when every link is clicked, and on a phone the mail fits the screen instead of a desktop-wide page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/domain/index.ts';
import { renderDigest } from '../../src/services/digest/digest-render.ts';
import { chromiumAvailable, openBrowserPage } from '../helpers/browser.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('the digest mail browser test');

function asPaper(id: string, overrides: Partial<Paper>): Paper {
  return { ...paper(overrides), id, createdAt: '', modifiedAt: '' };
}

/** A digest whose second paper has no arXiv id, so its "arXiv" link is the record's own (hostile) url. */
const digest = renderDigest({
  email: 'ada@example.org',
  digestDate: '2026-07-02',
  frequency: 'daily',
  baseUrl: 'https://papers.example.org',
  unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/1.x',
  manageUrl: 'https://papers.example.org/digest/manage/1.x',
  messageId: '<1@papers.example.org>',
  sections: [
    {
      title: 'Trending',
      papers: [
        { paper: asPaper('2607.00001', { arxivId: '2607.00001', title: 'A fine paper' }) },
        {
          paper: asPaper('doi:10.1234/evil', {
            arxivId: null,
            doi: '10.1234/evil',
            title: 'A paper with a hostile link <img src=x onerror=alert(2)>',
            absUrl: 'javascript:alert(1)',
            pdfUrl: 'javascript:alert(3)',
          }),
        },
      ],
    },
  ],
});

describe.skipIf(!hasChromium)('the digest mail in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = (await openBrowserPage()).browser;
  });
  afterAll(async () => browser?.close());

  it('runs no script when any of its links is clicked', async () => {
    expect(digest.html).not.toMatch(/javascript:/i);
    expect(digest.text).not.toMatch(/javascript:/i);
    const context = await browser.newContext();
    // Web links lead nowhere here: the test is about what runs in the mail, not where links go.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent(digest.html);
    const links = await page.locator('a').count();
    expect(links).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < links; i++) {
      await page.setContent(digest.html);
      await page.locator('a').nth(i).click({ noWaitAfter: true });
      // Two turns of the page's event loop: a `javascript:` navigation runs as a task queued by the click.
      await page
        .evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))')
        .catch(() => undefined); // a web link's (aborted) navigation replaced the document: nothing ran
    }
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('fits a phone screen (it has a viewport line)', async () => {
    expect(digest.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.setContent(digest.html);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
