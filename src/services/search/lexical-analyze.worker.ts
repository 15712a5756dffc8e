// Worker thread of a rebuild: reads every stored paper and analyzes it into term ids, beside the index build.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDoc } from '../../index/lexical/analyzed-doc.ts';
import { openStore } from '../../store/db.ts';
import { workerPageSender } from '../../platform/index.ts';
import type { AnalyzeJob, AnalyzedPage } from './lexical-analyze-in-worker.ts';
import { toLexicalDoc } from './search-indexes.ts';

const port = parentPort;
if (port === null) throw new Error('lexical-analyze.worker.ts must run as a worker thread');
const job = workerData as AnalyzeJob;
const send = workerPageSender<AnalyzedPage>(port, job.credit);

/**
 * The vocabulary numbered as the index numbers it: papers come in the store's order, terms in first-seen
 * order, so the receiving index (empty at the start) gives every term the same id.
 */
const vocabulary = new Map<string, number>();
let fresh: string[] = [];
const intern = (term: string): number => {
  const known = vocabulary.get(term);
  if (known !== undefined) return known;
  const id = vocabulary.size;
  vocabulary.set(term, id);
  fresh.push(term);
  return id;
};

async function run(): Promise<void> {
  const store = await openStore(job.databaseUrl);
  try {
    let terms = new Int32Array(1 << 16);
    for await (const papers of store.papers.scan(job.pageSize)) {
      const firstTerm = vocabulary.size;
      const n = papers.length;
      const dates = new Int32Array(n);
      const counts = new Uint32Array(n * 4);
      let at = 0;
      for (let i = 0; i < n; i++) {
        const doc = analyzeDoc(toLexicalDoc(papers[i]!), intern);
        dates[i] = doc.date;
        const parts = [...doc.fields, doc.tags];
        let size = 0;
        for (let f = 0; f < 4; f++) size += counts[i * 4 + f] = parts[f]!.length;
        if (at + size > terms.length) {
          const grown = new Int32Array(Math.max(terms.length * 2, at + size));
          grown.set(terms.subarray(0, at));
          terms = grown;
        }
        for (const part of parts) for (const t of part) terms[at++] = t;
      }
      const page: AnalyzedPage = {
        ids: papers.map((p) => p.id),
        dates,
        counts,
        terms: terms.slice(0, at),
        newTerms: fresh,
        firstTerm,
      };
      fresh = [];
      await send.page(page, [dates.buffer, counts.buffer, page.terms.buffer as ArrayBuffer]);
    }
    send.done();
  } finally {
    await store.close();
  }
}

try {
  await run();
} catch (err) {
  send.fail(err);
}
