// Code chips and the TL;DR on a phone (390 px) in light and dark mode, in Chromium against a real `paperboy serve`:
// no sideways scrolling with a long repository name, and chip text readable (contrast) in both schemes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { ARTIFACTS, chromiumAvailable, contrastRatio, openBrowserPage } from '../helpers/browser.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('enrichment chip tests');

describe.skipIf(!hasChromium)('link chips and TL;DR in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-chips-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({
        arxivId: '2607.00001',
        title: 'Soft gripper control from tactile signals',
        abstract:
          'Robots drop objects in clutter. We learn grasp forces for soft grippers from tactile signals. ' +
          'Learned grasp forces for soft grippers halve the drops in clutter.',
        comment:
          'Code: https://github.com/a-very-long-organisation-name-for-testing/an-even-longer-repository-name-that-wraps ' +
          'Data: https://huggingface.co/datasets/lab/grasps Project page: https://lab.github.io/grip/',
        announced: '2026-07-01',
      }),
    ]);
    await store.close();
    server = await startServe({ DATABASE_URL: join(dir, 'paperboy.db'), PAPERBOY_HARVEST: 'false' });
    ({ browser, page } = await openBrowserPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const overflow = (): Promise<number> =>
    page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>;

  const chipColours = (): Promise<{ fg: string; bg: string }> =>
    page.evaluate(`(() => {
      const el = document.querySelector('.chip-code .chip-kind');
      return { fg: getComputedStyle(el).color, bg: getComputedStyle(el.parentElement).backgroundColor };
    })()`) as Promise<{ fg: string; bg: string }>;

  for (const scheme of ['light', 'dark'] as const) {
    it(`fits a phone and stays readable in ${scheme} mode`, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of ['/day/2026-07-01', '/papers/2607.00001']) {
        await page.goto(`${server.base}${path}`);
        await page.locator('.chip-code').first().waitFor();
        expect(await overflow(), path).toBe(0);
        const { fg, bg } = await chipColours();
        expect(contrastRatio(fg, bg), `${path} ${fg} on ${bg}`).toBeGreaterThan(4.5);
        expect(await page.locator('.tldr').first().textContent()).toContain('extractive');
      }
      await page.goto(`${server.base}/day/2026-07-01`);
      await page.screenshot({ path: join(ARTIFACTS, `enrich-chips-${scheme}.png`), fullPage: true });
    });
  }
});
