// SQLite repository for papers: idempotent merge-upserts, lookups, newest lists and the change log.
import {
  mergePaper,
  normalizeAuthorName,
  type ExternalId,
  type Paper,
  type PaperInput,
} from '../../domain/index.ts';
import type { NewestQuery, PaperChange, PaperRepo, UpsertRecord, UpsertResult } from '../store.ts';
import { diskFullError, isDiskFull, textBytes } from './disk-full.ts';
import type { SqliteDb } from './open.ts';
import { lockedTransaction, type WriteGate } from './write-lock.ts';
import { createAuthorCache } from './author-cache.ts';
import {
  BULK_LOAD_MAX_STORED,
  buildDeferredIndexes,
  deferIndexes,
  deferredState,
  heartbeat,
} from './deferred-indexes.ts';
import { rowToInput, rowToPaper, toRowValues, type PaperRow } from '../rows/paper-rows.ts';
import {
  newPaperId,
  pickTitleMatch,
  TITLE_CANDIDATES,
  titleRange,
  updatedId,
  type MatchedBy,
} from '../rows/paper-identity.ts';
import { deletePaperVectorsSql } from '../vector-models-sql.ts';

/** Deletes a paper's vectors of every model through their key (the test of its plan reads it). */
export const DELETE_PAPER_VECTORS = deletePaperVectorsSql('?');

const COLUMNS = [
  'id',
  'arxiv_id',
  'version',
  'doi',
  'title',
  'title_key',
  'abstract',
  'authors',
  'categories',
  'primary_category',
  'published',
  'updated',
  'announced',
  'sort_date',
  'comment',
  'journal_ref',
  'license',
  'abs_url',
  'pdf_url',
  'content_hash',
  'modified_at',
] as const;

class DryRunRollback extends Error {}

/**
 * Author names whose keys an import remembers: the 2.7M arXiv corpus has about 200,000 distinct names, and the
 * old 50,000 thrashed (a B-tree look-up for most authors; docs/BENCHMARKS.md, "#23 bulk ingest"). About 60 MB.
 */
const AUTHOR_CACHE_NAMES = 400_000;

/** Tries "<source>:<id>" at each colon (a source name may hold none, an id may hold several). */
function externalRef(
  ref: string,
  find: (source: string, id: string) => PaperRow | undefined,
): PaperRow | undefined {
  for (let i = ref.indexOf(':'); i > 0; i = ref.indexOf(':', i + 1)) {
    const hit = find(ref.slice(0, i), ref.slice(i + 1));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Creates the papers repository over an open SQLite database.
 */
export function createSqlitePaperRepo(
  db: SqliteDb,
  now: () => Date,
  gate: WriteGate = (fn) => fn(),
): PaperRepo {
  const q = {
    byArxiv: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE arxiv_id = ?'),
    byDoi: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE doi = ? ORDER BY pk LIMIT 1'),
    // Sorted by pk in JS: ORDER BY here would build a temporary B-tree for every record, usually for no row.
    byTitle: db.prepare<[string, string], PaperRow>(
      `SELECT * FROM papers WHERE title_key >= ? AND title_key < ? LIMIT ${TITLE_CANDIDATES}`,
    ),
    byExt: db.prepare<[string, string], PaperRow>(
      'SELECT p.* FROM paper_external_ids e JOIN papers p ON p.pk = e.paper_pk WHERE e.source = ? AND e.ext_id = ?',
    ),
    byBareExt: db.prepare<[string], PaperRow>(
      'SELECT p.* FROM paper_external_ids e JOIN papers p ON p.pk = e.paper_pk WHERE e.ext_id = ? ORDER BY p.pk LIMIT 1',
    ),
    extSources: db.prepare<[number], { source: string }>(
      'SELECT DISTINCT source FROM paper_external_ids WHERE paper_pk = ?',
    ),
    extOf: db.prepare<[number], { source: string; ext_id: string; location: string | null }>(
      'SELECT source, ext_id, location FROM paper_external_ids WHERE paper_pk = ? ORDER BY source, ext_id',
    ),
    addExt: db.prepare(
      'INSERT OR IGNORE INTO paper_external_ids (source, ext_id, paper_pk, location) VALUES (?, ?, ?, ?)',
    ),
    byId: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO papers (${COLUMNS.join(', ')}, created_at) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')}, @modified_at)`,
    ),
    update: db.prepare(`UPDATE papers SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE pk = @pk`),
    clearAuthors: db.prepare('DELETE FROM paper_authors WHERE paper_pk = ?'),
    clearCats: db.prepare('DELETE FROM paper_categories WHERE paper_pk = ?'),
    authorByName: db.prepare<[string], { pk: number }>('SELECT pk FROM authors WHERE name = ?'),
    author: db.prepare('INSERT INTO authors (name, name_key) VALUES (?, ?)'),
    paperAuthor: db.prepare('INSERT INTO paper_authors (paper_pk, position, author_pk) VALUES (?, ?, ?)'),
    paperCat: db.prepare('INSERT OR IGNORE INTO paper_categories (category, paper_pk) VALUES (?, ?)'),
    change: db.prepare('INSERT INTO paper_changes (paper_id, op) VALUES (?, ?)'),
    del: db.prepare('DELETE FROM papers WHERE id = ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM papers'),
    maxKey: db.prepare<[], { n: number }>('SELECT coalesce(max(pk), 0) AS n FROM papers'),
    // Stops counting at the limit: a full count of millions of papers takes seconds.
    countUpTo: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT 1 FROM papers LIMIT ?)',
    ),
    latestSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM paper_changes'),
    delVectors: db.prepare(DELETE_PAPER_VECTORS),
    changes: db.prepare<[number, number], { seq: number; paper_id: string; op: 'upsert' | 'delete' }>(
      'SELECT seq, paper_id, op FROM paper_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    newest: db.prepare<[number, number], PaperRow>(
      'SELECT * FROM papers ORDER BY sort_date DESC, pk DESC LIMIT ? OFFSET ?',
    ),
    newestInCat: db.prepare<[string, number, number], PaperRow>(
      `SELECT p.* FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk
       WHERE c.category = ? ORDER BY p.sort_date DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    scan: db.prepare<[number, number], PaperRow>('SELECT * FROM papers WHERE pk > ? ORDER BY pk LIMIT ?'),
  };
  const authorPks = createAuthorCache(AUTHOR_CACHE_NAMES);
  let bulk = false;

  function findMatch(p: PaperInput, ext: ExternalId | null): { row: PaperRow; by: MatchedBy } | undefined {
    if (ext !== null) {
      const hit = q.byExt.get(ext.source, ext.id);
      if (hit) return { row: hit, by: 'external' };
    }
    if (p.arxivId !== null) {
      const hit = q.byArxiv.get(p.arxivId);
      if (hit) return { row: hit, by: 'arxiv' };
    }
    if (p.doi !== null) {
      const hit = q.byDoi.get(p.doi);
      if (hit && (hit.arxiv_id === null || p.arxivId === null)) return { row: hit, by: 'doi' };
    }
    const hit = pickTitleMatch(
      p,
      ext,
      q.byTitle.all(...titleRange(p.title)).sort((a, b) => a.pk - b.pk),
      (r) => r,
      (r) => new Set(q.extSources.all(r.pk).map((x) => x.source)),
    );
    return hit ? { row: hit, by: 'title' } : undefined;
  }

  function authorPk(name: string): number {
    let pk = authorPks.get(name);
    if (pk === undefined) {
      pk =
        q.authorByName.get(name)?.pk ?? Number(q.author.run(name, normalizeAuthorName(name)).lastInsertRowid);
      authorPks.set(name, pk);
    }
    return pk;
  }

  function writeLinks(pk: number, p: PaperInput, replace: boolean): void {
    if (replace) {
      q.clearAuthors.run(pk);
      q.clearCats.run(pk);
    }
    p.authors.forEach((a, i) => q.paperAuthor.run(pk, i, authorPk(a)));
    for (const c of p.categories) q.paperCat.run(c, pk);
  }

  function upsertOne(rec: UpsertRecord, stamp: string): UpsertResult {
    const input = rec.paper;
    let match = findMatch(input, rec.externalId);
    if (!match) {
      const chosen = newPaperId(input, rec.externalId, (id) => q.byId.get(id) !== undefined);
      if ('id' in chosen) {
        const values = { ...toRowValues(input, stamp), id: chosen.id };
        const pk = Number(q.insert.run(values).lastInsertRowid);
        writeLinks(pk, input, false);
        keepExternalId(pk, rec);
        q.change.run(values.id, 'upsert');
        return { outcome: 'added', paperId: values.id, mergedBy: null, into: null };
      }
      const same = q.byId.get(chosen.taken);
      if (same) match = { row: same, by: 'title' };
      else throw new Error(`paper ${chosen.taken} vanished while storing ${rec.location ?? 'a record'}`);
    }
    const existing = match.row;
    const mergedBy = match.by === 'doi' || match.by === 'title' ? match.by : null;
    const into = mergedBy !== null ? (q.extOf.get(existing.pk)?.location ?? existing.id) : null;
    keepExternalId(existing.pk, rec);
    const merged = mergePaper(rowToInput(existing), input);
    const values = { ...toRowValues(merged, stamp), id: updatedId(existing.id, merged) };
    if (values.content_hash === existing.content_hash)
      return { outcome: 'unchanged', paperId: existing.id, mergedBy, into };
    q.update.run({ ...values, pk: existing.pk });
    const linksChanged = existing.authors !== values.authors || existing.categories !== values.categories;
    if (linksChanged) writeLinks(existing.pk, merged, true);
    if (values.id !== existing.id) q.change.run(existing.id, 'delete');
    q.change.run(values.id, 'upsert');
    return { outcome: 'updated', paperId: values.id, mergedBy, into };
  }

  function keepExternalId(pk: number, rec: UpsertRecord): void {
    if (rec.externalId !== null) q.addExt.run(rec.externalId.source, rec.externalId.id, pk, rec.location);
  }

  const readOne = (id: string): Paper[] => {
    const r = q.byId.get(id);
    return r ? [rowToPaper(r)] : [];
  };
  // One read transaction for a page's papers: each statement outside one takes and drops the WAL read lock
  // (fcntl calls and a file check), about a third of a row's cost at 2.7M papers (docs/BENCHMARKS.md, "#23 where
  // a served search's time goes").
  const readMany = db.transaction((ids: readonly string[]): Paper[] => ids.flatMap(readOne));
  // The write lock is waited for between turns of the event loop (write-lock.ts), each try through `gate`.
  const upsertTx = lockedTransaction(db, gate, (records: readonly UpsertRecord[], dryRun: boolean) => {
    const stamp = now().toISOString();
    const results = records.map((r) => upsertOne(r, stamp));
    if (dryRun) throw new DryRunRollback(JSON.stringify(results));
    // Committed with the batch: another process opening the store sees this import is alive and leaves
    // its deferred indexes to it.
    if (bulk) heartbeat(db);
    return results;
  });

  const deleteTx = lockedTransaction(db, gate, (id: string): boolean => {
    const gone = q.del.run(id).changes > 0;
    if (gone) {
      q.delVectors.run(id);
      q.change.run(id, 'delete');
    }
    return gone;
  });

  async function upsertRecords(records: readonly UpsertRecord[], dryRun: boolean): Promise<UpsertResult[]> {
    try {
      // BEGIN IMMEDIATE: the batch reads (which paper each record is) before it writes, and a deferred transaction
      // whose snapshot another process's commit (serve embedding or voting) made stale cannot take the write lock:
      // SQLite refuses it at once as "database is locked", without waiting out busy_timeout.
      return await upsertTx(records, dryRun);
    } catch (err) {
      authorPks.clear();
      if (isDiskFull(err)) throw diskFullError(db.name, records.length, textBytes(records));
      if (!(err instanceof DryRunRollback)) throw err;
      return JSON.parse(err.message) as UpsertResult[];
    }
  }

  return {
    async upsertMany(inputs, opts) {
      const records = inputs.map((paper) => ({ paper, externalId: null, location: null }));
      return (await upsertRecords(records, opts?.dryRun === true)).map((r) => r.outcome);
    },
    async upsertRecords(records, opts) {
      return upsertRecords(records, opts?.dryRun === true);
    },
    async bulkLoad(wanted) {
      const state = deferredState(db);
      if (state === 'live') return false;
      if (!wanted) {
        if (state === 'abandoned') buildDeferredIndexes(db);
        return false;
      }
      // An abandoned bulk load (killed) is taken over whatever the store holds now: it is the same import.
      if (state === 'none' && (q.countUpTo.get(BULK_LOAD_MAX_STORED)?.n ?? 0) >= BULK_LOAD_MAX_STORED)
        return false;
      deferIndexes(db);
      bulk = true;
      return true;
    },
    async finishBulkLoad(onIndex) {
      bulk = false;
      buildDeferredIndexes(db, onIndex);
    },
    async byExternalId(ref) {
      const r = externalRef(ref, (source, id) => q.byExt.get(source, id)) ?? q.byBareExt.get(ref);
      return r ? rowToPaper(r) : null;
    },
    async externalIds(paperId) {
      const pk = q.byId.get(paperId)?.pk;
      return pk === undefined ? [] : q.extOf.all(pk).map((x) => ({ source: x.source, id: x.ext_id }));
    },
    async get(id) {
      return readOne(id)[0] ?? null;
    },
    async getMany(ids) {
      return ids.length > 1 ? readMany(ids) : ids.flatMap(readOne);
    },
    async newest(nq: NewestQuery): Promise<Paper[]> {
      const rows =
        nq.category !== undefined
          ? q.newestInCat.all(nq.category, nq.limit, nq.offset ?? 0)
          : q.newest.all(nq.limit, nq.offset ?? 0);
      return rows.map(rowToPaper);
    },
    async count() {
      return q.count.get()?.n ?? 0;
    },
    async countUpperBound() {
      return q.maxKey.get()?.n ?? 0;
    },
    async delete(id) {
      return deleteTx(id);
    },
    async latestChangeSeq() {
      return q.latestSeq.get()?.seq ?? 0;
    },
    async changesSince(seq, limit): Promise<PaperChange[]> {
      return q.changes.all(seq, limit).map((r) => ({ seq: r.seq, paperId: r.paper_id, op: r.op }));
    },
    async *scan(pageSize) {
      let after = 0;
      for (;;) {
        const rows = q.scan.all(after, pageSize);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]?.pk ?? after;
        yield rows.map(rowToPaper);
      }
    },
  };
}
