// Reads the process's peak resident set size (VmHWM) from /proc, falling back to the current RSS.
import { readFileSync } from 'node:fs';

/** Peak RSS of this process in MiB. */
export function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1] !== undefined) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1024 / 1024;
}
