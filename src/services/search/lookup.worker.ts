// Worker thread that builds serve's spelling and suggestion tables from its own store connection and answers them.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Suggestion } from '../../index/lookup/suggest-index.ts';
import { openStore } from '../../store/db.ts';
import type { Store } from '../../store/store.ts';
import {
  addLookupPaper,
  emptyLookupTables,
  fillLookupTables,
  spellingAnswers,
  type LookupTables,
  type SpellingAnswer,
} from './lookup-tables.ts';

export interface LookupJob {
  /** The DATABASE_URL the serving process opened its store from (never ":memory:"). */
  databaseUrl: string;
}

/** To the worker. Handled strictly in order: a `changed` sent before a question is applied before it is answered. */
export type LookupRequest =
  | { type: 'changed'; ids: string[] }
  | { type: 'rebuild' }
  | { type: 'suggest'; id: number; query: string }
  | { type: 'spell'; id: number; words: string[] };

/** From the worker. `failed` without an id: the tables cannot be had here (the caller builds its own). */
export type LookupReply =
  | { type: 'built'; papers: number; ms: number }
  | { type: 'suggestions'; id: number; suggestions: Suggestion[] }
  | { type: 'spelling'; id: number; answers: SpellingAnswer[] }
  | { type: 'failed'; id: number | null; message: string };

const port = parentPort;
if (port === null) throw new Error('lookup.worker.ts must run as a worker thread');
const job = workerData as LookupJob;
/**
 * On Linux a thread has its own nice value: the build (tens of seconds of CPU at 300k papers) runs at nice 10, so
 * the event loop's requests win every contest for a core meanwhile. Once built, every search asks this thread
 * about its words, and a niced thread woken on a busy machine waits out others' slices: it goes back to normal
 * priority where that is allowed (else stays niced). Elsewhere both calls fail and nothing changes.
 */
function renice(value: number): void {
  try {
    setPriority(value);
  } catch {
    // Not allowed here (raising priority again needs a privilege or RLIMIT_NICE): keep the current one.
  }
}

let store: Store | null = null;
let tables: LookupTables | null = null;
let queue: Promise<void> = Promise.resolve();
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const post = (reply: LookupReply): void => port.postMessage(reply);

/** Runs `work` after everything asked before it; a failure answers the request it belongs to. */
function then(id: number | null, work: () => Promise<void>): void {
  queue = queue.then(work).catch((err: unknown) => post({ type: 'failed', id, message: message(err) }));
}

async function build(): Promise<void> {
  const started = performance.now();
  renice(10);
  store ??= await openStore(job.databaseUrl);
  const t = emptyLookupTables();
  let papers = 0;
  await fillLookupTables(t, store, async () => void papers++);
  tables = t;
  renice(0);
  post({ type: 'built', papers, ms: Math.round(performance.now() - started) });
}

/** The tables; a question that arrives after a failed build fails too (the caller has fallen back by then). */
function built(): LookupTables {
  if (tables === null) throw new Error('the lookup tables were not built');
  return tables;
}

then(null, build);
port.on('message', (m: LookupRequest) => {
  switch (m.type) {
    case 'changed':
      return then(null, async () => {
        if (store === null || tables === null) return;
        for (const p of await store.papers.getMany(m.ids)) addLookupPaper(tables, p);
      });
    case 'rebuild':
      // Questions asked after this wait for the new tables (the queue runs in order).
      return then(null, build);
    case 'suggest':
      return then(m.id, async () =>
        post({ type: 'suggestions', id: m.id, suggestions: built().suggest.suggest(m.query) }),
      );
    case 'spell':
      return then(m.id, async () =>
        post({ type: 'spelling', id: m.id, answers: spellingAnswers(built().spelling, m.words) }),
      );
  }
});
