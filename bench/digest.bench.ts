// Digest benchmark: N subscribers (default 10,000) over the 75k corpus, queued and delivered through the outbox
// to a real SMTP server on loopback (smtp-server in its own process); prints time, rate and peak RSS.
// Usage: npm run bench:digest [-- --subscribers 10000 --connections 5 --concurrency 20]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { tokenHash } from '../src/services/secure-random.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import { startSmtpSink } from '../test/helpers/smtp-sink.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '20' },
  },
});
const N = Number(values.subscribers);
if (!existsSync(CORPUS)) {
  console.error(`bench:digest needs ${CORPUS} (../shared); skipping.`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-digest-'));
const db = join(dir, 'paperboy.db');
const sink = await startSmtpSink();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
try {
  const config = loadConfig({
    DATABASE_URL: db,
    PAPERBOY_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    SMTP_URL: `${sink.url}/?maxConnections=${values.connections}`,
    DIGEST_RATE_PER_SECOND: '0',
    PAPERBOY_BASE_URL: 'https://papers.example.org',
  });
  const store = await openStore(db);
  const services = createServices(store, config, { digest: { concurrency: Number(values.concurrency) } });
  const imported = await services.imports.ingest(CORPUS);
  const stats = await store.stats();
  console.error(
    `imported ${imported.added} papers in ${imported.seconds.toFixed(1)} s; newest ${stats.newestDate}`,
  );
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    const email = `reader${i}@example.org`;
    await store.digest.upsertPending(email, null, tokenHash(email));
    await store.digest.confirm(tokenHash(email), '2000-01-01');
  }
  console.error(`${N} subscribers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const date = stats.newestDate ?? '2026-07-01';
  const rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  t = performance.now();
  const q = await services.digest.delivery.queue({ date });
  const queueS = (performance.now() - t) / 1000;
  t = performance.now();
  const s = await services.digest.delivery.deliver();
  const sendS = (performance.now() - t) / 1000;
  await sink.waitFor(() => sink.events.filter((e) => e.event === 'accepted').length >= s.sent, 60_000);
  const accepted = sink.events.filter((e) => e.event === 'accepted').length;
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(
    JSON.stringify({
      subscribers: N,
      queued: q.queued,
      queueSeconds: Number(queueS.toFixed(1)),
      sent: s.sent,
      accepted,
      sendSeconds: Number(sendS.toFixed(1)),
      totalSeconds: Number((queueS + sendS).toFixed(1)),
      perSecond: Math.round(s.sent / sendS),
      rssBeforeMB: Number(mb(rssBefore)),
      peakRssMB: Number(mb(peakRss)),
    }),
  );
  await services.close();
} finally {
  clearInterval(sampler);
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}
