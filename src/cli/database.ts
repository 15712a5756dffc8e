// `paperboy migrate` and `paperboy copy`: schema upgrades and moving an instance between databases.
import { copy, migrate } from '../services/database-service.ts';
import { parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { createProgress } from './progress.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date (or show its status)',
  help: `Usage: paperboy migrate [--status] [--json]

Applies the schema migrations this Paperboy has and DATABASE_URL's database lacks,
each in its own transaction. \`serve\` and every other command also migrate on
start; run this first when upgrading several nodes that share one PostgreSQL
database (see docs/OPERATIONS.md). A database migrated by a newer Paperboy is
refused, never changed.

Options:
  --status    only show the version and the pending migrations; change nothing
  --json      print one JSON object
  -h, --help  show this help

Exit codes: 0 migrated or up to date, 1 (--status) migrations are pending,
2 bad DATABASE_URL, 7 the database is unreachable or newer than this Paperboy.`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('migrate', args, {
      status: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const apply = values.status !== true;
    const s = await migrate(ctx.config().DATABASE_URL, { apply });
    if (values.json === true) println(ctx.stdout, JSON.stringify(s));
    else if (!apply) {
      println(ctx.stdout, `${s.engine} ${s.where}: schema v${s.before}, this Paperboy knows v${s.latest}`);
      for (const p of s.pending) println(ctx.stdout, `  pending ${p}`);
    } else if (s.after === s.before)
      println(ctx.stdout, `${s.engine} ${s.where}: schema v${s.after} is up to date`);
    else println(ctx.stdout, `${s.engine} ${s.where}: migrated schema v${s.before} -> v${s.after}`);
    return !apply && s.pending.length > 0 ? EXIT.NOTHING_NEW : EXIT.OK;
  },
};

export const copyCommand: Command = {
  name: 'copy',
  summary: 'copy a whole instance into a new database (SQLite <-> PostgreSQL), verified',
  help: `Usage: paperboy copy --from <database> --to <database> [--json]

Copies every table (papers, vectors, models, accounts, votes, library, follows,
subscriptions, the digest outbox) from one database into a new, empty one, in
one transaction, then checks every table's row count and checksum on both
sides. Each side is a SQLite file path (or sqlite: URL) or a postgres:// URL;
both are migrated to this Paperboy's schema first. Stop the nodes that write
to --from while it runs. Nothing is written to --to when it fails or is
interrupted. Also a portable backup: copy to a new SQLite file, and back.

Examples:
  paperboy copy --from ./data/paperboy.db --to postgres://paperboy:pw@db:5432/paperboy
  paperboy copy --from "$DATABASE_URL" --to ./backup-$(date +%F).db

Options:
  --from DB   the database to read
  --to DB     the new, empty database to write
  --json      print one JSON report (tables, rows, checksums)
  -h, --help  show this help

Exit codes: 0 copied and verified, 2 usage, 7 target not empty, schema
mismatch, unreachable database or a checksum that differs, 130 interrupted.`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('copy', args, {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.from === undefined || values.to === undefined) {
      ctx.stderr.write('copy: both --from and --to are required (see paperboy copy --help)\n');
      return EXIT.USAGE;
    }
    const bar = createProgress({
      label: 'copy',
      sink: ctx.stderr,
      quiet: values.json === true && ctx.stderr.isTTY !== true,
    });
    const r = await copy(values.from, values.to, {
      signal: ctx.signal,
      onProgress: (p) => bar.update(p.done, p.total, p.table),
    });
    bar.finish(`copied ${r.rows.toLocaleString('en-US')} rows in ${r.tables.length} tables`);
    if (values.json === true) println(ctx.stdout, JSON.stringify(r));
    else {
      for (const t of r.tables)
        println(ctx.stdout, `  ${t.table.padEnd(22)} ${String(t.rows).padStart(9)}  ${t.checksum}`);
      println(
        ctx.stdout,
        `Copied ${r.from} -> ${r.to}: ${r.rows.toLocaleString('en-US')} rows, counts and checksums match.`,
      );
    }
    return EXIT.OK;
  },
};
