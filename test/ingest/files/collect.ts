// Test helper: drains an async iterable of records into arrays, optionally stopping after N items.
import type { PaperInput } from '../../../src/domain/paper.ts';
import type { SourceRecord } from '../../../src/domain/record.ts';

/** Every item of an async iterable, or the first `limit` of them (the rest are never read). */
export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** The papers of the accepted records, in order. */
export function papers(records: SourceRecord[]): PaperInput[] {
  return records.flatMap((r) => (r.ok ? [r.paper] : []));
}

/** The rejections, as "location: reason" strings. */
export function rejections(records: SourceRecord[]): string[] {
  return records.flatMap((r) => (r.ok ? [] : [`${r.location}: ${r.reason}`]));
}
