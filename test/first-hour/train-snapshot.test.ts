// After `train`, searches load the vector index from a snapshot (no rebuild), and train/embed/serve embed one at a time.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEmbedLoop } from '../../src/services/search/embed-scheduler.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { openServices, type Services } from '../../src/services/services.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
let env: Record<string, string> = {};
let store: Store;
const opened: Services[] = [];
const TRAIN = ['train', '--epochs', '1', '--dim', '32'];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-snap-'));
  // A low threshold puts the 60 vectors in an HNSW graph, the structure that is slow to rebuild at 75k.
  env = { DATABASE_URL: join(dir, 'pb.db'), LOG_LEVEL: 'warn', VECTOR_APPROXIMATE_ABOVE: '20' };
  store = await openStore(env.DATABASE_URL!);
  await store.papers.upsertMany(topicCorpus(15).papers);
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Services over the test database, recording which index parts are rebuilt from the store. */
async function open(rebuilt: string[] = []): Promise<Services> {
  const s = await openServices(loadConfig({ ...env, PAPERBOY_HARVEST: 'false' }), {
    onIndexProgress: (what) => rebuilt.push(what),
  });
  opened.push(s);
  return s;
}

test('train writes a snapshot with its vectors; a later search and an already running server load it, rebuilding nothing', async () => {
  // A server whose indexes were loaded before the model existed.
  const serverRebuilt: string[] = [];
  const server = await open(serverRebuilt);
  await server.searchIndexes.open();
  serverRebuilt.length = 0;

  const t = await paperboyIn(TRAIN, env);
  expect(t.code).toBe(0);
  expect(t.stderr).toContain('search index snapshot written');
  const snap = currentSnapshot(`${env.DATABASE_URL}.index`);
  expect(snap).not.toBeNull();
  const state = JSON.parse(readFileSync(join(snap!, 'state.json'), 'utf8')) as { vectorModel: string | null };
  expect(state.vectorModel).toMatch(/^paperboy-static-v1-/);

  const cliRebuilt: string[] = [];
  const cli = await open(cliRebuilt);
  const r = await cli.search.search('image segmentation', { k: 3, mode: 'semantic' });
  expect(r.notice).toBeNull();
  expect(r.hits.length).toBeGreaterThan(0);
  expect(cliRebuilt).toEqual([]);

  // The running server takes the new model's vectors from the snapshot train wrote.
  const s = await server.search.search('image segmentation', { k: 3, mode: 'semantic' });
  expect(s.notice).toBeNull();
  expect(s.hits.length).toBeGreaterThan(0);
  expect(serverRebuilt).not.toContain('vector index');
});

test('embed writes the vector snapshot only; a later search loads the vectors and builds the lexical index once', async () => {
  expect((await paperboyIn([...TRAIN, '--no-embed'], env)).code).toBe(0);
  const e = await paperboyIn(['embed'], env);
  expect(e.code).toBe(0);
  expect(e.stderr).toContain('vector index snapshot written');
  expect(e.stderr).toContain('No lexical index snapshot yet: `paperboy reindex` writes one');
  const snap = currentSnapshot(`${env.DATABASE_URL}.index`);
  expect(existsSync(join(snap!, 'lexical.bin'))).toBe(false);
  expect(existsSync(join(snap!, 'vectors.bin.hnsw'))).toBe(true);

  const rebuilt: string[] = [];
  const cli = await open(rebuilt);
  const r = await cli.search.search('image segmentation', { k: 3, mode: 'semantic' });
  expect(r.notice).toBeNull();
  expect(r.hits.length).toBeGreaterThan(0);
  expect(rebuilt).toContain('lexical index');
  expect(rebuilt).not.toContain('vector index');
});

test('train waits while another process holds the embedding lease, and a serve loop gives the lease up after each pass', async () => {
  expect(await store.leases.acquire('embed', 'serve-on-another-node', 60_000)).toBe(true);
  let saidWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (saidWaiting = resolve));
  const run = paperboyIn(TRAIN, env, {}, new AbortController().signal, (err) => {
    if (err.includes('waiting for it to finish')) saidWaiting();
  });
  await waiting;
  // Nothing was trained or made active while the other holder embeds.
  expect(await store.settings.get('search.static_model')).toBeNull();
  await store.leases.release('embed', 'serve-on-another-node');
  const t = await run;
  expect(t.stderr).toContain(
    'another process (a running serve, or another train/embed) is embedding papers; waiting',
  );
  expect(t.code).toBe(0);
  expect(await store.leases.current('embed')).toBeNull();

  const s = await open();
  const loop = startEmbedLoop(
    s.semantic,
    createLogger('silent', () => undefined),
    60_000,
    s.jobLease('embed'),
  );
  await loop.idle();
  expect(await store.leases.current('embed')).toBeNull();
  await loop.stop();
});
