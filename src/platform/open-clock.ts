// Time and storage reads of each step of a start-up (serve opening its index snapshots): which file, how long,
// how many bytes the process read from the disk meanwhile (Linux /proc/self/io; null elsewhere). A cold start
// (page cache empty) reads what a warm one finds in memory, so the bytes say which step waited for the disk.
import { readFileSync } from 'node:fs';

/** One finished step of a start-up. */
export interface OpenStep {
  step: string;
  /** The file the step opened or read (base name), when there is one. */
  file: string | null;
  ms: number;
  /** Bytes this process read from storage during the step (every thread); null where /proc is not there. */
  readBytes: number | null;
}

/** Bytes this process has read from storage so far (`read_bytes` of /proc/self/io); null where not available. */
export function readBytesNow(): number | null {
  try {
    const m = /^read_bytes:\s+(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m?.[1] === undefined ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/** Marks the end of each step since the last mark (or since it was made), with its time and bytes read. */
export class OpenClock {
  readonly steps: OpenStep[] = [];
  private at: number;
  private bytes: number | null;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.at = now();
    this.bytes = readBytesNow();
  }

  /** Ends the step running since the last mark as `step` (reading `file`), and starts the next. */
  mark(step: string, file: string | null = null): OpenStep {
    const at = this.now();
    const bytes = readBytesNow();
    const done: OpenStep = {
      step,
      file,
      ms: Math.round(at - this.at),
      readBytes: bytes === null || this.bytes === null ? null : bytes - this.bytes,
    };
    this.steps.push(done);
    this.at = at;
    this.bytes = bytes;
    return done;
  }

  /** Starts the next step now without recording the time since the last mark (time spent elsewhere). */
  restart(): void {
    this.at = this.now();
    this.bytes = readBytesNow();
  }
}

/** One line for a log: `lexical open (lexical.bin) 312 ms, 12.3 MB read`. */
export function formatOpenStep(s: OpenStep): string {
  const read = s.readBytes === null ? '' : `, ${(s.readBytes / 1e6).toFixed(1)} MB read`;
  return `${s.step}${s.file === null ? '' : ` (${s.file})`} ${s.ms} ms${read}`;
}
