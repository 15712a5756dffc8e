// A string table read in place from a snapshot stays in place through changes: strings added since are numbered on
// past the packed ones, forgotten ones are masked. Before, the first `forget` (a paper deleted or replaced) decoded
// every string into an array and a Map: 4.2 s of serve's event loop at 2.7M paper ids (#23). Every answer must be
// what the same changes give on a table built in memory.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { packStrings, StringTable } from '../../src/index/string-table.ts';

/** Every answer a table gives about `values`. */
function answers(t: StringTable, values: readonly string[]): unknown {
  const keep = (i: number): boolean => i % 3 !== 1;
  const packedKeep = StringTable.fromPacked(t.pack(keep));
  return {
    size: t.size,
    all: t.toArray(),
    at: [-1, 0, t.size - 1, t.size, t.size + 5].map((i) => t.at(i)),
    get: values.map((v) => t.get(v) ?? null),
    has: values.map((v) => t.has(v)),
    packed: StringTable.fromPacked(t.pack()).toArray(),
    packedKeep: values.map((v) => packedKeep.get(v) ?? null),
    kept: StringTable.fromPacked(t.packKept(keep, ['more-1', 'more-2'])).toArray(),
  };
}

describe('a packed string table, changed', () => {
  it('answers every lookup as a table built in memory does after the same adds and forgets', () => {
    const rng = createRng(7).next;
    const start = Array.from(
      { length: 500 },
      (_, i) => `2501.${String(i).padStart(5, '0')}${'é'.repeat(i % 3)}`,
    );
    const values = [...start, ...Array.from({ length: 80 }, (_, i) => `new-${i}`), 'absent', ''];
    for (let round = 0; round < 20; round++) {
      const packed = StringTable.fromPacked(packStrings(start));
      const memory = new StringTable();
      for (const s of start) memory.add(s);
      expect(answers(packed, values)).toEqual(answers(memory, values));
      for (let op = 0; op < 120; op++) {
        const v = values[Math.floor(rng() * values.length)]!;
        const r = rng();
        if (r < 0.35) {
          // Forgotten at its current number (a document removed), or at a wrong one (nothing happens).
          const at = memory.get(v);
          const i = at === undefined || rng() < 0.2 ? Math.floor(rng() * memory.size) : at;
          packed.forget(v, i);
          memory.forget(v, i);
        } else if (r < 0.7) {
          // Added again while still there: the newest number wins.
          expect(packed.add(v)).toBe(memory.add(v));
        } else {
          // Replaced: forgotten, then added.
          const i = memory.get(v);
          if (i !== undefined) {
            packed.forget(v, i);
            memory.forget(v, i);
            expect(packed.add(v)).toBe(memory.add(v));
          }
        }
      }
      expect(answers(packed, values)).toEqual(answers(memory, values));
    }
  });

  it('keeps the loaded arrays as its snapshot while unchanged, and packs afresh once changed', () => {
    const p = packStrings(['a', 'b', 'c']);
    const t = StringTable.fromPacked(p);
    expect(t.pack()).toBe(p);
    t.forget('b', 1);
    expect(t.pack()).not.toBe(p);
    expect(t.get('b')).toBeUndefined();
    expect(t.at(1)).toBe('b');
    expect(t.add('b')).toBe(3);
    expect(t.get('b')).toBe(3);
    t.forget('b', 3);
    expect(t.get('b')).toBeUndefined();
  });
});
