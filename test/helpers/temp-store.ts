// Opens a real SQLite store in a fresh temp directory for a test, and cleans it up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyPaperInput, type PaperInput } from '../../src/domain/index.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';

export interface TempStore {
  store: Store;
  dir: string;
  path: string;
  cleanup(): Promise<void>;
}

/** A store on a real SQLite file under a temp dir. */
export async function tempStore(now?: () => Date): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  const path = join(dir, 'paperboy.db');
  const store = await openStore(path, now ? { now } : {});
  return {
    store,
    dir,
    path,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plausible paper with overrides. */
export function paper(overrides: Partial<PaperInput> = {}): PaperInput {
  return {
    ...emptyPaperInput(),
    arxivId: '2501.00001',
    version: 1,
    title: 'A Study of Things',
    abstract: 'We study things and find results.',
    authors: ['Ada Lovelace', 'Charles Babbage'],
    categories: ['cs.CL', 'cs.LG'],
    published: '2025-01-02',
    announced: '2025-01-03',
    ...overrides,
  };
}

/**
 * A SQLite file under a fresh temp dir holding `n` papers (2611.00001 on, titled "Stored paper number i"), closed
 * again: for a `serve` or CLI process to open. Remove `dir` when done.
 */
export async function storedPapersFile(
  n: number,
  prefix = 'paperboy-',
): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 's.db');
  const store = await openStore(db);
  try {
    await store.papers.upsertMany(
      Array.from({ length: n }, (_, i) =>
        paper({ arxivId: `2611.${String(i + 1).padStart(5, '0')}`, title: `Stored paper number ${i}` }),
      ),
    );
  } finally {
    await store.close();
  }
  return { dir, db };
}
