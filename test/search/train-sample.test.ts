// `paperboy train --sample N`: a seeded sample of exactly N papers, refused when N is not a positive number, used by search.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { trainStaticModel } from '../../src/index/embedders/static/index.ts';
import { openServices } from '../../src/services/services.ts';
import { sampleTrainingTexts } from '../../src/services/search/training-sample.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { paperboyIn } from '../first-hour/cli-io.ts';

let dir = '';
let env: Record<string, string> = {};
let store: Store;
const PAPERS = 4 * 1100; // more than two scan pages of 2,000, so the sample spans pages

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-sample-'));
  env = { DATABASE_URL: join(dir, 'pb.db'), LOG_LEVEL: 'warn' };
  store = await openStore(env.DATABASE_URL!);
  await store.papers.upsertMany(topicCorpus(PAPERS / 4).papers);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sampleTitles(size: number, seed: number): Promise<string[]> {
  const titles: string[] = [];
  const total = await store.papers.count();
  for await (const t of sampleTrainingTexts(store, { size, total, seed })) titles.push(t.title);
  return titles;
}

test('the sample holds exactly the asked number of distinct papers, the same ones for the same seed', async () => {
  const a = await sampleTitles(500, 1);
  expect(a).toHaveLength(500);
  expect(new Set(a).size).toBe(500);
  expect(await sampleTitles(500, 1)).toEqual(a);
  const b = await sampleTitles(500, 2);
  expect(b).toHaveLength(500);
  expect(b).not.toEqual(a);
  // Spread over the whole store, not its first papers: each quarter (one topic each) holds about a quarter.
  const numbers = a.map((t) => Number(t.split(' ').at(-1)));
  for (let q = 0; q < 4; q++) {
    const inQuarter = numbers.filter((n) => n > (q * PAPERS) / 4 && n <= ((q + 1) * PAPERS) / 4).length;
    expect(inQuarter).toBeGreaterThan(90);
    expect(inQuarter).toBeLessThan(160);
  }
  expect(await sampleTitles(PAPERS, 3)).toHaveLength(PAPERS);
});

test.each([['0'], ['-5'], ['abc'], ['2.5'], ['']])(
  'train --sample=%s is a usage error naming the option',
  async (raw) => {
    const r = await paperboyIn(['train', `--sample=${raw}`], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--sample must be a whole number of papers, at least 1, got "${raw}"`);
  },
);

test('a model trained on a sample is the active one, and search embeds queries with it', async () => {
  const r = await paperboyIn(
    ['train', '--sample', '300', '--seed', '4', '--epochs', '1', '--dim', '32', '--json'],
    env,
  );
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    model: string;
    papers: number;
    corpus: number;
    vocabulary: number;
    embed: { embedded: number } | null;
  };
  expect(summary.papers).toBe(300);
  expect(summary.corpus).toBe(PAPERS);
  // Every paper's words are in its vocabulary, not only the sample's (each title ends in its own number).
  const all = topicCorpus(PAPERS / 4).papers.map((p) => ({ title: p.title, abstract: p.abstract }));
  const full = await trainStaticModel(all, { epochs: 0, dim: 8 });
  expect(summary.vocabulary).toBe(full.vocab.tokens.length);
  // Every paper gets a vector, not only the sampled ones.
  expect(summary.embed?.embedded).toBe(PAPERS);

  const services = await openServices(loadConfig({ ...env, PAPERBOY_HARVEST: 'false' }));
  try {
    expect((await services.semantic.current())?.model).toBe(summary.model);
    // auto-train measures growth against the store the sample stood for, not the sample.
    expect(await services.semantic.trainedOn()).toBe(PAPERS);
    const hits = await services.search.search('image segmentation camera', { k: 10, mode: 'semantic' });
    expect(hits.notice).toBeNull();
    expect(hits.hits.length).toBe(10);
  } finally {
    await services.close();
  }
});
