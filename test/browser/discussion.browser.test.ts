// The discussion in headless Chromium against a real `paperboy serve`: preview, post, reply, edit, report, hide,
// and hostile Markdown and math that must never run a script.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const hasChromium = chromiumAvailable('discussion browser tests');
const PAPER = '/papers/2607.00001';

describe.skipIf(!hasChromium)('the discussion in Chromium', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let ada: Page;
  let bob: Page;
  let anon: Page;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  function lastMailLink(to: string): string {
    const files = readdirSync(join(dir, 'mail')).sort().reverse();
    for (const f of files) {
      const text = readFileSync(join(dir, 'mail', f), 'utf8');
      if (text.includes(to)) return /http:\/\/\S+/.exec(text)?.[0] ?? '';
    }
    return '';
  }

  async function signUp(page: Page, email: string, name: string): Promise<void> {
    await signUpInBrowser(page, { base: server.base, email, name, confirmLink: () => lastMailLink(email) });
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-discussion-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany([
      paper({ arxivId: '2607.00001', title: 'Attention for tokens', announced: '2026-07-01' }),
    ]);
    await store.close();
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_HARVEST: 'false',
      PAPERBOY_MAIL_DIR: join(dir, 'mail'),
      ADMIN_EMAILS: 'ada@example.org',
    });
    ({ browser, page: ada, problems } = await openBrowserPage());
    bob = await newPage();
    anon = await newPage();
    await signUp(ada, 'ada@example.org', 'Ada');
    await signUp(bob, 'bob@example.org', 'Bob');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('previews, then posts a comment that lands at its permalink', async () => {
    await bob.goto(`${server.base}${PAPER}`);
    await bob.getByLabel('Add a comment').fill('A *bold* claim: $E = mc^2$.');
    await bob.getByRole('button', { name: 'Preview' }).click();
    await bob.getByRole('heading', { name: 'Preview' }).waitFor();
    expect(await bob.locator('.preview em').textContent()).toBe('bold');
    expect(await bob.locator('.preview .katex').count()).toBe(1);
    await bob.getByRole('button', { name: 'Post comment' }).click();
    await bob.waitForURL(/\/papers\/2607\.00001#c-\d+$/);
    const comment = bob.locator('article.comment').first();
    expect(await comment.locator('.author').textContent()).toBe('Bob');
    expect(await comment.locator('.katex').count()).toBe(1);
    expect(await comment.locator('time').textContent()).toBe('just now');
  });

  it('replies under the comment, nested one level deeper', async () => {
    await ada.goto(`${server.base}${PAPER}`);
    const first = ada.locator('article.comment').first();
    await first.getByRole('link', { name: 'Reply' }).click();
    await ada.getByLabel('Your reply').fill('Which units?');
    await ada.getByRole('button', { name: 'Reply' }).click();
    await ada.waitForURL(/#c-\d+$/);
    const reply = ada.locator('article.comment.depth-1');
    expect(await reply.locator('.comment-body').textContent()).toContain('Which units?');
    const [outer, inner] = [await first.boundingBox(), await reply.boundingBox()];
    expect((inner?.x ?? 0) - (outer?.x ?? 0)).toBeGreaterThan(10);
    await ada.screenshot({ path: join(ARTIFACTS, 'discussion.png'), fullPage: true });
  });

  it('edits the author’s own comment, marked edited', async () => {
    await bob.goto(`${server.base}${PAPER}`);
    await bob.locator('article.comment').first().getByRole('link', { name: 'Edit' }).click();
    await bob.getByLabel('Comment').fill('A *bold* claim: $E = mc^2$ (in SI units).');
    await bob.getByRole('button', { name: 'Save' }).click();
    await bob.waitForURL(/#c-\d+$/);
    const first = bob.locator('article.comment').first();
    expect(await first.locator('.comment-body').textContent()).toContain('in SI units');
    expect(await first.locator('.edited').textContent()).toBe('edited');
    // Ada sees no Edit link on Bob's comment.
    await ada.goto(`${server.base}${PAPER}`);
    expect(await ada.locator('article.comment').first().getByRole('link', { name: 'Edit' }).count()).toBe(0);
  });

  it('reports a comment; the admin hides it from the queue; only the admin and the author still see it', async () => {
    const first = ada.locator('article.comment').first();
    await first.locator('summary', { hasText: 'Report' }).click();
    await first.getByLabel('Why should an admin look at this?').fill('off-topic');
    await first.getByRole('button', { name: 'Send report' }).click();
    await ada.getByText('the comment is reported').waitFor();
    await ada.goto(`${server.base}/admin/reports`);
    expect(await ada.locator('.report-item').textContent()).toContain('off-topic');
    await ada.getByRole('button', { name: 'Hide' }).click();
    await ada.getByText('No open reports.').waitFor();
    await anon.goto(`${server.base}${PAPER}`);
    expect(await anon.locator('.comment-body').allTextContents()).not.toContain(
      expect.stringContaining('SI units') as string,
    );
    expect(await anon.locator('article.comment.deleted').count()).toBe(1);
    await bob.goto(`${server.base}${PAPER}`);
    expect(await bob.locator('article.hidden-comment .badge').textContent()).toBe('hidden by an admin');
    await ada.goto(`${server.base}${PAPER}`);
    await ada.locator('article.hidden-comment').getByRole('button', { name: 'Restore' }).click();
    await anon.reload();
    await anon.locator('article.comment:not(.deleted)').first().waitFor();
    expect(await anon.locator('.comment-body').first().textContent()).toContain('SI units');
  });

  it('runs no script from hostile Markdown and math', async () => {
    const hostile = [
      '<script>window.__xss = 1</script>',
      '<img src=x onerror="window.__xss = 2">',
      '[click me](javascript:window.__xss=3)',
      '[data](data:text/html,<script>window.__xss=4</script>)',
      '$$\\href{javascript:window.__xss=5}{x}$$ and $\\htmlId{x}{y}$ and $\\url{javascript:alert(1)}$',
      '<a href="javascript:window.__xss=6">raw</a> `<b onmouseover=alert(1)>code</b>`',
    ].join('\n\n');
    await bob.goto(`${server.base}${PAPER}`);
    await bob.getByLabel('Add a comment').fill(hostile);
    await bob.getByRole('button', { name: 'Post comment' }).click();
    await bob.waitForURL(/#c-\d+$/);
    const body = bob.locator('article.comment .comment-body').last();
    await body.waitFor();
    for (const link of await body.locator('a').all()) {
      await link.hover();
      await link.click({ modifiers: ['Alt'], noWaitAfter: true, timeout: 2000 }).catch(() => undefined);
    }
    const found = {
      xss: await bob.evaluate('window.__xss ?? null'),
      scripts: await body.locator('script').count(),
      images: await body.locator('img').count(),
      handlers: await body
        .locator('*')
        .evaluateAll(
          (els) => els.filter((el) => el.getAttributeNames().some((n: string) => n.startsWith('on'))).length,
        ),
      badLinks: await body
        .locator('a')
        .evaluateAll((els) => els.filter((a) => !/^https?:/.test(a.getAttribute('href') ?? '')).length),
    };
    expect(found).toEqual({ xss: null, scripts: 0, images: 0, handlers: 0, badLinks: 0 });
    expect(bob.url()).toContain(PAPER);
    expect(problems).toEqual([]);
  });
  it('votes, reports and deletes with script off: one shared action form, the report keeps its own', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1100, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.base}/signin`);
    await page.getByLabel('E-mail').fill('bob@example.org');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${server.base}${PAPER}`);
    // The page holds one CSRF field for every vote and delete button (and one per report form, none for Bob's own).
    expect(await page.locator('form#comment-actions').count()).toBe(1);
    const reply = page.locator('article.comment.depth-1');
    await reply.getByRole('button', { name: /^Upvote comment/ }).click();
    await page.waitForURL(/#c-\d+$/);
    const vote = page.locator('article.comment.depth-1').getByRole('button', { name: /^Upvote comment/ });
    expect(await vote.getAttribute('aria-pressed')).toBe('true');
    expect(await vote.locator('.count').textContent()).toBe('1');
    // Enter in a report's reason sends that report, not the shared form's first button (a vote).
    await page.locator('article.comment.depth-1 summary', { hasText: 'Report' }).click();
    await page
      .locator('article.comment.depth-1')
      .getByLabel('Why should an admin look at this?')
      .fill('rude');
    await page
      .locator('article.comment.depth-1')
      .getByLabel('Why should an admin look at this?')
      .press('Enter');
    await page.getByText('the comment is reported').waitFor();
    expect(await vote.locator('.count').textContent()).toBe('1');
    const hostile = page.locator('article.comment', { hasText: 'click me' });
    await hostile.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/papers\/2607\.00001/);
    expect(await page.locator('article.comment', { hasText: 'click me' }).count()).toBe(0);
  });

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`lays out the discussion at ${width} px in ${scheme} mode: no sideways scroll, readable comments`, async () => {
        await ada.setViewportSize({ width, height });
        await ada.emulateMedia({ colorScheme: scheme });
        await ada.goto(`${server.base}${PAPER}`);
        const overflow = (await ada.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        )) as number;
        expect(overflow).toBe(0);
        const colours = (await ada.evaluate(`(() => {
          const bodyBg = getComputedStyle(document.body).backgroundColor;
          const bgOf = (el) => {
            for (let e = el; e; e = e.parentElement) {
              const c = getComputedStyle(e).backgroundColor;
              if (c !== 'rgba(0, 0, 0, 0)') return c;
            }
            return bodyBg;
          };
          return [...document.querySelectorAll('article.comment .comment-body, article.comment .author, article.comment button')]
            .map((el) => ({ what: el.className || el.tagName, fg: getComputedStyle(el).color, bg: bgOf(el) }));
        })()`)) as { what: string; fg: string; bg: string }[];
        expect(colours.length).toBeGreaterThan(3);
        for (const c of colours)
          expect(contrastRatio(c.fg, c.bg), `${c.what}: ${c.fg} on ${c.bg}`).toBeGreaterThan(4.5);
        const box = await ada.locator('article.comment').first().boundingBox();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
        await ada.screenshot({ path: join(ARTIFACTS, `discussion-${width}-${scheme}.png`), fullPage: true });
        await ada.emulateMedia({ colorScheme: 'light' });
        await ada.setViewportSize({ width: 1100, height: 900 });
      });
    }
  }
});
