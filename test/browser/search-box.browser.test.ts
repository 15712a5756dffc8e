// The search box in Chromium against a real `paperboy serve`: an ARIA combobox of suggestions driven by the
// keyboard (arrows, Enter, Escape), and a text area when a long text is pasted ("papers like this text").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { chromiumAvailable, openBrowserPage } from '../helpers/browser.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('search box browser tests');

describe.skipIf(!hasChromium)('the search box in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-search-box-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({ arxivId: '2607.00001', title: 'Diffusion models for vision', announced: '2026-07-01' }),
      paper({ arxivId: '2607.00002', title: 'Diffusion of innovations', announced: '2026-07-02' }),
      paper({
        arxivId: '2607.00003',
        title: 'Retrieval with dense vectors',
        abstract: 'Dense passage retrieval with learned vectors for open-domain question answering.',
        announced: '2026-07-01',
        authors: ['Grace Hopper'],
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

  const box = () => page.locator('#q');
  const attr = (name: string) => box().getAttribute(name);

  it('is a combobox whose suggestions the arrow keys walk and Enter opens', async () => {
    await page.goto(`${server.base}/`);
    expect(await attr('role')).toBe('combobox');
    await box().fill('diffusion');
    await page.locator('#suggestions [role="option"]').first().waitFor();
    expect(await attr('aria-expanded')).toBe('true');
    const labels = await page.locator('#suggestions [role="option"]').allTextContents();
    expect(labels.some((l) => l.includes('Diffusion models for vision'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    const first = await attr('aria-activedescendant');
    expect(first).toBe('suggestion-0');
    expect(await page.locator('#suggestion-0').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await attr('aria-activedescendant')).toBe('suggestion-1');
    await page.keyboard.press('ArrowUp');
    expect(await attr('aria-activedescendant')).toBe('suggestion-0');
    // Focus never left the box.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('q');
    const target = await page.locator('#suggestion-0').textContent();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/papers\/2607\.0000[12]/);
    expect(target).toContain(await page.locator('h1').first().textContent());
  });

  it('closes with Escape, and Enter then searches what was typed', async () => {
    await page.goto(`${server.base}/`);
    await box().fill('hopp');
    await page.locator('#suggestions [role="option"]').first().waitFor();
    expect(await page.locator('#suggestions').textContent()).toContain('Grace Hopper');
    await page.keyboard.press('Escape');
    expect(await page.locator('#suggestions').isHidden()).toBe(true);
    expect(await attr('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=hopp/);
  });

  it('grows into a text area when a long text is pasted, and the results say "papers like this text"', async () => {
    await page.goto(`${server.base}/`);
    const text = 'Dense passage retrieval with learned vectors answers open-domain questions well.\n'.repeat(
      6,
    );
    await box().focus();
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', ${JSON.stringify(text)});
      document.getElementById('q').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    expect(await page.evaluate('document.getElementById("q").tagName')).toBe('TEXTAREA');
    expect(await box().inputValue()).toBe(text);
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(/\/search\?q=Dense/);
    await page.getByRole('heading', { level: 1, name: /Papers like this text/ }).waitFor();
    expect(await page.locator('article.card').first().getAttribute('id')).toBe('paper-2607.00003');
    // The results page keeps the long text in a text area too.
    expect(await page.evaluate('document.getElementById("q").tagName')).toBe('TEXTAREA');
  });

  it('serves a 20,000-character search over HTTP and answers a 1 MB one with a 413 that says why', async () => {
    const text = 'dense passage retrieval with learned vectors '.repeat(500).slice(0, 20_000);
    const ok = await fetch(`${server.base}/api/search?q=${encodeURIComponent(text)}&k=1`);
    expect(ok.status).toBe(200);
    const huge = await fetch(`${server.base}/search?q=${'x'.repeat(1_000_000)}`);
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('a search is at most 20,000 characters');
  });

  it('met no script error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
