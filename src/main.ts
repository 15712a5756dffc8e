// Wiring: configuration → store → services → CLI (which starts the web server for `serve`).
import type { CliContext } from './cli/command.ts';
import { runCli, type CliIo } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './platform/index.ts';
import { openServices, type ServiceDeps, type Services } from './services/services.ts';
import { createApp } from './web/app.ts';

/** Builds the lazy CLI context: config and services are created on first use, closed after. */
export function makeContext(env: NodeJS.ProcessEnv, deps: ServiceDeps = {}) {
  return (io: CliIo, signal: AbortSignal): CliContext & { dispose(): Promise<void> } => {
    let config: Config | null = null;
    let services: Promise<Services> | null = null;
    const getConfig = (): Config => (config ??= loadConfig(env));
    return {
      ...io,
      signal,
      config: getConfig,
      webApp: (s) => createApp(s),
      // A fetch waiting to retry (arXiv 503, Retry-After) says so, instead of looking hung for minutes:
      // an info line on stderr, like serve's log (hidden with LOG_LEVEL=warn).
      services: (opts = {}) => {
        if (services === null) {
          const log = createLogger(getConfig().LOG_LEVEL, (line) => io.stderr.write(`${line}\n`));
          services = openServices(getConfig(), {
            onWait: (msg) => log.info(`retry: ${msg}`),
            ...opts,
            ...deps,
          });
        }
        return services;
      },
      async dispose() {
        if (services) await services.then((s) => s.close()).catch(() => undefined);
      },
    };
  };
}

export interface InProcessRun {
  /** The environment the command reads its configuration from (not process.env). */
  env: NodeJS.ProcessEnv;
  stdout: CliIo['stdout'];
  stderr: CliIo['stderr'];
  /** Aborting it is Ctrl-C: jobs stop after the current batch. */
  signal?: AbortSignal;
  /** Collaborators to replace (fetch, clock, mailer). */
  deps?: ServiceDeps;
}

/**
 * Runs one command line in this process and resolves to its exit code: what bin/paperboy.mjs does, without
 * the process (tests run most CLI cases this way, a spawn costs about a second of start-up).
 * @example const code = await runInProcess(['stats', '--json'], { env: { DATABASE_URL: 'p.db' }, stdout, stderr });
 */
export function runInProcess(argv: readonly string[], run: InProcessRun): Promise<number> {
  return runCli(
    argv,
    makeContext(run.env, run.deps),
    { stdout: run.stdout, stderr: run.stderr },
    run.signal ?? new AbortController().signal,
  );
}

/** Entry point for bin/paperboy.mjs: runs argv and sets the exit code; Ctrl-C stops jobs cleanly. */
export async function main(argv: readonly string[]): Promise<void> {
  const ac = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit at once)\n');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Output piped into `head` and the like: a closed pipe ends the command quietly, like other CLI tools.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  process.exitCode = await runInProcess(argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: ac.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
