// The e-mail digest in headless Chromium against a real `paperboy serve` and a real SMTP server (another process):
// subscribe from the box on the home page, confirm from the mail, get a digest from `paperboy digest run`,
// unsubscribe from the digest's link, and get nothing more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { ARTIFACTS, chromiumAvailable, openBrowserPage, signUpInBrowser } from '../helpers/browser.ts';
import { lastJson, runPaperboy } from '../helpers/cli.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { paper } from '../helpers/temp-store.ts';

const hasChromium = chromiumAvailable('the digest browser test');

const EMAIL = 'ada@example.org';
const ADMIN = 'admin@example.org';
const SECRET = 'digest-browser-test-secret-0123456789abcdef';
/** Today (UTC) on the real clock, since serve and the CLI run on it. */
const TODAY = new Date().toISOString().slice(0, 10);
const PAPERS = [
  { arxivId: '2611.00001', title: 'Sparse attention for long documents' },
  { arxivId: '2611.00002', title: 'Diffusion priors for protein design' },
  { arxivId: '2611.00003', title: 'Retrieval with dense vectors' },
];

/** The first http(s) link in `text` under `path`, e.g. /digest/confirm/. */
function linkIn(text: string, base: string, path: string): string {
  const escaped = `${base}${path}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`${escaped}[\\w.-]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[0];
}

describe.skipIf(!hasChromium)('the e-mail digest in Chromium', () => {
  let dir: string;
  let sink: SmtpSink;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  /** The accepted messages to EMAIL, oldest first. */
  const mailsTo = async (): Promise<ParsedMail[]> =>
    (await sink.messages()).filter((m) => JSON.stringify(m.to ?? '').includes(EMAIL));
  /** Runs `paperboy digest run` against the same database, mail server and links as serve. */
  const digestRun = () =>
    runPaperboy(['digest', 'run', '--date', TODAY, '--json'], {
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_SECRET: SECRET,
      PAPERBOY_BASE_URL: server.base,
      PAPERBOY_HARVEST: 'false',
      SMTP_URL: sink.url,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-digest-browser-'));
    const store = await openStore(join(dir, 'paperboy.db'));
    await store.papers.upsertMany(PAPERS.map((p) => paper({ ...p, announced: TODAY, published: TODAY })));
    await store.close();
    sink = await startSmtpSink();
    // No PAPERBOY_BASE_URL: serve's links then carry the address it listens on (see startServe).
    server = await startServe({
      DATABASE_URL: join(dir, 'paperboy.db'),
      PAPERBOY_SECRET: SECRET,
      PAPERBOY_BASE_URL: '',
      PAPERBOY_HARVEST: 'false',
      SMTP_URL: sink.url,
      ADMIN_EMAILS: ADMIN,
    });
    ({ browser, page, problems } = await openBrowserPage());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes from the home page, confirms by mail, gets a digest and unsubscribes from it', async () => {
    // Subscribe: the box at the foot of the home page subscribes at once (a confirmation link is mailed).
    await page.goto(`${server.base}/`);
    await page.locator('footer').getByLabel('Get trending papers in your inbox').fill(EMAIL);
    await page.locator('footer').getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    // The confirmation mail goes out in the background: wait for the sink to accept it.
    await sink.waitFor((e) => e.event === 'accepted' && e.to === EMAIL, 20_000);
    const [confirmation] = await mailsTo();
    expect(confirmation?.subject).toBe('Confirm your Paperboy digest');
    await page.goto(linkIn(confirmation?.text ?? '', server.base, '/digest/confirm/'));
    await page.getByRole('button', { name: 'Start the digest' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();

    // Weekly on a day other than today, so serve's own per-minute pass never sends today's digest:
    // only the explicit `digest run --date TODAY` below does.
    await page.getByRole('link', { name: 'Choose the time, frequency and sections' }).click();
    await page.getByRole('heading', { name: 'Your digest' }).waitFor();
    const otherDay = String((new Date().getUTCDay() + 3) % 7);
    await page.getByLabel('How often').selectOption('weekly');
    await page.getByLabel('Day (weekly)').selectOption(otherDay);
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`For ${EMAIL} (active). Saved.`).waitFor();

    // The digest, sent by hand as `paperboy digest run` does.
    const first = await digestRun();
    expect(first.code, first.stderr).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ queued: 1, sent: 1, bounced: 0, failed: 0 });
    const mails = await mailsTo();
    expect(mails).toHaveLength(2);
    const digest = mails[1];
    if (!digest) throw new Error('no digest mail');
    expect(digest.subject).toContain(TODAY);
    const html = String(digest.html);
    const text = digest.text ?? '';
    for (const p of PAPERS) {
      expect(html).toContain(p.title);
      expect(html).toContain(`href="${server.base}/papers/${p.arxivId}"`);
      expect(text).toContain(p.title);
      expect(text).toContain(`${server.base}/papers/${p.arxivId}`);
    }
    const unsubscribe = linkIn(text, server.base, '/digest/unsubscribe/');
    expect(html).toContain(unsubscribe);
    const listUnsubscribe = digest.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    expect(listUnsubscribe.replace(/\r?\n\s+/g, '')).toContain(`<${unsubscribe}>`);

    // Unsubscribe from the mail's link: opening it changes nothing, the button does.
    await page.goto(unsubscribe);
    await page.getByRole('heading', { name: 'Unsubscribe', exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'digest-unsubscribe.png'), fullPage: true });
    await page.locator('main').getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    await page.getByText(`${EMAIL} gets no more digests.`).waitFor();

    // A second run (for every subscriber) queues and sends nothing, and the sink got nothing new.
    const second = await digestRun();
    expect(second.code, second.stderr).toBe(1);
    expect(lastJson(second.stdout)).toMatchObject({ queued: 0, sent: 0 });
    expect(await mailsTo()).toHaveLength(2);
    expect((await sink.messages()).length).toBe(2);
    expect(problems).toEqual([]);
  });

  it('lets an admin preview the digest an address would get, as HTML and as plain text', async () => {
    await signUpInBrowser(page, {
      base: server.base,
      email: ADMIN,
      async confirmLink() {
        await sink.waitFor((e) => e.event === 'accepted' && e.to === ADMIN, 20_000);
        const signup = (await sink.messages()).find((m) => JSON.stringify(m.to ?? '').includes(ADMIN));
        return linkIn(signup?.text ?? '', server.base, '/confirm/');
      },
    });

    const before = (await sink.messages()).length;
    await page.goto(`${server.base}/admin/digest/preview`);
    await page.locator('main').getByLabel('E-mail').fill('grace@example.org');
    await page.getByLabel('Date').fill(TODAY);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'What grace@example.org would get' }).waitFor();
    const mail = page.locator('.digest-html');
    for (const p of PAPERS) await mail.getByRole('link', { name: p.title }).first().waitFor();
    expect(await mail.getByRole('link', { name: 'Unsubscribe' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'digest-admin-preview.png'), fullPage: true });

    await page.getByRole('link', { name: 'Plain text' }).click();
    const text = (await page.locator('pre.digest-text').textContent()) ?? '';
    for (const p of PAPERS) expect(text).toContain(p.title);
    expect(text).toContain(`${server.base}/papers/${PAPERS[0]?.arxivId}`);
    // A preview sends nothing.
    expect((await sink.messages()).length).toBe(before);
    expect(problems).toEqual([]);
  });
});
