// The command table and top-level help.
import type { Command } from './command.ts';
import { copyCommand, migrateCommand } from './database.ts';
import { digestCommand } from './digest.ts';
import { EXIT_CODE_HELP } from './exit-codes.ts';
import { harvestCommand } from './harvest.ts';
import { ingestCommand } from './ingest.ts';
import { libraryCommand } from './library.ts';
import { searchCommand, similarCommand } from './search.ts';
import { embedCommand, reindexCommand, trainCommand } from './semantic.ts';
import { serveCommand } from './serve.ts';
import { statsCommand } from './stats.ts';
import { topicsCommand } from './topics.ts';
import { enrichCommand, summarizeCommand, thumbnailsCommand } from './enrich.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  ingestCommand,
  harvestCommand,
  searchCommand,
  similarCommand,
  trainCommand,
  embedCommand,
  reindexCommand,
  topicsCommand,
  enrichCommand,
  summarizeCommand,
  thumbnailsCommand,
  statsCommand,
  libraryCommand,
  digestCommand,
  migrateCommand,
  copyCommand,
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
