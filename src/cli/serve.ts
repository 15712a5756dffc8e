// `paperboy serve`: the web site and JSON API, plus the daily arXiv harvest.
import type { Duplex } from 'node:stream';
import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import { AppError } from '../errors.ts';
import { startEmbedLoop } from '../services/search/index.ts';
import { createLogger, formatOpenStep, type Logger, rateShare } from '../platform/index.ts';
import { startTopicsScheduler } from '../services/topics/index.ts';
import type { Services } from '../services/services.ts';
import { intOption, parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { runPrimary, serveRole, stopRequested, workersOption, type ServeRole } from './serve-cluster.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the web site and API (and the daily arXiv harvest)',
  help: `Usage: paperboy serve [--port N] [--host ADDR] [--workers N|auto] [--no-harvest]

Serves the site on http://HOST:PORT (default 127.0.0.1:8080):
  /                  daily papers ranked by trending (/day/D, /week/W, /month/M)
  /papers/ID         a paper; /authors/NAME, /categories/CAT
  /signup, /signin   accounts; /library, /submit, /settings when signed in
  /feeds/daily.atom  Atom feed of the daily papers
  /search?q=...      search (words and meaning); /api/search?q=... as JSON
  /api/...           JSON API, described at /api/openapi.json
  /health            {"status":"ok","papers":N,"harvest":{"state":..,"error":..,"next":..}}

Sign-ins and forms are signed with PAPERBOY_SECRET; when it is unset, serve generates
one into a file named "secret" beside a SQLite database (mode 0600) and reuses it.
With PostgreSQL (DATABASE_URL=postgres://...) PAPERBOY_SECRET is required.

Unless PAPERBOY_HARVEST=false or --no-harvest, it harvests PAPERBOY_CATEGORIES from
arXiv on first start (PAPERBOY_HARVEST_DAYS back) and then daily at
PAPERBOY_HARVEST_HOUR_UTC. Without a network it says so once (what failed, and when
the next attempt is) and keeps serving; /health shows the last harvest's state.
In the background it embeds new papers for semantic search whenever a model is
active, and every minute sends the e-mail digests that are due in each subscriber's
time zone (see \`paperboy digest --help\`). With EMBEDDER=auto it trains the semantic
model by itself once the store holds PAPERBOY_AUTO_TRAIN_PAPERS papers (default
2000), and a new one when the store has grown by PAPERBOY_RETRAIN_GROWTH (1.5x),
on a low-priority thread while it keeps serving; the old model serves until the new
one has embedded every paper. \`paperboy train\` does it at once.

Several serve nodes may share one PostgreSQL database: each job (harvest,
embedding, digests) runs on one node at a time under a lease, and another node
takes it over when that one dies (PAPERBOY_LEASE_SECONDS). See docs/OPERATIONS.md.
With SQLite use --workers rather than separate serve processes on one file.

With --workers N, N processes answer requests on the same port (for search-heavy
sites: one process does a few hundred full searches a second). Each keeps its own
search index and follows the store's changes. The primary process serves no
requests and runs the harvest, embedding and digests; worker 1 writes the index
snapshots; a crashed worker is restarted. Rate limits are split among the workers
(together they allow the documented limits). Responses carry Paperboy-Worker: N.

Stop with Ctrl-C.

Options:
  --port N          port (default: PORT or 8080; 0 picks a free port)
  --host ADDR       listen address (default: HOST or 127.0.0.1)
  --workers N|auto  server processes, 1–64 or one per CPU core (default 1)
  --no-harvest      do not harvest arXiv
  -h, --help        show this help

Exit codes: 0 stopped, 2 bad option or configuration, 7 database error,
8 the port is already in use (another server, or an earlier serve still running).`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('serve', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      workers: { type: 'string' },
      'no-harvest': { type: 'boolean' },
    });
    const config = ctx.config();
    const port = intOption('serve', 'port', values.port, config.PORT, 65535);
    const host = values.host ?? config.HOST;
    const workers = workersOption(values.workers);
    const log = createLogger(config.LOG_LEVEL, (l) => ctx.stderr.write(`${l}\n`));
    const role = serveRole();
    const harvest = config.PAPERBOY_HARVEST && values['no-harvest'] !== true;
    if (workers > 1 && cluster.isPrimary) {
      // Opening the services here migrates the store and settles the signing secret before any worker starts.
      const services = await ctx.services();
      const secret = services.serverSecret();
      if (secret.origin === 'ephemeral')
        throw new AppError(
          'USAGE',
          'paperboy serve: --workers needs a database file; each worker would have its own in-memory database.',
        );
      logSecret(log, secret);
      // A fixed port is known now, before the digest job mails anything; port 0 once the workers listen.
      if (port !== 0) services.origin.listeningOn(host, port);
      services.searchIndexes.followOnly();
      // The primary serves no requests, so a slow job step (a long query, a harvest batch) holds none up.
      const jobs = startJobs(services, log, { harvest, background: true, snapshots: false });
      const checkpoints = services.checkpointInBackground(log);
      try {
        return await runPrimary({
          workers,
          log,
          signal: ctx.signal,
          describe: (p) => {
            services.origin.listeningOn(host, p);
            warnBaseUrl(log, services);
            return `http://${host}:${p} (${config.DATABASE_URL})`;
          },
        });
      } finally {
        await jobs.stop();
        await checkpoints?.stop();
      }
    }
    const services = await ctx.services(
      role.count > 1 ? { rateShare: rateShare(role.index, role.count) } : undefined,
    );
    if (role.count === 1) logSecret(log, services.serverSecret());
    // A commit that crosses SQLite's checkpoint threshold copied the WAL on the event loop (tens of MB, while
    // every request waited); serving, a worker thread checkpoints instead. The CLI keeps SQLite's own.
    const checkpoints = services.checkpointInBackground(log);
    if (role.index > 0) services.searchIndexes.followOnly();
    // The one process that writes snapshots rewrites the lexical file and the vector rows on worker threads once
    // enough changed since they were written (about 45 s and 2.4 s of work at 2.7M papers, which this thread used
    // to stop for).
    else
      services.searchIndexes.rewriteInBackground((e) => {
        const what = e.index === 'lexical' ? 'lexical snapshot' : 'vector rows';
        const unit = e.index === 'lexical' ? 'papers' : 'rows';
        if (e.type === 'started')
          log.info(
            `${what}: ${e.changed} ${unit} changed since written; writing them anew on a worker thread`,
          );
        else if (e.type === 'done')
          log.info(
            `${what}: written anew in ${(e.ms / 1000).toFixed(1)} s (${e.count} ${unit}, ${e.replayed} changed meanwhile carried over); searches read ${e.file}`,
          );
        else log.warn(`${what}: writing them anew failed (${e.message}); tried again in 10 minutes`);
      });
    const app = await ctx.webApp(services);
    const fetch = role.count > 1 ? tagWorker(app.fetch, role.index) : app.fetch;
    let server: ReturnType<typeof serve>;
    try {
      server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve(
          { fetch, port, hostname: host, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } },
          (info) => {
            // Mailed links (sign-up, reset, digests) carry the port really listened on, `--port 0` included.
            services.origin.listeningOn(host, info.port);
            if (role.count === 1) {
              log.info(`Paperboy listening on http://${host}:${info.port} (${config.DATABASE_URL})`);
              warnBaseUrl(log, services);
            } else log.debug(`worker ${role.index + 1} listening on port ${info.port}`);
            resolve(s);
          },
        );
        s.once('error', reject);
        s.on('clientError', answerOversizedRequest);
      });
    } catch (err) {
      // A taken port is an everyday mistake: one line that says what to do, not a stack trace.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      println(ctx.stderr, portInUseMessage(host, port));
      return EXIT.PORT_IN_USE;
    }
    // Alone, this process runs every job; as worker 1 of several, only the index snapshots.
    const jobs =
      role.index === 0
        ? startJobs(services, log, { harvest, background: role.count === 1, snapshots: true })
        : null;
    // Warm both indexes now (the vectors too), so the first search does not pay for loading them.
    if (role.count === 1)
      log.info(
        `starting: loading the search indexes (searches wait until they are ready; process up ${process.uptime().toFixed(1)} s)`,
      );
    // Searches arriving during the start wait until the snapshots' blocks are checked too (`readAhead` below).
    services.searchIndexes.holdSearches();
    // Lists read from now on (the warm-up's first) go to shared memory, where the helper thread borrows them.
    if (config.SEARCH_SPLIT_THREAD) services.searchIndexes.shareLexicalLists();
    warmIndexes(services)
      .then((vectors) => {
        // Where the start-up went (each snapshot file, the store, the model): a cold one waits on the disk.
        const steps = services.searchIndexes.startSteps();
        if (steps.length > 0) log.info(`search index open: ${steps.map(formatOpenStep).join('; ')}`);
        log.info(
          `search index ready: ${services.searchIndexes.lexical.size} papers, ${vectors} vectors${workerNote(role)}`,
        );
        // Spelling and suggestion tables (a scan of the store) build now, not on a reader's first keystroke.
        services.search.warm();
        // The rest of the snapshots (opened, not read whole) in slices, so no later search waits for a read.
        void services.searchIndexes
          .readAhead()
          .catch((err: unknown) =>
            log.warn(`search index read-ahead: ${err instanceof Error ? err.message : String(err)}`),
          );
        // Heavy lexical searches on two threads: the helper opens its view of the lexical file now, beside the
        // start-up checks (which it trusts instead of checking the file again) and takes parts once they end, so
        // the first seconds' searches are cut too; started only after the read-ahead and the spelling tables it
        // was ready 6-8 s after the indexes, and those seconds' lexical searches, answered whole, made the tail
        // after a restart (docs/BENCHMARKS.md, "#23 the helper thread from the start").
        if (config.SEARCH_SPLIT_THREAD && !ctx.signal.aborted) {
          const opening = performance.now();
          services.searchIndexes.splitLexicalSearches({
            onFailed: (reason) =>
              log.warn(`search helper thread: ${reason}; lexical searches run on one thread`),
          });
          void services.searchIndexes.lexicalHelperReady().then((ok) => {
            if (ok)
              log.info(
                `search helper thread: lexical snapshot opened in ${Math.round(performance.now() - opening)} ms (process up ${process.uptime().toFixed(1)} s); long searches are shared with it${workerNote(role)}`,
              );
          });
        }
        // Meanwhile (readers' searches wait for the checks) a few searches compile the search code and read
        // the longest lists, which the first readers' searches would otherwise pay for.
        const warming = performance.now();
        services.search
          .warmSearches()
          .then((n) => {
            if (n > 0)
              log.info(
                `search warm-up: ${n} searches in ${Math.round(performance.now() - warming)} ms${workerNote(role)}`,
              );
          })
          .catch((err: unknown) =>
            log.warn(`search warm-up: ${err instanceof Error ? err.message : String(err)}`),
          );
      })
      .catch((err: unknown) => {
        services.searchIndexes.releaseSearches();
        log.warn(`search index: ${err instanceof Error ? err.message : String(err)}`);
      });
    await stopRequested(ctx.signal);
    log.info(`shutting down${workerNote(role)}`);
    const helper = services.searchIndexes.lexicalHelperStats();
    if (helper !== null)
      log.info(
        `search helper thread: ${helper.split} searches shared with it, ${helper.helperParts} of their ${helper.helperParts + helper.ownParts} parts answered there (it read ${helper.helperListReads} lists from the file itself, the rest lent to it)${workerNote(role)}`,
      );
    await jobs?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await checkpoints?.stop();
    if (cluster.isWorker) cluster.worker?.disconnect();
    return EXIT.OK;
  },
};

/**
 * Request head limit: a 20,000-character search (MAX_QUERY_CHARS) percent-encoded fits, even in non-Latin
 * scripts (up to 9 bytes a character); Node's default of 16 KiB would refuse a pasted abstract.
 */
const MAX_HEADER_BYTES = 200 * 1024;

/** A request head over MAX_HEADER_BYTES (e.g. a 1 MB query) gets a 413 that says why, not Node's bare 431. */
function answerOversizedRequest(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const body =
      'This request is too large: a search is at most 20,000 characters. Paste a part of the text (an abstract or a few paragraphs).\n';
    socket.end(
      `HTTP/1.1 413 Payload Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
}

/** Loads the lexical index and the active model's vectors (from their snapshot when there is one). */
async function warmIndexes(services: Services): Promise<number> {
  // The graph file (most of what a cold start reads) is read and checked on a worker beside the rest of the open.
  services.searchIndexes.checkGraphAhead();
  await services.searchIndexes.open();
  const embedder = await services.semantic.current().catch(() => null);
  services.searchIndexes.startStep('model');
  // The model's token rows (56 MB at 2.7M) read now, not by the first hybrid searches' token match (24–44 ms
  // each at 2.7M, docs/BENCHMARKS.md "#23 similar and hybrid tail at 2.7M"). A damaged block is left to the
  // first embedding that meets it, which rebuilds the image from the store. Read before the vectors, while the
  // graph file's check (started by `open`) still reads on its worker: on a cold start it is then not waited
  // for after the graph.
  try {
    embedder?.warm?.();
  } catch {
    // (see above)
  }
  services.searchIndexes.startStep('model warm');
  await services.searchIndexes.useModel(embedder?.model ?? null, embedder?.dimension ?? 0);
  return services.searchIndexes.vectors?.size ?? 0;
}

/** The line `serve` prints when its port is taken. */
export function portInUseMessage(host: string, port: number): string {
  const next = port < 65535 ? `try --port ${port + 1} or ` : '';
  return `paperboy serve: port ${port} on ${host} is in use; ${next}stop the other server (exit code ${EXIT.PORT_IN_USE}).`;
}

function workerNote(role: ServeRole): string {
  return role.count > 1 ? ` (worker ${role.index + 1} of ${role.count})` : '';
}

/** Said once per start (by the only or primary process): links mailed without a configured origin. */
function warnBaseUrl(log: Logger, services: Services): void {
  if (services.origin.configured) return;
  log.warn(
    `PAPERBOY_BASE_URL is not set: mailed links (sign-up, password reset, digests) point to ${services.origin.url()}, which only works for readers who can reach this address; set PAPERBOY_BASE_URL to the site's public address`,
  );
}

function logSecret(log: Logger, secret: ReturnType<Services['serverSecret']>): void {
  if (secret.origin === 'generated') {
    log.info(
      `PAPERBOY_SECRET is not set: generated a random one into ${secret.path} (mode 0600), kept for later starts. To choose your own: export PAPERBOY_SECRET=$(openssl rand -hex 32)`,
    );
  } else if (secret.origin === 'file') log.debug(`signing secret from ${secret.path}`);
  else if (secret.origin === 'ephemeral')
    log.warn(
      'in-memory database: using a random secret for this run only; sign-ins end when the server stops',
    );
}

/** Adds which worker answered (for operators and tests); some responses (Response.redirect) are immutable. */
function tagWorker(
  fetch: (req: Request) => Response | Promise<Response>,
  index: number,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const res = await fetch(req);
    try {
      res.headers.set('Paperboy-Worker', String(index + 1));
    } catch {
      // An immutable response goes out untagged.
    }
    return res;
  };
}

interface JobChoice {
  /** The daily arXiv harvest (with `background`). */
  harvest: boolean;
  /** Background embedding and the digest scheduler. */
  background: boolean;
  /** Search index snapshots (needs the indexes this process serves from). */
  snapshots: boolean;
}

/** What the background jobs reach: the features they drive, their leases and settings, nothing else. */
type JobServices = Pick<
  Services,
  | 'scheduleHarvest'
  | 'semantic'
  | 'jobLease'
  | 'autoTrain'
  | 'config'
  | 'topics'
  | 'digest'
  | 'searchIndexes'
  | 'enrich'
>;

/** Starts the chosen background work; with `serve --workers`, exactly one process runs each job. */
function startJobs(services: JobServices, log: Logger, choice: JobChoice): { stop(): Promise<void> } {
  const scheduler = choice.background && choice.harvest ? services.scheduleHarvest(log) : null;
  // Leases make each job run on one node when several share a database; another takes over if it dies.
  const embedLoop = choice.background
    ? startEmbedLoop(
        services.semantic,
        log,
        30_000,
        services.jobLease('embed'),
        services.autoTrain(log) ?? undefined,
      )
    : null;
  const topics = choice.background
    ? startTopicsScheduler(
        {
          everyDays: services.config.TOPICS_RECOMPUTE_DAYS,
          hourUtc: services.config.TOPICS_RECOMPUTE_HOUR_UTC,
        },
        { topics: services.topics, log, now: () => new Date(), lease: services.jobLease('topics') },
      )
    : null;
  const digests = choice.background
    ? services.digest.schedule(
        log,
        services.config.DIGEST_INTERVAL_SECONDS * 1000,
        services.jobLease('digest'),
      )
    : null;
  // Index snapshots make the next start fast; written off the request path, every INDEX_SNAPSHOT_SECONDS (5 minutes)
  // if changed.
  const snapshotTimer = choice.snapshots
    ? setInterval(() => {
        try {
          if (services.searchIndexes.saveIfChanged()) log.debug('search index snapshot written');
        } catch (err) {
          log.warn(`search index snapshot: ${err instanceof Error ? err.message : String(err)}`);
        }
      }, services.config.INDEX_SNAPSHOT_SECONDS * 1000)
    : null;
  snapshotTimer?.unref();
  // Every process reloads what its pages show (stars, model summaries, thumbnails); one node runs the jobs.
  const enrich = services.enrich.schedule(log, choice.background);
  return {
    async stop() {
      enrich.stop();
      scheduler?.stop();
      await digests?.stop();
      await embedLoop?.stop();
      await topics?.stop();
      if (snapshotTimer !== null) clearInterval(snapshotTimer);
    },
  };
}
