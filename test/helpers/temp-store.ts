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
