// USE-lite speed and SciFact quality at several truncation lengths, to record what truncation costs.
// Usage: node --import tsx bench/use-lite-eval.ts [--dataset ../shared/eval/scifact] [--tokens 64,128] [--docs N] [--json]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createUseLiteEmbedder } from '../src/index/embedders/use-lite.ts';
import { loadBeir } from './lib/beir.ts';
import { evaluateEmbedder, formatRow } from './lib/dense-eval.ts';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: resolve(import.meta.dirname, '../../shared/eval/scifact') },
    tokens: { type: 'string', default: '64' },
    speed: { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
  },
});

const set = await loadBeir(args.dataset);
const results: Record<string, unknown> = {};
for (const maxTokens of args.tokens.split(',').map(Number)) {
  const embedder = await createUseLiteEmbedder({ maxTokens });
  const sample = set.corpus.slice(0, Number(args.speed)).map((d) => `${d.title} ${d.text}`);
  const t = performance.now();
  await embedder.embed(sample);
  const perSecond = sample.length / ((performance.now() - t) / 1000);
  const rows = await evaluateEmbedder(embedder, set);
  results[embedder.model] = { perSecond, ...rows };
  if (!args.json) {
    console.log(`${embedder.model}: ${perSecond.toFixed(1)} abstracts/s (sample of ${sample.length})`);
    for (const split of ['all', 'tune', 'heldOut'] as const)
      console.log(`  ${split.padEnd(8)} ${formatRow(rows[split])}`);
  }
}
if (args.json) console.log(JSON.stringify(results));
