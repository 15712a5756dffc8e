// Digest delivery through a real SMTP server on loopback (another process): headers, both parts, links and
// tokens, one-click unsubscribe, no paper twice, 5xx bounces and 4xx retries with every attempt recorded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/platform/secure-random.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

const PAPERS = [
  paper({
    arxivId: '2607.00001',
    title: 'Masked <SEG> tokens & [MASK] in $\\mathcal{O}(n^2)$ time',
    abstract: 'We prove $\\alpha < \\beta$ for <SEG> spans and <script>alert(1)</script> stays text.',
    announced: '2026-07-02',
  }),
  paper({ arxivId: '2607.00002', title: 'Second paper', announced: '2026-07-02' }),
  paper({ arxivId: '2607.00003', title: 'Third paper', announced: '2026-07-01' }),
];

let sink: SmtpSink;
const envs: Env[] = [];

async function env(extra: Record<string, string> = {}, digest = {}): Promise<Env> {
  let e: Env | null = null;
  const sleep = async (ms: number) => void e?.clock.advance(ms);
  e = await webEnv(
    { SMTP_URL: sink.url, PAPERBOY_BASE_URL: 'https://papers.example.org', ...extra },
    { digest: { backoffMs: 1000, sleep, ...digest } },
  );
  envs.push(e);
  await e.addPapers(PAPERS);
  return e;
}

/** Subscribes and confirms through the service, as the mailed link would. */
async function subscribed(e: Env, email: string, userId?: number): Promise<number> {
  await e.services.digest.subscriptions.subscribe(email, 'test', userId);
  await e.mailed();
  const link = e.lastLink(email);
  const sub = await e.services.digest.subscriptions.confirm(link.split('/').at(-1) ?? '');
  return sub.id;
}

beforeAll(async () => {
  sink = await startSmtpSink({ reject: ['gone@example.org'], tempFail: ['slow@example.org'], tempFails: 2 });
});
afterAll(async () => sink.stop());
afterEach(async () => {
  for (const e of envs.splice(0)) {
    e.services.digest.close();
    await e.cleanup();
  }
});

describe('digest over SMTP', () => {
  it('delivers both parts with RFC 8058 headers, signed links and escaped text; one-click unsubscribe works', async () => {
    const e = await env();
    const id = await subscribed(e, 'ada@example.org');
    const { delivery } = e.services.digest;
    expect(await delivery.queue({ date: '2026-07-02' })).toMatchObject({ queued: 1 });
    expect(await delivery.deliver()).toMatchObject({ sent: 1, bounced: 0 });
    const mail = (await sink.messages()).find((m) => m.to && JSON.stringify(m.to).includes('ada@'));
    if (!mail) throw new Error('no mail for ada');
    expect(mail.subject).toContain('2026-07-02');
    expect(mail.subject).toContain('Masked <SEG> tokens & [MASK] in O(n²) time');
    expect(mail.messageId).toMatch(new RegExp(`^<digest-${id}-2026-07-02-[\\w-]+@papers\\.example\\.org>$`));
    const header = (k: string) =>
      mail.headerLines
        .find((h) => h.key === k)
        ?.line.replace(/^[^:]+:\s*/, '')
        .replace(/\r?\n\s+/g, '');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsub = (header('list-unsubscribe') ?? '').replace(/^<|>$/g, '');
    expect(unsub).toMatch(/^https:\/\/papers\.example\.org\/digest\/unsubscribe\/\d+\.[\w-]{43}$/);
    const html = String(mail.html);
    expect(html).toContain('&lt;SEG&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('α &lt; β');
    expect(html).toContain('href="https://papers.example.org/papers/2607.00001"');
    expect(html).toContain('href="https://arxiv.org/abs/2607.00001"');
    expect(html).toMatch(/digest\/manage\/\d+\.[\w-]{43}/);
    expect(mail.text).toContain('We prove α < β for <SEG> spans');
    expect(mail.text).toContain('https://papers.example.org/papers/2607.00002');
    expect(mail.text).toContain(`Unsubscribe: ${unsub}`);

    // A mail client's one-click POST: no cookie, no CSRF token.
    const path = new URL(unsub).pathname;
    const res = await e.app.request(path, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect((await e.temp.store.digest.get(id))?.status).toBe('unsubscribed');
    const forged = await e.app.request(path.slice(0, -3) + 'AAA', { method: 'POST', body: '' });
    expect(forged.status).toBe(410);
    expect(await delivery.queue({ date: '2026-07-03' })).toMatchObject({ queued: 0 });
  });

  it('never repeats a paper across one subscriber\u2019s digests and skips an empty one', async () => {
    const e = await env({ DIGEST_SKIP_EMPTY: 'true' });
    const id = await subscribed(e, 'bo@example.org');
    const { delivery } = e.services.digest;
    await delivery.queue({ date: '2026-07-02' });
    await e.addPapers([paper({ arxivId: '2607.00009', title: 'Brand new', announced: '2026-07-03' })]);
    await delivery.queue({ date: '2026-07-03' });
    await delivery.queue({ date: '2026-07-06' });
    const rows = await e.temp.store.digest.outbox(id);
    const ids = rows.map((r) => r.content.sections.flatMap((s) => s.paperIds));
    expect(ids[0]).toEqual(expect.arrayContaining(['2607.00001', '2607.00002', '2607.00003']));
    expect(ids[1]).toEqual(['2607.00009']);
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued', 'skipped']);
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
  });

  it('sends a digest whose only news is "Replies to you" even when empty digests are skipped', async () => {
    const e = await env({ DIGEST_SKIP_EMPTY: 'true' });
    const store = e.temp.store;
    const ada = await store.users.create('ada@example.org', 'Ada', 'not-a-hash');
    const bob = await store.users.create('bob@example.org', 'Bob', 'not-a-hash');
    if (!ada || !bob) throw new Error('no accounts');
    await subscribed(e, 'ada@example.org', ada.id);
    await subscribed(e, 'quiet@example.org'); // the peer: no papers and no replies either
    const { delivery } = e.services.digest;
    expect(await delivery.queue({ date: '2026-07-02' })).toMatchObject({ queued: 2 });
    // No paper comes after 07-02; on 07-05 Bob answers Ada, inside the 07-06 digest's window.
    e.clock.set('2026-07-05T09:00:00Z');
    const mine = await store.discussion.add({
      paperId: '2607.00001',
      userId: ada.id,
      parentId: null,
      body: 'Q?',
    });
    const body = 'A reply that is the only news today.';
    await store.discussion.add({ paperId: '2607.00001', userId: bob.id, parentId: mine?.id ?? null, body });
    expect(await delivery.queue({ date: '2026-07-06' })).toMatchObject({ queued: 1, skipped: 1 });
    expect(await delivery.deliver()).toMatchObject({ sent: 3 });
    const mail = (await sink.messages()).find(
      (m) => JSON.stringify(m.to).includes('ada@') && String(m.subject).includes('2026-07-06'),
    );
    expect(mail?.text).toContain('REPLIES TO YOU');
    expect(String(mail?.html)).toContain(body);
  });

  it('marks a 5xx address bouncing, stops its digests and records the attempt', async () => {
    const e = await env();
    const id = await subscribed(e, 'gone@example.org');
    const { delivery } = e.services.digest;
    await delivery.queue({ date: '2026-07-02' });
    expect(await delivery.deliver()).toMatchObject({ sent: 0, bounced: 1 });
    expect((await e.temp.store.digest.get(id))?.status).toBe('bouncing');
    const [row] = await e.temp.store.digest.outbox(id);
    expect(row?.status).toBe('bounced');
    const attempts = await e.temp.store.digest.attempts(row?.id ?? 0);
    expect(attempts).toMatchObject([{ outcome: 'permanent', smtpCode: 550 }]);
    expect(await delivery.queue({ date: '2026-07-03' })).toMatchObject({ queued: 0 });
  });

  it('retries 4xx answers with exponential backoff until the server accepts, once', async () => {
    const e = await env();
    const id = await subscribed(e, 'slow@example.org');
    const { delivery } = e.services.digest;
    await delivery.queue({ date: '2026-07-02' });
    const before = e.clock.now().getTime();
    expect(await delivery.deliver({ waitRetriesMs: 10_000 })).toMatchObject({ sent: 1 });
    const [row] = await e.temp.store.digest.outbox(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    const attempts = await e.temp.store.digest.attempts(row?.id ?? 0);
    expect(attempts.map((a) => [a.outcome, a.smtpCode])).toEqual([
      ['transient', 451],
      ['transient', 451],
      ['sent', 250],
    ]);
    expect(e.clock.now().getTime() - before).toBeGreaterThanOrEqual(1000 + 2000);
    const delivered = (await sink.messages()).filter((m) => JSON.stringify(m.to).includes('slow@'));
    expect(delivered).toHaveLength(1);
  });

  it('refuses forged and expired confirmation links', async () => {
    const e = await env();
    await e.services.digest.subscriptions.subscribe('cy@example.org', 'test');
    await e.mailed();
    const token = e.lastLink('cy@example.org').split('/').at(-1) ?? '';
    await expect(e.services.digest.subscriptions.confirm(token.replace(/.$/, 'x'))).rejects.toThrow(
      /not valid/,
    );
    e.clock.advance(8 * 86_400_000);
    await expect(e.services.digest.subscriptions.confirm(token)).rejects.toThrow(/not valid/);
    expect(tokenHash(token)).not.toBe(token);
  });
});
