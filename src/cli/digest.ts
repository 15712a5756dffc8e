// `paperboy digest run|preview`: queue and send the e-mail digests through the outbox, or preview one.
import { AppError } from '../errors.ts';
import { checkDigestEmail, type QueueSummary } from '../services/digest/index.ts';
import { dateOption, parseCommandArgs } from './args.ts';
import { println, type CliContext, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';

const USAGE = 'paperboy digest: say `run` or `preview`, e.g. `paperboy digest run --dry-run`.';

async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('digest', args, {
    date: { type: 'string' },
    'dry-run': { type: 'boolean' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  });
  const date = dateOption('digest', 'date', values.date);
  const email = values.to !== undefined ? checkDigestEmail(values.to) : undefined;
  const { delivery } = (await ctx.services()).digest;
  const dryRun = values['dry-run'] === true;
  const q = await delivery.queue({ date, email, dryRun });
  if (dryRun) {
    for (const p of q.planned) println(ctx.stdout, `would send ${p.date} to ${p.email}: ${p.papers} papers`);
    println(ctx.stdout, `dry run: ${q.planned.length} digests would be queued, ${q.existing} already were`);
    return q.planned.length > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
  }
  if (values.json !== true)
    println(
      ctx.stdout,
      `queued ${q.queued} digests (${q.skipped} empty skipped, ${q.existing} queued before${q.errors > 0 ? `, ${q.errors} not chosen: see the log` : ''})`,
    );
  const s = await delivery.deliver({ signal: ctx.signal, email });
  if (values.json === true) println(ctx.stdout, JSON.stringify({ ...q, planned: undefined, ...s }));
  else
    println(
      ctx.stdout,
      `sent ${s.sent}, retrying later ${s.retrying}, bounced ${s.bounced}, failed ${s.failed}`,
    );
  if (ctx.signal.aborted) {
    println(ctx.stderr, 'interrupted: run `paperboy digest run` again to send the rest (none is sent twice)');
    return EXIT.INTERRUPTED;
  }
  if (s.retrying + s.failed + q.errors > 0) return EXIT.NETWORK;
  if (s.sent + s.bounced === 0 && values.json !== true)
    for (const line of whyNothing(q, values.to)) println(ctx.stdout, line);
  return s.sent + s.bounced + q.skipped > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
}

/** Why a run queued nothing (no subscriber, none due at this hour, empty windows, sent before), and how to send now. */
export function whyNothing(q: QueueSummary, to: string | undefined): string[] {
  const lines: string[] = [];
  if (q.inactive !== null)
    lines.push(
      q.inactive === 'none'
        ? `${to ?? 'that address'} has no subscription (subscribe at /digest; the mailed link starts it).`
        : `${to ?? 'that address'} is not an active subscriber (its subscription is ${q.inactive}).`,
    );
  else if (q.active === 0)
    lines.push(
      'Nobody is subscribed yet: subscribe at /digest on the site (the mailed link starts the digest).',
    );
  else {
    const due = q.active - q.notDue;
    if (q.notDue > 0)
      lines.push(
        `${q.notDue} of ${q.active} active subscriber${q.active === 1 ? ' is' : 's are'} not due at this hour (each gets the digest at their own hour and days).`,
      );
    if (q.skipped > 0)
      lines.push(
        `${q.skipped} had no new papers and no replies in their window, so no digest was sent (DIGEST_SKIP_EMPTY).`,
      );
    if (q.existing > 0) lines.push(`${q.existing} got this date's digest already (each date is sent once).`);
    if (due === 0 && q.notDue === 0) lines.push('No digest was due.');
  }
  lines.push(
    'To send one now: paperboy digest run --date YYYY-MM-DD [--to ADDRESS] (a date not sent yet), or paperboy digest preview --to ADDRESS.',
  );
  return lines;
}

async function preview(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('digest', args, {
    to: { type: 'string' },
    date: { type: 'string' },
    print: { type: 'boolean' },
  });
  if (values.to === undefined) throw new AppError('USAGE', 'paperboy digest preview: give --to ADDRESS');
  const email = checkDigestEmail(values.to);
  const services = await ctx.services();
  const m = await services.digest.delivery.preview(email, dateOption('digest', 'date', values.date));
  if (values.print === true) {
    println(ctx.stdout, `Subject: ${m.subject}\n\n${m.text}`);
    return EXIT.OK;
  }
  await services.digest.mailer.send({ to: email, subject: `[preview] ${m.subject}`, text: m.text });
  println(ctx.stdout, `preview "${m.subject}" sent to ${email}`);
  return EXIT.OK;
}

export const digestCommand: Command = {
  name: 'digest',
  summary: 'queue and send the e-mail digests (run), or preview one',
  help: `Usage: paperboy digest run [--date YYYY-MM-DD] [--dry-run] [--to ADDRESS] [--json]
       paperboy digest preview --to ADDRESS [--date YYYY-MM-DD] [--print]

run      queues the digests due now in each subscriber's time zone (with --date: that
         date's digest for every active subscriber), then sends everything queued in the
         outbox through SMTP_URL. Each (subscriber, date) is sent once: a run killed at any
         point and started again sends the rest and nothing twice. Mail servers that
         answer 4xx or drop the connection are retried later with backoff; a 5xx answer
         marks the address bouncing and stops its digests.
preview  renders today's digest for ADDRESS (a subscriber or not) and mails it there
         without recording anything; --print writes it to stdout instead.

Options:
  --date D      digest date (YYYY-MM-DD)
  --dry-run     show who would get a digest and how many papers; send and write nothing
  --to ADDRESS  only this subscriber (run) or the preview's recipient
  --json        one summary line: {"queued":N,"sent":N,"retrying":N,"bounced":N,"failed":N,...}
  -h, --help    show this help

When nothing is sent, run says why: nobody subscribed, no subscriber due at this hour
(each gets the digest at their own local hour and days), no new papers and no replies in a
window (DIGEST_SKIP_EMPTY), or that date's digest was sent already; --date D sends date D's
digest to every active subscriber now (once per date), --to only to one.

Exit codes: 0 sent, 1 nothing to send, 6 some digests wait for a retry, failed or could not
be chosen (see the log),
130 interrupted (run again to continue).`,
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub === 'run') return run(ctx, rest);
    if (sub === 'preview') return preview(ctx, rest);
    throw new AppError('USAGE', USAGE);
  },
};
