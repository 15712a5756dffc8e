// `paperboy serve`: the web site and JSON API, plus the daily arXiv harvest.
import { serve } from '@hono/node-server';
import { startEmbedLoop } from '../services/embed-scheduler.ts';
import { createLogger } from '../services/logger.ts';
import { intOption, parseCommandArgs } from './args.ts';
import type { Command } from './command.ts';
import { EXIT } from './exit-codes.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the web site and API (and the daily arXiv harvest)',
  help: `Usage: paperboy serve [--port N] [--host ADDR] [--no-harvest]

Serves the site on http://HOST:PORT (default 127.0.0.1:8080):
  /                  daily papers ranked by trending (/day/D, /week/W, /month/M)
  /papers/ID         a paper; /authors/NAME, /categories/CAT
  /signup, /signin   accounts; /library, /submit, /settings when signed in
  /feeds/daily.atom  Atom feed of the daily papers
  /search?q=...      search (words and meaning); /api/search?q=... as JSON
  /api/...           JSON API, described at /api/openapi.json
  /health            {"status":"ok","papers":N}

Sign-ins and forms are signed with PAPERBOY_SECRET; when it is unset, serve generates
one into a file named "secret" beside the database (mode 0600) and reuses it.

Unless PAPERBOY_HARVEST=false or --no-harvest, it harvests PAPERBOY_CATEGORIES from
arXiv on first start (PAPERBOY_HARVEST_DAYS back) and then daily at
PAPERBOY_HARVEST_HOUR_UTC. Without a network it says so once and keeps serving.
In the background it embeds new papers for semantic search whenever a model is
active (see \`paperboy train\`), and every minute sends the e-mail digests that are
due in each subscriber's time zone (see \`paperboy digest --help\`).
Stop with Ctrl-C.

Options:
  --port N      port (default: PORT or 8080; 0 picks a free port)
  --host ADDR   listen address (default: HOST or 127.0.0.1)
  --no-harvest  do not harvest arXiv
  -h, --help    show this help`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('serve', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-harvest': { type: 'boolean' },
    });
    const config = ctx.config();
    const port = intOption('serve', 'port', values.port, config.PORT, 65535);
    const host = values.host ?? config.HOST;
    const services = await ctx.services();
    const log = createLogger(config.LOG_LEVEL, (l) => ctx.stderr.write(`${l}\n`));
    const secret = services.serverSecret();
    if (secret.origin === 'generated') {
      log.info(
        `PAPERBOY_SECRET is not set: generated a random one into ${secret.path} (mode 0600), kept for later starts. To choose your own: export PAPERBOY_SECRET=$(openssl rand -hex 32)`,
      );
    } else if (secret.origin === 'file') log.debug(`signing secret from ${secret.path}`);
    else if (secret.origin === 'ephemeral')
      log.warn(
        'in-memory database: using a random secret for this run only; sign-ins end when the server stops',
      );
    const app = ctx.webApp(services);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
        log.info(`Paperboy listening on http://${host}:${info.port} (${config.DATABASE_URL})`);
        resolve(s);
      });
    });
    const scheduler =
      config.PAPERBOY_HARVEST && values['no-harvest'] !== true ? services.scheduleHarvest(log) : null;
    services.searchIndexes
      .open()
      .then(() => log.info(`search index ready: ${services.searchIndexes.lexical.size} papers`))
      .catch((err: unknown) => log.warn(`search index: ${err instanceof Error ? err.message : String(err)}`));
    const embedLoop = startEmbedLoop(services.semantic, log, 30_000, services.jobLease('embed'));
    const digests = services.digest.schedule(
      log,
      config.DIGEST_INTERVAL_SECONDS * 1000,
      services.jobLease('digest'),
    );
    // Index snapshots make the next start fast; written off the request path, every 5 minutes if changed.
    const snapshotTimer = setInterval(() => {
      try {
        if (services.searchIndexes.saveIfChanged()) log.debug('search index snapshot written');
      } catch (err) {
        log.warn(`search index snapshot: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, 300_000);
    snapshotTimer.unref();
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    log.info('shutting down');
    scheduler?.stop();
    await digests.stop();
    await embedLoop.stop();
    clearInterval(snapshotTimer);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return EXIT.OK;
  },
};
