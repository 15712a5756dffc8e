// `train` reads the store as a stream: the vocabulary, its idf and the model are those of every text held at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import {
  decodeStaticModel,
  trainStaticModel,
  type StaticModel,
  type TrainingText,
} from '../../src/index/embedders/static/index.ts';
import { buildVocabulary, createDfCounter } from '../../src/index/embedders/static/vocabulary.ts';
import { openServices, type Services } from '../../src/services/services.ts';
import { sampleTrainingTexts } from '../../src/services/search/training-sample.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';

let dir = '';
let store: Store;
let services: Services;
let all: TrainingText[] = [];
const PAPERS = 4 * 600; // more than one scan page of 2,000

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-train-stream-'));
  const url = join(dir, 'pb.db');
  const seed = await openStore(url);
  await seed.papers.upsertMany(topicCorpus(PAPERS / 4).papers);
  await seed.close();
  services = await openServices(
    loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', PAPERBOY_HARVEST: 'false' }),
  );
  store = await openStore(url);
  // The corpus the way the trainer once held it: every paper's text in memory, in store order.
  for await (const page of store.papers.scan(500))
    for (const p of page) all.push({ title: p.title, abstract: p.abstract });
});
afterAll(async () => {
  await services.close();
  await store.close();
  all = [];
  rmSync(dir, { recursive: true, force: true });
});

/** The vocabulary and idf counted over every text at once, independently of the trainer's reading. */
function expectedVocabulary(): { tokens: readonly string[]; idf: number[] } {
  const counter = createDfCounter();
  for (const t of all) counter.add(`${t.title} ${t.abstract}`);
  const v = buildVocabulary(counter.counts, counter.docs(), { minDf: 1 });
  return { tokens: v.tokens, idf: [...v.idf] };
}

async function stored(name: string): Promise<StaticModel> {
  const m = await store.models.get(name);
  if (m === null) throw new Error(`model ${name} was not saved`);
  return decodeStaticModel(Buffer.from(m.data), name);
}

test('a sampled training has every paper’s vocabulary and idf, and the model of the texts held at once', async () => {
  expect(all).toHaveLength(PAPERS);
  const want = expectedVocabulary();
  const sample: TrainingText[] = [];
  for await (const t of sampleTrainingTexts(store, { size: 300, total: PAPERS, seed: 4 })) sample.push(t);
  const held = await trainStaticModel(sample, { vocabularyFrom: all, dim: 16, seed: 4, pairs: 300 });
  for (const inWorker of [false, true]) {
    const t = await services.semantic.train({ pairs: 300, dim: 16, seed: 4, inWorker, activate: false });
    expect(t).toMatchObject({ papers: 300, corpus: PAPERS, pairs: 300 });
    const m = await stored(t.model);
    expect(m.vocab.tokens).toEqual(want.tokens);
    expect([...m.vocab.idf]).toEqual(want.idf);
    expect(t.model).toBe(held.name);
  }
});

test('training on every paper has the same vocabulary, idf and model as the texts held at once', async () => {
  const want = expectedVocabulary();
  const held = await trainStaticModel(all, { dim: 16, epochs: 1 });
  const t = await services.semantic.train({ pairs: Infinity, epochs: 1, dim: 16, activate: false });
  expect(t).toMatchObject({ papers: PAPERS, pairs: PAPERS });
  const m = await stored(t.model);
  expect(m.vocab.tokens).toEqual(want.tokens);
  expect([...m.vocab.idf]).toEqual(want.idf);
  expect(t.model).toBe(held.name);
});
