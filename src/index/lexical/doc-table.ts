// Per-document columns of the lexical index: external id, liveness, date and field lengths, by dense number.
import { StringTable } from '../string-table.ts';

/** Fields scored by BM25F, in storage order. */
export const FIELDS = ['title', 'abstract', 'authors'] as const;
export type FieldName = (typeof FIELDS)[number];
export const FIELD_COUNT = FIELDS.length;

/**
 * Dense document numbers for string ids, with typed-array columns that grow by doubling.
 * @example const t = new DocTable(); const d = t.push('2503.11677', 20250318, [12, 150, 5]);
 */
export class DocTable {
  /** External ids by number; looks up live documents only (a removed document's id is forgotten). */
  ids = new StringTable();
  alive = new Uint8Array(1024);
  dates = new Int32Array(1024);
  /** Field lengths in analyzed terms, FIELD_COUNT per document, saturating at 65535. */
  lengths = new Uint16Array(1024 * FIELD_COUNT);
  /** Sum of each field's length over live documents, for the average-length normalization. */
  readonly lengthSums = new Float64Array(FIELD_COUNT);
  liveCount = 0;

  /** Documents ever numbered since the last compaction, dead ones included. */
  get count(): number {
    return this.ids.size;
  }

  /** The number of the live document with this id, or undefined. */
  find(id: string): number | undefined {
    const d = this.ids.get(id);
    return d !== undefined && this.alive[d] === 1 ? d : undefined;
  }

  /** Numbers a new live document and returns its number. */
  push(id: string, date: number, lengths: readonly number[]): number {
    const d = this.ids.size;
    if (d >= this.alive.length) this.grow(d * 2);
    this.ids.add(id);
    this.alive[d] = 1;
    this.dates[d] = date;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = Math.min(lengths[f] ?? 0, 65535);
      this.lengths[d * FIELD_COUNT + f] = len;
      this.lengthSums[f] = (this.lengthSums[f] ?? 0) + len;
    }
    this.liveCount++;
    return d;
  }

  /** Marks a document dead; its number is reclaimed by the next compaction. */
  kill(d: number): void {
    if (this.alive[d] !== 1) return;
    this.alive[d] = 0;
    this.ids.forget(this.ids.at(d), d);
    for (let f = 0; f < FIELD_COUNT; f++)
      this.lengthSums[f] = (this.lengthSums[f] ?? 0) - (this.lengths[d * FIELD_COUNT + f] ?? 0);
    this.liveCount--;
  }

  /** Average length of each field over live documents (1 when empty, to keep the formula finite). */
  averageLengths(): number[] {
    return FIELDS.map((_, f) =>
      this.liveCount === 0 ? 1 : Math.max((this.lengthSums[f] ?? 0) / this.liveCount, 1e-9),
    );
  }

  /** Old → new numbers keeping live documents in order; -1 for dead ones. */
  remap(): Int32Array {
    const remap = new Int32Array(this.count);
    let n = 0;
    for (let d = 0; d < this.count; d++) remap[d] = this.alive[d] === 1 ? n++ : -1;
    return remap;
  }

  /** Drops dead documents and renumbers through `remap` (from `remap()`). */
  compact(remap: Int32Array): void {
    // Packed afresh from the old table's bytes, never a string each (2.7M ids made a Map of about 300 MB).
    const ids = StringTable.fromPacked(this.ids.packKept((d) => (remap[d] ?? -1) >= 0, []));
    const dates = new Int32Array(this.liveCount);
    const lengths = new Uint16Array(this.liveCount * FIELD_COUNT);
    for (let d = 0; d < this.count; d++) {
      const to = remap[d] ?? -1;
      if (to < 0) continue;
      dates[to] = this.dates[d] ?? 0;
      lengths.set(this.lengths.subarray(d * FIELD_COUNT, (d + 1) * FIELD_COUNT), to * FIELD_COUNT);
    }
    this.load(ids, dates, lengths);
  }

  /** Replaces the contents with loaded columns; every loaded document is live. */
  load(ids: StringTable, dates: Int32Array, lengths: Uint16Array): void {
    const n = ids.size;
    this.ids = ids;
    // Every column gets the same capacity, so `push` grows them together.
    const capacity = Math.max(n, 1024);
    this.alive = new Uint8Array(capacity).fill(1, 0, n);
    this.dates = new Int32Array(capacity);
    this.dates.set(dates.subarray(0, n));
    this.lengths = new Uint16Array(capacity * FIELD_COUNT);
    this.lengths.set(lengths.subarray(0, n * FIELD_COUNT));
    this.liveCount = n;
    this.lengthSums.fill(0);
    for (let d = 0; d < n; d++) {
      for (let f = 0; f < FIELD_COUNT; f++)
        this.lengthSums[f] = (this.lengthSums[f] ?? 0) + (lengths[d * FIELD_COUNT + f] ?? 0);
    }
  }

  private grow(capacity: number): void {
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    const dates = new Int32Array(capacity);
    dates.set(this.dates.subarray(0, Math.min(this.dates.length, capacity)));
    const lengths = new Uint16Array(capacity * FIELD_COUNT);
    lengths.set(this.lengths.subarray(0, Math.min(this.lengths.length, capacity * FIELD_COUNT)));
    this.alive = alive;
    this.dates = dates;
    this.lengths = lengths;
  }
}
