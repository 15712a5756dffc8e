// The synthetic arXiv snapshot of bench:scale-arxiv: month counts, identifiers, and records the real importer reads.
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchDoc } from '../../bench/lib/arxiv-corpus.ts';
import { monthlyCounts, syntheticId, writeKaggleSnapshot } from '../../bench/lib/kaggle-synth.ts';
import { openFileSource } from '../../src/ingest/files/open-file-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaggle-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docs: BenchDoc[] = Array.from({ length: 50 }, (_, i) => ({
  id: `2501.${String(i).padStart(5, '0')}`,
  title: `Paper number ${i} about sparse attention`,
  abstract: `First sentence of paper ${i}. Second sentence follows here. A third one ends it.`,
  authors: [`Ada Lovelace${i}`, 'Alan Turing', 'Grace Hopper'],
  categories: i % 2 === 0 ? ['cs.CL', 'cs.LG'] : ['cs.CV'],
  date: '2025-01-02',
}));

describe('monthlyCounts', () => {
  it('shares out exactly the total, growing from 2007 to 2026', () => {
    const months = monthlyCounts(2_700_000);
    expect(months.reduce((s, m) => s + m.count, 0)).toBe(2_700_000);
    expect(months[0]?.month).toBe('2007-04');
    expect(months.at(-1)?.month).toBe('2026-11');
    const first = months[0]?.count ?? 0;
    const last = months.at(-1)?.count ?? 0;
    expect(last / first).toBeGreaterThan(4);
    expect(last / first).toBeLessThan(6);
  });

  it('keeps months with four-digit identifiers under 10,000 papers', () => {
    const months = monthlyCounts(8_000_000);
    expect(months.reduce((s, m) => s + m.count, 0)).toBe(8_000_000);
    for (const m of months.filter((x) => x.month < '2015-01')) expect(m.count).toBeLessThanOrEqual(9_999);
  });
});

describe('syntheticId', () => {
  it('writes four digits before 2015 and five from 2015 on', () => {
    expect(syntheticId('2007-04', 1)).toBe('0704.0001');
    expect(syntheticId('2015-01', 7)).toBe('1501.00007');
    expect(syntheticId('2026-11', 12345)).toBe('2611.12345');
  });
});

describe('writeKaggleSnapshot', () => {
  it('writes records the Kaggle importer reads without a rejection, with unique ids and versions', async () => {
    const path = join(dir, 'snap.json.gz');
    const seen: number[] = [];
    await writeKaggleSnapshot(docs, path, 3000, 3, (n) => seen.push(n));
    expect(existsSync(`${path}.part`)).toBe(false);
    expect(seen.at(-1)).toBe(3000);
    const { format, records } = await openFileSource(path);
    expect(format).toBe('kaggle-jsonl');
    const ids = new Set<string>();
    const years = new Set<string>();
    const versions = new Set<number>();
    let verbatim = 0;
    for await (const r of records) {
      if (!r.ok) throw new Error(`${r.location}: ${r.reason}`);
      ids.add(r.paper.arxivId ?? '');
      years.add((r.paper.published ?? '').slice(0, 4));
      versions.add(r.paper.version ?? 0);
      expect(r.paper.authors).toHaveLength(3);
      expect(r.paper.updated! >= r.paper.published!).toBe(true);
      if (docs.some((d) => d.title === r.paper.title && d.abstract === r.paper.abstract)) verbatim++;
    }
    expect(ids.size).toBe(3000);
    expect(years.has('2007')).toBe(true);
    expect(years.has('2026')).toBe(true);
    expect(versions.has(1)).toBe(true);
    expect(versions.has(2)).toBe(true);
    // The first pass over the 50 source papers keeps their text; later passes shuffle it.
    expect(verbatim).toBeGreaterThanOrEqual(50);
    expect(verbatim).toBeLessThan(3000);
  });
});
