// Where a live process's resident memory lies, from /proc/<pid>/smaps: its own (anonymous) and per mapped file.
import { readFileSync } from 'node:fs';

/** MiB, rounded; one process's resident memory by kind, and PSS (shared file pages counted once across processes). */
export interface MemoryParts {
  rssMiB: number;
  pssMiB: number;
  anonMiB: number;
  /** Resident pages of mapped files, by file name ending (the graph, the store), "other" for code and libraries. */
  fileMiB: Record<string, number>;
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
    } else if (m[1] === 'Pss') kb.pss += v;
    else kb.anon += v;
  }
  const mib = (x: number): number => Math.round(x / 1024);
  return {
    rssMiB: mib(kb.rss),
    pssMiB: mib(kb.pss),
    anonMiB: mib(kb.anon),
    fileMiB: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, mib(v)])),
  };
}
