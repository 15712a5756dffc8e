// A new node on a shared PostgreSQL store with an empty INDEX_DIR takes another node's snapshot generation
// (INDEX_SEED_DIR) instead of rebuilding every index from the store (#23: 193 s and 2.2 GiB at 300k papers).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { openSearchServices } from '../../src/services/search-services.ts';
import { currentSnapshot, seedSnapshot } from '../../src/services/search/snapshot-folder.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';
import { openStore } from '../../src/store/db.ts';
import { paper } from '../helpers/temp-store.ts';

const unavailable = postgresSkipReason();
const WORDS = ['walrus', 'tusk', 'krill', 'orca', 'floe', 'brine', 'gull'];

describe('seedSnapshot', () => {
  let root = '';
  beforeAll(() => void (root = mkdtempSync(join(tmpdir(), 'pb-seed-'))));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function generation(dir: string): string {
    const gen = join(dir, 'snap-abc-1-x');
    mkdirSync(gen, { recursive: true });
    writeFileSync(join(gen, 'state.json'), '{"lexicalSeq":3}');
    writeFileSync(join(gen, 'lexical.bin'), 'lexical bytes');
    writeFileSync(join(dir, 'CURRENT'), 'snap-abc-1-x\n');
    writeFileSync(join(dir, 'lookup.bin'), 'lookup bytes');
    writeFileSync(join(dir, 'other.txt'), 'not wanted');
    return gen;
  }

  it('links the current generation and the named extras into an empty folder, leaving no staging folder', () => {
    const from = join(root, 'a');
    generation(from);
    // A staging folder left by a killed process (no such pid) is removed, not published.
    const dir = join(root, 'b');
    mkdirSync(join(dir, '.seed-999999999-dead'), { recursive: true });
    const out = seedSnapshot(dir, from, (n) => n === 'lookup.bin');
    expect(out).toMatchObject({ kind: 'copied', files: 3, linked: true });
    const gen = currentSnapshot(dir)!;
    expect(readdirSync(gen).sort()).toEqual(['lexical.bin', 'state.json']);
    expect(statSync(join(gen, 'lexical.bin')).size).toBe('lexical bytes'.length);
    expect(existsSync(join(dir, 'lookup.bin'))).toBe(true);
    expect(existsSync(join(dir, 'other.txt'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.seed-'))).toEqual([]);
    // A second start finds its own generation and copies nothing.
    expect(seedSnapshot(dir, from)).toEqual({ kind: 'present', generation: gen });
  });

  it('says why it gave nothing: a missing seed folder, or one without a snapshot', () => {
    const dir = join(root, 'c');
    expect(seedSnapshot(dir, join(root, 'nowhere'))).toEqual({
      kind: 'none',
      reason: `${join(root, 'nowhere')} does not exist`,
    });
    mkdirSync(join(root, 'empty'));
    expect(seedSnapshot(dir, join(root, 'empty'))).toMatchObject({
      kind: 'none',
      reason: /holds no snapshot/,
    });
    expect(currentSnapshot(dir)).toBeNull();
  });
});

describe.skipIf(unavailable !== null)('a second node on one PostgreSQL store', () => {
  let db: TestDatabase;
  let root = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    root = mkdtempSync(join(tmpdir(), 'pb-seed-pg-'));
    const store = await openStore(db.url);
    await store.papers.upsertMany(
      Array.from({ length: 60 }, (_, i) =>
        paper({
          arxivId: `2503.${String(i).padStart(5, '0')}`,
          title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} survey ${i}`,
          abstract: `On the ${WORDS[(i * 5) % WORDS.length]} number ${i}.`,
        }),
      ),
    );
    await store.close();
  }, 120_000);
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await db?.drop();
    await releaseTestPostgresServer();
  });

  /** Opens the search parts as a node would, with what it rebuilt and what it said on stderr. */
  async function node(indexDir: string, seedDir = '') {
    const built: string[] = [];
    let said = '';
    const config = loadConfig({
      DATABASE_URL: db.url,
      INDEX_DIR: indexDir,
      INDEX_SEED_DIR: seedDir,
      PAPERBOY_SECRET: 'seed-test-secret-0123456789abcdef0123456789abcd',
    });
    const s = await openSearchServices(config, {
      onIndexProgress: (what) => built.push(what),
      stderr: { write: (line: string) => (said += line) },
    });
    await s.searchIndexes.open();
    const hits = s.searchIndexes.lexical.search(plainQuery('walrus'), { k: 100 });
    return { s, built: [...new Set(built)], said, hits };
  }

  it('opens the first node’s generation instead of rebuilding, and says so; without a seed it rebuilds', async () => {
    const a = await node(join(root, 'a'));
    expect(a.built).toEqual(['lexical index']); // the first node builds from the store…
    await a.s.close(); // …and saves its generation on close
    expect(currentSnapshot(join(root, 'a'))).not.toBeNull();

    const b = await node(join(root, 'b'), join(root, 'a'));
    expect(b.built).toEqual([]); // nothing rebuilt: the lexical index is the seeded snapshot
    expect(b.said).toMatch(/search index: .*b held no snapshot; linked \d+ files .* from INDEX_SEED_DIR/);
    expect(b.hits).toEqual(a.hits);
    await b.s.close();

    const c = await node(join(root, 'c'), join(root, 'missing'));
    expect(c.built).toEqual(['lexical index']);
    expect(c.said).toMatch(/INDEX_SEED_DIR gave none \(.*missing does not exist\); building from the store/);
    await c.s.close();
  }, 120_000);
});
