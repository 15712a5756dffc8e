// Search index snapshots as generations: each save writes a fresh folder, then one small pointer file is
// replaced atomically, so a reader always gets files from one save, even with several processes saving.
import {
  copyFileSync,
  existsSync,
  linkSync,
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
  const name = generationName();
  const gen = join(dir, name);
  mkdirSync(gen, { mode: 0o700 });
  try {
    write(gen);
  } catch (err) {
    rmSync(gen, { recursive: true, force: true });
    throw err;
  }
  pointAt(dir, name);
  prune(dir, name);
  return gen;
}

/** A new generation folder's name: time, process and a random part, so concurrent savers never collide. */
function generationName(): string {
  return `${PREFIX}${Date.now().toString(36)}-${process.pid}-${randomToken(4)}`;
}

/** Makes generation `name` current: the pointer file is replaced in one rename. */
function pointAt(dir: string, name: string): void {
  const tmp = join(dir, `${POINTER}.tmp-${process.pid}`);
  writeFileSync(tmp, `${name}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, POINTER));
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
  removeLeftFolders(dir, BUILD, true);
  const folder = join(dir, `${BUILD}${process.pid}-${randomToken(4)}`);
  mkdirSync(folder, { mode: 0o700 });
  return folder;
}

/**
 * Removes the folders named `<prefix><pid>-…` in `dir` whose process is gone (killed, crashed), and this
 * process's own too when `own`.
 */
function removeLeftFolders(dir: string, prefix: string, own: boolean): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if ((own && pid === process.pid) || !processAlive(pid))
      rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** Whether a process with this id runs on this machine (one under another user counts as running). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const SEED = '.seed-';

/** What `seedSnapshot` did, for the one log line a start gives about it. */
export type SeedOutcome =
  | { kind: 'present'; generation: string }
  | { kind: 'copied'; generation: string; from: string; files: number; bytes: number; linked: boolean }
  | { kind: 'none'; reason: string };

/**
 * Gives an index folder with no snapshot of its own the current generation of `from` (another node's folder, a
 * shared copy), so that a new node opens an index instead of rebuilding it from the store (a reindex-sized build
 * at 2.7M papers). The generation's files, and the suggestion tables and model images beside them (`extras`:
 * names of plain files at the top of `from`), are hard-linked when both folders are on one filesystem (snapshot
 * files are never changed once written) and copied otherwise; each lands under its source's size or the seed is
 * dropped. The files keep their own checksums, checked when they are opened as always: a damaged one is refused
 * and its index rebuilt from the store. Nothing happens when `dir` already has a snapshot.
 * @example seedSnapshot('/var/lib/paperboy/index', '/mnt/shared/index', (n) => n === 'lookup.bin')
 */
export function seedSnapshot(
  dir: string,
  from: string,
  extras: (name: string) => boolean = () => false,
): SeedOutcome {
  const own = currentSnapshot(dir);
  if (own !== null) return { kind: 'present', generation: own };
  if (!existsSync(from)) return { kind: 'none', reason: `${from} does not exist` };
  const source = currentSnapshot(from);
  if (source === null) return { kind: 'none', reason: `${from} holds no snapshot` };
  if (source === from) return { kind: 'none', reason: `${from} holds a snapshot of the old flat layout` };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A seed cut short by a kill leaves its staging folder: removed by the next start, never opened.
  removeLeftFolders(dir, SEED, false);
  const stage = join(dir, `${SEED}${process.pid}-${randomToken(4)}`);
  mkdirSync(stage, { mode: 0o700 });
  let files = 0;
  let bytes = 0;
  let linked = true;
  const place = (src: string, dest: string): void => {
    const size = statSync(src).size;
    try {
      linkSync(src, dest);
    } catch {
      linked = false;
      copyFileSync(src, dest);
    }
    if (statSync(dest).size !== size)
      throw new Error(`${dest}: ${statSync(dest).size} bytes, ${src} has ${size}`);
    files += 1;
    bytes += size;
  };
  try {
    for (const name of readdirSync(source)) place(join(source, name), join(stage, name));
    for (const name of readdirSync(from).filter((n) => extras(n) && !existsSync(join(dir, n)))) {
      if (!statSync(join(from, name)).isFile()) continue;
      // Beside the generations: staged, then renamed into place, so a half-copied one is never opened.
      place(join(from, name), join(stage, `${name}.extra`));
    }
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    return {
      kind: 'none',
      reason: `copying from ${from} failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  for (const name of readdirSync(stage).filter((n) => n.endsWith('.extra')))
    renameSync(join(stage, name), join(dir, name.slice(0, -'.extra'.length)));
  const name = generationName();
  renameSync(stage, join(dir, name));
  pointAt(dir, name);
  return { kind: 'copied', generation: join(dir, name), from: source, files, bytes, linked };
}
