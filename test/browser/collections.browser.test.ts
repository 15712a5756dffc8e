// Collections in headless Chromium against a real `paperboy serve`: sign up with a handle, make a collection
// from a card with a note, add from a paper page, reorder, share it with an anonymous reader; hostile titles,
// descriptions and notes show as text and run nothing; the pages fit a phone in light and dark mode.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import {
  ARTIFACTS,
  chromiumAvailable,
  contrastRatio,
  openBrowserPage,
  signUpInBrowser,
} from '../helpers/browser.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('the collections browser test');

const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const HOSTILE_TITLE = 'Reading <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const HOSTILE_DESCRIPTION =
  '</p><script>window.__pwned=3</script><a href="javascript:window.__pwned=4">x</a>';
const HOSTILE_NOTE = '"><svg onload="window.__pwned=5"></svg></textarea><script>window.__pwned=6</script>';

describe.skipIf(!hasChromium)('collections in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];
  let shared = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-collections-browser-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({ arxivId: '2601.00001', title: 'Parsing with grammars', announced: daysAgo(1) }),
      paper({ arxivId: '2601.00002', title: 'Vision at scale', announced: daysAgo(1) }),
      paper({ arxivId: '2601.00003', title: 'Circuit lower bounds', announced: daysAgo(1) }),
    ]);
    await store.close();
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_MAIL_DIR: join(dir, 'mail'),
    });
    ({ browser, page, problems } = await openBrowserPage());
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pwned = (p: Page = page): Promise<unknown> => p.evaluate('window.__pwned');
  const order = (): Promise<string[]> =>
    page
      .locator('li.collection-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-paper') ?? ''));

  it('signs up with a handle, makes a collection from a card with a note, adds from a paper page, reorders', async () => {
    await signUpInBrowser(page, {
      base: server.base,
      email: 'ada@example.org',
      handle: 'ada',
      confirmLink: () => {
        const mails = readdirSync(join(dir, 'mail')).sort();
        return /http:\/\/\S+/.exec(readFileSync(join(dir, 'mail', mails.at(-1) ?? ''), 'utf8'))?.[0] ?? '';
      },
    });

    // From a card on the home page: a new collection holding that paper, with a note.
    await page.locator('#paper-2601\\.00003').getByRole('link', { name: 'Add to collection' }).click();
    // With no collection yet, the new-collection form is open at once.
    await page.getByText('You have no collections yet').waitFor();
    await page.getByLabel('Title').fill(HOSTILE_TITLE);
    await page.getByLabel('Description (optional)').fill(HOSTILE_DESCRIPTION);
    await page.getByLabel('Note on this paper (optional)').fill(HOSTILE_NOTE);
    await page.getByLabel(/^Public/).check();
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.locator('h1').filter({ hasText: 'Reading' }).waitFor();
    const collectionUrl = page.url();
    expect(collectionUrl).toMatch(/\/collections\/reading-img-src-x-onerror-window-pwned-1-[a-z2-9]{6}$/);

    // From a paper page: into the same collection, with another note.
    await page.goto(`${server.base}/papers/2601.00001`);
    await page.getByRole('link', { name: 'Add to collection' }).click();
    await page.getByLabel('Note (optional)').fill('Second: the parsing baseline');
    await page.getByRole('button', { name: 'Add to collection' }).click();
    await page.waitForURL(collectionUrl);
    expect(await order()).toEqual(['2601.00003', '2601.00001']);

    // Reorder: the second paper moves up.
    await page.locator('li[data-paper="2601.00001"]').getByRole('button', { name: 'Move up' }).click();
    await page.waitForURL(collectionUrl);
    expect(await order()).toEqual(['2601.00001', '2601.00003']);
    expect(await page.locator('li[data-paper="2601.00001"] blockquote.note').textContent()).toContain(
      'Second: the parsing baseline',
    );
    shared = await page.locator('input.share-url').inputValue();
    expect(shared).toBe(collectionUrl);
    await page.screenshot({ path: join(ARTIFACTS, 'collection-owner.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows hostile title, description and note as text to an anonymous reader of the shared link, running nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const anon = await context.newPage();
    const seen: string[] = [];
    anon.on('console', (m) => {
      if (m.type() === 'error') seen.push(m.text());
    });
    anon.on('pageerror', (e) => seen.push(e.message));
    anon.on('dialog', (d) => {
      seen.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    try {
      await anon.goto(shared);
      expect(await anon.locator('h1').textContent()).toContain(HOSTILE_TITLE);
      expect(await anon.locator('.collection-head .desc').textContent()).toBe(HOSTILE_DESCRIPTION);
      expect(await anon.locator('li[data-paper="2601.00003"] blockquote.note').textContent()).toContain(
        HOSTILE_NOTE,
      );
      expect(
        await anon
          .locator('.collection-head script, .collection-items script, img[src="x"], svg[onload]')
          .count(),
      ).toBe(0);
      expect(await anon.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(await anon.locator('text=Edit collection').count()).toBe(0);
      expect(await anon.getByRole('link', { name: '@ada' }).count()).toBeGreaterThan(0);
      // The public index, the paper page and the profile list it, all escaped.
      for (const path of ['/collections', '/papers/2601.00003', '/u/ada']) {
        await anon.goto(`${server.base}${path}`);
        expect(await anon.getByRole('link', { name: HOSTILE_TITLE }).count(), path).toBe(1);
        expect(await pwned(anon), path).toBeUndefined();
      }
      expect(await pwned(anon)).toBeUndefined();
      const feed = await context.request.get(`${shared}/feed.atom`);
      expect(feed.headers()['content-type']).toMatch(/atom/);
      expect(await feed.text()).toContain('Reading &lt;img');
      expect(seen).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await pwned()).toBeUndefined();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`fits a phone without sideways scrolling and keeps notes readable in ${scheme} mode`, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of [
        new URL(shared).pathname,
        '/collections',
        '/u/ada',
        '/papers/2601.00003',
        '/collections/add?paper=2601.00002',
        '/settings/profile',
      ]) {
        await page.goto(`${server.base}${path}`);
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        )) as number;
        expect(overflow, path).toBe(0);
      }
      await page.goto(shared);
      const { fg, bg, cardBg } = (await page.evaluate(`(() => {
        const note = document.querySelector('blockquote.note');
        return {
          fg: getComputedStyle(note).color,
          bg: getComputedStyle(note).backgroundColor,
          cardBg: getComputedStyle(document.body).backgroundColor,
        };
      })()`)) as { fg: string; bg: string; cardBg: string };
      expect(contrastRatio(fg, bg === 'rgba(0, 0, 0, 0)' ? cardBg : bg), `${fg} on ${bg}`).toBeGreaterThan(
        4.5,
      );
      await page.screenshot({ path: join(ARTIFACTS, `collection-phone-${scheme}.png`), fullPage: true });
      expect(problems).toEqual([]);
    });
  }
});
