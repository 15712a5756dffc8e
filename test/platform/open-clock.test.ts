// The start-up step clock serve logs from (#23 cold restart, h31c).
import { describe, expect, it } from 'vitest';
import { OpenClock, formatOpenStep, readBytesNow } from '../../src/platform/open-clock.ts';

describe('OpenClock', () => {
  it('times each step from the last mark, and restart leaves time spent elsewhere out', () => {
    let now = 100;
    const clock = new OpenClock(() => now);
    now = 150;
    expect(clock.mark('lexical open', 'lexical.bin')).toMatchObject({
      step: 'lexical open',
      file: 'lexical.bin',
      ms: 50,
    });
    now = 400;
    clock.restart();
    now = 420;
    clock.mark('model');
    expect(clock.steps.map((s) => [s.step, s.ms])).toEqual([
      ['lexical open', 50],
      ['model', 20],
    ]);
  });

  it('counts bytes read from storage where /proc/self/io is there, and says so in one line', () => {
    const bytes = readBytesNow();
    if (bytes !== null) expect(bytes).toBeGreaterThanOrEqual(0);
    expect(
      formatOpenStep({
        step: 'graph checksum',
        file: 'vectors.bin.hnsw',
        ms: 3858,
        readBytes: 1_788_900_000,
      }),
    ).toBe('graph checksum (vectors.bin.hnsw) 3858 ms, 1788.9 MB read');
    expect(formatOpenStep({ step: 'store sync', file: null, ms: 3, readBytes: null })).toBe(
      'store sync 3 ms',
    );
  });
});
