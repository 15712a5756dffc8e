// Semantic-only retrieval quality of the corpus-trained static model on a BEIR set, beside its untrained control.
// Usage: node --import tsx bench/semantic-eval.ts [--dataset ../shared/eval/scifact] [--dim 256] [--epochs N] [--lr X]
//        [--batch N] [--temp X] [--title-prob X] [--keep-prob X] [--min-df N] [--seed N] [--save path] [--json]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import {
  createStaticEmbedder,
  saveStaticModel,
  trainStaticModel,
  type StaticModel,
} from '../src/index/embedders/static/index.ts';
import { loadBeir, type BeirSet } from './lib/beir.ts';
import { evaluateEmbedder, formatRow, type SplitRows } from './lib/dense-eval.ts';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: resolve(import.meta.dirname, '../../shared/eval/scifact') },
    dim: { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    temp: { type: 'string' },
    'title-prob': { type: 'string' },
    'keep-prob': { type: 'string' },
    'min-df': { type: 'string' },
    seed: { type: 'string' },
    save: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const fmt = formatRow;
const evaluate = (model: StaticModel, set: BeirSet): Promise<SplitRows> =>
  evaluateEmbedder(createStaticEmbedder(model), set);

async function main(): Promise<void> {
  const set = await loadBeir(args.dataset);
  const docs = set.corpus.map((d) => ({ title: d.title, abstract: d.text }));
  const common = { dim: num(args.dim), seed: num(args.seed) };
  const control = await trainStaticModel(docs, { ...common, epochs: 0 });
  const t0 = performance.now();
  const model = await trainStaticModel(docs, {
    ...common,
    epochs: num(args.epochs),
    lr: num(args.lr),
    batchSize: num(args.batch),
    temperature: num(args.temp),
    minDf: num(args['min-df']),
    mix: {
      ...(args['title-prob'] ? { titleProb: Number(args['title-prob']) } : {}),
      ...(args['keep-prob'] ? { keepProb: Number(args['keep-prob']) } : {}),
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  if (args.save) await saveStaticModel(model, args.save);
  const e0 = performance.now();
  await createStaticEmbedder(model).embed(docs.map((d) => `${d.title} ${d.abstract}`));
  const perSecond = docs.length / ((performance.now() - e0) / 1000);
  const result = {
    model: model.name,
    trainSeconds,
    steps: model.training.steps,
    embedPerSecond: perSecond,
    control: await evaluate(control, set),
    trained: await evaluate(model, set),
  };
  if (args.json) return void console.log(JSON.stringify(result));
  console.log(
    `${set.corpus.length} docs, ${set.qrels.size} judged queries; trained ${model.name} in ${trainSeconds.toFixed(1)} s (${result.steps} steps); embeds ${perSecond.toFixed(0)} abstracts/s`,
  );
  for (const split of ['all', 'tune', 'heldOut'] as const) {
    console.log(`${split.padEnd(8)} control ${fmt(result.control[split])}`);
    console.log(`${split.padEnd(8)} trained ${fmt(result.trained[split])}`);
  }
}

await main();
