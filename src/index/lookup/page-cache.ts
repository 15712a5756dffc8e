// A small least-recently-used cache of a file section's pages, so nearby lookups share one positional read.
import type { PagedBytes } from '../snapshot-sections.ts';

/** Bytes per cached page. */
export const PAGE = 4096;

/*
 * Why: a suggestion reads up to a few thousand small records, and the entries of one list lie close together
 * (titles in the order they were added); one read per record made the lookup file's p99 three times that of
 * tables in memory (docs/BENCHMARKS.md, h24s). A page read once serves every record in it, and a common word's
 * pages stay for the next keystroke. Bounded: `maxPages` × 4 KiB per section, whatever the corpus size.
 */
export class PageCache {
  /** Page number → slot in `pool`, least recently used first (a Map keeps insertion order). */
  private readonly slots = new Map<number, number>();
  /** Every slot's bytes in one allocation: a miss copies into a free or the oldest slot, allocating nothing. */
  private readonly pool: Uint8Array;
  private readonly lengths: Int32Array;

  /**
   * A view this returns stays valid until `maxPages` other pages of this section were read: callers decode what
   * they need from one record or block before reading many more (a walk of one table never reads that table
   * again meanwhile).
   */
  constructor(
    readonly data: PagedBytes,
    private readonly maxPages: number,
  ) {
    this.pool = new Uint8Array(Math.min(maxPages, Math.ceil(data.length / PAGE)) * PAGE);
    this.lengths = new Int32Array(this.pool.length / PAGE);
  }

  get length(): number {
    return this.data.length;
  }

  private page(p: number): Uint8Array {
    let slot = this.slots.get(p);
    if (slot !== undefined) {
      this.slots.delete(p);
      this.slots.set(p, slot);
    } else {
      if (this.slots.size < this.lengths.length) slot = this.slots.size;
      else {
        const [oldest, free] = this.slots.entries().next().value ?? [0, 0];
        this.slots.delete(oldest);
        slot = free;
      }
      const from = p * PAGE;
      const bytes = this.data.view(from, Math.min(this.data.length, from + PAGE));
      this.pool.set(bytes, slot * PAGE);
      this.lengths[slot] = bytes.length;
      this.slots.set(p, slot);
    }
    return this.pool.subarray(slot * PAGE, slot * PAGE + (this.lengths[slot] ?? 0));
  }

  /** Bytes [from, to) of the section (a view of a cached page when they lie in one; see the constructor). */
  bytes(from: number, to: number): Uint8Array {
    const p = Math.floor(from / PAGE);
    if (to <= (p + 1) * PAGE && to <= this.data.length)
      return this.page(p).subarray(from - p * PAGE, to - p * PAGE);
    return this.data.copy(from, to);
  }

  /** From `from` to the end of its page (at least one byte when `from` is inside the section). */
  rest(from: number): Uint8Array {
    const p = Math.floor(from / PAGE);
    return this.page(p).subarray(from - p * PAGE);
  }
}
