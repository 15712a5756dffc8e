// Waits for SQLite's write lock without holding the event loop while another connection writes.
import type BetterSqlite3 from 'better-sqlite3';

type Handle = BetterSqlite3.Database;

/**
 * How long a statement waits by itself for a lock another connection holds (`busy_timeout`, set at open). SQLite
 * waits inside the call, and better-sqlite3's calls are synchronous: while a `paperboy import` wrote back to back,
 * each write of serve's (a vote, the embed loop's vectors) held every request 0.4–1.4 s, up to this timeout
 * (docs/BENCHMARKS.md, "#23 a writer beside a serving node").
 */
export const BUSY_TIMEOUT_MS = 5000;
/** How long one try for the write lock waits inside the call: what a write may hold the event loop for. */
const TRY_MS = 20;
/** How long a write waits for the lock in all (tries and the pauses between them) before it fails as locked. */
export const WRITE_LOCK_WAIT_MS = 30_000;

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `write`, which must take the write lock before anything else (BEGIN IMMEDIATE, or one statement that
 * writes), with a short busy timeout: SQLite then waits at most TRY_MS inside the call. A promise `write` returns
 * is passed on as it is (its statements have run by then).
 */
export function tryWrite<T>(db: Handle, write: () => T): T {
  db.pragma(`busy_timeout = ${TRY_MS}`);
  try {
    return write();
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/**
 * Calls `attempt` (a `tryWrite`, entered again through whatever gate the caller needs) until it does not fail as
 * locked, pausing between tries without holding the event loop, for up to WRITE_LOCK_WAIT_MS; then the last
 * error is thrown. `retryable` says whether a failure wrote nothing and may be tried again (default: any busy one).
 * @example await whenUnlocked(() => tryWrite(db, () => tx.immediate(rows)));
 */
export async function whenUnlocked<T>(
  attempt: () => T | Promise<T>,
  retryable: (err: unknown) => boolean = isBusy,
): Promise<T> {
  const deadline = performance.now() + WRITE_LOCK_WAIT_MS;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!retryable(err) || performance.now() >= deadline) throw err instanceof Locked ? err.original : err;
    }
    // 5, 10, 20, 40, then 80 ms, each ±50%: a writer's gaps between its transactions are met at random times.
    const pause = (5 << Math.min(tries, 4)) * (0.5 + Math.random());
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Runs `fn` where the connection's statements may run now (the store's gate: outside another's transaction). */
export type WriteGate = <T>(fn: () => Promise<T>) => Promise<T>;

/** A busy failure of a transaction whose body had not begun: nothing was written, so it may be tried again. */
class Locked extends Error {
  constructor(readonly original: unknown) {
    super('database is locked');
  }
}

/**
 * `body` as a BEGIN IMMEDIATE transaction that waits for the write lock as `whenUnlocked` does, each try entered
 * through `gate`. A busy failure once the body ran (rolled back) is not tried again: the body may have done more
 * than write (caches).
 * @example const put = lockedTransaction(db, gate, (rows) => rows.forEach((r) => ins.run(r))); await put(rows);
 */
export function lockedTransaction<A extends unknown[], R>(
  db: Handle,
  gate: WriteGate,
  body: (...args: A) => R,
): (...args: A) => Promise<R> {
  let began = false;
  const tx = db.transaction((...args: A): R => {
    began = true;
    return body(...args);
  });
  const once = async (args: A): Promise<R> => {
    began = false;
    try {
      return tryWrite(db, () => tx.immediate(...args));
    } catch (err) {
      throw !began && isBusy(err) ? new Locked(err) : err;
    }
  };
  return (...args: A) =>
    whenUnlocked(
      () => gate(() => once(args)),
      (err) => err instanceof Locked,
    );
}
