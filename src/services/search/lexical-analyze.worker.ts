// Worker thread of a rebuild: reads every stored paper and analyzes it into term ids, beside the index build.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/db.ts';
import { workerPageSender } from '../../platform/index.ts';
import { analyzePage, type AnalyzeJob, type AnalyzedPage } from './lexical-analyze-in-worker.ts';
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
    for await (const papers of store.papers.scan(job.pageSize)) {
      const firstTerm = vocabulary.size;
      const analyzed = analyzePage(
        papers.map((p) => p.id),
        papers.map(toLexicalDoc),
        intern,
      );
      const page: AnalyzedPage = { ...analyzed, newTerms: fresh, firstTerm };
      fresh = [];
      await send.page(page, [
        page.dates.buffer as ArrayBuffer,
        page.counts.buffer as ArrayBuffer,
        page.terms.buffer as ArrayBuffer,
      ]);
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
