// `paperboy harvest arxiv`: pull papers from the arXiv API by category and date range.
import { AppError } from '../errors.ts';
import { dateOption, parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT_CODE_HELP } from './exit-codes.ts';
import { combine, exitFor, ingestProgress, printSummary } from './ingest-report.ts';

const DAY_MS = 86_400_000;

export const harvestCommand: Command = {
  name: 'harvest',
  summary: 'harvest new papers from arXiv',
  help: `Usage: paperboy harvest arxiv [--categories cs.CL,cs.LG] [--since YYYY-MM-DD] [--until YYYY-MM-DD]
                              [--via api|oai|rss] [--dry-run] [--json] [--quiet]

Fetches papers submitted in the date range to any of the categories from the arXiv
export API, politely (one request per ARXIV_DELAY_MS, default 3 s; 429/503 answers are
retried after their Retry-After). A harvest that is interrupted or fails part-way is
resumed from where it stopped when you run the same command again.

Options:
  --categories LIST  comma-separated arXiv categories (default: PAPERBOY_CATEGORIES,
                     cs.AI,cs.CL,cs.CV,cs.LG)
  --since DATE       first submission day (default: 7 days ago)
  --until DATE       last submission day (default: today, UTC)
  --via api|oai|rss  api: the export API by submission date (default);
                     oai: OAI-PMH ListRecords of the categories' archive (bulk, by
                     datestamp; resumes from the resumptionToken);
                     rss: today's announcement listing (new, cross-lists, replacements)
  --dry-run          fetch and match, write nothing
  --json             print one JSON summary line on stdout
  --quiet            no progress bar
  -h, --help         show this help

${EXIT_CODE_HELP}`,
  async run(ctx, args) {
    const { values, positionals } = parseCommandArgs('harvest', args, {
      categories: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      via: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length !== 1 || positionals[0] !== 'arxiv') {
      throw new AppError(
        'USAGE',
        'paperboy harvest: the source must be "arxiv", e.g. `paperboy harvest arxiv --categories cs.CL --since 2026-11-01`',
      );
    }
    const config = ctx.config();
    const categories =
      values.categories !== undefined ? parseCategories(values.categories) : [...config.PAPERBOY_CATEGORIES];
    const since =
      dateOption('harvest', 'since', values.since) ??
      new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10);
    const until = dateOption('harvest', 'until', values.until);
    const via = values.via ?? 'api';
    if (via !== 'api' && via !== 'oai' && via !== 'rss')
      throw new AppError('USAGE', `paperboy harvest: --via must be api, oai or rss, got "${via}"`);
    const services = await ctx.services();
    const dryRun = values['dry-run'] === true;
    const progress = ingestProgress(
      `arXiv ${categories.join(',')}`,
      ctx.stderr,
      values.quiet === true || values.json === true,
    );
    const s = await services.harvest.arxiv({
      categories,
      via,
      since,
      until,
      dryRun,
      signal: ctx.signal,
      onProgress: progress.onProgress,
    });
    progress.finish('');
    if (s.resumedFrom !== null)
      println(
        ctx.stderr,
        `resumed an unfinished harvest at ${via === 'api' ? 'result ' : 'token '}${s.resumedFrom}`,
      );
    printSummary(ctx.stderr, s, dryRun);
    if (values.json === true)
      println(ctx.stdout, JSON.stringify(combine([s], { dryRun, resumedFrom: s.resumedFrom })));
    return exitFor([s]);
  },
};

function parseCategories(raw: string): string[] {
  const cats = raw
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const bad = cats.filter((c) => !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c));
  if (cats.length === 0 || bad.length > 0) {
    throw new AppError(
      'USAGE',
      `paperboy harvest: --categories must list arXiv categories like cs.CL,cs.LG${bad.length > 0 ? `; not valid: ${bad.join(', ')}` : ''}`,
    );
  }
  return cats;
}
