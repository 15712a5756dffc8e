// The step meter of `paperboy reindex`: seconds and peak memory per step, the split sampled off the job's thread.
import { afterEach, expect, it } from 'vitest';
import { createStepMeter, formatStep, memoryNow, type StepMeter } from '../../src/platform/index.ts';

let meter: StepMeter | null = null;
afterEach(async () => {
  await meter?.close();
  meter = null;
});

const linux = memoryNow() !== null;

it.runIf(linux)(
  'sees a peak held only inside a step, with its anonymous share, after the memory is gone',
  () => {
    meter = createStepMeter();
    meter.step('warm-up');
    // 128 MiB touched and held while this thread is busy (a synchronous step): only the sampler thread can see it.
    let held: Uint8Array | null = new Uint8Array(128 << 20).fill(1);
    const until = performance.now() + 400;
    let spins = 0;
    while (performance.now() < until) spins += held[spins % held.length] ?? 0;
    held = null;
    const r = meter.step('big');
    expect(r.step).toBe('big');
    expect(r.seconds).toBeGreaterThanOrEqual(0.3);
    expect(r.peakMiB).not.toBeNull();
    expect(r.peakAnonMiB ?? 0).toBeGreaterThan(128);
    expect((r.peakAnonMiB ?? 0) + (r.peakFileMiB ?? 0)).toBeLessThanOrEqual((r.peakMiB ?? 0) + 1);
    // The next step is timed from the last one's end.
    expect(meter.step('small').seconds).toBeLessThan(r.seconds);
    expect(spins).toBeGreaterThan(0);
  },
);

it('formats a step as one log line, and leaves out what is unknown', () => {
  const line = formatStep({
    step: 'lookup tables (300,000)',
    seconds: 12.34,
    peakMiB: 1038,
    peakAnonMiB: 790,
    peakFileMiB: 248,
    end: { rssMiB: 429, anonMiB: 300, fileMiB: 129 },
  });
  expect(line).toBe(
    'lookup tables (300,000): 12.3 s, peak RSS 1,038 MiB (anon 790 + file 248), at the end 429 MiB (anon 300 + file 129)',
  );
  expect(
    formatStep({ step: 'x', seconds: 1, peakMiB: null, peakAnonMiB: null, peakFileMiB: null, end: null }),
  ).toBe('x: 1.0 s');
});
