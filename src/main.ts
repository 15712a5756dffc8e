// Wiring: configuration → store → services → CLI (which starts the web server for `serve`).
import type { CliContext, SearchServices } from './cli/command.ts';
import { runCli, type CliIo } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import type { ServiceDeps, Services } from './services/services.ts';

/*
 * Configuration, services and the web app are imported on first use, not here: `--version`, `--help` and a
 * command that needs no store load none of them, and only `serve` loads the web app (docs/BENCHMARKS.md,
 * cold `paperboy search`).
 */

/** Builds the lazy CLI context: config and services are created on first use, closed after. */
export function makeContext(env: NodeJS.ProcessEnv, deps: ServiceDeps = {}) {
  return (io: CliIo, signal: AbortSignal): CliContext & { dispose(): Promise<void> } => {
    let config: Config | null = null;
    let services: Promise<Services> | null = null;
    let searchOnly: Promise<SearchServices & { close(): Promise<void> }> | null = null;
    const getConfig = (): Config => (config ??= loadConfig(env));
    const log = async () => {
      const { createLogger } = await import('./platform/index.ts');
      return createLogger(getConfig().LOG_LEVEL, (line) => io.stderr.write(`${line}\n`));
    };
    return {
      ...io,
      signal,
      config: getConfig,
      webApp: async (s) => (await import('./web/app.ts')).createApp(s),
      // A fetch waiting to retry (arXiv 503, Retry-After) says so, instead of looking hung for minutes:
      // an info line on stderr, like serve's log (hidden with LOG_LEVEL=warn).
      services: (opts = {}) => {
        services ??= (async () => {
          const [logger, { openServices }] = await Promise.all([log(), import('./services/services.ts')]);
          return openServices(getConfig(), {
            onWait: (msg) => logger.info(`retry: ${msg}`),
            ...opts,
            ...deps,
          });
        })();
        return services;
      },
      searchServices: () => {
        if (services !== null) return services;
        searchOnly ??= import('./services/search-services.ts').then((m) =>
          m.openSearchServices(getConfig(), { stderr: io.stderr, ...deps }),
        );
        return searchOnly;
      },
      async dispose() {
        for (const opened of [services, searchOnly])
          if (opened) await opened.then((s) => s.close()).catch(() => undefined);
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
