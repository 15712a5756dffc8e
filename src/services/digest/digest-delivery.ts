// The digest job: queue each due (subscriber, date) once in the outbox, then send what is queued, exactly once.
import { type DigestReply, renderDigest, type RenderedDigest } from './digest-render.ts';
import { hostname } from 'node:os';
import { describeError } from '../../errors.ts';
import type { OutboxItem, Subscription } from '../../store/digest.ts';
import type { Store } from '../../store/store.ts';
import { digestMessageId, dueDate } from '../../digest/index.ts';
import { DigestRunMemo, type DigestSelector } from './digest-select.ts';
import { classifySmtpError, type Logger, type MailTransport, randomToken } from '../../platform/index.ts';
import { storedError } from './stored-error.ts';

export interface DeliveryDeps {
  store: Store;
  selector: DigestSelector;
  transport: MailTransport;
  links: (sub: { id: number; email: string }) => { unsubscribeUrl: string; manageUrl: string };
  secret: () => string;
  baseUrl: string;
  now: () => Date;
  log: Logger;
  skipEmpty: boolean;
  /** First retry after this many ms, doubling each attempt (default 60 s). */
  backoffMs?: number;
  /** Attempts before a transiently failing digest is given up as failed (default 6). */
  maxAttempts?: number;
  /** How long a claimed row is ours before another run may take it (default 10 min). */
  leaseMs?: number;
  /** Digests sent at the same time (default 10; the transport pools and rate-limits them). */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface QueueOptions {
  /** Queue this date for every active subscriber, whatever their local time; default: those due now. */
  date?: string;
  /** Only this address. */
  email?: string;
  dryRun?: boolean;
}

export interface QueueSummary {
  queued: number;
  skipped: number;
  existing: number;
  /** Subscribers whose digest could not be chosen this time (logged; the next run tries again). */
  errors: number;
  /** With dryRun: what would be queued, address → paper ids. */
  planned: { email: string; date: string; papers: number }[];
  /** Active subscribers looked at, and how many of them were not due now (their hour or day has not come). */
  active: number;
  notDue: number;
  /** With `email`: its subscription's status when it is not active ('none' without one), so nothing was queued. */
  inactive: string | null;
}

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  bounced: number;
}

export interface DigestDelivery {
  queue(o?: QueueOptions): Promise<QueueSummary>;
  /** Sends due outbox rows until none is left (waiting up to `waitRetriesMs` for retries that come due). */
  deliver(o?: { signal?: AbortSignal; waitRetriesMs?: number; email?: string }): Promise<DeliverySummary>;
  /** Renders today's digest of `email` (a subscriber or not) without queueing or recording anything. */
  preview(email: string, date?: string): Promise<RenderedDigest>;
}

/** Whether the process that owns a claim is gone (same host only; elsewhere the lease decides). */
export function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * @example const d = createDigestDelivery(deps); await d.queue(); await d.deliver();
 */
export function createDigestDelivery(d: DeliveryDeps): DigestDelivery {
  const owner = `${hostname()}:${process.pid}:${randomToken(6)}`;
  const host = new URL(d.baseUrl).hostname;
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const backoff = d.backoffMs ?? 60_000;
  const maxAttempts = d.maxAttempts ?? 6;
  const concurrency = d.concurrency ?? 10;

  /** Replies to the subscriber's comments in the digest's period (community issue); none without an account. */
  async function repliesFor(sub: Subscription, date: string): Promise<DigestReply[]> {
    if (sub.userId === null) return [];
    const days = sub.frequency === 'weekly' ? 7 : 1;
    const since = new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString();
    const list = await d.store.discussion.notifications(sub.userId, 40, since);
    return list
      .filter((n) => n.kind === 'reply')
      .slice(0, 10)
      .map((n) => ({
        authorName: n.authorName !== '' ? n.authorName : 'A reader',
        paperTitle: n.paperTitle,
        body: n.body,
        url: `${d.baseUrl}${paperPathOf(n.paperId)}#c-${n.commentId}`,
      }));
  }

  async function render(sub: Subscription, date: string, item: Pick<OutboxItem, 'content' | 'messageId'>) {
    const ids = item.content.sections.flatMap((s) => s.paperIds);
    const byId = new Map((await d.store.papers.getMany(ids)).map((p) => [p.id, p]));
    const votes = await d.store.votes.counts(ids);
    const sections = item.content.sections.map((s) => ({
      title: s.title,
      papers: s.paperIds.flatMap((id, i) => {
        const paper = byId.get(id);
        const reason = s.reasons?.[i];
        return paper ? [{ paper, votes: votes.get(id) ?? 0, ...(reason ? { reason } : {}) }] : [];
      }),
    }));
    return renderDigest({
      email: sub.email,
      replies: await repliesFor(sub, date),
      digestDate: date,
      frequency: sub.frequency,
      sections: sections.filter((s) => s.papers.length > 0),
      baseUrl: d.baseUrl,
      messageId: item.messageId,
      ...d.links(sub),
    });
  }

  async function queueOne(
    sub: Subscription,
    date: string,
    o: QueueOptions,
    sum: QueueSummary,
    memo: DigestRunMemo,
  ) {
    if (await d.store.digest.hasDigest(sub.id, date)) return void (sum.existing += 1);
    const content = await d.selector.choose(sub, date, memo);
    // Replies to the reader are news as much as papers: a digest whose only section is "Replies to you" is
    // not empty, so DIGEST_SKIP_EMPTY must not swallow it (they are looked up only when no paper is new).
    const empty = content.sections.length === 0 && (await repliesFor(sub, date)).length === 0;
    if (o.dryRun === true) {
      const papers = content.sections.reduce((n, s) => n + s.paperIds.length, 0);
      sum.planned.push({ email: sub.email, date, papers });
      return;
    }
    const status = empty && d.skipEmpty ? 'skipped' : 'queued';
    const messageId = digestMessageId(d.secret(), sub.id, date, host);
    if (await d.store.digest.enqueue(sub.id, date, messageId, content, status)) {
      if (status === 'skipped') sum.skipped += 1;
      else sum.queued += 1;
    } else sum.existing += 1;
  }

  async function sendOne(item: OutboxItem, sum: DeliverySummary): Promise<void> {
    const at = d.now().toISOString();
    const sub = await d.store.digest.get(item.subscriptionId);
    if (!sub || sub.status !== 'active') {
      const why = storedError(`subscription is ${sub?.status ?? 'gone'}`);
      await d.store.digest.markRetry(item.id, owner, why, at, true);
      sum.failed += 1;
      return;
    }
    try {
      const m = await render(sub, item.digestDate, item);
      await d.transport.send({ to: sub.email, ...m, messageId: item.messageId });
      await d.store.digest.markSent(item.id, owner);
      await d.store.digest.recordAttempt({
        outboxId: item.id,
        attempt: item.attempts,
        at,
        outcome: 'sent',
        smtpCode: 250,
        detail: '',
      });
      sum.sent += 1;
    } catch (err) {
      const f = classifySmtpError(err);
      const detail = storedError(f.detail);
      const attempt = { outboxId: item.id, attempt: item.attempts, at, smtpCode: f.code, detail };
      if (f.permanent) {
        await d.store.digest.markBounced(item.id, owner, detail);
        await d.store.digest.recordAttempt({ ...attempt, outcome: 'permanent' });
        d.log.warn(`digest to ${sub.email} bounced (${f.detail}); no more digests go to that address`);
        sum.bounced += 1;
        return;
      }
      const giveUp = item.attempts >= maxAttempts;
      const next = new Date(d.now().getTime() + backoff * 2 ** (item.attempts - 1)).toISOString();
      await d.store.digest.markRetry(item.id, owner, detail, next, giveUp);
      await d.store.digest.recordAttempt({ ...attempt, outcome: 'transient' });
      if (giveUp) sum.failed += 1;
      else sum.retrying += 1;
    }
  }

  return {
    async queue(o = {}) {
      const sum: QueueSummary = {
        ...{ queued: 0, skipped: 0, existing: 0, errors: 0, planned: [] },
        ...{ active: 0, notDue: 0, inactive: null },
      };
      const at = d.now();
      const only = o.email !== undefined ? await d.store.digest.byEmail(o.email) : null;
      if (o.email !== undefined && only?.status !== 'active')
        return { ...sum, inactive: only?.status ?? 'none' };
      // One memo per pass: each window's candidates are computed once for all its subscribers.
      const memo = new DigestRunMemo();
      let after = 0;
      for (;;) {
        const page = only ? [only] : await d.store.digest.active(after, 500);
        for (const sub of page) {
          const date = o.date ?? dueDate(sub, at);
          sum.active += 1;
          if (date === null) sum.notDue += 1;
          // One subscriber's failure (say, their For-you ranking) must not hold up everyone after them.
          if (date !== null)
            await queueOne(sub, date, o, sum, memo).catch((err: unknown) => {
              sum.errors += 1;
              d.log.warn(
                `digest for subscription ${sub.id} not queued (${describeError(err)}); the next run tries again`,
              );
            });
          // SQLite answers synchronously: without a turn of the event loop now and then, serve would stop
          // answering requests for the whole pass.
          await new Promise<void>((r) => setImmediate(r));
        }
        const last = page.at(-1);
        if (only || !last || page.length < 500) return sum;
        after = last.id;
      }
    },
    async deliver(o = {}) {
      const sum: DeliverySummary = { sent: 0, retrying: 0, failed: 0, bounced: 0 };
      const leaseMs = d.leaseMs ?? 10 * 60_000;
      const only = o.email !== undefined ? ((await d.store.digest.byEmail(o.email))?.id ?? -1) : undefined;
      while (o.signal?.aborted !== true) {
        const lease = new Date(d.now().getTime() + leaseMs).toISOString();
        const batch = await d.store.digest.claim(owner, concurrency, lease, ownerIsDead, only);
        if (batch.length === 0) {
          const next = await d.store.digest.nextRetryAt();
          const wait = next === null ? Infinity : Date.parse(next) - d.now().getTime();
          if (wait > (o.waitRetriesMs ?? 0)) break;
          await sleep(Math.max(wait, 10));
          sum.retrying = 0;
          continue;
        }
        await Promise.all(batch.map((item) => sendOne(item, sum)));
      }
      return sum;
    },
    async preview(email, date) {
      const sub = (await d.store.digest.byEmail(email)) ?? {
        id: 0,
        email,
        userId: null,
        status: 'active' as const,
        frequency: 'daily' as const,
        sendHour: 7,
        timeZone: 'UTC',
        weekday: 1,
        sections: ['trending' as const],
        maxPapers: 10,
        createdAt: d.now().toISOString(),
        confirmedAt: null,
      };
      const day = date ?? d.now().toISOString().slice(0, 10);
      const content = await d.selector.choose(sub, day);
      return render(sub, day, { content, messageId: digestMessageId(d.secret(), sub.id, day, host) });
    },
  };
}

/** A paper's page path (the web's paperPath, which services may not import). */
function paperPathOf(id: string): string {
  return `/papers/${id.split('/').map(encodeURIComponent).join('/')}`;
}
