// Worker thread of a sync: analyzes the papers the serving thread sends, a chunk at a time, each chunk with a
// vocabulary of its own (the serving thread numbers those terms in its index's vocabulary), in the order sent.
import { parentPort } from 'node:worker_threads';
import type { LexicalDoc } from '../../index/lexical/lexical-index.ts';
import { analyzePage, type SyncAnalyzeReply } from './lexical-analyze-in-worker.ts';

const port = parentPort;
if (port === null) throw new Error('lexical-sync-analyze.worker.ts must run as a worker thread');

port.on('message', ({ seq, docs }: { seq: number; docs: LexicalDoc[] }) => {
  const vocabulary = new Map<string, number>();
  const strings: string[] = [];
  const intern = (term: string): number => {
    let id = vocabulary.get(term);
    if (id === undefined) {
      id = strings.length;
      strings.push(term);
      vocabulary.set(term, id);
    }
    return id;
  };
  let reply: SyncAnalyzeReply;
  try {
    const page = analyzePage(
      docs.map((d) => d.id),
      docs,
      intern,
    );
    reply = { seq, page: { ...page, newTerms: strings, firstTerm: 0 } };
    port.postMessage(reply, [
      page.dates.buffer as ArrayBuffer,
      page.counts.buffer as ArrayBuffer,
      page.terms.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    reply = { seq, error: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  }
});
