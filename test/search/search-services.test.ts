// Search as serve wires it: real SQLite store, the corpus-trained model, vectors in the store, indexes that follow changes.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEmbedLoop } from '../../src/services/search/embed-scheduler.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createServices, indexDir } from '../../src/services/services.ts';
import { CHANGES_FOLLOWED, EMBEDDED_THROUGH } from '../../src/services/search/semantic-service.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { topicCorpus, type Topic } from '../fixtures/topic-corpus.ts';
import { readerEnv, TEST_SECRET, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

let env: ReaderEnv;
let topicOf: Map<string, Topic>;

beforeAll(async () => {
  env = await readerEnv();
  const corpus = topicCorpus(30);
  topicOf = corpus.topicOf;
  await env.addPapers(corpus.papers);
});
afterAll(async () => env.cleanup());

const share = (ids: string[], topic: Topic): number =>
  ids.filter((id) => topicOf.get(id) === topic).length / ids.length;

describe('search before any model is trained', () => {
  it('answers by words and says why semantic search is off', async () => {
    const status = await env.services.semantic.status();
    expect(status.model).toBeNull();
    expect(status.reason).toContain('paperboy train');
    const r = await env.services.search.search('segmentation camera', { k: 5 });
    expect(r.mode).toBe('lexical');
    expect(r.notice).toContain('paperboy train');
    expect(r.hits.length).toBe(5);
    expect(
      share(
        r.hits.map((h) => h.paper.id),
        'vision',
      ),
    ).toBe(1);
  });

  it('refuses to embed with no model, with a reason', async () => {
    await expect(env.services.semantic.embed()).rejects.toThrow(/no model trained/);
  });
});

describe('after paperboy train', () => {
  let model = '';
  beforeAll(async () => {
    const summary = await env.services.semantic.train({ epochs: 3, dim: 64 });
    model = summary.model;
    const e = await env.services.semantic.embed();
    expect(e.embedded).toBe(120);
  }, 60_000);

  it('stores the model under a versioned name and reports vectors per model', async () => {
    expect(model).toMatch(/^paperboy-static-v\d+-[0-9a-f]{10}$/);
    const status = await env.services.semantic.status();
    expect(status).toMatchObject({ model, dimension: 64, embedded: 120, pending: 0, reason: null });
  });

  it('searches by meaning: semantic mode ranks the query topic first and honours filters before top k', async () => {
    const r = await env.services.search.search('grasping gripper torque', { k: 10, mode: 'semantic' });
    expect(r.mode).toBe('semantic');
    expect(
      share(
        r.hits.map((h) => h.paper.id),
        'robotics',
      ),
    ).toBeGreaterThanOrEqual(0.9);
    const filtered = await env.services.search.search('grasping gripper torque', {
      k: 10,
      mode: 'semantic',
      category: 'cs.CL',
    });
    expect(filtered.hits.length).toBe(10);
    expect(filtered.hits.every((h) => h.paper.categories.includes('cs.CL'))).toBe(true);
  });

  it('fuses in hybrid mode without a notice, and pins an arXiv id and an exact title first', async () => {
    const r = await env.services.search.search('polynomial hardness reduction', { k: 10 });
    expect(r.mode).toBe('hybrid');
    expect(r.notice).toBeNull();
    expect(
      share(
        r.hits.map((h) => h.paper.id),
        'theory',
      ),
    ).toBeGreaterThanOrEqual(0.9);
    const byId = await env.services.search.search('https://arxiv.org/abs/2607.00042v2 robot', { k: 3 });
    expect(byId.hits[0]?.paper.id).toBe('2607.00042');
    const target = (await env.services.papers.get('2607.00077')).title;
    const byTitle = await env.services.search.search(target, { k: 3 });
    expect(byTitle.hits[0]?.paper.id).toBe('2607.00077');
  });

  it('pages through pinned results without losing or repeating a paper', async () => {
    // 2607.00042 is a robotics paper: pinned first although the words ask for theory.
    const query = '2607.00042 polynomial hardness reduction';
    const whole = await env.services.search.search(query, { k: 24 });
    expect(whole.hits[0]?.paper.id).toBe('2607.00042');
    const pages: string[] = [];
    for (let offset = 0; offset < 24; offset += 3) {
      const page = await env.services.search.search(query, { k: 3, offset });
      pages.push(...page.hits.map((h) => h.paper.id));
    }
    expect(pages).toEqual(whole.hits.map((h) => h.paper.id));
    const newest = await env.services.search.search(query, { k: 24, sort: 'newest' });
    expect(newest.hits).toHaveLength(whole.hits.length);
    expect(newest.hits.every((h) => h.paper.title !== '')).toBe(true);
  });

  it('sorts all matches by date for sort=newest, not just the first page', async () => {
    const r = await env.services.search.search('language', { k: 5, sort: 'newest' });
    const dates = r.hits.map((h) => h.paper.announced ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    const all = await env.services.search.search('language', { k: 100 });
    const newest = all.hits
      .map((h) => h.paper.announced ?? '')
      .sort()
      .at(-1);
    expect(dates[0]).toBe(newest);
  });

  it('lists similar papers from the same topic, never the paper itself, by id or arXiv reference', async () => {
    const hits = await env.services.search.similar('2607.00005', 8);
    const ids = hits.map((h) => h.paper.id);
    expect(ids).not.toContain('2607.00005');
    expect(share(ids, 'vision')).toBeGreaterThanOrEqual(0.75);
    const again = await env.services.search.similar('arXiv:2607.00005v3', 8);
    expect(again.map((h) => h.paper.id)).toEqual(ids);
    await expect(env.services.search.similar('2607.99999')).rejects.toThrow(/No paper/);
  });

  it('follows the store: a new paper is found, its vector made by the background loop', async () => {
    await env.addPapers([
      paper({
        arxivId: '2608.00001',
        title: 'Quasicrystal lattice tessellation',
        abstract: 'Aperiodic quasicrystal tilings and tessellation of the lattice.',
        categories: ['math.CO'],
        announced: '2026-08-01',
      }),
    ]);
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const found = await env.services.search.search('quasicrystal tessellation', { k: 3, mode: 'lexical' });
    expect(found.hits[0]?.paper.id).toBe('2608.00001');
    expect((await env.services.semantic.status()).pending).toBe(1);
    const lines: string[] = [];
    const loop = startEmbedLoop(
      env.services.semantic,
      createLogger('info', (l) => lines.push(l)),
      60_000,
    );
    await loop.idle();
    await loop.stop();
    expect((await env.services.semantic.status()).pending).toBe(0);
    expect(lines.join('\n')).toContain('embedded 1 papers');
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const near = await env.services.search.similar('2608.00001', 3);
    expect(near).toHaveLength(3);
  });

  it('shows a paper as the store has it now, after a new version changed it or it was deleted', async () => {
    const first = paper({
      arxivId: '2608.00009',
      title: 'Zirconia sintering kinetics',
      abstract: 'Zirconia sintering.',
      announced: '2026-08-02',
    });
    await env.addPapers([first]);
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const before = await env.services.search.search('zirconia sintering', { k: 3, mode: 'lexical' });
    expect(before.hits[0]?.paper.title).toBe('Zirconia sintering kinetics');
    await env.addPapers([{ ...first, version: 2, title: 'Zirconia sintering kinetics, revisited' }]);
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const after = await env.services.search.search('zirconia sintering', { k: 3, mode: 'lexical' });
    expect(after.hits[0]?.paper.title).toBe('Zirconia sintering kinetics, revisited');
    expect(await env.temp.store.papers.delete('2608.00009')).toBe(true);
    env.clock.advance(200); // past the search service's 200 ms sync spacing
    const gone = await env.services.search.search('zirconia sintering', { k: 3, mode: 'lexical' });
    expect(gone.hits.map((h) => h.paper.id)).not.toContain('2608.00009');
  });

  it('re-embeds everything when a retrained model replaces the active one', async () => {
    const second = await env.services.semantic.train({ epochs: 2, dim: 64, seed: 99 });
    expect(second.model).not.toBe(model);
    expect(second.replaced).toBe(model);
    const status = await env.services.semantic.status();
    expect(status.model).toBe(second.model);
    expect(status.pending).toBe(121);
    await env.services.semantic.embed();
    const r = await env.services.search.search('dialogue translation', { k: 5, mode: 'semantic' });
    expect(r.mode).toBe('semantic');
    expect(
      share(
        r.hits.map((h) => h.paper.id),
        'language',
      ),
    ).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});

describe('index snapshots', () => {
  it('are written on close and reloaded by the next process, which then applies later changes', async () => {
    const config = loadConfig({
      DATABASE_URL: env.temp.path,
      PAPERBOY_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    const dir = indexDir(config);
    expect(dir).toBe(`${env.temp.path}.index`);
    const first = createServices(env.temp.store, config);
    await first.search.search('robot', { k: 1 });
    first.searchIndexes.save();
    const gen = currentSnapshot(dir ?? '') ?? '';
    expect(existsSync(join(gen, 'lexical.bin'))).toBe(true);
    expect(existsSync(join(gen, 'vectors.bin'))).toBe(true);
    await env.addPapers([
      paper({ arxivId: '2608.00002', title: 'Zeolite catalysis', abstract: 'Zeolite pores.' }),
    ]);
    const rebuilt: string[] = [];
    const second = createServices(env.temp.store, config, { onIndexProgress: (what) => rebuilt.push(what) });
    const r = await second.search.search('zeolite', { k: 1, mode: 'lexical' });
    expect(r.hits[0]?.paper.id).toBe('2608.00002');
    expect(second.searchIndexes.lexical.size).toBe(122);
    expect(rebuilt).not.toContain('lexical index');
  });

  it('keeps each snapshot whole when two processes save into one folder, and reads the old flat layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-snap-'));
    try {
      const a = new SearchIndexes(env.temp.store, { dir, approximateAbove: 1e9 });
      await a.open();
      const b = new SearchIndexes(env.temp.store, { dir, approximateAbove: 1e9 });
      await b.open();
      await env.addPapers([paper({ arxivId: '2608.00003', title: 'Penrose tiling snapshots' })]);
      await b.sync();
      // Interleaved saves: a's files never pair with b's state (the old layout could, and then skip changes).
      a.save();
      b.save();
      a.save();
      const gen = currentSnapshot(dir) ?? '';
      const state = JSON.parse(readFileSync(join(gen, 'state.json'), 'utf8')) as { lexicalSeq: number };
      expect(state.lexicalSeq).toBe(a.lexicalSeq);
      expect(readdirSync(dir).filter((n) => n.startsWith('snap-')).length).toBeLessThanOrEqual(3);
      const c = new SearchIndexes(env.temp.store, { dir, approximateAbove: 1e9 });
      await c.open();
      expect(c.lexical.has('2608.00003')).toBe(true);
      // A folder written by an older Paperboy: files directly inside, no CURRENT pointer.
      const flat = mkdtempSync(join(tmpdir(), 'paperboy-flat-'));
      for (const f of readdirSync(gen)) copyFileSync(join(gen, f), join(flat, f));
      const rebuilt: string[] = [];
      const e = new SearchIndexes(env.temp.store, {
        dir: flat,
        approximateAbove: 1e9,
        onProgress: (what) => rebuilt.push(what),
      });
      await e.open();
      expect(rebuilt).not.toContain('lexical index');
      expect(e.lexical.has('2608.00003')).toBe(true);
      rmSync(flat, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad SEARCH_SEMANTIC_WEIGHT or EMBEDDER with clear messages', () => {
    const problems = (vars: Record<string, string>): string => {
      try {
        loadConfig(vars);
        return '';
      } catch (err) {
        return JSON.stringify((err as { details?: unknown }).details);
      }
    };
    expect(problems({ SEARCH_SEMANTIC_WEIGHT: '1.5' })).toContain(
      'SEARCH_SEMANTIC_WEIGHT=\\"1.5\\": expected a number from 0 to 1',
    );
    expect(problems({ EMBEDDER: 'bert' })).toContain('EMBEDDER');
    expect(loadConfig({ SEARCH_SEMANTIC_WEIGHT: '0.4' }).SEARCH_SEMANTIC_WEIGHT).toBe(0.4);
    expect(loadConfig({}).SEARCH_SEMANTIC_WEIGHT).toBeNull();
  });

  it('falls back to words, saying which setting is missing, when the http embedder is half configured', async () => {
    const config = loadConfig({
      DATABASE_URL: env.temp.path,
      PAPERBOY_SECRET: TEST_SECRET,
      EMBEDDER: 'http',
    });
    const services = createServices(env.temp.store, config);
    const r = await services.search.search('robot arm', { k: 3 });
    expect(r.mode).toBe('lexical');
    expect(r.notice).toContain('EMBEDDER_URL: required with EMBEDDER=http');
    expect(r.hits).toHaveLength(3);
    await expect(services.semantic.embed()).rejects.toThrow(/not fully configured/);
  });
});

describe('background embedding passes', () => {
  let own: ReaderEnv;
  beforeAll(async () => {
    own = await readerEnv();
    await own.addPapers(topicCorpus(15).papers);
    await own.services.semantic.train({ epochs: 1, dim: 16 });
  }, 60_000);
  afterAll(async () => own.cleanup());

  /** Counts the store's whole-store looks for papers without a vector (a scan each) while `run` runs. */
  const countingScans = async <T>(run: (scans: () => number) => Promise<T>): Promise<T> => {
    const vectors = own.temp.store.vectors;
    const realCount = vectors.countMissing.bind(vectors);
    const realMissing = vectors.missing.bind(vectors);
    let scans = 0;
    const v = vectors as { countMissing: typeof realCount; missing: typeof realMissing };
    v.countMissing = async (m) => (scans++, realCount(m));
    v.missing = async (m, limit, after) => (scans++, realMissing(m, limit, after));
    try {
      return await run(() => scans);
    } finally {
      v.countMissing = realCount;
      v.missing = realMissing;
    }
  };
  const model = async (): Promise<string> => {
    const m = (await own.services.semantic.status()).model;
    if (m === null) throw new Error('no model');
    return m;
  };

  it('does not rescan the corpus on idle passes, nor after papers changed: it embeds those it finds in the log', async () => {
    await own.services.semantic.embed();
    await countingScans(async (scans) => {
      const idle = await own.services.semantic.embed();
      expect(idle).toMatchObject({ embedded: 0, remaining: 0 });
      await own.addPapers([
        paper({ arxivId: '2609.00001', title: 'Tiling with Penrose rhombs', announced: '2026-08-02' }),
        paper({ arxivId: '2609.00005', title: 'Aperiodic monotiles', announced: '2026-08-02' }),
      ]);
      // Added and deleted before the pass: in the log, not in the store, so nothing to embed for it.
      await own.temp.store.papers.delete('2609.00005');
      expect(await own.services.semantic.status()).toMatchObject({ pending: 1 });
      const after = await own.services.semantic.embed();
      expect(after).toMatchObject({ embedded: 1, remaining: 0, status: 'done' });
      expect((await own.temp.store.vectors.missingAmong(await model(), ['2609.00001'])).length).toBe(0);
      // A paper whose text changed gets a new vector (its old one is stale), found the same way.
      const m = await model();
      const before = (await own.temp.store.vectors.since(m, 0, 10_000)).find(
        (v) => v.paperId === '2609.00001',
      );
      await own.addPapers([
        paper({
          arxivId: '2609.00001',
          title: 'Tiling the plane with Penrose rhombs',
          announced: '2026-08-02',
        }),
      ]);
      expect(await own.services.semantic.embed()).toMatchObject({ embedded: 1, remaining: 0 });
      const now = (await own.temp.store.vectors.since(m, 0, 10_000)).find((v) => v.paperId === '2609.00001');
      expect(now?.seq).toBeGreaterThan(before?.seq ?? Infinity);
      expect(await own.services.semantic.embed()).toMatchObject({ embedded: 0, remaining: 0 });
      expect(scans()).toBe(0);
      expect(await own.temp.store.vectors.countMissing(m)).toBe(0);
    });
  });

  it('does not rescan after a restart: no paper changed, or only a few since the last complete pass', async () => {
    // A restarted serve counted the whole store (6.5 s at 300k papers, 15 s at 2.7M) only to find nothing to embed.
    const config = loadConfig({
      DATABASE_URL: own.temp.path,
      PAPERBOY_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    await own.services.semantic.embed();
    await countingScans(async (scans) => {
      const restarted = createServices(own.temp.store, config);
      expect(await restarted.semantic.embed()).toMatchObject({ embedded: 0, remaining: 0 });
      expect(await restarted.semantic.status()).toMatchObject({ pending: 0 });
      // A paper written while no serve ran: the saved position is behind the log, so the next start looks there.
      await own.temp.store.papers.upsertMany([
        paper({ arxivId: '2609.00002', title: 'Quasicrystals from tilings', announced: '2026-08-03' }),
      ]);
      const again = createServices(own.temp.store, config);
      expect(await again.semantic.status()).toMatchObject({ pending: 1 });
      expect(await again.semantic.embed()).toMatchObject({ embedded: 1, remaining: 0 });
      expect(scans()).toBe(0);
    });
  });

  it('scans the store when no pass was complete for the model, or too many papers changed since', async () => {
    await own.services.semantic.embed();
    const m = await model();
    const latest = await own.temp.store.papers.latestChangeSeq();
    await own.temp.store.papers.upsertMany([
      paper({
        arxivId: '2609.00003',
        title: 'Substitution tilings and their hulls',
        announced: '2026-08-04',
      }),
    ]);
    // The last complete pass further back in the log than a pass follows (as after a large import).
    await own.temp.store.settings.set(
      EMBEDDED_THROUGH,
      JSON.stringify({ model: m, seq: latest - CHANGES_FOLLOWED }),
    );
    const config = loadConfig({
      DATABASE_URL: own.temp.path,
      PAPERBOY_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    await countingScans(async (scans) => {
      expect(await createServices(own.temp.store, config).semantic.embed()).toMatchObject({
        embedded: 1,
        remaining: 0,
      });
      expect(scans()).toBeGreaterThan(0);
    });
    // A mark for another model says nothing about this one's vectors.
    await own.temp.store.papers.upsertMany([
      paper({ arxivId: '2609.00004', title: 'Cut and project sets', announced: '2026-08-04' }),
    ]);
    await own.temp.store.settings.set(
      EMBEDDED_THROUGH,
      JSON.stringify({ model: 'another-model', seq: latest }),
    );
    await countingScans(async (scans) => {
      expect(await createServices(own.temp.store, config).semantic.embed()).toMatchObject({ embedded: 1 });
      expect(scans()).toBeGreaterThan(0);
    });
  });

  it('leaves the mark where it was when a pass over the changed papers is stopped, and finishes them later', async () => {
    await own.services.semantic.embed();
    const ids = Array.from({ length: 5 }, (_, i) => `2610.${String(i + 1).padStart(5, '0')}`);
    await own.addPapers(ids.map((arxivId, i) => paper({ arxivId, title: `Rhomb tiling number ${i}` })));
    const config = loadConfig({
      DATABASE_URL: own.temp.path,
      PAPERBOY_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    const stopped = new AbortController();
    const first = await createServices(own.temp.store, config).semantic.embed({
      batchSize: 2,
      signal: stopped.signal,
      onProgress: () => stopped.abort(),
    });
    expect(first).toMatchObject({ embedded: 2, remaining: 3, status: 'interrupted' });
    const second = createServices(own.temp.store, config).semantic;
    expect(await second.status()).toMatchObject({ pending: 3 });
    await countingScans(async (scans) => {
      expect(await second.embed()).toMatchObject({ embedded: 3, remaining: 0, status: 'done' });
      expect(scans()).toBe(0);
    });
    expect(await second.status()).toMatchObject({ pending: 0 });
  });
});

describe('index sync spacing', () => {
  it('answers from every paper stored before the search, and reads the change log at most every 200 ms otherwise', async () => {
    let ms = 1_000;
    const own = await readerEnv({}, { elapsedMs: () => ms });
    const papers = own.temp.store.papers;
    const real = papers.changesSince.bind(papers);
    let reads = 0;
    (papers as { changesSince: typeof real }).changesSince = async (seq, limit) => (
      reads++,
      real(seq, limit)
    );
    try {
      const found = async (q: string) =>
        (await own.services.search.search(q, { k: 3, mode: 'lexical' })).hits.map((h) => h.paper.id);
      await own.addPapers([paper({ arxivId: '2609.00001', title: 'Permafrost methane flux' })]);
      expect(await found('permafrost methane')).toEqual(['2609.00001']);
      // Stored a moment later (the clock has not moved): the store's change counter did, so the search syncs.
      await own.addPapers([paper({ arxivId: '2609.00002', title: 'Basalt weathering rates' })]);
      expect(await found('basalt weathering')).toEqual(['2609.00002']);
      // Nothing written: searches within 200 ms of the last sync do not read the change log.
      reads = 0;
      await found('basalt');
      ms += 199;
      await found('permafrost');
      expect(reads).toBe(0);
      ms += 1;
      await found('methane');
      expect(reads).toBeGreaterThan(0);
    } finally {
      (papers as { changesSince: typeof real }).changesSince = real;
      await own.cleanup();
    }
  });
});
