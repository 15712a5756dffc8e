// The k best scores shared by the threads answering parts of one cut search (shared-top.ts): its floor is the k-th
// best score offered, by one thread or by two at once.
import { describe, expect, it } from 'vitest';
import { SHARED_TOP_MAX_K, SharedTop } from '../../src/index/lexical/shared-top.ts';
import { startTsWorker } from '../../src/platform/index.ts';
import { rng } from '../helpers/random.ts';

const kth = (scores: readonly number[], k: number): number =>
  scores.length < k ? -Infinity : [...scores].sort((a, b) => b - a)[k - 1]!;

describe('SharedTop', () => {
  it('holds -Infinity until k scores are offered, then the k-th best, ties counted', () => {
    const buffer = new SharedArrayBuffer(3 * SharedTop.slotBytes);
    const top = new SharedTop(buffer, 1).reset(3);
    expect(top.floor()).toBe(-Infinity);
    expect(top.offer(2)).toBe(-Infinity);
    expect(top.offer(5)).toBe(-Infinity);
    expect(top.offer(1)).toBe(1);
    expect(top.offer(0.5)).toBe(1);
    expect(top.offer(5)).toBe(2);
    expect(top.offer(5)).toBe(5);
    expect(top.floor()).toBe(5);
    // The slots beside it are untouched.
    expect(new SharedTop(buffer, 0).reset(1).floor()).toBe(-Infinity);
    expect(new SharedTop(buffer, 2).reset(1).offer(9)).toBe(9);
    expect(top.floor()).toBe(5);
    // Reset for the next search: empty again.
    expect(top.reset(2).floor()).toBe(-Infinity);
    expect(top.offer(0.25)).toBe(-Infinity);
    expect(top.offer(0.75)).toBe(0.25);
  });

  it('keeps the k-th best of many scores offered in any order, for every k it takes', () => {
    const random = rng(3);
    const buffer = new SharedArrayBuffer(SharedTop.slotBytes);
    for (const k of [1, 2, 10, 100, SHARED_TOP_MAX_K]) {
      const top = new SharedTop(buffer, 0).reset(k);
      // The scores offered so far, best first.
      const offered: number[] = [];
      for (let i = 0; i < 3000; i++) {
        const s = Math.floor(random() * 500) / 7;
        const at = offered.findIndex((o) => o < s);
        offered.splice(at < 0 ? offered.length : at, 0, s);
        expect(top.offer(s)).toBe(offered.length < k ? -Infinity : offered[k - 1]);
      }
    }
  });

  it('refuses a k it cannot hold', () => {
    const top = new SharedTop(new SharedArrayBuffer(SharedTop.slotBytes), 0);
    expect(() => top.reset(0)).toThrow(/1 to 1024/);
    expect(() => top.reset(SHARED_TOP_MAX_K + 1)).toThrow(/asked 1025/);
    expect(() => top.reset(2.5)).toThrow(RangeError);
  });

  it('is the k-th best of what both threads offered at once, never waiting for the other', async () => {
    const k = 25;
    const rounds = 40;
    const buffer = new SharedArrayBuffer(rounds * SharedTop.slotBytes);
    for (let r = 0; r < rounds; r++) new SharedTop(buffer, r).reset(k);
    const random = rng(8);
    const gate = new SharedArrayBuffer(4 * rounds);
    // Each round's first offers change the heap nearly every time: the two threads write it at once.
    const scores = [0, 1].map(() =>
      Array.from({ length: rounds }, () => Array.from({ length: 2000 }, () => random() * 100)),
    );
    type Round = { seen: number[]; counted: boolean[] };
    const results = await Promise.all(
      scores.map(
        (mine) =>
          new Promise<Round[]>((resolve, reject) => {
            const worker = startTsWorker(
              new URL('../helpers/shared-top-offer.worker.ts', import.meta.url).href,
              {
                workerData: { buffer, rounds: mine, gate },
              },
            );
            worker.once('message', (m: Round[]) => {
              resolve(m);
              void worker.terminate();
            });
            worker.once('error', reject);
          }),
      ),
    );
    let dropped = 0;
    for (let r = 0; r < rounds; r++) {
      const all = [...scores[0]![r]!, ...scores[1]![r]!];
      // The offers that counted: the floor is the k-th best of those, at most the k-th best of all.
      const counted = [0, 1].flatMap((t) => scores[t]![r]!.filter((_, i) => results[t]![r]!.counted[i]));
      dropped += all.length - counted.length;
      const final = kth(counted, k);
      expect(new SharedTop(buffer, r).floor(), `round ${r}`).toBe(final);
      expect(final).toBeLessThanOrEqual(kth(all, k));
      const offered = new Set(all);
      results.forEach((byRound) => {
        // A read may answer -Infinity rather than wait; the others never fall, never pass the k-th best of what
        // counted (a floor too high would lose answers), and are each one of the scores offered.
        const seen = byRound[r]!.seen.filter((f) => f !== -Infinity);
        const falling = seen.filter((f, i) => i > 0 && f < seen[i - 1]!);
        const unknown = seen.filter((f) => !offered.has(f));
        expect({ falling, unknown, highest: Math.max(...seen) <= final }, `round ${r}`).toEqual({
          falling: [],
          unknown: [],
          highest: true,
        });
      });
    }
    // Offers meeting the other's write are few.
    expect(dropped).toBeLessThan(rounds * 4000 * 0.05);
  });
});
