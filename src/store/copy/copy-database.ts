// Copies every table of one Paperboy database into an empty other one (either engine), in one
// transaction on the target, then proves the copy by row counts and checksums computed on both sides.
import { AppError } from '../../errors.ts';
import { addRows, type TableChecksum } from './row-checksum.ts';
import type { TableAccess } from './table-access.ts';
import { schemaTables } from './table-order.ts';

export interface CopyProgress {
  table: string;
  done: number;
  total: number;
}

export interface TableReport {
  table: string;
  rows: number;
  /** Hex checksum of the source rows; the target's matched it. */
  checksum: string;
}

export interface CopyReport {
  from: string;
  to: string;
  schemaVersion: number;
  tables: TableReport[];
  rows: number;
}

const BATCH = 2000;

async function checkCompatible(from: TableAccess, to: TableAccess, tables: readonly string[]): Promise<void> {
  const [fv, tv] = [await from.schemaVersion(), await to.schemaVersion()];
  if (fv !== tv)
    throw new AppError(
      'STORE',
      `Schema versions differ: ${from.where} is at ${fv}, ${to.where} at ${tv}; run \`paperboy migrate\` on both with the same Paperboy first.`,
    );
  const problems: string[] = [];
  for (const t of tables) {
    const [a, b] = [await from.columns(t), await to.columns(t)];
    const missing = a.filter((c) => !b.includes(c));
    if (b.length === 0) problems.push(`${to.where} has no table ${t}`);
    else if (missing.length > 0) problems.push(`${to.where} table ${t} lacks ${missing.join(', ')}`);
    else if ((await to.count(t)) > 0) problems.push(`${to.where} table ${t} is not empty`);
  }
  if (problems.length > 0)
    throw new AppError(
      'STORE',
      `Cannot copy into ${to.where}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}. Copy into a new, empty database.`,
      problems,
    );
}

/**
 * The count and checksum of every row of `table`.
 * @example await tableChecksum(access, 'papers', ['pk', 'title']) // { rows: 75722, sum: 123n }
 */
export async function tableChecksum(
  access: TableAccess,
  table: string,
  columns: readonly string[],
): Promise<TableChecksum> {
  let c: TableChecksum = { rows: 0, sum: 0n };
  for await (const rows of access.rows(table, columns, BATCH)) c = addRows(c, rows);
  return c;
}

/**
 * Copies all of `from` into the empty `to`; nothing is left in `to` when any step fails before the commit.
 * Throws when a table's count or checksum differs afterwards.
 */
export async function copyDatabase(
  from: TableAccess,
  to: TableAccess,
  opts: { onProgress?: (p: CopyProgress) => void; signal?: AbortSignal } = {},
): Promise<CopyReport> {
  const tables = schemaTables();
  await checkCompatible(from, to, tables);
  const sums = new Map<string, { columns: string[]; sum: TableChecksum }>();
  await from.beginRead();
  await to.begin();
  try {
    for (const table of tables) {
      const columns = await from.columns(table);
      const total = await from.count(table);
      let sum: TableChecksum = { rows: 0, sum: 0n };
      opts.onProgress?.({ table, done: 0, total });
      for await (const rows of from.rows(table, columns, BATCH)) {
        if (opts.signal?.aborted === true)
          throw new AppError('INTERRUPTED', `Copy interrupted; nothing was written to ${to.where}.`);
        await to.insert(table, columns, rows);
        sum = addRows(sum, rows);
        opts.onProgress?.({ table, done: sum.rows, total });
      }
      sums.set(table, { columns, sum });
    }
    await to.commit(tables);
  } catch (err) {
    await to.rollback();
    throw err;
  } finally {
    await from.endRead();
  }
  const report: TableReport[] = [];
  const mismatches: string[] = [];
  for (const [table, { columns, sum }] of sums) {
    const got = await tableChecksum(to, table, columns);
    if (got.rows !== sum.rows || got.sum !== sum.sum)
      mismatches.push(
        `${table}: ${sum.rows} rows copied, ${got.rows} found, checksums ${got.sum === sum.sum ? 'match' : 'differ'}`,
      );
    report.push({ table, rows: sum.rows, checksum: sum.sum.toString(16).padStart(16, '0') });
  }
  if (mismatches.length > 0)
    throw new AppError(
      'STORE',
      `The copy in ${to.where} does not match ${from.where}: ${mismatches[0]}`,
      mismatches,
    );
  return {
    from: from.where,
    to: to.where,
    schemaVersion: await from.schemaVersion(),
    tables: report,
    rows: report.reduce((n, t) => n + t.rows, 0),
  };
}
