import { readLibraryInWorker } from '../../src/services/ingest/library-parse-in-worker.ts';
import { parseLibrary } from '../../src/services/ingest/library-import.ts';
const out = ['@string{jx = "Journal of Examples"}'];
for (let i = 0; i < 12_000; i++) out.push(`@article{k${i},\n  title = {Entry ${i}: {Robust} methods for learning from noisy labels in vision},\n  author = {Doe, Jane and Roe, Richard and M{\\"u}ller, Anna},\n  journal = jx,\n  year = {2024},\n  abstract = {We propose a method and evaluate it on standard benchmarks; it is ${i} times better.}\n}`);
const bib = out.join('\n\n');
const bytes = new TextEncoder().encode(bib);
for (let r = 0; r < 2; r++) {
  let t0 = performance.now(); let first = 0; let n = 0;
  for await (const p of readLibraryInWorker('x', 's')) { first ||= performance.now() - t0; n += p.refs.length; }
  console.log('tiny worker', (performance.now() - t0).toFixed(0), 'ms');
  t0 = performance.now(); first = 0; n = 0;
  for await (const p of readLibraryInWorker(bytes, 's')) { first ||= performance.now() - t0; n += p.refs.length; }
  console.log('worker', n, 'first page', first.toFixed(0), 'total', (performance.now() - t0).toFixed(0));
  t0 = performance.now();
  const l = await parseLibrary(bib, 's', undefined, async () => {});
  console.log('inline', l.refs.length, (performance.now() - t0).toFixed(0));
}
