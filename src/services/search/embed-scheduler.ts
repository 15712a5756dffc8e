// Background job for serve: keeps paper vectors in step with ingest, one batch at a time, between requests.
import type { JobLease, Logger } from '../../platform/index.ts';
import type { SemanticService } from './semantic-service.ts';
import type { AutoTrain } from './auto-train.ts';

export interface EmbedLoop {
  stop(): Promise<void>;
  /** Resolves after the next pass finishes (tests). */
  idle(): Promise<void>;
}

/**
 * Every `everyMs` (default 30 s) embeds what is missing for the active model, logging counts and
 * throughput; does nothing while semantic search is off. Errors are logged once per distinct message.
 * With `autoTrain`, each pass first trains and rolls out a model when one is due (search/auto-train.ts),
 * under the same lease, so that one node of several does it and `paperboy train` waits for it.
 * @example const loop = startEmbedLoop(services.semantic, log); await loop.stop();
 */
export function startEmbedLoop(
  semantic: SemanticService,
  log: Logger,
  everyMs = 30_000,
  lease?: JobLease,
  autoTrain?: AutoTrain,
): EmbedLoop {
  const controller = new AbortController();
  let lastError = '';
  let running: Promise<void> = Promise.resolve();
  const pass = async (): Promise<void> => {
    try {
      if (autoTrain === undefined && (await semantic.current()) === null) return;
      // With several nodes on one database, one embeds; the others take over if it dies.
      if (lease !== undefined && !(await lease.tryHold())) return;
      if (autoTrain !== undefined) await autoTrain(controller.signal);
      if ((await semantic.current()) === null) return;
      const s = await semantic.embed({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done % 4096 < 512)
            log.info(`embedding: ${p.done}/${p.total} papers (${Math.round(p.rate)}/s)`);
        },
      });
      if (s.embedded > 0)
        log.info(
          `embedded ${s.embedded} papers with ${s.model} (${Math.round(s.rate)}/s), ${s.remaining} remaining`,
        );
      lastError = '';
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (msg !== lastError) log.warn(`background embedding failed: ${msg}`);
      lastError = msg;
    } finally {
      // Free between passes, so a `paperboy train` or `embed` can take the job (see embed-lease.ts).
      await lease?.release().catch(() => undefined);
    }
  };
  // A pass can last minutes (a training, a long backfill): ticks meanwhile are dropped, not queued up.
  let busy = false;
  const tick = (): void => {
    if (busy) return;
    busy = true;
    running = running.then(pass).finally(() => (busy = false));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      controller.abort();
      await running;
      await lease?.release();
    },
    idle: () => running,
  };
}
