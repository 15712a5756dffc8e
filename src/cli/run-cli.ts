// Dispatches argv to a command, maps errors to messages and exit codes, and handles Ctrl-C.
import { VERSION } from '../version.ts';
import { describeError, isAppError } from '../errors.ts';
import type { CliContext, Output } from './command.ts';
import { COMMANDS, topLevelHelp } from './commands.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

export interface CliIo {
  stdout: Output;
  stderr: Output;
}

function printError(err: Output, e: unknown): void {
  err.write(`paperboy: ${describeError(e)}\n`);
  if (isAppError(e)) for (const d of e.details) err.write(`  - ${d}\n`);
  else if (e instanceof Error && e.stack !== undefined && process.env.PAPERBOY_DEBUG === '1')
    err.write(`${e.stack}\n`);
}

/**
 * Runs one command line (without the leading "node paperboy") and resolves to its exit code.
 * Never throws: every failure becomes a message on stderr and a documented exit code.
 */
export async function runCli(
  argv: readonly string[],
  makeContext: (io: CliIo, signal: AbortSignal) => CliContext & { dispose(): Promise<void> },
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${topLevelHelp()}\n`);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`paperboy ${VERSION}\n`);
    return EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(
      `paperboy: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See \`paperboy --help\`.\n`,
    );
    return EXIT.USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return EXIT.OK;
  }
  const ctx = makeContext(io, signal);
  try {
    return await command.run(ctx, rest);
  } catch (e) {
    printError(io.stderr, e);
    return exitCodeFor(e);
  } finally {
    await ctx.dispose();
  }
}
