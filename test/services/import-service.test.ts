// Importing files through the worker-thread reader: damaged archives, interruption, run records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services/services.ts';
import { tempStore, type TempStore } from '../helpers/temp-store.ts';

function line(i: number): string {
  const id = `2603.${String(i).padStart(5, '0')}`;
  return JSON.stringify({
    id: `arxiv:${id}`,
    arxiv_id: id,
    title: `Paper ${i}`,
    abstract: `Abstract ${i}.`,
    authors: [`A ${i}`],
    date: '2026-03-01',
    categories: ['cs.CL'],
    comment: null,
    url: null,
    pdf: null,
  });
}

describe('import service', () => {
  let t: TempStore;
  let services: Services;
  beforeEach(async () => {
    t = await tempStore();
    services = createServices(t.store, loadConfig({ DATABASE_URL: t.path }));
  });
  afterEach(async () => t.cleanup());

  it('keeps the records before the damage in a truncated gzip and marks the run failed', async () => {
    const gz = gzipSync(Array.from({ length: 2500 }, (_, i) => line(i)).join('\n') + '\n');
    const file = join(t.dir, 'cut.jsonl.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const s = await services.imports.ingest(file);
    expect(s.status).toBe('failed');
    expect(s.fatalCode).toBe('SOURCE_UNREADABLE');
    expect(s.fatal).toMatch(/cut\.jsonl\.gz.*(truncated|corrupt)/);
    expect(s.added).toBeGreaterThan(100);
    expect(s.added).toBeLessThan(2500);
    expect(await t.store.papers.count()).toBe(s.added);
    const [run] = await services.ingestRuns(1);
    expect(run).toMatchObject({ status: 'failed', counts: { added: s.added } });
  });

  it('stops after the current page when aborted and records the run as interrupted', async () => {
    const file = join(t.dir, 'many.jsonl');
    writeFileSync(file, Array.from({ length: 25_000 }, (_, i) => line(i)).join('\n'));
    const ac = new AbortController();
    const s = await services.imports.ingest(file, { signal: ac.signal, onProgress: () => ac.abort() });
    expect(s.status).toBe('interrupted');
    // A file's page (and transaction) is 10,000 records.
    expect(s.processed).toBe(10_000);
    expect(await t.store.papers.count()).toBe(10_000);
  });

  it('refuses a scheme it cannot read', async () => {
    await expect(services.imports.ingest('ftp://example.org/x.jsonl')).rejects.toThrow(
      /only files, http\(s\) URLs and arXiv ids/,
    );
  });
});
