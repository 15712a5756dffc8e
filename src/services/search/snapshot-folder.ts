// Search index snapshots as generations: each save writes a fresh folder, then one small pointer file is
// replaced atomically, so a reader always gets files from one save, even with several processes saving.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../../platform/index.ts';

const POINTER = 'CURRENT';
const PREFIX = 'snap-';
/** Generations kept besides the newest, for a process that is still reading one it found a moment ago. */
const KEEP = 2;

/**
 * The folder holding the latest complete snapshot, or null when there is none. A snapshot folder written by an
 * older Paperboy (files directly in `dir`) is still read.
 * @example const from = currentSnapshot('./data/paperboy.db.index'); // '.../snap-…' or null
 */
export function currentSnapshot(dir: string): string | null {
  const pointer = join(dir, POINTER);
  if (existsSync(pointer)) {
    const name = readFileSync(pointer, 'utf8').trim();
    const gen = join(dir, name);
    return name.startsWith(PREFIX) && existsSync(join(gen, 'state.json')) ? gen : null;
  }
  return existsSync(join(dir, 'state.json')) ? dir : null;
}

/**
 * Writes one snapshot: `write` fills a new generation folder, which then becomes current; older generations
 * beyond the last few are removed.
 */
export function saveSnapshot(dir: string, write: (generation: string) => void): string {
  // Owner-only, like the database the snapshots are derived from (its papers, and the readers' interests).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${PREFIX}${Date.now().toString(36)}-${process.pid}-${randomToken(4)}`;
  const gen = join(dir, name);
  mkdirSync(gen, { mode: 0o700 });
  try {
    write(gen);
  } catch (err) {
    rmSync(gen, { recursive: true, force: true });
    throw err;
  }
  const tmp = join(dir, `${POINTER}.tmp-${process.pid}`);
  writeFileSync(tmp, `${name}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, POINTER));
  prune(dir, name);
  return gen;
}

function prune(dir: string, current: string): void {
  const old = readdirSync(dir)
    .filter((n) => n.startsWith(PREFIX) && n !== current)
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(KEEP);
  for (const { n } of old) rmSync(join(dir, n), { recursive: true, force: true });
  // Files of the old flat layout would shadow nothing now; remove them once a generation exists.
  for (const f of ['lexical.bin', 'state.json', 'vectors.bin', 'vectors.bin.hnsw'])
    rmSync(join(dir, f), { force: true });
}

const BUILD = '.build-';

/**
 * A fresh folder in `dir` for one index build's temporary files (sorted runs, the lexical file before it joins
 * a generation), named after this process. Folders left by builds whose process is gone (killed, crashed) are
 * removed first, so a rerun after a kill starts clean and they never add up.
 * @example const tmp = buildFolder('./data/paperboy.db.index'); … rmSync(tmp, { recursive: true, force: true });
 */
export function buildFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(BUILD)) continue;
    const pid = Number(name.slice(BUILD.length).split('-')[0]);
    if (pid === process.pid || !processAlive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  const folder = join(dir, `${BUILD}${process.pid}-${randomToken(4)}`);
  mkdirSync(folder, { mode: 0o700 });
  return folder;
}

function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
