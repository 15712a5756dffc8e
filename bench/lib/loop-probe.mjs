// Preloaded into a benchmarked process (node --import): how long its event loop was held, as JSON in a file.
// Plain JavaScript so that it loads before (and whether or not) a TypeScript loader is registered.
import { writeFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setInterval } from 'node:timers';

/** How often the probe asks for a turn; a turn that comes later than this was held by other work. */
const TICK_MS = 5;
/** Lateness counted as the loop being held (a slice of work longer than a paced one). */
const HELD_MS = 10;
/** The window after start that the restart target is about. */
const FIRST_MS = 60_000;

const file = process.env.PAPERBOY_LOOP_PROBE;
if (file !== undefined && file !== '') {
  const started = performance.now();
  const fresh = () => ({ maxMs: 0, heldMs: 0, over10: 0, over50: 0, over100: 0, ticks: 0 });
  const first = fresh();
  const all = fresh();
  const add = (s, late) => {
    s.ticks++;
    if (late > s.maxMs) s.maxMs = late;
    if (late > HELD_MS) {
      s.heldMs += late;
      s.over10++;
    }
    if (late > 50) s.over50++;
    if (late > 100) s.over100++;
  };
  /** Each hold over 50 ms: [when it ended, ms since the Unix epoch; how long], so a reader can place it. */
  const holds = [];
  let last = started;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - last - TICK_MS);
    last = now;
    add(all, late);
    if (now - started <= FIRST_MS) add(first, late);
    if (late > 50 && holds.length < 5000)
      holds.push([Math.round(performance.timeOrigin + now), Math.round(late)]);
  }, TICK_MS);
  timer.unref();
  /** Each garbage collection of 1 ms or more: [when it ended, ms since the Unix epoch; ms; V8's kind (1 scavenge, 2 mark-compact, 4 incremental, 8 weak callbacks)]. */
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration >= 1 && gcs.length < 20000)
        gcs.push([
          Math.round(performance.timeOrigin + e.startTime + e.duration),
          Number(e.duration.toFixed(2)),
          e.detail?.kind ?? 0,
        ]);
  }).observe({ entryTypes: ['gc'] });
  const round = (s) => ({ ...s, maxMs: Math.round(s.maxMs), heldMs: Math.round(s.heldMs) });
  const write = () => {
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(file, JSON.stringify({ seconds, first60s: round(first), all: round(all), holds, gcs }));
  };
  process.on('exit', write);
}
