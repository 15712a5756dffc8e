// Where a live process's resident memory lies, from /proc/<pid>/smaps: its own (anonymous) and per mapped file.
import { readdirSync, readFileSync } from 'node:fs';

/** MiB, rounded; one process's resident memory by kind, and PSS (shared file pages counted once across processes). */
export interface MemoryParts {
  rssMiB: number;
  pssMiB: number;
  anonMiB: number;
  /** Resident pages of mapped files, by file name ending (the graph, the store), "other" for code and libraries. */
  fileMiB: Record<string, number>;
  /** The same groups' proportional share (a page mapped by k processes counts 1/k in each). */
  filePssMiB: Record<string, number>;
}

/**
 * Sums the Rss/Pss/Anonymous lines of every mapping in /proc/<pid>/smaps; file pages are grouped by the
 * first of `groups` the mapped path ends with (e.g. '.hnsw', '.db'), the rest as 'other'. Null when gone.
 * @example memoryParts(server.pid, ['.hnsw', '.db'])
 */
export function memoryParts(pid: number, groups: readonly string[] = ['.hnsw', '.db']): MemoryParts | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const kb = { rss: 0, pss: 0, anon: 0 };
  const files: Record<string, number> = {};
  const filesPss: Record<string, number> = {};
  let path = '';
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head !== null) {
      path = head[1] ?? '';
      continue;
    }
    const m = /^(Rss|Pss|Anonymous):\s+(\d+) kB/.exec(line);
    if (m === null) continue;
    const v = Number(m[2]);
    if (m[1] === 'Rss') {
      kb.rss += v;
      if (path.startsWith('/')) {
        const group = groups.find((g) => path.endsWith(g)) ?? 'other';
        files[group] = (files[group] ?? 0) + v;
      }
    } else if (m[1] === 'Pss') {
      kb.pss += v;
      if (path.startsWith('/')) {
        const group = groups.find((g) => path.endsWith(g)) ?? 'other';
        filesPss[group] = (filesPss[group] ?? 0) + v;
      }
    } else kb.anon += v;
  }
  const mib = (x: number): number => Math.round(x / 1024);
  return {
    rssMiB: mib(kb.rss),
    pssMiB: mib(kb.pss),
    anonMiB: mib(kb.anon),
    fileMiB: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, mib(v)])),
    filePssMiB: Object.fromEntries(Object.entries(filesPss).map(([k, v]) => [k, mib(v)])),
  };
}

/** One process's totals from /proc/<pid>/smaps_rollup, MiB: PSS split into its anonymous and file-backed parts. */
export interface MemoryRollup {
  rssMiB: number;
  pssMiB: number;
  pssAnonMiB: number;
  pssFileMiB: number;
  anonMiB: number;
}

/**
 * Reads /proc/<pid>/smaps_rollup (one summed block, cheaper than smaps); null when the process is gone.
 * @example rollup(server.pid)?.pssMiB
 */
export function memoryRollup(pid: number): MemoryRollup | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m?.[1] !== undefined ? Math.round(Number(m[1]) / 1024) : 0;
  };
  return {
    rssMiB: field('Rss'),
    pssMiB: field('Pss'),
    pssAnonMiB: field('Pss_Anon'),
    pssFileMiB: field('Pss_File'),
    anonMiB: field('Anonymous'),
  };
}

/**
 * The live children of `pid` (the workers of `serve --workers N` under its primary), from each process's
 * parent field in /proc/<child>/stat, in pid order.
 * @example childPids(server.pid) // [4242, 4243]
 */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, then the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out.sort((a, b) => a - b);
}
