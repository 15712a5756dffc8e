// `paperboy reindex` writes lookup.bin on a worker thread beside the index build (#23): same bytes, memory-held
// until the indexes are released, failures known before a generation is written, stops leave the file as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveLookupFileInWorker } from '../../src/services/search/lookup-file-in-worker.ts';
import { buildLookupTables, saveLookupTables } from '../../src/services/search/lookup-tables.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

/** Seeded papers with repeated words, shared authors, two-word title phrases and Unicode. */
async function addPapers(n: number): Promise<void> {
  let seed = 5;
  const next = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const vocab = Array.from({ length: 400 }, (_, i) => `wörd${i.toString(36)}`);
  const word = (): string => vocab[Math.min(next(400), next(400))] ?? '';
  await t.store.papers.upsertMany(
    Array.from({ length: n }, (_, i) =>
      paper({
        arxivId: `2503.${String(i + 1).padStart(5, '0')}`,
        title: `${word()} ${word()} of ${Array.from({ length: 1 + next(6) }, word).join(' ')}`,
        abstract: Array.from({ length: 25 }, word).join(' '),
        authors: [`Given${next(20)} Family${next(90)}`, `Other${next(40)} Family${next(90)}`],
        categories: [['cs.CL', 'cs.LG', 'math.PR'][next(3)] ?? 'cs.CL'],
      }),
    ),
  );
}

/** The lookup file as this thread writes it (reindex before the worker: build, then save). */
async function writtenHere(file: string): Promise<Buffer> {
  saveLookupTables(await buildLookupTables(t.store), file);
  return readFileSync(file);
}

describe('the lookup file written on a worker thread', () => {
  it('is byte for byte the file this thread writes, with its steps told', async () => {
    await addPapers(1200);
    const here = await writtenHere(join(t.dir, 'here.bin'));
    const file = join(t.dir, 'index', 'lookup.bin');
    const told: string[] = [];
    const w = saveLookupFileInWorker(
      { databaseUrl: t.path, file },
      {
        onBuilt: (papers) => told.push(`built ${papers}`),
        onWritten: (papers) => told.push(`written ${papers}`),
      },
    );
    await w.ready;
    const done = await w.done;
    expect(done.papers).toBe(1200);
    expect(told).toEqual(['built 1200', 'written 1200']);
    expect(done.seconds).toBeGreaterThanOrEqual(done.builtSeconds);
    expect(readFileSync(file).equals(here)).toBe(true);
    expect(w.failure()).toBeNull();
    await w.stop(); // after the file is written: kept, not a failure
    expect(w.failure()).toBeNull();
    expect(readdirSync(join(t.dir, 'index'))).toEqual(['lookup.bin']);
  });

  it('waits for memory while the caller holds its own, and goes on after release() to the same bytes', async () => {
    await addPapers(1200);
    const here = await writtenHere(join(t.dir, 'here.bin'));
    const file = join(t.dir, 'lookup.bin');
    let waiting: (papers: number) => void = () => undefined;
    const waited = new Promise<number>((resolve) => (waiting = resolve));
    const events: string[] = [];
    // Every process is above 1 MiB: the build waits at its first look (after 500 papers) until released.
    const w = saveLookupFileInWorker(
      { databaseUrl: t.path, file },
      {
        holdAboveMiB: 1,
        onWaiting: (papers) => waiting(papers),
        onBuilt: (n) => events.push(`built ${n}`),
      },
    );
    expect(await waited).toBe(500);
    expect(events).toEqual([]);
    expect(existsSync(file)).toBe(false);
    events.push('released');
    w.release();
    const done = await w.done;
    expect(events).toEqual(['released', 'built 1200']);
    expect(done.heldSeconds).toBeGreaterThan(0);
    expect(readFileSync(file).equals(here)).toBe(true);
  });

  it('fails at once, before building, when the file cannot be written; the place is left as it was', async () => {
    await addPapers(20);
    const file = join(t.dir, 'lookup.bin');
    mkdirSync(file); // a folder where the file should go
    const failures: Error[] = [];
    const w = saveLookupFileInWorker(
      { databaseUrl: t.path, file },
      { onFailed: (err) => failures.push(err) },
    );
    await expect(w.ready).rejects.toThrow(
      /lookup\.bin is a folder, not a file; the lookup file was left as it was/,
    );
    await expect(w.done).rejects.toThrow(/is a folder/);
    expect(failures).toHaveLength(1);
    expect(w.failure()?.message).toMatch(/^lookup tables \(.*lookup\.bin\): /);
    await w.stop();
    expect(readdirSync(file)).toEqual([]);
    expect(readdirSync(t.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('stopped before it is done, leaves the old file and no temporary file', async () => {
    await addPapers(1200);
    const file = join(t.dir, 'lookup.bin');
    writeFileSync(file, 'the old file');
    let waiting: () => void = () => undefined;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const failures: Error[] = [];
    const w = saveLookupFileInWorker(
      { databaseUrl: t.path, file },
      { holdAboveMiB: 1, onWaiting: () => waiting(), onFailed: (err) => failures.push(err) },
    );
    await waited; // mid-build
    await w.stop();
    await expect(w.done).rejects.toThrow(/stopped/);
    expect(failures).toEqual([]); // a stop is not reported as a failure
    expect(readFileSync(file, 'utf8')).toBe('the old file');
    expect(readdirSync(t.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
