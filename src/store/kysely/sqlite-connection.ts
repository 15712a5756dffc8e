// The store's one SQLite connection shared by every caller: transactions one at a time, and statements from
// outside an open transaction held until it ends, so that its rollback never takes another caller's write along.
import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { tryWrite, whenUnlocked } from '../sqlite/write-lock.ts';

/**
 * Who may use the connection when. A transaction's body runs between BEGIN and COMMIT while it awaits, so a
 * statement of another caller issued meanwhile would land inside it (and vanish with its rollback): such
 * statements wait here until the transaction ends. The body's own statements go straight to the handle.
 */
export interface OneConnection {
  /**
   * Runs `fn` between BEGIN and COMMIT, ROLLBACK when it throws, after every transaction queued before it.
   * Statements of `fn` must run as the transaction's (`Prepared` calls given `tx`, queries built on `tx`):
   * one that waits for the transaction to end, from inside it, never runs.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Calls `fn` at once when no transaction is open, otherwise once none is. `fn` must issue its statements
   * before its first await (better-sqlite3 runs them synchronously), so none can slip into a transaction
   * that opens later.
   */
  outside<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * `outside` for `fn` that writes (one statement, or a transaction of its own): the write lock is waited for between
   * turns of the event loop, through the gate again at each try (write-lock.ts).
   */
  outsideWrite<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * The transaction queue and gate of the store's handle.
 * @example const c = oneConnection(handle); await c.transaction(async () => insert.run('a'));
 */
export function oneConnection(handle: BetterSqlite3.Database): OneConnection {
  // IMMEDIATE: every body reads before it writes, and a deferred transaction whose snapshot another process's commit
  // made stale cannot take the write lock (refused at once as "database is locked", no busy wait).
  const begin = handle.prepare('BEGIN IMMEDIATE');
  const commit = handle.prepare('COMMIT');
  const rollback = handle.prepare('ROLLBACK');
  /** Whether a transaction runs or is handed the connection next; others queue in `queued`. */
  let busy = false;
  const queued: (() => void)[] = [];
  /** Whether BEGIN has run and COMMIT or ROLLBACK not yet; statements from outside wait in `held`. */
  let open = false;
  let held: (() => void)[] = [];
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      // The write lock is waited for between turns of the event loop (write-lock.ts), not inside the call. Open from
      // BEGIN on, in the same call: a statement from outside run in a microtask after it would land inside.
      await whenUnlocked(() =>
        tryWrite(handle, () => {
          begin.run();
          open = true;
        }),
      );
      try {
        const result = await fn();
        commit.run();
        return result;
      } catch (err) {
        if (handle.inTransaction) rollback.run();
        throw err;
      } finally {
        open = false;
        const waiting = held;
        held = [];
        for (const wake of waiting) wake();
      }
    } finally {
      // The next transaction starts a turn later: statements woken above go first.
      const next = queued.shift();
      if (next === undefined) busy = false;
      else next();
    }
  };
  const outside = <T>(fn: () => Promise<T>): Promise<T> => (open ? later(fn) : fn());
  const later = async <T>(fn: () => Promise<T>): Promise<T> => {
    // Checked again after each wake-up: a queued transaction may have begun in between.
    while (open) await new Promise<void>((wake) => held.push(wake));
    return fn();
  };
  return {
    transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (!busy) {
        busy = true;
        return run(fn);
      }
      return new Promise<void>((go) => queued.push(go)).then(() => run(fn));
    },
    outside,
    outsideWrite: <T>(fn: () => Promise<T>): Promise<T> =>
      whenUnlocked(() => outside(() => tryWrite(handle, fn))),
  };
}

/**
 * `repo` with every method called through `outside`: for the repositories each engine writes by hand, whose
 * methods run their statements synchronously on the same handle. An async generator's body is resumed
 * through `outside` at every step.
 */
export function heldOutside<R extends object>(connection: OneConnection, repo: R): R {
  const held: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repo) as [string, unknown][]) {
    if (typeof member !== 'function') {
      held[name] = member;
      continue;
    }
    const method = member.bind(repo) as (...args: unknown[]) => never;
    held[name] =
      member instanceof AsyncGeneratorFunction
        ? heldGenerator(connection, method)
        : (...args: unknown[]) => connection.outside(() => method(...args));
  }
  return held as R;
}

/** The constructor of `async function*`, which JavaScript does not name globally. */
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as new () => unknown;

function heldGenerator(
  connection: OneConnection,
  gen: (...args: unknown[]) => AsyncGenerator<unknown, unknown, unknown>,
): (...args: unknown[]) => AsyncGenerator<unknown, unknown, unknown> {
  return async function* (...args: unknown[]) {
    const it = gen(...args);
    for (;;) {
      // next() runs the generator's body up to its next await or yield within this call.
      const step = await connection.outside(() => it.next());
      if (step.done === true) return step.value;
      yield step.value;
    }
  };
}

/**
 * Kysely's SQLite dialect over the store's handle, each statement prepared once (cached by its text) and run
 * either through `outside` (the store's builder) or at once (a transaction's builder). Kysely's own
 * transactions are not used: `transaction` above is the one way in (and is about half their cost).
 * @example new Kysely<Database>({ dialect: oneConnectionDialect(handle.prepare.bind(handle), connection) })
 */
export function oneConnectionDialect(
  prepare: (text: string) => BetterSqlite3.Statement,
  connection: OneConnection | null,
): Dialect {
  const execute = async <R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> => {
    const stmt = prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  };
  const conn: DatabaseConnection = {
    executeQuery:
      connection === null
        ? execute
        : (q) =>
            // Reads never wait for a writer (WAL).
            prepare(q.sql).readonly
              ? connection.outside(() => execute(q))
              : connection.outsideWrite(() => execute(q)),
    streamQuery() {
      throw new Error('streaming is not used with SQLite');
    },
  };
  const unsupported = async (): Promise<never> => {
    throw new Error('use transaction(q, fn) for SQLite transactions');
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => conn,
    beginTransaction: unsupported,
    commitTransaction: unsupported,
    rollbackTransaction: unsupported,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
