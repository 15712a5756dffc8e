// What copying, verifying and backing up a database needs from an engine: its tables as plain rows.

/** One row's values in the order of `columns`: numbers, strings, byte buffers or null. */
export type RowValues = unknown[];

export interface TableAccess {
  readonly engine: 'sqlite' | 'postgres';
  /** Where it points, without secrets, for messages. */
  readonly where: string;
  schemaVersion(): Promise<number>;
  /** Column names of a table, in the engine's order; empty when the table does not exist. */
  columns(table: string): Promise<string[]>;
  count(table: string): Promise<number>;
  /**
   * Starts a read snapshot: until `endRead`, `count` and `rows` see the database as it was at this moment,
   * so a copy of a live instance is consistent across tables.
   */
  beginRead(): Promise<void>;
  endRead(): Promise<void>;
  /** Every row of a table in batches of at most `size`. */
  rows(table: string, columns: readonly string[], size: number): AsyncIterable<RowValues[]>;
  /** Starts the one transaction that all `insert`s of a copy go into. */
  begin(): Promise<void>;
  insert(table: string, columns: readonly string[], rows: readonly RowValues[]): Promise<void>;
  /** Makes generated keys continue after the copied ones, then commits. */
  commit(tables: readonly string[]): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}
