// Shared reporting for commands that store records: summary lines, rejection lists, exit codes.
import type { IngestSummary } from '../services/ingest/index.ts';
import { println, type Output } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { createProgress } from './progress.ts';

/** Rejections (and merges) printed per source before "... and N more". */
const SHOWN_REJECTIONS = 20;

/** A progress callback drawing a bar (TTY) or count lines (logs) on stderr. */
export function ingestProgress(label: string, err: Output, quiet: boolean) {
  const bar = createProgress({ label, sink: err, quiet });
  return {
    onProgress: (p: {
      processed: number;
      total: number | null;
      counts: { added: number; updated: number; unchanged: number; rejected: number };
    }) =>
      bar.update(
        p.processed,
        p.total,
        `+${p.counts.added} ~${p.counts.updated} =${p.counts.unchanged} !${p.counts.rejected}`,
      ),
    note: (line: string) => bar.note(line),
    finish: (msg: string) => bar.finish(msg),
  };
}

/** One human line per source plus its first rejections. */
export function printSummary(err: Output, s: IngestSummary, dryRun: boolean): void {
  const verb = dryRun ? 'would add' : 'added';
  println(
    err,
    `${s.source}: ${verb} ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected} ` +
      `(${s.processed} records in ${s.seconds.toFixed(1)} s)${s.status === 'done' ? '' : ` [${s.status}]`}`,
  );
  if (s.added + s.updated === 0 && s.rejected === 0 && s.status === 'done')
    println(err, '  nothing new: everything was already stored unchanged');
  for (const w of s.warnings.slice(0, SHOWN_REJECTIONS)) println(err, `  warning ${w.location}: ${w.reason}`);
  if (s.warnings.length > SHOWN_REJECTIONS)
    println(err, `  ... and ${s.warnings.length - SHOWN_REJECTIONS} more warnings`);
  // Records rejected the same way last time are one line, not a fresh list of warnings.
  const fresh = s.newRejections;
  if (s.stillRejected > 0)
    println(
      err,
      `  ${s.stillRejected} record${s.stillRejected === 1 ? '' : 's'} still rejected (see run #${s.previousRunId ?? '?'}: paperboy stats)`,
    );
  if (
    s.added + s.updated === 0 &&
    s.rejected === s.stillRejected &&
    s.stillRejected > 0 &&
    s.status === 'done'
  )
    println(err, '  nothing new: everything else was already stored unchanged');
  for (const r of fresh.slice(0, SHOWN_REJECTIONS)) println(err, `  rejected ${r.location}: ${r.reason}`);
  const freshCount = s.rejected - s.stillRejected;
  if (freshCount > SHOWN_REJECTIONS) println(err, `  ... and ${freshCount - SHOWN_REJECTIONS} more rejected`);
  for (const m of s.merges.slice(0, SHOWN_REJECTIONS))
    println(err, `  ${dryRun ? 'would merge' : 'merged'} ${m.location} into ${m.into} (same ${m.by})`);
  if (s.merged > SHOWN_REJECTIONS) println(err, `  ... and ${s.merged - SHOWN_REJECTIONS} more merged`);
  if (s.status === 'interrupted')
    println(err, '  interrupted: run the same command again to continue (stored records stay).');
}

/** Totals over several sources, in the `--json` summary shape. */
export function combine(
  summaries: readonly IngestSummary[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const sum = (k: 'added' | 'updated' | 'unchanged' | 'rejected' | 'processed') =>
    summaries.reduce((a, s) => a + s[k], 0);
  return {
    added: sum('added'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    rejected: sum('rejected'),
    merged: summaries.reduce((a, s) => a + s.merged, 0),
    processed: sum('processed'),
    seconds: Number(summaries.reduce((a, s) => a + s.seconds, 0).toFixed(3)),
    ...extra,
    sources: summaries.map((s) => ({
      source: s.source,
      fatalCode: s.fatalCode,
      status: s.status,
      added: s.added,
      updated: s.updated,
      unchanged: s.unchanged,
      rejected: s.rejected,
      fatal: s.fatal,
      rejections: s.rejections.slice(0, 100),
      warned: s.warned,
      warnings: s.warnings.slice(0, 100),
      merged: s.merged,
      merges: s.merges.slice(0, 100),
      ...(s.ids.length > 0 ? { ids: s.ids } : {}),
    })),
  };
}

/** The exit code for a set of finished sources (see exit-codes.ts). */
export function exitFor(summaries: readonly IngestSummary[]): number {
  if (summaries.some((s) => s.status === 'interrupted')) return EXIT.INTERRUPTED;
  const failed = summaries.find((s) => s.status === 'failed');
  if (failed)
    return failed.fatalCode === 'NETWORK'
      ? EXIT.NETWORK
      : failed.fatalCode === 'STORE'
        ? EXIT.STORE
        : EXIT.SOURCE_FAILED;
  // Only records rejected for the first time make a warning; those rejected before and unchanged do not.
  if (summaries.some((s) => s.rejected > s.stillRejected)) return EXIT.REJECTED;
  if (summaries.every((s) => s.added + s.updated === 0)) return EXIT.NOTHING_NEW;
  return EXIT.OK;
}
