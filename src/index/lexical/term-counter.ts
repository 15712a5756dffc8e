// Counts one document's terms per field with reusable typed arrays, avoiding a Map per indexed paper.

/**
 * Per-term, per-field counters indexed by term id, reset cheaply between documents through a stamp.
 * @example const c = new TermCounter(); c.begin(); c.count(7, 0); c.count(7, 1); c.distinct // [7]
 */
export class TermCounter {
  private stamp = new Int32Array(1024);
  private counts = new Uint16Array(1024 * 3);
  private current = 0;
  /** Distinct terms of the current document, in first-seen order. */
  readonly distinct: number[] = [];

  /** Starts a new document. */
  begin(): void {
    this.current++;
    this.distinct.length = 0;
  }

  /** Counts one occurrence of `term` in field `field` (0 title, 1 abstract, 2 authors). */
  count(term: number, field: number): void {
    if (term >= this.stamp.length) this.grow(term + 1);
    if (this.stamp[term] !== this.current) {
      this.stamp[term] = this.current;
      this.counts.fill(0, term * 3, term * 3 + 3);
      this.distinct.push(term);
    }
    const i = term * 3 + field;
    this.counts[i] = Math.min((this.counts[i] ?? 0) + 1, 65535);
  }

  /** The current document's count of `term` in `field`. */
  get(term: number, field: number): number {
    return this.stamp[term] === this.current ? (this.counts[term * 3 + field] ?? 0) : 0;
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.stamp.length * 2);
    const stamp = new Int32Array(capacity);
    stamp.set(this.stamp);
    const counts = new Uint16Array(capacity * 3);
    counts.set(this.counts);
    this.stamp = stamp;
    this.counts = counts;
  }
}
