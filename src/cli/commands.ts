// The command table and top-level help; each command's module is imported only when it runs or shows its help.
import type { Command } from './command.ts';
import { EXIT_CODE_HELP } from './exit-codes.ts';

/*
 * Why lazy: importing every command's module (and through them the web app, mailer, XML parser, …) cost a cold
 * `paperboy search` about a second of start-up under tsx (docs/BENCHMARKS.md, cold `paperboy search`). The
 * table keeps what `--help` lists; test/cli/commands.test.ts checks it against the modules.
 */

/** A command as the table knows it before its module is loaded. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'run the web site and API (and the daily arXiv harvest)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'ingest',
    summary: 'import papers from files, URLs or arXiv ids',
    load: async () => (await import('./ingest.ts')).ingestCommand,
  },
  {
    name: 'harvest',
    summary: 'harvest new papers from arXiv',
    load: async () => (await import('./harvest.ts')).harvestCommand,
  },
  {
    name: 'search',
    summary: 'search papers by words and meaning',
    load: async () => (await import('./search.ts')).searchCommand,
  },
  {
    name: 'similar',
    summary: 'list papers similar to one',
    load: async () => (await import('./search.ts')).similarCommand,
  },
  {
    name: 'train',
    summary: 'train the semantic model on the stored papers',
    load: async () => (await import('./semantic.ts')).trainCommand,
  },
  {
    name: 'embed',
    summary: 'compute missing paper vectors for the active model',
    load: async () => (await import('./semantic.ts')).embedCommand,
  },
  {
    name: 'reindex',
    summary: 'rebuild the search index snapshots',
    load: async () => (await import('./semantic.ts')).reindexCommand,
  },
  {
    name: 'topics',
    summary: 'recompute topics and the map from the paper vectors',
    load: async () => (await import('./topics.ts')).topicsCommand,
  },
  {
    name: 'enrich',
    summary: "fetch GitHub stars, last push and archived flags for papers' code links",
    load: async () => (await import('./enrich.ts')).enrichCommand,
  },
  {
    name: 'summarize',
    summary: 'write model TL;DRs through an OpenAI-compatible server (SUMMARIZER=http)',
    load: async () => (await import('./enrich.ts')).summarizeCommand,
  },
  {
    name: 'thumbnails',
    summary: 'render first-page thumbnails of the newest arXiv papers (THUMBNAILS=on)',
    load: async () => (await import('./enrich.ts')).thumbnailsCommand,
  },
  {
    name: 'stats',
    summary: 'show what the store holds',
    load: async () => (await import('./stats.ts')).statsCommand,
  },
  {
    name: 'library',
    summary: "import a reader's library (BibTeX, CSL-JSON or arXiv ids)",
    load: async () => (await import('./library.ts')).libraryCommand,
  },
  {
    name: 'digest',
    summary: 'queue and send the e-mail digests (run), or preview one',
    load: async () => (await import('./digest.ts')).digestCommand,
  },
  {
    name: 'migrate',
    summary: 'bring the database schema up to date (or show its status)',
    load: async () => (await import('./database.ts')).migrateCommand,
  },
  {
    name: 'copy',
    summary: 'copy a whole instance into a new database (SQLite <-> PostgreSQL), verified',
    load: async () => (await import('./database.ts')).copyCommand,
  },
];

/** `paperboy --help`. */
export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Paperboy: self-hosted research-paper discovery.

Usage: paperboy <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`paperboy <command> --help\` for a command's options.
Configuration comes from environment variables (see README.md), e.g.
DATABASE_URL=./data/paperboy.db (the default).

${EXIT_CODE_HELP}`;
}
