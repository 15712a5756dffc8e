// Library-import benchmark: a real `paperboy serve` receives one 10,000-entry BibTeX import while /health
// is asked every 10 ms; reports the /health latency seen during the import (target: p99 under 50 ms) and
// how long the import took. Half the entries match papers in the store (saved), half do not (interests).
// Usage: npm run bench:library-import [-- --entries 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { emptyPaperInput, type PaperInput } from '../src/domain/index.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import { MAX_IMPORT_BYTES } from '../src/web/app.ts';
import { startServe } from '../test/helpers/serve-process.ts';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const arxivId = (i: number): string => `2501.${String(i).padStart(5, '0')}`;

function storedPaper(i: number): PaperInput {
  return {
    ...emptyPaperInput(),
    arxivId: arxivId(i),
    version: 1,
    title: `Stored paper ${i} on sparse attention for long documents`,
    abstract: 'We study attention patterns and report results on several benchmarks.',
    authors: ['Ada Lovelace', 'Charles Babbage'],
    categories: ['cs.CL'],
    published: '2025-01-02',
    announced: '2025-01-03',
  };
}

/** A BibTeX export as Zotero writes it: even entries cite stored papers by eprint, odd ones do not. */
function libraryBib(entries: number): string {
  const out: string[] = [];
  for (let i = 0; i < entries; i++) {
    const id = i % 2 === 0 ? `,\n  eprint = {${arxivId(i)}},\n  archivePrefix = {arXiv}` : '';
    out.push(
      `@article{entry${i},\n  title = {Entry ${i}: {Robust} methods for learning from noisy labels in vision},\n` +
        `  author = {Doe, Jane and Roe, Richard and M{\\"u}ller, Anna},\n  journal = {Journal of Examples},\n` +
        `  year = {2024},\n  abstract = {We propose a method and evaluate it on standard benchmarks.}${id}\n}`,
    );
  }
  return `${out.join('\n\n')}\n`;
}

async function prepare(db: string, papers: number): Promise<string> {
  const config = loadConfig({ DATABASE_URL: db, PAPERBOY_SECRET: SECRET, LOG_LEVEL: 'warn' });
  const store = await openStore(db);
  const services = createServices(store, config);
  try {
    await store.papers.upsertMany(Array.from({ length: papers }, (_, i) => storedPaper(i)));
    const reader = await store.users.create('reader@bench.invalid', '', 'not-a-hash');
    if (!reader) throw new Error('could not create the bench reader');
    return (await services.apiTokens.create(reader.id, 'bench')).token;
  } finally {
    await services.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { entries: { type: 'string' } } });
  const entries = Number(values.entries ?? 10_000);
  const bib = libraryBib(entries);
  if (Buffer.byteLength(bib) > MAX_IMPORT_BYTES) throw new Error(`the .bib is over the import limit`);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-import-bench-'));
  const db = join(dir, 'paperboy.db');
  try {
    const token = await prepare(db, entries);
    const server = await startServe({
      DATABASE_URL: db,
      PAPERBOY_SECRET: SECRET,
      PAPERBOY_HARVEST: 'false',
      LOG_LEVEL: 'info',
    });
    try {
      const during: number[] = [];
      let importing = false;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const t0 = performance.now();
          const res = await fetch(`${server.base}/health`);
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`/health answered ${res.status}`);
          if (importing) during.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      // Start-up warms the search indexes and the suggestion tables; the import is measured after that.
      for (let i = 0; i < 300 && !server.log().includes('search index ready'); i++)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000)); // the suggestion tables build right after

      importing = true;
      const t0 = performance.now();
      const res = await fetch(`${server.base}/api/library/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-bibtex' },
        body: bib,
      });
      const report = (await res.json()) as Record<string, unknown>;
      const importMs = performance.now() - t0;
      importing = false;
      polling = false;
      await poller;
      if (!res.ok) throw new Error(`import answered ${res.status}: ${JSON.stringify(report)}`);
      const sorted = [...during].sort((a, b) => a - b);
      console.log(
        `import of ${entries.toLocaleString('en')} entries (${(Buffer.byteLength(bib) / 1024 / 1024).toFixed(1)} MiB): ` +
          `${importMs.toFixed(0)} ms; saved ${String(report.saved)}, interests ${String(report.interests)}, ` +
          `rejected ${(report.rejected as unknown[]).length}`,
      );
      console.log(
        `/health during the import: ${sorted.length} answers, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms ` +
          `(target: p99 under 50 ms)`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
