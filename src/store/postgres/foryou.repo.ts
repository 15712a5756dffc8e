// PostgreSQL repository for "For you" signals: follows, saved searches, not interested, seen, interest texts, visits.
import { normalizeTitle } from '../../domain/index.ts';
import type {
  Follow,
  FollowKind,
  ForYouRepo,
  InterestText,
  NotInterested,
  NotInterestedKind,
} from '../foryou.ts';
import {
  toCandidate,
  toMark,
  toSavedSearch,
  type CandidateRow,
  type MarkRow,
  type SavedSearchRow,
} from '../rows/foryou-rows.ts';
import { execCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

/** The first stored paper id per key (lowest pk), for one key column of papers. */
async function firstIdByKey(
  db: PgDb,
  column: 'arxiv_id' | 'doi' | 'title_key',
  keys: string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ k: string; id: string }>(
    db,
    `SELECT DISTINCT ON (${column}) ${column} AS k, id FROM papers WHERE ${column} = ANY($1::text[]) ORDER BY ${column}, pk`,
    [keys],
  );
  return new Map(rows.map((r) => [r.k, r.id]));
}

type MarkTable = 'follows' | 'not_interested';

/** Follows and not-interested marks share one shape: (user, kind, target) with a label and a time. */
function markTables(db: PgDb) {
  return {
    async add(table: MarkTable, userId: number, kind: string, key: string, label: string, at: string) {
      const sql = `INSERT INTO ${table} (user_id, kind, target, label, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT DO NOTHING`;
      return (await execCount(db, sql, [userId, kind, key, label, at])) > 0;
    },
    async remove(table: MarkTable, userId: number, kind: string, key: string) {
      const sql = `DELETE FROM ${table} WHERE user_id = $1 AND kind = $2 AND target = $3`;
      return (await execCount(db, sql, [userId, kind, key])) > 0;
    },
    list(table: MarkTable, userId: number, order: 'kind, label' | 'created_at DESC') {
      const sql = `SELECT kind, target, label, created_at FROM ${table} WHERE user_id = $1 ORDER BY ${order}`;
      return queryRows<MarkRow>(db, sql, [userId]);
    },
  };
}

/**
 * Creates the For-you signal repository. Id lists travel as one array parameter.
 */
export function createPgForYouRepo(db: PgDb, now: () => Date): ForYouRepo {
  const stamp = (): string => now().toISOString();
  const marks = markTables(db);
  return {
    follow: (userId, kind, key, label) => marks.add('follows', userId, kind, key, label, stamp()),
    unfollow: (userId, kind, key) => marks.remove('follows', userId, kind, key),
    async follows(userId) {
      return (await marks.list('follows', userId, 'kind, label')).map((r): Follow => toMark<FollowKind>(r));
    },
    markNotInterested: (userId, kind, key, label) =>
      marks.add('not_interested', userId, kind, key, label, stamp()),
    undoNotInterested: (userId, kind, key) => marks.remove('not_interested', userId, kind, key),
    async notInterested(userId) {
      const rows = await marks.list('not_interested', userId, 'created_at DESC');
      return rows.map((r): NotInterested => toMark<NotInterestedKind>(r));
    },
    async addSavedSearch(userId, query) {
      await db.query(
        'INSERT INTO saved_searches (user_id, query, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [userId, query, stamp()],
      );
      const row = await queryOne<SavedSearchRow>(
        db,
        'SELECT id, query, created_at FROM saved_searches WHERE user_id = $1 AND query = $2',
        [userId, query],
      );
      if (!row) throw new Error('saved search vanished after insert');
      return toSavedSearch(row);
    },
    async removeSavedSearch(userId, id) {
      return (
        (await execCount(db, 'DELETE FROM saved_searches WHERE user_id = $1 AND id = $2', [userId, id])) > 0
      );
    },
    async savedSearches(userId) {
      const rows = await queryRows<SavedSearchRow>(
        db,
        'SELECT id, query, created_at FROM saved_searches WHERE user_id = $1 ORDER BY id',
        [userId],
      );
      return rows.map(toSavedSearch);
    },
    async markSeen(userId, paperIds) {
      if (paperIds.length === 0) return 0;
      return execCount(
        db,
        `INSERT INTO seen_papers (user_id, paper_id, seen_at) SELECT $1, id, $3 FROM unnest($2::text[]) AS u(id)
         ON CONFLICT DO NOTHING`,
        [userId, paperIds, stamp()],
      );
    },
    async seenAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await queryRows<{ paper_id: string }>(
        db,
        'SELECT paper_id FROM seen_papers WHERE user_id = $1 AND paper_id = ANY($2::text[])',
        [userId, paperIds],
      );
      return new Set(rows.map((r) => r.paper_id));
    },
    async seenBetween(userId, from, to) {
      const rows = await queryRows<{ paper_id: string }>(
        db,
        `SELECT s.paper_id FROM seen_papers s JOIN papers p ON p.id = s.paper_id
         WHERE s.user_id = $1 AND p.sort_date >= $2 AND p.sort_date < $3`,
        [userId, from, to],
      );
      return new Set(rows.map((r) => r.paper_id));
    },
    async addInterestTexts(userId, texts, keep) {
      const kept = texts.flatMap((t) => {
        const key = normalizeTitle(t.title);
        return key === '' ? [] : [{ ...t, key }];
      });
      return withTransaction(db, async (c) => {
        const added =
          kept.length === 0
            ? 0
            : await execCount(
                c,
                `INSERT INTO interest_texts (user_id, title, title_key, abstract, source, created_at)
                 SELECT $1, title, title_key, abstract, source, $6
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
                   AS u(title, title_key, abstract, source, ord)
                 ORDER BY ord ON CONFLICT DO NOTHING`,
                [
                  userId,
                  ...(['title', 'key', 'abstract', 'source'] as const).map((f) => kept.map((t) => t[f])),
                  stamp(),
                ],
              );
        await c.query(
          `DELETE FROM interest_texts WHERE user_id = $1 AND id NOT IN
             (SELECT id FROM interest_texts WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`,
          [userId, keep],
        );
        return added;
      });
    },
    async interestTexts(userId, limit) {
      return queryRows<InterestText>(
        db,
        'SELECT title, abstract, source FROM interest_texts WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
        [userId, limit],
      );
    },
    async votedPapers(userId, limit) {
      return queryRows<{ paperId: string; atMs: number }>(
        db,
        `SELECT p.id AS "paperId", v.cast_ms AS "atMs" FROM votes v JOIN papers p ON p.pk = v.paper_pk
         WHERE v.user_id = $1 ORDER BY v.cast_ms DESC LIMIT $2`,
        [userId, limit],
      );
    },
    async recordVisit(userId, sessionGapMs) {
      const at = stamp();
      return withTransaction(db, async (c) => {
        const row = await queryOne<{ previous_at: string | null; last_at: string }>(
          c,
          'SELECT previous_at, last_at FROM foryou_visits WHERE user_id = $1 FOR UPDATE',
          [userId],
        );
        const previous = !row
          ? null
          : Date.parse(at) - Date.parse(row.last_at) < sessionGapMs
            ? row.previous_at
            : row.last_at;
        await c.query(
          `INSERT INTO foryou_visits (user_id, previous_at, last_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET previous_at = excluded.previous_at, last_at = excluded.last_at`,
          [userId, previous, at],
        );
        return previous;
      });
    },
    async candidates(from, to, limit) {
      const rows = await queryRows<CandidateRow>(
        db,
        `SELECT id, title, substr(sort_date, 1, 10) AS day, authors, categories FROM papers
         WHERE sort_date >= $1 AND sort_date < $2 ORDER BY sort_date DESC, pk DESC LIMIT $3`,
        [from, to, limit],
      );
      return rows.map(toCandidate);
    },
    async windowPapers(from, to, limit) {
      const rows = await queryRows<{ id: string; day: string; categories: string }>(
        db,
        `SELECT id, substr(sort_date, 1, 10) AS day, categories FROM papers
         WHERE sort_date >= $1 AND sort_date < $2 ORDER BY sort_date DESC, pk DESC LIMIT $3`,
        [from, to, limit],
      );
      return rows.map((r) => ({ id: r.id, day: r.day, categories: JSON.parse(r.categories) as string[] }));
    },
    async authorPapers(keys, from, to) {
      if (keys.length === 0) return [];
      return queryRows<{ paperId: string; position: number; key: string }>(
        db,
        `SELECT p.id AS "paperId", pa.position, a.name_key AS key FROM authors a
         JOIN paper_authors pa ON pa.author_pk = a.pk JOIN papers p ON p.pk = pa.paper_pk
         WHERE a.name_key = ANY($1::text[]) AND p.sort_date >= $2 AND p.sort_date < $3`,
        [keys, from, to],
      );
    },
    async matchPapers(refs) {
      const usable = (k: string | null): k is string => k !== null;
      const titleUsable = (k: string | null): k is string => k !== null && !k.startsWith('|');
      const [byArxiv, byDoi, byTitle] = await Promise.all([
        firstIdByKey(db, 'arxiv_id', [...new Set(refs.map((r) => r.arxivId).filter(usable))]),
        firstIdByKey(db, 'doi', [...new Set(refs.map((r) => r.doi).filter(usable))]),
        firstIdByKey(db, 'title_key', [...new Set(refs.map((r) => r.titleKey).filter(titleUsable))]),
      ]);
      return refs.map(
        (r) =>
          (r.arxivId !== null ? byArxiv.get(r.arxivId) : undefined) ??
          (r.doi !== null ? byDoi.get(r.doi) : undefined) ??
          (titleUsable(r.titleKey) ? byTitle.get(r.titleKey) : undefined) ??
          null,
      );
    },
  };
}
