// Progress reporting for long jobs: a redrawn bar on a terminal, periodic count lines in logs.

export interface ProgressReporter {
  /** Reports `done` of `total` (total null when unknown) with a short status text. */
  update(done: number, total: number | null, status: string): void;
  /** Prints a line of its own above the bar (even when quiet: the caller decides what a note is); the bar comes back at the next update. */
  note(line: string): void;
  /** Clears the bar and prints a final line. */
  finish(message: string): void;
}

interface Sink {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

function formatRate(done: number, seconds: number): string {
  const rate = seconds > 0 ? done / seconds : 0;
  return rate >= 100 ? `${Math.round(rate).toLocaleString('en-US')}/s` : `${rate.toFixed(1)}/s`;
}

/**
 * "about 4 min left" from the pace so far, once there is enough of it to go by (5% done or 10 s in); else ''.
 * @example timeLeft(300, 900, 100) // 'about 4 min left'
 */
export function timeLeft(done: number, total: number | null, seconds: number): string {
  if (total === null || total <= 0 || done <= 0 || done >= total) return '';
  if (done / total < 0.05 && seconds < 10) return '';
  const left = ((total - done) * seconds) / done;
  if (left < 60) return `about ${Math.max(5, Math.round(left / 5) * 5)} s left`;
  return `about ${Math.round(left / 60)} min left`;
}

/**
 * A progress reporter writing to `sink` (stderr by default): a bar redrawn at most 10 times
 * a second on a TTY; one line every `logEverySeconds` otherwise; silent when `quiet`.
 * @example const p = createProgress({ label: 'ingest' }); p.update(500, 1000, '12 rejected'); p.finish('done');
 */
export function createProgress(opts: {
  label: string;
  sink?: Sink;
  quiet?: boolean;
  logEverySeconds?: number;
}): ProgressReporter {
  const sink: Sink = opts.sink ?? process.stderr;
  const tty = sink.isTTY === true;
  const started = performance.now();
  // The time-left estimate goes by the current phase (a new total starts one: train's epochs, then embedding).
  let phase = { total: null as number | null, at: started, done: 0 };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, status) {
      if (opts.quiet === true) return;
      const now = performance.now();
      if (total !== phase.total) phase = { total, at: now, done };
      const interval = tty ? 100 : (opts.logEverySeconds ?? 5) * 1000;
      if (now - lastDraw < interval) return;
      lastDraw = now;
      const secs = (now - started) / 1000;
      const count =
        total !== null
          ? `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`
          : done.toLocaleString('en-US');
      const eta = timeLeft(
        done - phase.done,
        total === null ? null : total - phase.done,
        (now - phase.at) / 1000,
      );
      const text =
        `${opts.label} ${count} ${formatRate(done, secs)} ${status}${eta === '' ? '' : `, ${eta}`}`.trim();
      if (!tty) {
        sink.write(`${text}\n`);
        return;
      }
      const width = Math.max(10, Math.min(30, (sink.columns ?? 80) - text.length - 10));
      const frac = total !== null && total > 0 ? Math.min(1, done / total) : null;
      const bar =
        frac === null
          ? ''
          : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${Math.floor(frac * 100)}% `;
      sink.write(`\r\x1b[2K${bar}${text}`);
      drawn = true;
    },
    note(line) {
      // A note written over a drawn bar would be glued to it; clear it first and redraw at the next update.
      if (drawn) sink.write('\r\x1b[2K');
      drawn = false;
      lastDraw = 0;
      sink.write(`${line}\n`);
    },
    finish(message) {
      if (opts.quiet === true) return;
      if (drawn) sink.write('\r\x1b[2K');
      if (message !== '') sink.write(`${message}\n`);
    },
  };
}
