// `paperboy train --pairs N`: the training budget in pairs is respected, spread over every paper, and seeded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { trainStaticModel, type StaticModel } from '../../src/index/embedders/static/index.ts';
import { openServices } from '../../src/services/services.ts';
import { openStore } from '../../src/store/db.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { paperboyIn } from '../first-hour/cli-io.ts';

let dir = '';
let env: Record<string, string> = {};
const PAPERS = 4 * 1100; // more than two scan pages of 2,000

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-budget-'));
  env = { DATABASE_URL: join(dir, 'pb.db'), LOG_LEVEL: 'warn' };
  const store = await openStore(env.DATABASE_URL!);
  await store.papers.upsertMany(topicCorpus(PAPERS / 4).papers);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = topicCorpus(50).papers.map((p) => ({ title: p.title, abstract: p.abstract }));

/** Papers whose own title number's row moved from its random start: those that gave at least one pair. */
function contributed(trained: StaticModel, untrained: StaticModel): number[] {
  const row = (m: StaticModel, t: number): number[] => [
    m.scales[t]!,
    ...m.quantized.subarray(t * m.dimension, (t + 1) * m.dimension),
  ];
  return small
    .map((_, i) => i + 1)
    .filter((n) => {
      const t = trained.vocab.ids.get(String(n))!;
      return row(trained, t).join() !== row(untrained, t).join();
    });
}

test('the trainer stops at the budget, mid-epoch, and every paper gives a pair before any gives two', async () => {
  const untrained = await trainStaticModel(small, { epochs: 0, dim: 8, seed: 3 });
  expect(untrained.vocab.ids.get('200')).toBeDefined();
  // 200 papers, batches of 50: a budget of 300 is one whole epoch (4 steps) and half of the next (2 steps).
  const m = await trainStaticModel(small, { epochs: 5, pairs: 300, batchSize: 50, dim: 8, seed: 3 });
  expect(m.training).toMatchObject({ docs: 200, pairs: 300, steps: 6, epochs: 1.5 });
  expect(contributed(m, untrained)).toHaveLength(200);
  // Fewer pairs than papers: exactly that many papers, each once.
  const half = await trainStaticModel(small, { epochs: 5, pairs: 100, batchSize: 50, dim: 8, seed: 3 });
  expect(half.training).toMatchObject({ pairs: 100, steps: 2 });
  expect(contributed(half, untrained)).toHaveLength(100);
  // A budget above papers × epochs changes nothing: the same weights (and name) as no budget.
  const free = await trainStaticModel(small, { epochs: 2, batchSize: 50, dim: 8, seed: 3 });
  const roomy = await trainStaticModel(small, { epochs: 2, pairs: 10_000, batchSize: 50, dim: 8, seed: 3 });
  expect(roomy.name).toBe(free.name);
  expect(free.training).toMatchObject({ pairs: 400, steps: 8, epochs: 2 });
});

interface Summary {
  model: string;
  papers: number;
  corpus: number;
  pairs: number;
  epochs: number;
  vocabulary: number;
}

async function train(...args: string[]): Promise<Summary> {
  const r = await paperboyIn(['train', '--dim', '16', '--no-embed', '--json', ...args], env);
  expect(r.stderr).not.toContain('Error');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Summary;
}

test('train --pairs below the paper count learns one pair from each of that many papers, the same for a seed', async () => {
  const a = await train('--pairs', '300', '--seed', '4');
  expect(a).toMatchObject({ papers: 300, corpus: PAPERS, pairs: 300, epochs: 1 });
  expect((await train('--pairs', '300', '--seed', '4')).model).toBe(a.model);
  expect((await train('--pairs', '300', '--seed', '5')).model).not.toBe(a.model);
  // The vocabulary is every paper's, not only the sampled ones'.
  const all = await train('--pairs', 'all', '--epochs', '1');
  expect(a.vocabulary).toBe(all.vocabulary);
  expect(all).toMatchObject({ papers: PAPERS, pairs: PAPERS, epochs: 1 });
});

test("serve's training on a worker thread keeps to the budget too, with every paper's words", async () => {
  const services = await openServices(loadConfig({ ...env, PAPERBOY_HARVEST: 'false' }));
  try {
    const t = await services.semantic.train({ pairs: 250, dim: 16, inWorker: true, activate: false });
    expect(t).toMatchObject({ papers: 250, corpus: PAPERS, pairs: 250, epochs: 1 });
    const all = await services.semantic.train({ pairs: Infinity, epochs: 1, dim: 16, activate: false });
    expect(t.vocabulary).toBe(all.vocabulary);
  } finally {
    await services.close();
  }
});

test('train --pairs above the paper count uses every paper and stops the epochs at the budget', async () => {
  const s = await train('--pairs', '9000', '--epochs', '3');
  expect(s).toMatchObject({ papers: PAPERS, corpus: PAPERS, pairs: 9000, epochs: 2.05 });
});

test.each([['1'], ['-5'], ['abc'], ['2.5'], ['']])(
  'train --pairs=%s is a usage error naming the option',
  async (raw) => {
    const r = await paperboyIn(['train', `--pairs=${raw}`], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--pairs must be a whole number of training pairs, at least 2, or "all", got "${raw}"`,
    );
  },
);
