// `paperboy enrich --github`, `paperboy summarize` and `paperboy thumbnails`: the enrichment jobs, resumable.
import { intOption, parseCommandArgs } from './args.ts';
import { println, type CliContext, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { createProgress } from './progress.ts';
import type { JobRun } from '../services/enrich/index.ts';

type Stopped = null | { reason: string; message: string };

/** Runs one job with a progress line on stderr and a summary on stdout; the exit code says how it ended. */
async function runJob<S extends { stopped: Stopped }>(
  ctx: CliContext,
  name: string,
  args: string[],
  extra: Record<string, { type: 'boolean' }>,
  job: (run: JobRun, flags: Record<string, unknown>) => Promise<S>,
  line: (s: S) => string,
): Promise<number> {
  const { values } = parseCommandArgs(name, args, {
    limit: { type: 'string' },
    json: { type: 'boolean' },
    ...extra,
  });
  const limit =
    values.limit === undefined ? undefined : intOption(name, 'limit', values.limit, 0, 10_000_000);
  const json = values.json === true;
  const bar = createProgress({ label: name, sink: ctx.stderr, quiet: json && ctx.stderr.isTTY !== true });
  const summary = await job(
    {
      signal: ctx.signal,
      limit,
      onProgress: (d, t, status) => bar.update(d, t, status),
      log: (l) => println(ctx.stderr, l),
    },
    values,
  );
  bar.finish(summary.stopped === null ? 'done' : summary.stopped.reason);
  if (json) println(ctx.stdout, JSON.stringify(summary));
  else println(ctx.stdout, line(summary));
  if (summary.stopped === null) return EXIT.OK;
  println(ctx.stderr, `paperboy ${name}: ${summary.stopped.message}`);
  if (summary.stopped.reason === 'interrupted') return EXIT.INTERRUPTED;
  return EXIT.NETWORK;
}

export const enrichCommand: Command = {
  name: 'enrich',
  summary: "fetch GitHub stars, last push and archived flags for papers' code links",
  help: `Usage: paperboy enrich --github [--limit N] [--json]

Checks the GitHub repositories that papers link to (REST API, GITHUB_API_URL,
with GITHUB_TOKEN if set): never-checked repositories first, then those of
papers from the last 30 days not checked for 20 hours. Conditional requests
(ETag) cost no quota; the rate limit is honoured (X-RateLimit-*, Retry-After).
Each answer is stored at once, so an interrupted or rate-limited run continues
where it stopped when run again. Links and TL;DRs need no command: they are
derived from each paper's text.

Options:
  --github    check GitHub repositories (the only enrichment fetched here)
  --limit N   check at most N repositories
  --json      print one JSON summary line
  -h, --help  show this help

Exit codes: 0 done, 2 usage, 6 rate limit spent or GitHub unreachable (rerun later), 130 interrupted.`,
  async run(ctx, args) {
    if (!args.includes('--github') && !args.some((a) => a === '-h' || a === '--help')) {
      println(ctx.stderr, 'paperboy enrich: say what to fetch: --github');
      return EXIT.USAGE;
    }
    const services = await ctx.services();
    return runJob(
      ctx,
      'enrich',
      args,
      { github: { type: 'boolean' } },
      (run) => services.enrich.github(run),
      (s) =>
        `Checked ${s.checked} of ${s.due} due repositories: ${s.updated} updated, ${s.unchanged} unchanged, ` +
        `${s.missing} missing, ${s.failed} failed.`,
    );
  },
};

export const summarizeCommand: Command = {
  name: 'summarize',
  summary: 'write model TL;DRs through an OpenAI-compatible server (SUMMARIZER=http)',
  help: `Usage: paperboy summarize [--limit N] [--json]

Asks the chat completions server at SUMMARIZER_URL (model SUMMARIZER_MODEL) for
a one- or two-sentence TL;DR of each paper without one for this model and
SUMMARIZER_PROMPT_VERSION, newest first, SUMMARIZER_CONCURRENCY at a time,
within SUMMARIZER_DAILY_BUDGET requests per UTC day. 429 and 5xx answers are
retried (Retry-After honoured); an answer with markup, over 400 characters,
empty or cut off is refused and logged, and the paper keeps its extractive
TL;DR. Each paper is stored on its own, so a stopped run resumes.

Options:
  --limit N   summarize at most N papers
  --json      print one JSON summary line
  -h, --help  show this help

Exit codes: 0 done, 2 SUMMARIZER not configured, 6 server down or refusing, 130 interrupted.`,
  async run(ctx, args) {
    const services = await ctx.services();
    return runJob(
      ctx,
      'summarize',
      args,
      {},
      (run) => services.enrich.summarize(run),
      (s) =>
        `${s.summarized} of ${s.planned} papers summarized by ${s.model} (prompt ${s.promptVersion}); ` +
        `${s.refused} answers refused, ${s.failed} failed; ${s.budgetLeft} requests left today.`,
    );
  },
};

export const thumbnailsCommand: Command = {
  name: 'thumbnails',
  summary: 'render first-page thumbnails of the newest arXiv papers (THUMBNAILS=on)',
  help: `Usage: paperboy thumbnails [--limit N] [--json]

Downloads each paper's PDF from THUMBNAIL_PDF_URL, one every THUMBNAIL_DELAY_MS,
and renders its first page with pdftoppm (PDFTOPPM_PATH), newest papers first,
skipping papers already tried. A PDF over THUMBNAIL_MAX_PDF_MB, one that is not
a PDF, damaged, or slower than 20 s to render is recorded as having none (the
card shows a placeholder) with a log line.

Options:
  --limit N   at most N papers (default 100)
  --json      print one JSON summary line
  -h, --help  show this help

Exit codes: 0 done, 6 the PDF server failed (rerun later), 130 interrupted.`,
  async run(ctx, args) {
    const services = await ctx.services();
    return runJob(
      ctx,
      'thumbnails',
      args,
      {},
      (run) => services.enrich.thumbnails(run),
      (s) => `${s.rendered} of ${s.planned} thumbnails rendered; ${s.failed} papers have none.`,
    );
  },
};
