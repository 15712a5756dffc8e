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
  private readonly pages = new Map<number, Uint8Array>();

  constructor(
    readonly data: PagedBytes,
    private readonly maxPages: number,
  ) {}

  get length(): number {
    return this.data.length;
  }

  private page(p: number): Uint8Array {
    const hit = this.pages.get(p);
    if (hit !== undefined) {
      // Map order is insertion order: moving a hit to the end keeps the least recently used first.
      this.pages.delete(p);
      this.pages.set(p, hit);
      return hit;
    }
    const from = p * PAGE;
    const bytes = this.data.copy(from, Math.min(this.data.length, from + PAGE));
    this.pages.set(p, bytes);
    if (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    return bytes;
  }

  /** Bytes [from, to) of the section (a view of a cached page when they lie in one; never changed after). */
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
