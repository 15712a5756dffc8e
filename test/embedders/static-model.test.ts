// The corpus-trained static model: it learns topic associations the untrained control cannot, and it persists exactly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaticEmbedder,
  embedOne,
  loadStaticModel,
  saveStaticModel,
  trainStaticModel,
  type StaticModel,
} from '../../src/index/embedders/static/index.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Six invented topics of ten invented words each, so no word's meaning leaks in from outside the corpus. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'te', 'vo', 'za', 'pe', 'ni', 'bu', 'do', 'fi'];
const TOPICS = Array.from({ length: 6 }, (_, t) =>
  Array.from({ length: 10 }, (_, w) => `${SYLLABLES[t]}${SYLLABLES[w]}${SYLLABLES[(t + w) % 12]}x`),
);
const GENERIC = ['result', 'method', 'study', 'data', 'analysis', 'effect'];

function makeCorpus(
  seed: number,
): Array<{ title: string; abstract: string; topic: number; words: Set<string> }> {
  const rng = createRng(seed);
  const pick = (xs: readonly string[]): string => xs[rng.int(xs.length)]!;
  return Array.from({ length: 240 }, (_, i) => {
    const topic = i % TOPICS.length;
    const words = TOPICS[topic]!;
    const sentence = (): string =>
      `${Array.from({ length: 6 }, () => (rng.next() < 0.7 ? pick(words) : pick(GENERIC))).join(' ')}.`;
    const title = Array.from({ length: 3 }, () => pick(words)).join(' ');
    const abstract = Array.from({ length: 4 }, sentence).join(' ');
    return { title, abstract, topic, words: new Set(`${title} ${abstract}`.replace('.', '').split(/\s+/)) };
  });
}

const corpus = makeCorpus(11);
let trained: StaticModel;
let control: StaticModel;

beforeAll(async () => {
  const opts = { dim: 64, seed: 3, batchSize: 32, minDf: 1 };
  trained = await trainStaticModel(corpus, { ...opts, epochs: 10 });
  control = await trainStaticModel(corpus, { ...opts, epochs: 0 });
});

/**
 * For a one-word query, how often a same-topic paper WITHOUT that word outranks an other-topic paper without it:
 * 0.5 is chance (what pure word matching gives), 1 is perfect topic understanding.
 */
function associationAuc(model: StaticModel): number {
  const docVecs = corpus.map((d) => embedOne(model, `${d.title} ${d.abstract}`));
  let right = 0;
  let total = 0;
  TOPICS.forEach((words, topic) => {
    for (const w of words.slice(0, 5)) {
      const q = embedOne(model, w);
      const sim = (i: number): number => q.reduce((s, x, j) => s + x * docVecs[i]![j]!, 0);
      const without = corpus.map((d, i) => ({ i, d })).filter(({ d }) => !d.words.has(w));
      const same = without.filter(({ d }) => d.topic === topic).map(({ i }) => sim(i));
      const other = without.filter(({ d }) => d.topic !== topic).map(({ i }) => sim(i));
      for (const s of same) {
        for (const o of other) {
          if (s > o) right++;
          total++;
        }
      }
    }
  });
  return right / total;
}

describe('trainStaticModel', () => {
  it('learns which words belong together, which the untrained control cannot', () => {
    const learned = associationAuc(trained);
    const chance = associationAuc(control);
    expect(chance).toBeLessThan(0.7);
    expect(learned).toBeGreaterThan(0.9);
  });

  it('makes unit vectors, also for text with no known word', async () => {
    const vecs = await createStaticEmbedder(trained).embed([
      '',
      'unknownword',
      corpus[0]!.title,
      corpus[1]!.abstract,
    ]);
    for (const v of vecs) {
      expect(v).toHaveLength(64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic for a seed, and names models by their weights', async () => {
    const again = await trainStaticModel(corpus, { dim: 64, seed: 3, batchSize: 32, minDf: 1, epochs: 10 });
    expect(again.name).toBe(trained.name);
    expect(again.quantized).toEqual(trained.quantized);
    expect(again.scales).toEqual(trained.scales);
    const other = await trainStaticModel(corpus, { dim: 64, seed: 4, batchSize: 32, minDf: 1, epochs: 2 });
    expect(other.name).not.toBe(trained.name);
    expect(trained.name).toMatch(/^paperboy-static-v1-[0-9a-f]{10}$/);
  });

  it('reports progress through every step', async () => {
    const seen: string[] = [];
    await trainStaticModel(corpus.slice(0, 60), {
      dim: 16,
      epochs: 2,
      batchSize: 16,
      onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`),
    });
    expect(seen.filter((s) => s.startsWith('train'))).toEqual([
      'train:1/8',
      'train:2/8',
      'train:3/8',
      'train:4/8',
      'train:5/8',
      'train:6/8',
      'train:7/8',
      'train:8/8',
    ]);
    expect(seen.at(-1)).toBe('done:8/8');
  });
});

describe('model file', () => {
  it('round-trips to identical vectors and name', async () => {
    const path = join(dir, 'model.pbm');
    await saveStaticModel(trained, path);
    const loaded = await loadStaticModel(path);
    expect(loaded.name).toBe(trained.name);
    const texts = [corpus[5]!.title, corpus[9]!.abstract, 'result method'];
    expect(await createStaticEmbedder(loaded).embed(texts)).toEqual(
      await createStaticEmbedder(trained).embed(texts),
    );
    expect(readFileSync(path).length).toBeLessThan(trained.vocab.tokens.length * (64 + 20) + 1000);
  });

  it('refuses garbage, truncation and a model from another tokenizer with a clear error', async () => {
    const path = join(dir, 'model.pbm');
    const bytes = readFileSync(path);
    const bad = join(dir, 'bad.pbm');
    writeFileSync(bad, 'hello');
    await expect(loadStaticModel(bad)).rejects.toMatchObject({ code: 'EMBEDDER' });
    writeFileSync(bad, bytes.subarray(0, bytes.length - 10));
    await expect(loadStaticModel(bad)).rejects.toThrow(/truncated|disagree/);
    writeFileSync(
      bad,
      Buffer.from(
        bytes.toString('latin1').replace(/"tokenizer":"[0-9a-f]{8}"/, '"tokenizer":"00000000"'),
        'latin1',
      ),
    );
    await expect(loadStaticModel(bad)).rejects.toThrow(/different tokenizer/);
    await expect(loadStaticModel(join(dir, 'absent.pbm'))).rejects.toThrow(/paperboy train/);
  });
});
