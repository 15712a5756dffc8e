// Digest benchmark: N subscribers (default 10,000) with personal sections over the 75k corpus, queued and delivered
// through the outbox to a real SMTP server on loopback (smtp-server in its own process); prints time, rate, RSS.
// Usage: npm run bench:digest [-- --subscribers 10000 --foryou-share 0.1 --db /path/prepared.db]
// (node --expose-gc --import tsx bench/digest.bench.ts … also reports the live heap after each phase)
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import type { Store } from '../src/store/store.ts';
import { startSmtpSink } from '../test/helpers/smtp-sink.ts';
import { makeSubscribers } from './lib/digest-subscribers.ts';
import { peakRssMiB } from './lib/peak-rss.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const HELP = `npm run bench:digest -- [options]
  --subscribers N     subscribers (default 10000)
  --foryou-share X    share of subscribers who also chose For you, 0–1 (default 0.1)
  --trending-only     address-only subscribers with the trending section (no accounts)
  --db FILE           copy this prepared store (and FILE.index) instead of importing ${CORPUS};
                      with vectors in it, For you ranks by the stored model (the file is only read);
                      a postgres:// URL is used as it is (give a throwaway copy: it is written to)
  --connections N     pooled SMTP connections (default 5)
  --concurrency N     digests sent at the same time (default 20)`;

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    'foryou-share': { type: 'string', default: '0.1' },
    'trending-only': { type: 'boolean', default: false },
    db: { type: 'string' },
    connections: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  console.log(HELP);
  process.exit(0);
}
const N = Number(values.subscribers);
const share = Number(values['foryou-share']);
if (values.db === undefined && !existsSync(CORPUS)) {
  console.error(`bench:digest needs ${CORPUS} (../shared) or --db; skipping.`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-digest-'));
const onPg = values.db !== undefined && /^postgres(ql)?:\/\//i.test(values.db);
const db = onPg ? (values.db ?? '') : join(dir, 'paperboy.db');
const sink = await startSmtpSink();
/** RSS every 5 s once queueing starts: flat means the digests are not kept in memory. */
const timeline: number[] = [];
let sampling = false;
const sampler = setInterval(() => sampling && timeline.push(process.memoryUsage().rss), 5000);

/** Live heap after a full collection, in MB (needs node --expose-gc; null without it). */
function liveHeapMB(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null;
  gc();
  return mb(process.memoryUsage().heapUsed);
}

/** Starts a new peak-RSS period (Linux: resets VmHWM through clear_refs; elsewhere peakRssMiB reads the current RSS). */
function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: peakRssMiB falls back to the current RSS
  }
}
const seconds = (t: number): number => Number(((performance.now() - t) / 1000).toFixed(1));
const mb = (b: number): number => Math.round(b / 2 ** 20);
/** CPU seconds this process used since `since`: load moves it far less than wall time. */
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return Number(((d.user + d.system) / 1e6).toFixed(2));
};

/** Papers per section over every queued digest. */
async function sectionCounts(store: Store): Promise<Record<string, { digests: number; papers: number }>> {
  const out: Record<string, { digests: number; papers: number }> = {};
  for (let after = 0, page = await store.digest.active(0, 500); page.length > 0; ) {
    for (const sub of page)
      for (const item of await store.digest.outbox(sub.id))
        for (const s of item.content.sections) {
          const c = (out[s.name] ??= { digests: 0, papers: 0 });
          c.digests += 1;
          c.papers += s.paperIds.length;
        }
    after = page.at(-1)?.id ?? after;
    page = await store.digest.active(after, 500);
  }
  return out;
}

try {
  if (values.db !== undefined && !onPg) {
    cpSync(values.db, db);
    if (existsSync(`${values.db}.index`)) cpSync(`${values.db}.index`, `${db}.index`, { recursive: true });
  }
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
  if (values.db === undefined) {
    const imported = await services.imports.ingest(CORPUS);
    console.error(`imported ${imported.added} papers in ${imported.seconds.toFixed(1)} s`);
  }
  const stats = await store.stats();
  const date = stats.newestDate ?? '2026-07-01';
  let t = performance.now();
  const counts = await makeSubscribers(store, date, {
    subscribers: N,
    personal: values['trending-only'] !== true,
    forYouShare: share,
  });
  console.error(`${N} subscribers in ${seconds(t)} s: ${JSON.stringify(counts)}`);
  // serve opens the search indexes (and the active model's vectors) at start; so does this, untimed.
  t = performance.now();
  await services.searchIndexes.open();
  await services.search.search('warm up', { k: 1 });
  console.error(`indexes open in ${seconds(t)} s`);
  const heapBefore = liveHeapMB();
  const rssBefore = process.memoryUsage().rss;
  timeline.push(rssBefore);
  sampling = true;
  resetPeak();
  t = performance.now();
  let cpu = process.cpuUsage();
  const q = await services.digest.delivery.queue({ date });
  const queueS = seconds(t);
  const queueCpu = cpuSeconds(cpu);
  const queuePeak = peakRssMiB();
  const heapAfterQueue = liveHeapMB();
  resetPeak();
  t = performance.now();
  cpu = process.cpuUsage();
  const s = await services.digest.delivery.deliver();
  const sendS = seconds(t);
  const sendCpu = cpuSeconds(cpu);
  const sendPeak = peakRssMiB();
  sampling = false;
  const heapAfterSend = liveHeapMB();
  await sink.waitFor(() => sink.events.filter((e) => e.event === 'accepted').length >= s.sent, 60_000);
  console.log(
    JSON.stringify({
      subscribers: N,
      date,
      papers: stats.papers,
      ...counts,
      queued: q.queued,
      queueSeconds: queueS,
      queueCpuSeconds: queueCpu,
      sent: s.sent,
      accepted: sink.events.filter((e) => e.event === 'accepted').length,
      sendSeconds: sendS,
      sendCpuSeconds: sendCpu,
      totalSeconds: Number((queueS + sendS).toFixed(1)),
      perSecond: Math.round(s.sent / sendS),
      rssBeforeMB: mb(rssBefore),
      peakRssQueueMB: Math.round(queuePeak),
      peakRssSendMB: Math.round(sendPeak),
      rssEvery5sMB: timeline.map(mb),
      liveHeapMB: { before: heapBefore, afterQueue: heapAfterQueue, afterSend: heapAfterSend },
      sections: await sectionCounts(store),
    }),
  );
  await services.close();
} finally {
  clearInterval(sampler);
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}
