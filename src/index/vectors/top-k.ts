// Keeps the k best-scoring entries of a stream in a bounded min-heap, without sorting everything.

/** Collects (slot, score) pairs and keeps only the k highest scores. */
export interface TopK {
  /** Offers a candidate; cheap when it cannot enter the top k. */
  push(slot: number, score: number): void;
  /** The kept entries, best first. */
  sorted(): Array<[slot: number, score: number]>;
}

/**
 * A bounded min-heap: the root is the weakest kept score, replaced when something better arrives.
 * @example const top = createTopK(2); top.push(0, 0.1); top.push(1, 0.9); top.push(2, 0.5); top.sorted() // [[1, 0.9], [2, 0.5]]
 */
export function createTopK(k: number): TopK {
  const slots = new Int32Array(Math.max(k, 0));
  const scores = new Float64Array(Math.max(k, 0));
  let n = 0;
  const swap = (a: number, b: number): void => {
    [slots[a], slots[b]] = [slots[b]!, slots[a]!];
    [scores[a], scores[b]] = [scores[b]!, scores[a]!];
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && scores[l]! < scores[m]!) m = l;
      if (r < n && scores[r]! < scores[m]!) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    push(slot, score): void {
      if (n < k) {
        slots[n] = slot;
        scores[n] = score;
        for (let i = n++; i > 0 && scores[(i - 1) >> 1]! > scores[i]!; i = (i - 1) >> 1)
          swap(i, (i - 1) >> 1);
      } else if (k > 0 && score > scores[0]!) {
        slots[0] = slot;
        scores[0] = score;
        siftDown(0);
      }
    },
    sorted: () =>
      Array.from({ length: n }, (_, i): [number, number] => [slots[i]!, scores[i]!]).sort(
        (a, b) => b[1] - a[1] || a[0] - b[0],
      ),
  };
}
