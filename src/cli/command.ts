// The shape of a CLI command and the context it runs in.
import type { Config } from '../config.ts';
import type { RateShare } from '../platform/index.ts';
import type { Services } from '../services/services.ts';

/** What `search` and `similar` use: the search half of the services, opened without the rest. */
export type SearchServices = Pick<Services, 'search' | 'semantic' | 'searchIndexes'>;

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What a command may choose about the services it opens. */
export interface ServicesOptions {
  rateShare?: RateShare;
  /** The SQLite store's page cache in bytes (default 16 MiB); a long import opens it larger. */
  pageCacheBytes?: number;
  /** Open the store for a bulk import: `ingest` takes over indexes a killed import left to build. */
  bulkImport?: boolean;
}

export interface CliContext {
  stdout: Output;
  stderr: Output;
  /** Validated configuration (throws CONFIG_INVALID listing every problem on first use). */
  config(): Config;
  /**
   * Opens the store and services on first use; closed by the runner after the command. `opts` count only on
   * that first use (serve's workers pass their share of the rate limits).
   */
  services(opts?: ServicesOptions): Promise<Services>;
  /**
   * Only the search half (store, indexes, model, search): a cold search then loads no other feature's modules.
   * The full services instead when they are already open.
   */
  searchServices(): Promise<SearchServices>;
  /**
   * Builds the web application over the services (wired in main.ts: cli/ does not import web/). Asynchronous
   * because the web modules are imported on first use: commands other than serve never load them.
   */
  webApp(services: Services): Promise<{ fetch(req: Request): Response | Promise<Response> }>;
  /** Aborted on SIGINT/SIGTERM: jobs stop after the current batch and say how to resume. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  run(ctx: CliContext, args: string[]): Promise<number>;
}

/** Prints one line to stdout. */
export function println(out: Output, line = ''): void {
  out.write(`${line}\n`);
}
