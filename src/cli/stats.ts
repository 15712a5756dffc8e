// `paperboy stats`: what the store holds.
import { parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'show what the store holds',
  help: `Usage: paperboy stats [--json]

Shows how many papers, authors and categories the store holds, its date range,
ingest runs and schema version.

Options:
  --json      print one JSON object: {"papers":N,"authors":N,...}
  -h, --help  show this help`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('stats', args, { json: { type: 'boolean' } });
    const services = await ctx.services();
    const s = await services.papers.stats();
    const recent = await services.ingestRuns(5);
    if (values.json === true) {
      println(ctx.stdout, JSON.stringify({ ...s, recentRuns: recent }));
      return EXIT.OK;
    }
    println(ctx.stdout, `Store       ${s.engine} ${s.location} (schema v${s.schemaVersion})`);
    println(ctx.stdout, `Papers      ${s.papers.toLocaleString('en-US')}`);
    println(ctx.stdout, `Authors     ${s.authors.toLocaleString('en-US')}`);
    println(ctx.stdout, `Categories  ${s.categories.toLocaleString('en-US')}`);
    println(ctx.stdout, `Dates       ${s.oldestDate ?? '-'} .. ${s.newestDate ?? '-'}`);
    println(ctx.stdout, `Ingest runs ${s.ingestRuns}`);
    for (const r of recent) {
      const c = r.counts;
      println(
        ctx.stdout,
        `  #${r.id} ${r.status.padEnd(11)} ${r.startedAt}  +${c.added} ~${c.updated} =${c.unchanged} !${c.rejected}  ${r.source}`,
      );
    }
    return EXIT.OK;
  },
};
