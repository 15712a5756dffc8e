// Per-document Bloom signatures of adjacent word pairs: a paper that holds a phrase's words but never side by
// side is usually ruled out by two bit tests, without reading its term sequence.
import type { ForwardStore } from './forward-store.ts';

/** 32-bit words per document: 1,024 bits, 128 bytes (9.6 MB at 75,000 papers). */
const WORDS = 32;
const BIT_MASK = WORDS * 32 - 1;

/*
 * Each pair of consecutive terms within a field sets two bits chosen by a hash of the pair. A title and an
 * abstract hold about 150 distinct pairs, so about a quarter of the bits are set and a pair the paper does
 * not hold passes both tests about 7% of the time; a passing paper is then checked exactly.
 */

/** The two bit numbers of the pair (a, b), packed as bit1 | bit2 << 16. */
function pairBits(a: number, b: number): number {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return (h & BIT_MASK) | (((h >>> 16) & BIT_MASK) << 16);
}

/** A phrase's pair tests, computed once per query: word index and bit mask, two per adjacent pair. */
export interface PairTests {
  readonly word: Int32Array;
  readonly mask: Int32Array;
}

/** The bit tests for `phrase` (term ids): every one must pass in a document that holds it. */
export function pairTests(phrase: Int32Array): PairTests {
  const n = Math.max(phrase.length - 1, 0);
  const word = new Int32Array(2 * n);
  const mask = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const bits = pairBits(phrase[i] ?? 0, phrase[i + 1] ?? 0);
    for (const [j, bit] of [
      [2 * i, bits & 0xffff],
      [2 * i + 1, bits >>> 16],
    ] as const) {
      word[j] = bit >>> 5;
      mask[j] = 1 << (bit & 31);
    }
  }
  return { word, mask };
}

/** Bytes of one document's signature. */
export const SIGNATURE_BYTES = WORDS * 4;

/**
 * Signatures of a forward store's documents. The store keeps them current as documents are appended, and
 * builds them in slices after a snapshot's sequences are read (`readAhead`), so no search pays for them;
 * whatever is still missing is built on first use. `reset` when the store is replaced (snapshot load).
 *
 * At most `capacity` signatures are held (#23: 128 bytes a paper is 330 MiB at 2.7M papers). Up to that many
 * documents, document d has slot d. Once a document at or past the capacity is asked about, slots are shared
 * (slot d mod capacity) and each remembers whose signature it holds; a document whose slot holds another's
 * gets its own built there from its sequence on demand. Signatures only rule documents out before the exact
 * check, so answers are the same whatever the capacity.
 * @example const sigs = new PairSignatures(); sigs.mayHold(forward, 12, pairTests(Int32Array.of(7, 9)))
 */
export class PairSignatures {
  private bits = new Uint32Array(0);
  /** Documents 0 .. covered-1 have their signatures in their own slots (unless `owner` says otherwise). */
  covered = 0;
  /** Most signatures held; documents beyond it share slots. */
  capacity = Infinity;
  /** Once slots are shared: the document each slot's signature belongs to (-1: none). */
  private owner: Int32Array | null = null;

  reset(): void {
    this.bits = new Uint32Array(0);
    this.covered = 0;
    this.owner = null;
  }

  /** Signatures held (for tests and memory figures). */
  get held(): number {
    return this.bits.length / WORDS;
  }

  /** Keeps the signatures of documents with remap[d] >= 0 under their new numbers (remap is monotonic). */
  compact(remap: Int32Array): void {
    if (this.owner !== null) {
      // Shared slots are rebuilt as asked rather than renumbered.
      this.reset();
      return;
    }
    let kept = 0;
    for (let d = 0; d < this.covered; d++) {
      const to = remap[d] ?? -1;
      if (to < 0) continue;
      // A prefix of the documents, renumbered in order: the first uncovered one cuts it short.
      if (to !== kept) break;
      if (to !== d) this.bits.copyWithin(to * WORDS, d * WORDS, (d + 1) * WORDS);
      kept++;
    }
    this.bits.fill(0, kept * WORDS);
    this.covered = kept;
  }

  /** False only when document d certainly lacks one of the tested pairs. */
  mayHold(forward: ForwardStore, d: number, tests: PairTests): boolean {
    const base = this.slotOf(forward, d) * WORDS;
    const { word, mask } = tests;
    for (let i = 0; i < word.length; i++)
      if (((this.bits[base + (word[i] ?? 0)] ?? 0) & (mask[i] ?? 0)) === 0) return false;
    return true;
  }

  /** The slot holding document d's signature, built first if it is not there. */
  private slotOf(forward: ForwardStore, d: number): number {
    if (this.owner === null) {
      if (d < this.capacity) {
        if (d >= this.covered) this.extend(forward);
        return d;
      }
      // The first document past the capacity: slots are shared from now on.
      this.owner = new Int32Array(this.capacity).fill(-1);
      for (let s = 0; s < this.covered; s++) this.owner[s] = s;
    }
    const slot = d % this.capacity;
    if (this.owner[slot] !== d) {
      this.ensureSlots(slot + 1);
      this.build(forward, d, slot);
      this.owner[slot] = d;
    }
    return slot;
  }

  /** Grows `bits` to hold at least `slots` signatures (never past the capacity). */
  private ensureSlots(slots: number): void {
    if (slots * WORDS <= this.bits.length) return;
    const size = Math.min(this.capacity, Math.max(slots, Math.ceil(this.covered * 1.25)));
    const next = new Uint32Array(size * WORDS);
    next.set(this.bits.subarray(0, Math.min(this.bits.length, next.length)));
    this.bits = next;
  }

  /**
   * Reads the term sequences of up to `maxDocs` documents not yet covered (below the capacity) and sets their
   * pairs' bits; true while some remain.
   */
  extend(forward: ForwardStore, maxDocs = Infinity): boolean {
    const limit = Math.min(forward.count, this.capacity);
    const count = Math.min(limit, this.covered + maxDocs);
    // Sized for every document at once, not grown slice by slice: at 2.7M papers each growth by a quarter
    // allocated and copied up to 64 MiB inside one read-ahead slice, and that held a search up to 200 ms
    // (docs/BENCHMARKS.md "#23 similar and hybrid tail at 2.7M"). Fresh pages cost nothing until written.
    this.ensureSlots(limit);
    // In runs read at once from the file, not one read per document.
    forward.eachSequence(this.covered, count, (d, bytes) => {
      // A shared slot already holding a later document's signature is left to it.
      if (this.owner !== null) {
        if ((this.owner[d] ?? -1) !== -1) return;
        this.owner[d] = d;
      }
      this.write(bytes, d);
    });
    this.covered = Math.max(this.covered, count);
    return count < limit;
  }

  /** Writes document d's signature into `slot`. */
  private build(forward: ForwardStore, d: number, slot: number): void {
    // From memory, or from the snapshot file when the sequences were left there.
    this.write(forward.sequence(d), slot);
  }

  /** Writes the signature of the term sequence `bytes` into `slot`. */
  private write(bytes: Uint8Array, slot: number): void {
    const bits = this.bits;
    const base = slot * WORDS;
    bits.fill(0, base, base + WORDS);
    let prev = -1;
    for (let p = 0, end = bytes.byteLength; p < end; ) {
      let b = bytes[p++] as number;
      let v = b & 127;
      for (let mul = 128; b >= 128; mul *= 128) {
        b = bytes[p++] as number;
        v += (b & 127) * mul;
      }
      v -= 1; // -1: a field break, after which no pair continues
      if (prev >= 0 && v >= 0) {
        const pb = pairBits(prev, v);
        const b1 = pb & 0xffff;
        const b2 = pb >>> 16;
        bits[base + (b1 >>> 5)] = (bits[base + (b1 >>> 5)] ?? 0) | (1 << (b1 & 31));
        bits[base + (b2 >>> 5)] = (bits[base + (b2 >>> 5)] ?? 0) | (1 << (b2 & 31));
      }
      prev = v;
    }
  }
}
