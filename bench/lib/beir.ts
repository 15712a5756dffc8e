// Loads a retrieval set in BEIR layout: corpus.jsonl(.gz), queries.jsonl, qrels/*.tsv.
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Judgments } from './metrics.ts';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirSet {
  corpus: BeirDoc[];
  queries: Map<string, string>;
  /** Query id -> (doc id -> grade). Only judged queries appear. */
  qrels: Map<string, Map<string, number>>;
}

async function* readJsonLines(path: string): AsyncGenerator<Record<string, unknown>> {
  const stream = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>;
  }
}

/**
 * Reads a BEIR folder; `split` picks qrels/<split>.tsv (default: every tsv in qrels/).
 * @example const set = await loadBeir('../shared/eval/scifact');
 */
export async function loadBeir(dir: string, split?: string): Promise<BeirSet> {
  const corpusPath = ['corpus.jsonl', 'corpus.jsonl.gz'].map((f) => join(dir, f)).find((p) => existsSync(p));
  if (corpusPath === undefined)
    throw new Error(`${dir}: no corpus.jsonl or corpus.jsonl.gz (expected BEIR layout)`);
  const corpus: BeirDoc[] = [];
  for await (const r of readJsonLines(corpusPath)) {
    corpus.push({ id: String(r._id), title: String(r.title ?? ''), text: String(r.text ?? '') });
  }
  const queries = new Map<string, string>();
  for await (const r of readJsonLines(join(dir, 'queries.jsonl')))
    queries.set(String(r._id), String(r.text ?? ''));
  const qrels = new Map<string, Map<string, number>>();
  const files = readdirSync(join(dir, 'qrels')).filter(
    (f) => f.endsWith('.tsv') && (split === undefined || f === `${split}.tsv`),
  );
  for (const f of files) {
    for await (const line of createInterface({
      input: createReadStream(join(dir, 'qrels', f)),
      crlfDelay: Infinity,
    })) {
      const [qid, docId, score] = line.split('\t');
      if (qid === undefined || docId === undefined || qid === 'query-id' || !queries.has(qid)) continue;
      const m = qrels.get(qid) ?? new Map<string, number>();
      m.set(docId, Number(score ?? 1));
      qrels.set(qid, m);
    }
  }
  return { corpus, queries, qrels };
}

/** Deterministic split of judged query ids into tune / held-out halves (every 5th held out). */
export function splitQueries(qrels: ReadonlyMap<string, Judgments>): { tune: string[]; heldOut: string[] } {
  const ids = [...qrels.keys()].sort();
  return { tune: ids.filter((_, i) => i % 5 !== 4), heldOut: ids.filter((_, i) => i % 5 === 4) };
}
