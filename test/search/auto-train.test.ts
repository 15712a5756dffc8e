// serve trains its own semantic model: when it is due, on a worker thread while search answers, behind the old model, on one node of two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEmbedLoop } from '../../src/services/search/embed-scheduler.ts';
import { withEmbedLease } from '../../src/services/search/embed-lease.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { trainIfDue, trainingDue, type AutoTrainDeps } from '../../src/services/search/auto-train.ts';
import { ACTIVE_STATIC_MODEL } from '../../src/services/search/semantic-service.ts';
import { createServices, type Services } from '../../src/services/services.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres.ts';
import { readerEnv, TEST_SECRET, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

/** Small, quick models: one epoch of many small steps, so that progress is reported often. */
const KNOBS = { train: { dim: 64, epochs: 1, batchSize: 8 }, embedBatch: 16 };

describe('when a model is due', () => {
  const policy = { minPapers: 2000, growth: 1.5 };
  it('trains the first at the threshold and a new one once the store has grown by half', () => {
    expect(trainingDue(1999, null, policy)).toBeNull();
    expect(trainingDue(2000, null, policy)).toBe('first');
    expect(trainingDue(2999, 2000, policy)).toBeNull();
    expect(trainingDue(3000, 2000, policy)).toBe('grown');
    expect(trainingDue(10_000, null, { ...policy, minPapers: 0 })).toBeNull();
    // Below the 50 papers training needs, whatever the setting.
    expect(trainingDue(49, null, { ...policy, minPapers: 10 })).toBeNull();
  });
});

describe('deciding without a full count', () => {
  const policy = { minPapers: 2000, growth: 1.5 };
  const deps = (counts: string[], bound: number, papers: number): AutoTrainDeps =>
    ({
      semantic: { trainedOn: () => Promise.resolve(2_700_000) },
      countPapers: () => (counts.push('full'), Promise.resolve(papers)),
      countPapersUpperBound: () => (counts.push('bound'), Promise.resolve(bound)),
      policy,
    }) as unknown as AutoTrainDeps;

  it('skips the full count when even the upper bound is not due, and counts when the bound is', async () => {
    const counts: string[] = [];
    expect(await trainIfDue(deps(counts, 2_700_000, 2_700_000), new AbortController().signal)).toBeNull();
    expect(counts).toEqual(['bound']);
    // The bound says "maybe" (deleted papers leave it high); the full count says no.
    counts.length = 0;
    expect(await trainIfDue(deps(counts, 4_100_000, 3_000_000), new AbortController().signal)).toBeNull();
    expect(counts).toEqual(['bound', 'full']);
  });
});

describe('serve training its own model (SQLite)', () => {
  let env: ReaderEnv;
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l));

  beforeAll(async () => {
    env = await readerEnv({ PAPERBOY_AUTO_TRAIN_PAPERS: '200' }, { autoTrain: KNOBS });
    await env.addPapers(topicCorpus(40).papers.slice(0, 150));
  });
  afterAll(async () => env.cleanup());

  const pass = (services: Services): Promise<string> => {
    const autoTrain = services.autoTrain(log);
    if (autoTrain === null) throw new Error('auto-training is off');
    return withEmbedLease(services.jobLease('embed'), () => autoTrain(new AbortController().signal));
  };

  it('waits below the threshold', async () => {
    expect(await pass(env.services)).toBe('idle');
    expect(await env.temp.store.settings.get(ACTIVE_STATIC_MODEL)).toBeNull();
    const r = await env.services.search.search('segmentation camera', { k: 5 });
    expect(r.notice).toContain('paperboy train');
  });

  it('trains on a worker thread at the threshold while searches keep being answered, then turns semantic search on', async () => {
    await env.addPapers(topicCorpus(60).papers.slice(150));
    lines.length = 0;
    const answered: { after: string; notice: string | null }[] = [];
    let running = true;
    const job = pass(env.services).finally(() => (running = false));
    // A reader searching throughout (each request a new turn of the event loop, as HTTP requests are);
    // each answer notes the last log line said before it.
    while (running) {
      await new Promise((resolve) => setImmediate(resolve));
      const r = await env.services.search.search('segmentation camera', { k: 5 });
      answered.push({ after: lines.at(-1) ?? '', notice: r.notice });
    }
    expect(await job).toBe('trained');
    const log = lines.join('\n');
    expect(log).toContain('training the first model in the background');
    expect(log).toMatch(/semantic model training: 50%/);
    expect(log).toMatch(/semantic model embedding: 100%/);
    expect(log).toMatch(/is active: semantic search is on/);
    // Searches were answered between two progress lines of one epoch: training never held this thread.
    const mid = answered.filter((a) => /training: [1-8]0%/.test(a.after));
    expect(mid.length).toBeGreaterThan(0);
    expect(mid.some((a) => a.notice?.includes('semantic model training') === true)).toBe(true);
    const status = await env.services.semantic.status();
    expect(status.model).not.toBeNull();
    expect(status.pending).toBe(0);
    expect((await env.services.semantic.trainedOn()) ?? 0).toBe(240);
    // Nothing more is due until the store grows.
    expect(await pass(env.services)).toBe('idle');
  });

  it('retrains once the store has grown by half, keeping the old model active until every paper has a new vector', async () => {
    const old = await env.temp.store.settings.get(ACTIVE_STATIC_MODEL);
    const more = topicCorpus(30, 99).papers.map((p, i) =>
      paper({ ...p, arxivId: `2609.${String(i + 1).padStart(5, '0')}`, title: `${p.title} b` }),
    );
    await env.addPapers(more);
    lines.length = 0;
    const activeDuringEmbedding: Promise<string | null>[] = [];
    const watch = createLogger('info', (l) => {
      lines.push(l);
      if (l.includes('semantic model embedding')) {
        activeDuringEmbedding.push(env.temp.store.settings.get(ACTIVE_STATIC_MODEL));
      }
    });
    const autoTrain = env.services.autoTrain(watch);
    expect(await autoTrain?.(new AbortController().signal)).toBe('trained');
    expect(lines.join('\n')).toContain('has grown from 240 to 360 papers');
    expect(activeDuringEmbedding.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(activeDuringEmbedding))).toEqual(new Set([old]));
    const now = await env.temp.store.settings.get(ACTIVE_STATIC_MODEL);
    expect(now).not.toBe(old);
    expect(await env.temp.store.vectors.count(now ?? '')).toBe(360);
    expect(lines.join('\n')).toContain(`(replaces ${old})`);
  });

  it('is off with EMBEDDER other than auto, or a threshold of 0', async () => {
    const base = { DATABASE_URL: env.temp.path, PAPERBOY_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' };
    for (const extra of [{ EMBEDDER: 'none' }, { PAPERBOY_AUTO_TRAIN_PAPERS: '0' }]) {
      const services = createServices(env.temp.store, loadConfig({ ...base, ...extra }));
      expect(services.autoTrain(log)).toBeNull();
    }
  });
});

const pgRunnable = postgresSkipReason() === null;

describe.skipIf(!pgRunnable)('two serve nodes on one PostgreSQL database', () => {
  it('train the model once: the node holding the embed lease trains, the other leaves it', async () => {
    const db = await createTestDatabase();
    const stores: Store[] = [];
    try {
      const config = loadConfig({
        DATABASE_URL: db.url,
        PAPERBOY_SECRET: TEST_SECRET,
        PAPERBOY_HARVEST: 'false',
        LOG_LEVEL: 'silent',
        PAPERBOY_AUTO_TRAIN_PAPERS: '100',
      });
      for (let i = 0; i < 2; i++) stores.push(await openStore(db.url));
      await stores[0]!.papers.upsertMany(topicCorpus(30).papers);
      const logs: string[][] = [[], []];
      const nodes = stores.map((store, i) =>
        createServices(store, config, { nodeId: `node-${i}`, autoTrain: KNOBS }),
      );
      const loops = nodes.map((s, i) =>
        startEmbedLoop(
          s.semantic,
          createLogger('info', (l) => logs[i]!.push(l)),
          60_000,
          s.jobLease('embed'),
          s.autoTrain(createLogger('info', (l) => logs[i]!.push(l))) ?? undefined,
        ),
      );
      await Promise.all(loops.map((l) => l.idle()));
      await Promise.all(loops.map((l) => l.stop()));
      const trained = logs.filter((l) => l.some((line) => line.includes('training the first model')));
      expect(trained).toHaveLength(1);
      expect(await stores[0]!.models.list()).toHaveLength(1);
      const active = await stores[1]!.settings.get(ACTIVE_STATIC_MODEL);
      expect(active).not.toBeNull();
      expect(await stores[1]!.vectors.count(active ?? '')).toBe(120);
      for (const s of nodes) await s.semantic.close();
    } finally {
      for (const s of stores) await s.close();
      await db.drop();
    }
  });
});
