// SQLite repository for papers: idempotent merge-upserts, lookups, newest lists and the change log.
import {
  mergePaper,
  normalizeAuthorName,
  titleKey,
  type Paper,
  type PaperInput,
  type UpsertOutcome,
} from '../../domain/index.ts';
import type { NewestQuery, PaperChange, PaperRepo } from '../store.ts';
import type { SqliteDb } from './open.ts';
import { rowToInput, rowToPaper, toRowValues, type PaperRow } from '../rows/paper-rows.ts';

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
 * Creates the papers repository over an open SQLite database.
 * @example const papers = createSqlitePaperRepo(db, () => new Date());
 */
export function createSqlitePaperRepo(db: SqliteDb, now: () => Date): PaperRepo {
  const q = {
    byArxiv: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE arxiv_id = ?'),
    byDoi: db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE doi = ? ORDER BY pk LIMIT 1'),
    byTitleKey: db.prepare<[string], PaperRow>(
      'SELECT * FROM papers WHERE title_key = ? ORDER BY pk LIMIT 1',
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
    latestSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM paper_changes'),
    delVectors: db.prepare('DELETE FROM paper_vectors WHERE paper_id = ?'),
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
  const authorPks = new Map<string, number>();

  function findMatch(p: PaperInput): PaperRow | undefined {
    if (p.arxivId !== null) {
      const hit = q.byArxiv.get(p.arxivId);
      if (hit) return hit;
    }
    const compatible = (r: PaperRow | undefined): PaperRow | undefined =>
      r && (r.arxiv_id === null || p.arxivId === null) ? r : undefined;
    if (p.doi !== null) {
      const hit = compatible(q.byDoi.get(p.doi));
      if (hit) return hit;
    }
    return compatible(q.byTitleKey.get(titleKey(p.title, p.authors)));
  }

  function authorPk(name: string): number {
    let pk = authorPks.get(name);
    if (pk === undefined) {
      pk =
        q.authorByName.get(name)?.pk ?? Number(q.author.run(name, normalizeAuthorName(name)).lastInsertRowid);
      if (authorPks.size > 50_000) authorPks.clear(); // bounded: about 10 MB
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

  function upsertOne(input: PaperInput, stamp: string): UpsertOutcome {
    const existing = findMatch(input);
    if (!existing) {
      const values = toRowValues(input, stamp);
      const pk = Number(q.insert.run(values).lastInsertRowid);
      writeLinks(pk, input, false);
      q.change.run(values.id, 'upsert');
      return 'added';
    }
    const stored = rowToInput(existing);
    const merged = mergePaper(stored, input);
    const values = toRowValues(merged, stamp);
    if (values.content_hash === existing.content_hash) return 'unchanged';
    q.update.run({ ...values, pk: existing.pk });
    const linksChanged = existing.authors !== values.authors || existing.categories !== values.categories;
    if (linksChanged) writeLinks(existing.pk, merged, true);
    if (values.id !== existing.id) q.change.run(existing.id, 'delete');
    q.change.run(values.id, 'upsert');
    return 'updated';
  }

  const upsertTx = db.transaction((inputs: readonly PaperInput[], dryRun: boolean) => {
    const stamp = now().toISOString();
    const outcomes = inputs.map((p) => upsertOne(p, stamp));
    if (dryRun) throw new DryRunRollback(JSON.stringify(outcomes));
    return outcomes;
  });

  return {
    async upsertMany(inputs, opts) {
      try {
        return upsertTx(inputs, opts?.dryRun === true);
      } catch (err) {
        if (!(err instanceof DryRunRollback)) {
          authorPks.clear();
          throw err;
        }
        authorPks.clear();
        return JSON.parse(err.message) as UpsertOutcome[];
      }
    },
    async get(id) {
      const r = q.byId.get(id);
      return r ? rowToPaper(r) : null;
    },
    async getMany(ids) {
      return ids.flatMap((id) => {
        const r = q.byId.get(id);
        return r ? [rowToPaper(r)] : [];
      });
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
    async delete(id) {
      return db.transaction(() => {
        const gone = q.del.run(id).changes > 0;
        if (gone) {
          q.delVectors.run(id);
          q.change.run(id, 'delete');
        }
        return gone;
      })();
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
