// The map (and other pictures) in headless Chromium over the real app: points drawn, hover, click, phone width.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumAvailable, contrastRatio, openBrowserPage } from '../helpers/browser.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';

const hasChromium = chromiumAvailable('picture browser tests');

/** How many canvas pixels are not fully transparent, read inside the page. */
async function inkedPixels(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    const c = document.querySelector('#map canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  })()`);
}

/** The part of the page's document the predicates use (the tests compile without the DOM types). */
type PageDocument = { querySelector(s: string): { textContent: string | null } | null };

/**
 * The text of an element inside the page matches `re` (waits for it). A function, not a string: a string
 * predicate is evaluated with eval inside the page, which the strict CSP refuses once it has to poll.
 */
function textMatches(page: Page, selector: string, re: RegExp): Promise<unknown> {
  return page.waitForFunction(
    ([sel, source, flags]) => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return new RegExp(source, flags).test(doc.querySelector(sel)?.textContent ?? '');
    },
    [selector, re.source, re.flags] as const,
  );
}

/** The page's scroll width (wider than the viewport means sideways scrolling on a phone). */
function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

describe.skipIf(!hasChromium)('pictures in Chromium', () => {
  let env: ReaderEnv;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];
  let app: Hono<WebEnv>;

  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers(topicCorpus(40).papers);
    await env.services.semantic.train({ epochs: 2, dim: 32 });
    await env.services.semantic.embed();
    await env.services.topics.recompute({ k: 4 });
    const { createApp } = await import('../../src/web/app.ts');
    app = createApp(env.services);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ browser, page, problems } = await openBrowserPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await env?.cleanup();
  });

  it('draws every paper on the map, names topics, and opens a paper on click', async () => {
    const t0 = Date.now();
    await page.goto(`${base}/map`);
    await page.waitForSelector('#map[data-ready="1"]');
    const firstPaint = Date.now() - t0;
    expect(await page.getAttribute('#map', 'data-points')).toBe('160');
    expect(await inkedPixels(page)).toBeGreaterThan(500);
    await page.screenshot({ path: join(ARTIFACTS, 'map-desktop.png') });
    writeFileSync(join(ARTIFACTS, 'map-first-paint.txt'), `${firstPaint} ms\n`);
    // The list of topics is there for screen readers and without JavaScript.
    expect(await page.locator('.topic-list li').count()).toBe(4);
    // Find a point's place the way the page does, hover it, then click it.
    const bytes = Buffer.from(await (await fetch(`${base}/api/map`)).arrayBuffer());
    const n = bytes.readUInt32LE(4);
    const x = bytes.readUInt16LE(8) / 65535;
    const y = bytes.readUInt16LE(8 + 2 * n) / 65535;
    const box = (await page.locator('#map').boundingBox())!;
    const side = Math.min(box.width, box.height);
    const px = box.x + (box.width - side) / 2 + x * side;
    const py = box.y + (box.height - side) / 2 + y * side;
    await page.mouse.move(px, py);
    await page.waitForSelector('#map-tip:not([hidden])');
    // The tooltip first shows the id, then the title fetched for it.
    await textMatches(page, '#map-tip', /^(?!\d{4}\.\d{5}).* — /);
    expect(await page.textContent('#map-tip')).toMatch(/ — /);
    await Promise.all([page.waitForURL(/\/papers\/2607\.\d{5}$/), page.mouse.click(px, py)]);
    expect(problems).toEqual([]);
  });

  it('marks one paper ("where this paper sits") and a search', async () => {
    await page.goto(`${base}/map?paper=2607.00005`);
    await page.waitForSelector('#map[data-ready="1"]');
    expect(await page.textContent('#map-status')).toMatch(/^The marked point is 2607\.00005, in the topic “/);
    await page.goto(`${base}/map?q=robot+gripper`);
    await textMatches(page, '#map-status', /results for/);
    expect(await page.textContent('#map-status')).toMatch(/^\d+ of the top \d+ results for “robot gripper”/);
    await page.screenshot({ path: join(ARTIFACTS, 'map-search.png') });
    expect(problems).toEqual([]);
  });

  it('draws the related-papers graph on a paper page; a node opens its paper', async () => {
    await page.goto(`${base}/papers/2607.00001`);
    const nodes = page.locator('.related-graph svg a circle');
    expect(await nodes.count()).toBeGreaterThan(8);
    await page.locator('.related-graph').screenshot({ path: join(ARTIFACTS, 'paper-graph.png') });
    const listed = await page.locator('.related-graph ol a').count();
    expect(listed).toBe((await nodes.count()) - 1);
    await Promise.all([page.waitForURL(/\/papers\/2607\.\d{5}$/), nodes.nth(1).click()]);
    expect(page.url()).not.toMatch(/2607\.00001$/);
    expect(problems).toEqual([]);
  });

  it('labels a weekly trends axis by distinct days, every label inside the chart', async () => {
    await page.goto(`${base}/trends?q=robot&interval=week`);
    // Measured by Chromium: each label's box against the chart's own box (a clipped label sticks out).
    const labels = await page.evaluate<
      { text: string; left: number; right: number; chart: number[] }[]
    >(`(() => {
      const svg = document.querySelector('svg.chart');
      const c = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text[text-anchor]')]
        .filter((t) => /^\\d{4}-/.test(t.textContent))
        .map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent, left: b.left, right: b.right, chart: [c.left, c.right] };
        });
    })()`);
    const texts = labels.map((l) => l.text);
    expect(texts.length).toBeGreaterThan(2);
    expect(new Set(texts).size).toBe(texts.length);
    for (const t of texts) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const l of labels) {
      expect(l.left, l.text).toBeGreaterThanOrEqual(l.chart[0]! - 0.5);
      expect(l.right, l.text).toBeLessThanOrEqual(l.chart[1]! + 0.5);
    }
    // The newest week is labelled: it is the one readers look for.
    const body = (await (await fetch(`${base}/api/trends?q=robot&interval=week`)).json()) as {
      series: { points: { start: string }[] }[];
    };
    expect(texts.at(-1)).toBe(body.series[0]!.points.at(-1)!.start);
    await page.locator('svg.chart').screenshot({ path: join(ARTIFACTS, 'trends-weekly-axis.png') });
    expect(problems).toEqual([]);
  });

  for (const scheme of ['light', 'dark'] as const)
    it(`follows a topic from its page on a phone in ${scheme} mode`, async () => {
      const web = new WebClient(app);
      await signUpVia(web, env, `phone-${scheme}@example.org`);
      const ctx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        colorScheme: scheme,
      });
      await ctx.addCookies([...web.cookies].map(([name, value]) => ({ name, value, url: base })));
      const p = await ctx.newPage();
      const errors: string[] = [];
      p.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      p.on('pageerror', (e) => errors.push(e.message));
      const id = (await env.services.topics.list())[0]!.id;
      await p.goto(`${base}/topics/${id}`);
      const button = p.locator('.topic-follow button');
      expect(await button.textContent()).toBe('Follow this topic');
      // The button's words against the page behind them, as Chromium painted them.
      const colours = await p.evaluate<{ fg: string; bg: string }>(`(() => ({
        fg: getComputedStyle(document.querySelector('.topic-follow button')).color,
        bg: getComputedStyle(document.body).backgroundColor,
      }))()`);
      expect(contrastRatio(colours.fg, colours.bg), `${colours.fg} on ${colours.bg}`).toBeGreaterThan(4.5);
      expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
      await Promise.all([p.waitForURL(`${base}/topics/${id}`), button.click()]);
      expect(await p.locator('.topic-follow button').textContent()).toBe('Unfollow this topic');
      await p.screenshot({ path: join(ARTIFACTS, `topic-follow-phone-${scheme}.png`), fullPage: true });
      await p.goto(`${base}/foryou`);
      expect(await p.locator(`a[href="/topics/${id}"]`).count()).toBeGreaterThan(0);
      await p.goto(`${base}/topics`);
      expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
      await p.screenshot({ path: join(ARTIFACTS, `topics-phone-${scheme}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await ctx.close();
    });

  it('fits a phone (390 px wide) and still draws the points', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${base}/map`);
    await p.waitForSelector('#map[data-ready="1"]');
    expect(await inkedPixels(p)).toBeGreaterThan(300);
    expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: join(ARTIFACTS, 'map-phone.png'), fullPage: false });
    await p.goto(`${base}/papers/2607.00001`);
    expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
    await p.locator('.related-graph').screenshot({ path: join(ARTIFACTS, 'paper-graph-phone.png') });
    await p.goto(`${base}/trends?q=robot&q=image`);
    expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: join(ARTIFACTS, 'trends-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await phone.close();
  });
});
