// Card render cost with every fetched extra shown (stars, a model TL;DR, a thumbnail) against the same cards
// with none, in alternating rounds in one process, so machine load hits both alike. Needs a store filled by
// bench/home-enrich.bench.ts. Usage: node --import tsx bench/card-enrich.bench.ts --db NEW [--cards 3000]
import { parseArgs } from 'node:util';
import { clearEnrichmentOverlay, reloadEnrichmentOverlay } from '../src/services/enrich/index.ts';
import { openStore } from '../src/store/db.ts';
import { paperCard } from '../src/web/views/paper-card.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, cards: { type: 'string' } } });
const store = await openStore(values.db!);
const papers = await store.papers.newest({ limit: Number(values.cards ?? 3000) });
const state = { votes: 1, voted: false, saved: false };
const ctx = { csrf: null, next: '/' };
const render = (): number => {
  const t0 = performance.now();
  for (const p of papers) paperCard(p, state, ctx);
  return (performance.now() - t0) / papers.length;
};
const off: number[] = [];
const on: number[] = [];
render(); // warms the derived-links cache for both
for (let i = 0; i < 7; i++) {
  clearEnrichmentOverlay();
  off.push(render());
  await reloadEnrichmentOverlay(store, {
    summarizer: { model: 'bench-llm', promptVersion: 'v1' },
    thumbnails: true,
  });
  render(); // the first pass after a reload pays for collecting the previous overlay
  on.push(render());
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
console.log(
  `${papers.length} cards: no extras ${us(median(off))}, stars + AI TL;DR + thumbnail ${us(median(on))} per card ` +
    `(median of 7; ratio ${(median(on) / median(off)).toFixed(3)})`,
);
await store.close();
