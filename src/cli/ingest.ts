// `paperboy ingest`: import files, URLs and arXiv ids into the store.
import { AppError, describeError } from '../errors.ts';
import type { IngestSummary } from '../services/ingest/index.ts';
import { parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT, EXIT_CODE_HELP, exitCodeFor } from './exit-codes.ts';
import { combine, exitFor, ingestProgress, printSummary } from './ingest-report.ts';

/**
 * An import's SQLite page cache (a serving connection has 16 MiB): every record reads and writes the title-key
 * and author-link indexes at random places, which outgrow a small cache as the store grows (docs/BENCHMARKS.md,
 * "#23 ingest and train at scale"). Bounded: the import's memory stays flat at any size.
 */
const INGEST_PAGE_CACHE_BYTES = 256 * 1024 * 1024;

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import papers from files, URLs or arXiv ids',
  help: `Usage: paperboy ingest <file|url|arXiv id>... [--json [--ids]] [--dry-run] [--quiet]

Imports papers into the store. The format is detected from the content (gzip or plain):
  paperboy JSONL   the shape of ../shared/data/arxiv-cs-2025-2026.jsonl.gz
  Kaggle JSONL     arxiv-metadata-oai-snapshot.json (streamed in constant memory)
  BibTeX           .bib exports
  CSL-JSON         Zotero's "CSL JSON" export
  arXiv Atom       saved export-API responses
  OAI-PMH XML      saved ListRecords responses (arXiv and oai_dc formats)
  plain text       "title line, abstract line" pairs
An arxiv.org URL or arXiv id fetches that paper from the arXiv API.

Importing is idempotent: the same file twice changes nothing. A newer arXiv version
updates a paper. Each record's own id (JSONL id, BibTeX key, CSL-JSON id) is kept with
its paper, so re-importing the file updates the same papers. Records merge by that id,
arXiv id, DOI, or the same title with a shared author (or year and venue); never by
title alone. Merges are listed with both records' file:line.
Bad records are listed with file:line and reason; the rest go in.

Options:
  --json      print one JSON summary line on stdout:
              {"added":N,"updated":N,"unchanged":N,"rejected":N,"merged":N,...}
  --ids       with --json: list each stored record's paper id under "ids"
              ([{"location","sourceId","paperId"}] per source)
  --dry-run   parse and match everything, write nothing
  --quiet     no progress bar
  -h, --help  show this help

${EXIT_CODE_HELP}`,
  async run(ctx, args) {
    const { values, positionals } = parseCommandArgs('ingest', args, {
      json: { type: 'boolean' },
      ids: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length === 0)
      throw new AppError(
        'USAGE',
        'paperboy ingest: name at least one file, URL or arXiv id. See `paperboy ingest --help`.',
      );
    const services = await ctx.services({ pageCacheBytes: INGEST_PAGE_CACHE_BYTES, bulkImport: true });
    const dryRun = values['dry-run'] === true;
    const summaries: IngestSummary[] = [];
    let worst = 0;
    for (const source of positionals) {
      if (ctx.signal.aborted) break;
      const progress = ingestProgress(source, ctx.stderr, values.quiet === true || values.json === true);
      try {
        const s = await services.imports.ingest(source, {
          dryRun,
          collectIds: values.ids === true,
          signal: ctx.signal,
          onProgress: progress.onProgress,
          onFormat: (src, fmt) => println(ctx.stderr, `${src}: reading as ${fmt}`),
          onBulkLoad: (msg) => {
            if (values.quiet !== true) progress.note(`${source}: ${msg}`);
          },
        });
        progress.finish('');
        summaries.push(s);
        printSummary(ctx.stderr, s, dryRun);
      } catch (err) {
        // Said even with --json or --quiet (they silence progress, not failures): a source left out of the
        // summary must not vanish without a reason.
        progress.finish('');
        println(ctx.stderr, `${source}: ${describeError(err)}`);
        worst = Math.max(worst, exitCodeFor(err));
      }
    }
    if (values.json === true)
      println(
        ctx.stdout,
        JSON.stringify(combine(summaries, { dryRun, failedSources: positionals.length - summaries.length })),
      );
    if (worst !== 0) return worst;
    return summaries.length === 0 ? EXIT.NOTHING_NEW : exitFor(summaries);
  },
};
