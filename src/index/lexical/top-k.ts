// Keeps the k best (score, doc) pairs seen so far in a bounded min-heap, so selection costs O(n log k).

/**
 * A bounded min-heap: the root is the worst kept entry. Ties go to the lower doc number, so results are
 * deterministic.
 * @example const top = new TopK(2); top.offer(5, 1.0); top.offer(6, 3.0); top.offer(7, 2.0); top.drain() // [[6, 3], [7, 2]]
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly docs: Int32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(k, 1));
    this.docs = new Int32Array(Math.max(k, 1));
  }

  /** Number of entries kept. */
  get length(): number {
    return this.size;
  }

  /** Score of the worst kept entry (what a newcomer must beat); -Infinity until k entries are kept. */
  get floor(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] ?? 0);
  }

  /** True when (s1, d1) ranks below (s2, d2). */
  private worse(s1: number, d1: number, s2: number, d2: number): boolean {
    return s1 < s2 || (s1 === s2 && d1 > d2);
  }

  offer(doc: number, score: number): void {
    if (this.k <= 0) return;
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.docs[this.size] = doc;
      this.siftUp(this.size++);
      return;
    }
    if (!this.worse(this.scores[0] ?? 0, this.docs[0] ?? 0, score, doc)) return;
    this.scores[0] = score;
    this.docs[0] = doc;
    this.siftDown(0);
  }

  /** Empties the heap, returning [doc, score] pairs best first. */
  drain(): [doc: number, score: number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.size; i++) out.push([this.docs[i] ?? 0, this.scores[i] ?? 0]);
    this.size = 0;
    return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i] ?? 0;
    const d = this.docs[i] ?? 0;
    this.scores[i] = this.scores[j] ?? 0;
    this.docs[i] = this.docs[j] ?? 0;
    this.scores[j] = s;
    this.docs[j] = d;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (
        !this.worse(this.scores[i] ?? 0, this.docs[i] ?? 0, this.scores[parent] ?? 0, this.docs[parent] ?? 0)
      )
        return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (
        l < this.size &&
        this.worse(this.scores[l] ?? 0, this.docs[l] ?? 0, this.scores[m] ?? 0, this.docs[m] ?? 0)
      )
        m = l;
      if (
        r < this.size &&
        this.worse(this.scores[r] ?? 0, this.docs[r] ?? 0, this.scores[m] ?? 0, this.docs[m] ?? 0)
      )
        m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
