// Seconds and memory of the steps of a long job (`paperboy reindex`): peak RSS per step, split into anonymous
// memory (heaps, buffers) and file pages (mapped or read snapshot files), read from /proc on Linux.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Resident memory in MiB: all of it, anonymous (heaps, buffers) and file-backed (mapped files). */
export interface MemoryNow {
  rssMiB: number;
  anonMiB: number;
  fileMiB: number;
}

/** One finished step: its seconds, the peak RSS while it ran (with the split at the sampled top) and at its end. */
export interface StepReport {
  step: string;
  seconds: number;
  /** Highest RSS sampled during the step (every 50 ms, off the job's thread), MiB; null where /proc is not there. */
  peakMiB: number | null;
  /** Anonymous and file-backed MiB at that sample. */
  peakAnonMiB: number | null;
  peakFileMiB: number | null;
  end: MemoryNow | null;
}

export interface StepMeter {
  /** Ends the step running since the last call (or since the meter started) as `step`, and starts the next. */
  step(step: string): StepReport;
  /** Stops the sampler. */
  close(): Promise<void>;
}

const kib = (status: string, field: string): number | null => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m === null ? null : Number(m[1]);
};
const mib = (k: number | null): number | null => (k === null ? null : Math.round(k / 1024));

function status(): string | null {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return null;
  }
}

/** The process's peak RSS so far (VmHWM), MiB; null where /proc is not there. */
export function peakNow(): number | null {
  const s = status();
  return s === null ? null : mib(kib(s, 'VmHWM'));
}

/** RSS now, anonymous and file-backed; null where /proc/self/status is not readable (not Linux). */
export function memoryNow(): MemoryNow | null {
  const s = status();
  if (s === null) return null;
  const rss = kib(s, 'VmRSS');
  const anon = kib(s, 'RssAnon');
  const file = kib(s, 'RssFile');
  if (rss === null || anon === null || file === null) return null;
  return {
    rssMiB: Math.round(rss / 1024),
    anonMiB: Math.round(anon / 1024),
    fileMiB: Math.round(file / 1024),
  };
}

// Slots of the shared sample: highest RSS sampled, anon and file KiB then; a reset request from the job's thread.
const TOP = 0;
const TOP_ANON = 1;
const TOP_FILE = 2;
const RESET = 3;
/** Milliseconds between samples. VmHWM is not reset per step (clear_refs): that would also reset the peak an
 * outside observer reads (`/usr/bin/time`, the scale bench), so each step's peak is the highest sample. */
const SAMPLE_MS = 50;

/**
 * The sampler runs on a thread of its own, so it samples while the job's thread is busy in synchronous work
 * (a write of sections, a sort), which a timer on that thread would miss.
 */
const SAMPLER = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const a = new Int32Array(workerData);
const field = (s, f) => { const m = new RegExp('^' + f + ':\\\\s+(\\\\d+) kB', 'm').exec(s); return m ? Number(m[1]) : 0; };
setInterval(() => {
  let s;
  try { s = readFileSync('/proc/self/status', 'utf8'); } catch { return; }
  const rss = field(s, 'VmRSS'), anon = field(s, 'RssAnon'), file = field(s, 'RssFile');
  if (Atomics.exchange(a, ${RESET}, 0) === 1 || rss > Atomics.load(a, ${TOP})) {
    Atomics.store(a, ${TOP}, rss);
    Atomics.store(a, ${TOP_ANON}, anon);
    Atomics.store(a, ${TOP_FILE}, file);
  }
}, ${SAMPLE_MS});
`;

/**
 * A meter for the steps of one job: `step(name)` reports the step just ended and starts the next one.
 * @example const m = createStepMeter(); await build(); log(formatStep(m.step('lexical index'))); await m.close();
 */
export function createStepMeter(now: () => number = () => performance.now()): StepMeter {
  const linux = status() !== null;
  const shared = new Int32Array(new SharedArrayBuffer(4 * 4));
  let sampler: Worker | null = null;
  if (linux) {
    try {
      sampler = new Worker(SAMPLER, { eval: true, workerData: shared.buffer });
      sampler.unref();
    } catch {
      sampler = null;
    }
  }
  let started = now();
  return {
    step(step) {
      const at = now();
      const end = memoryNow();
      const sampled = sampler !== null && Atomics.load(shared, TOP) > 0;
      const top = sampled ? mib(Atomics.load(shared, TOP)) : null;
      const report: StepReport = {
        step,
        seconds: Number(((at - started) / 1000).toFixed(1)),
        // A step shorter than a sample period: its end is the best figure there is.
        peakMiB: top === null ? (end?.rssMiB ?? null) : Math.max(top, end?.rssMiB ?? 0),
        peakAnonMiB: sampled ? mib(Atomics.load(shared, TOP_ANON)) : null,
        peakFileMiB: sampled ? mib(Atomics.load(shared, TOP_FILE)) : null,
        end,
      };
      Atomics.store(shared, TOP, 0);
      Atomics.store(shared, RESET, 1);
      started = now();
      return report;
    },
    async close() {
      await sampler?.terminate();
      sampler = null;
    },
  };
}

const n = (x: number | null): string => (x === null ? '?' : x.toLocaleString('en-US'));

/**
 * One log line for a step.
 * @example formatStep(r) // 'lexical index: 12.3 s, peak RSS 1,038 MiB (anon 790 + file 248), at the end 429 MiB (anon 300 + file 129)'
 */
export function formatStep(r: StepReport): string {
  const peak =
    r.peakMiB === null
      ? ''
      : `, peak RSS ${n(r.peakMiB)} MiB${r.peakAnonMiB === null ? '' : ` (anon ${n(r.peakAnonMiB)} + file ${n(r.peakFileMiB)})`}`;
  const end =
    r.end === null
      ? ''
      : `, at the end ${n(r.end.rssMiB)} MiB (anon ${n(r.end.anonMiB)} + file ${n(r.end.fileMiB)})`;
  return `${r.step}: ${r.seconds.toFixed(1)} s${peak}${end}`;
}
