// Where a process's time and reads went, from /proc (Linux): its main thread's CPU and run-queue wait in
// nanoseconds, page faults, and bytes read from storage, so a bench can split one slow request's wall time.
import { readFileSync } from 'node:fs';

export interface ProcTimes {
  /** Main thread on a CPU (ns). */
  cpuNs: number;
  /** Main thread runnable but waiting for a CPU (ns): the machine's load, not this process's work. */
  waitNs: number;
  /** Faults that read from storage (process-wide). */
  majorFaults: number;
  /** Faults served from memory (process-wide): first touches of mapped or fresh pages. */
  minorFaults: number;
  /** Bytes the process caused to be read from storage (page-cache misses), process-wide. */
  readBytes: number;
}

/** The figures now, or null once the process is gone. */
export function procTimes(pid: number): ProcTimes | null {
  try {
    const [cpu, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
    // Fields after the command name (which may hold spaces): state is field 3, minflt 10, majflt 12.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = /read_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return {
      cpuNs: Number(cpu),
      waitNs: Number(wait),
      minorFaults: Number(fields[7]),
      majorFaults: Number(fields[9]),
      readBytes: Number(io?.[1] ?? 0),
    };
  } catch {
    return null;
  }
}

/** `after − before`, field by field (zeros when either is missing). */
export function procDelta(before: ProcTimes | null, after: ProcTimes | null): ProcTimes {
  const d = (k: keyof ProcTimes): number => (before && after ? after[k] - before[k] : 0);
  return {
    cpuNs: d('cpuNs'),
    waitNs: d('waitNs'),
    majorFaults: d('majorFaults'),
    minorFaults: d('minorFaults'),
    readBytes: d('readBytes'),
  };
}

/** This process's CPU seconds so far, user and system, all threads (process.cpuUsage). */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
