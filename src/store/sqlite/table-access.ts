// Table-level access to a SQLite database, for copying, verifying and restoring.
import type { Statement } from 'better-sqlite3';
import type { RowValues, TableAccess } from '../copy/table-access.ts';
import { openSqlite, schemaVersion } from './open.ts';

const NAME = /^\w+$/;

function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a table or column name: ${name}`);
  return `"${name}"`;
}

/**
 * Opens the SQLite file at `path` (migrating it) for table-level reads and writes.
 * @example const t = openSqliteTables('./data/paperboy.db'); await t.count('papers');
 */
export function openSqliteTables(path: string): TableAccess {
  const db = openSqlite(path);
  const inserts = new Map<string, Statement<unknown[]>>();
  return {
    engine: 'sqlite',
    where: path,
    async schemaVersion() {
      return schemaVersion(db);
    },
    async columns(table) {
      const rows = db.prepare(`PRAGMA table_info(${ident(table)})`).all() as { name: string }[];
      return rows.map((r) => r.name);
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${ident(table)}`).get() as { n: number }).n;
    },
    async beginRead() {
      // A deferred transaction's first read fixes its WAL snapshot until COMMIT.
      db.exec('BEGIN');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    },
    async endRead() {
      if (db.inTransaction) db.exec('COMMIT');
    },
    async *rows(table, columns, size) {
      const stmt = db.prepare(`SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}`).raw(true);
      let batch: RowValues[] = [];
      for (const row of stmt.iterate() as IterableIterator<RowValues>) {
        batch.push(row);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async begin() {
      db.exec('BEGIN IMMEDIATE');
    },
    async insert(table, columns, rows) {
      const key = `${table}(${columns.join(',')})`;
      let stmt = inserts.get(key);
      if (stmt === undefined) {
        stmt = db.prepare<unknown[]>(
          `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        inserts.set(key, stmt);
      }
      for (const row of rows) stmt.run(...row);
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
