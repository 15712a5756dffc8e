// The k best scores the threads answering parts of one cut search have found so far, in shared memory, so that
// each thread's walk prunes by the k-th best score of all the documents walked by either (see max-score.ts).

/** The most results a search can share its scores for; a search asking for more keeps its floor per thread. */
export const SHARED_TOP_MAX_K = 1024;

// Int32 words at the start of a slot: a lock (1 while a thread writes), a sequence number (odd while written),
// how many scores are kept, the search's k.
const LOCK = 0;
const SEQ = 1;
const SIZE = 2;
const K = 3;
const HEAD_BYTES = 16;
// Float64 words after the head: the floor, then the kept scores as a min-heap.
const FLOOR = 0;
const HEAP = 1;

/**
 * What a MaxScore walk needs of the scores shared with the other parts' threads (`SharedTop`): a floor that every
 * document of the search's answer reaches. Either call may answer lower than it could (never higher): a lower
 * floor only prunes less.
 */
export interface SharedScores {
  /** The k-th best score offered so far by any thread (-Infinity until k have been). */
  floor(): number;
  /** Offers one document's score (each document once, by the thread that walked it); returns the floor after. */
  offer(score: number): number;
}

/** Reads of the floor that overlap a write are taken again this many times, then answered with -Infinity. */
const READ_TRIES = 8;
/**
 * -Infinity, read from a constant: `-Infinity` is an operation whose first run in optimized code (here, rare
 * reads that meet writes) sends the search walking the floor's caller back to the interpreter.
 */
const NO_FLOOR = Number.NEGATIVE_INFINITY;

/**
 * One search's shared scores in a SharedArrayBuffer slot (`SharedTop.slotBytes` each), seen by every thread that
 * searches its parts. Each document is offered by the one thread that walks it, so the floor is the k-th best
 * score of the documents offered so far by all of them: a score every document of the search's answer reaches.
 * No thread ever waits for another: a thread that is descheduled while it writes (two cores, more threads) must not
 * hold up the other, so an offer finding the slot being written is dropped (the floor is then the k-th best of
 * fewer scores: lower, still a floor), and a read that keeps overlapping writes answers -Infinity.
 * @example const top = new SharedTop(buffer, 0).reset(10); top.offer(2.5); top.floor() // -Infinity until 10
 */
export class SharedTop implements SharedScores {
  /** Bytes of one slot. */
  static readonly slotBytes = HEAD_BYTES + 8 * (1 + SHARED_TOP_MAX_K);

  private readonly head: Int32Array;
  private readonly scores: Float64Array;
  /** Whether this view's last `offer` counted (false: dropped, the slot being written by another thread). */
  lastOfferCounted = true;

  /** The `slot`-th slot of `buffer` (which holds `SharedTop.slotBytes` per slot). */
  constructor(buffer: SharedArrayBuffer, slot: number) {
    const at = slot * SharedTop.slotBytes;
    this.head = new Int32Array(buffer, at, HEAD_BYTES / 4);
    this.scores = new Float64Array(buffer, at + HEAD_BYTES, 1 + SHARED_TOP_MAX_K);
  }

  /** Empties the slot for a search of `k` results (at most SHARED_TOP_MAX_K), before any thread offers to it. */
  reset(k: number): this {
    if (!Number.isInteger(k) || k < 1 || k > SHARED_TOP_MAX_K)
      throw new RangeError(`a shared top holds 1 to ${SHARED_TOP_MAX_K} scores (asked ${k})`);
    // No thread uses the slot now (the helper has answered its last search in it): the lock is free.
    Atomics.store(this.head, LOCK, 1);
    this.publish(NO_FLOOR);
    Atomics.store(this.head, SIZE, 0);
    Atomics.store(this.head, K, k);
    Atomics.store(this.head, LOCK, 0);
    return this;
  }

  /**
   * The k-th best score offered so far by any thread (-Infinity until k have been). Read without the lock: a
   * read that overlaps a write is taken again, so a value half written is never seen, and after READ_TRIES such
   * reads -Infinity is answered instead of waiting.
   */
  floor(): number {
    for (let i = 0; i < READ_TRIES; i++) {
      const seq = Atomics.load(this.head, SEQ);
      if ((seq & 1) === 0) {
        const f = this.scores[FLOOR]!;
        if (Atomics.load(this.head, SEQ) === seq) return f;
      }
    }
    return NO_FLOOR;
  }

  /** Offers one document's score (each document once, by the thread that walked it); returns the floor after. */
  offer(score: number): number {
    const h = this.head;
    const s = this.scores;
    const k = h[K]!;
    this.lastOfferCounted = true;
    // Without the lock: a score under the floor read now is under every later floor (floors only rise).
    if (h[SIZE]! >= k) {
      const floor = this.floor();
      if (!(score > floor)) return floor;
    }
    if (Atomics.compareExchange(h, LOCK, 0, 1) !== 0) {
      this.lastOfferCounted = false;
      return this.floor();
    }
    const size = h[SIZE]!;
    if (size < k) {
      // Sift up from the end of the heap (slots HEAP .. HEAP + size).
      let i = size;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!(score < s[HEAP + parent]!)) break;
        s[HEAP + i] = s[HEAP + parent]!;
        i = parent;
      }
      s[HEAP + i] = score;
      h[SIZE] = size + 1;
      if (size + 1 === k) this.publish(s[HEAP]!);
    } else if (score > s[HEAP]!) {
      // Replace the root (the k-th best) and sift down.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const r = l + 1;
        const c = r < k && s[HEAP + r]! < s[HEAP + l]! ? r : l;
        if (!(s[HEAP + c]! < score)) break;
        s[HEAP + i] = s[HEAP + c]!;
        i = c;
      }
      s[HEAP + i] = score;
      this.publish(s[HEAP]!);
    }
    const floor = s[FLOOR]!;
    Atomics.store(h, LOCK, 0);
    return floor;
  }

  /** Writes the floor between two steps of the sequence number (the lock held). */
  private publish(floor: number): void {
    Atomics.add(this.head, SEQ, 1);
    this.scores[FLOOR] = floor;
    Atomics.add(this.head, SEQ, 1);
  }
}
