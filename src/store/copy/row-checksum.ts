// An order-independent checksum of a table's rows that two engines compute alike.
import { createHash } from 'node:crypto';

const MASK = (1n << 64n) - 1n;

/** One value in a form both engines agree on: SQLite and PostgreSQL hand back the same numbers, text and bytes. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (typeof v === 'number') return `i${Number.isInteger(v) ? v.toFixed(0) : String(v)}`;
  if (typeof v === 'bigint') return `i${v.toString()}`;
  if (typeof v === 'boolean') return `i${v ? 1 : 0}`;
  if (typeof v === 'string') return `s${v}`;
  if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
  return `j${JSON.stringify(v)}`;
}

export interface TableChecksum {
  rows: number;
  sum: bigint;
}

/**
 * Adds rows to a running checksum: the sum (mod 2^64) of a SHA-256 prefix of each row's canonical form,
 * so the order rows come back in does not matter.
 * @example let c = { rows: 0, sum: 0n }; c = addRows(c, [[1, 'a', null]]);
 */
export function addRows(c: TableChecksum, rows: readonly unknown[][]): TableChecksum {
  let sum = c.sum;
  for (const row of rows) {
    const h = createHash('sha256');
    for (const v of row) h.update(`${canonical(v)}\u0000`);
    sum = (sum + h.digest().readBigUInt64BE(0)) & MASK;
  }
  return { rows: c.rows + rows.length, sum };
}
