// The forward store gives back every term id it was given, across one- to five-byte varints.
import { describe, expect, it } from 'vitest';
import { ForwardStore } from '../../src/index/lexical/forward-store.ts';

describe('ForwardStore', () => {
  it('reads back term ids of every varint length, field breaks included', () => {
    const f = new ForwardStore();
    const ids = [0, 1, 126, 127, 128, 16_382, 16_383, 16_384, 2_097_150, 2_097_151, 2 ** 28 - 1, 2 ** 31];
    f.append([ids, [5]]);
    f.append([[], [300, 2]]);
    expect(f.read(0, [])).toEqual([...ids, -1, 5, -1]);
    expect(f.read(1, [])).toEqual([-1, 300, 2, -1]);
  });
});
