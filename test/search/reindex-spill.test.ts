// `reindex` within a memory budget: postings in sorted runs on disk, merged once, give the in-memory snapshot's bytes.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLexicalIndex, type LexicalDoc } from '../../src/index/lexical/lexical-index.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { SearchIndexes, toLexicalDoc } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';
import { watchOutput } from '../helpers/wait-for.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

const WORDS =
  'walrus narwhal tusk ivory whale arctic ice floe krill plankton sonar pod migration café Größe'.split(' ');
const word = (i: number, k: number): string => WORDS[(i * 7 + k * 3) % WORDS.length]!;

function doc(i: number, variant = 0): LexicalDoc {
  return {
    id: `2503.${String(i).padStart(5, '0')}`,
    title: `${word(i, 1 + variant)} ${word(i, 2)} of term${i % 997}`,
    abstract: `${word(i, 3)} ${word(i, 4)} rare${i} ${word(i, 5)} ${'krill '.repeat(i % 300)}`,
    authors: [`Ada Author${i % 50}`],
    categories: i % 4 === 0 ? ['cs.CL'] : ['physics.ao-ph'],
    date: i % 9 === 0 ? null : `2025-0${1 + (i % 9)}-1${i % 10}`,
    features: i % 5 === 0 ? ['code'] : [],
  };
}

it('writes the same snapshot bytes from sorted runs under a small budget as from memory, with replaced papers', () => {
  const build = (spill: string | null): Buffer => {
    const index = createLexicalIndex();
    if (spill !== null) index.spillPostings(spill, 16 << 10);
    for (let i = 0; i < 3000; i++) index.add(doc(i));
    // Replacing papers leaves dead documents: the merge drops and renumbers them as the in-memory seal does.
    for (let i = 0; i < 3000; i += 7) index.add(doc(i, 1));
    const path = join(env.dir, spill === null ? 'memory.bin' : 'spilled.bin');
    if (spill === null) index.saveTo(path);
    else index.saveAndReopen(path);
    // Read back from its file, the spilled index answers as the in-memory one.
    expect(index.search('krill walrus', { k: 5 }).length).toBe(5);
    return readFileSync(path);
  };
  const spillDir = join(env.dir, 'runs');
  const memory = build(null);
  const spilled = build(spillDir);
  expect(spilled.equals(memory)).toBe(true);
  expect(existsSync(spillDir)).toBe(false); // the runs are removed once merged
});

it('merges a long list spread over many runs, and an index reopened from its file saves the same bytes again', () => {
  const index = createLexicalIndex().spillPostings(join(env.dir, 'runs'), 1 << 10);
  const memory = createLexicalIndex();
  for (let i = 0; i < 800; i++) {
    index.add(doc(i));
    memory.add(doc(i));
  }
  index.saveAndReopen(join(env.dir, 'a.bin'));
  memory.saveTo(join(env.dir, 'm.bin'));
  // Unchanged since: linked, not written again.
  index.saveTo(join(env.dir, 'b.bin'));
  const a = readFileSync(join(env.dir, 'a.bin'));
  expect(readFileSync(join(env.dir, 'm.bin')).equals(a)).toBe(true);
  expect(readFileSync(join(env.dir, 'b.bin')).equals(a)).toBe(true);
  // Changed after the reopen: written from the file-backed lists, as a served snapshot is.
  index.add(doc(900));
  memory.add(doc(900));
  index.saveTo(join(env.dir, 'c.bin'));
  memory.saveTo(join(env.dir, 'n.bin'));
  expect(readFileSync(join(env.dir, 'c.bin')).equals(readFileSync(join(env.dir, 'n.bin')))).toBe(true);
  expect(index.search(plainQuery('krill'), { k: 3 })).toEqual(memory.search(plainQuery('krill'), { k: 3 }));
});

async function storeCorpus(n: number): Promise<void> {
  await env.store.papers.upsertMany(
    Array.from({ length: n }, (_, i) => {
      const d = doc(i);
      return paper({
        arxivId: d.id,
        title: d.title,
        abstract: d.abstract,
        authors: [...d.authors],
        categories: [...d.categories],
        announced: d.date,
      });
    }),
  );
}

/** The lexical snapshot an in-memory build of every stored paper writes (the path before runs). */
async function inMemorySnapshot(): Promise<Buffer> {
  const index = createLexicalIndex();
  for await (const page of env.store.papers.scan(2000)) for (const p of page) index.add(toLexicalDoc(p));
  const path = join(env.dir, 'reference.bin');
  index.saveTo(path);
  return readFileSync(path);
}

const snapshotBytes = (dir: string): Buffer => readFileSync(join(currentSnapshot(dir)!, 'lexical.bin'));

it('rebuilds to the in-memory bytes with a small budget, and a build killed mid-way leaves nothing that a rerun keeps', async () => {
  await storeCorpus(2500);
  const reference = await inMemorySnapshot();
  const dir = join(env.dir, 'index');

  // A build in another process, killed (SIGKILL) once it has written runs: its folder is left behind.
  const script = join(env.dir, 'stalled-build.mts');
  const src = resolve('src');
  writeFileSync(
    script,
    `import { openStore } from ${JSON.stringify(join(src, 'store/db.ts'))};
import { SearchIndexes } from ${JSON.stringify(join(src, 'services/search/search-indexes.ts'))};
import { analyzedPagesInWorker } from ${JSON.stringify(join(src, 'services/search/lexical-analyze-in-worker.ts'))};
const [db, dir] = process.argv.slice(2);
const store = await openStore(db);
const ix = new SearchIndexes(store, { dir, approximateAbove: 10_000, buildMemoryBytes: 64 << 10,
  analyzedPages: async function* (size) {
    let pages = 0;
    for await (const page of analyzedPagesInWorker(db, size)) {
      yield page;
      if (++pages === 1) { console.log('stalled after a page'); setInterval(() => {}, 1000); await new Promise(() => {}); }
    }
  } });
await ix.rebuild(null, 0);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, env.path, dir], { stdio: 'pipe' });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  await watchOutput(child.stdout, child.stderr).until(/stalled after a page/, {
    what: 'a stalled build',
    timeoutMs: 120_000,
  });
  child.kill('SIGKILL');
  await exited;
  const left = readdirSync(dir).filter((n) => n.startsWith('.build-'));
  expect(left).toEqual([expect.stringMatching(new RegExp(`^\\.build-${child.pid}-`))]);
  expect(readdirSync(join(dir, left[0]!, 'runs')).filter((n) => n.startsWith('run-')).length).toBeGreaterThan(
    1,
  );

  // The rerun removes the dead build's folder, writes the in-memory bytes, and leaves no folder of its own.
  const ix = new SearchIndexes(env.store, { dir, approximateAbove: 10_000, buildMemoryBytes: 64 << 10 });
  await ix.rebuild(null, 0);
  ix.save();
  expect(snapshotBytes(dir).equals(reference)).toBe(true);
  expect(readdirSync(dir).filter((n) => n.startsWith('.build-'))).toEqual([]);
  expect(ix.lexical.search(plainQuery('narwhal krill'), { k: 3 }).length).toBe(3);

  // A stopped build (Ctrl-C) removes its folder at once and leaves the snapshot as it was.
  const stop = new AbortController();
  stop.abort();
  await expect(ix.rebuild(null, 0, stop.signal)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  expect(readdirSync(dir).filter((n) => n.startsWith('.build-'))).toEqual([]);
  expect(snapshotBytes(dir).equals(reference)).toBe(true);
}, 240_000);
