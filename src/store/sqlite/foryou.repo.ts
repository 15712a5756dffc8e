// SQLite repository for "For you" signals: follows, saved searches, not interested, seen, interest texts, visits.
import { normalizeTitle } from '../../domain/index.ts';
import type {
  AuthorPaper,
  Follow,
  FollowKind,
  ForYouRepo,
  InterestText,
  NotInterested,
  NotInterestedKind,
  WindowRow,
} from '../foryou.ts';
import {
  toCandidate,
  toMark,
  toSavedSearch,
  type CandidateRow,
  type MarkRow,
  type SavedSearchRow,
} from '../rows/foryou-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the For-you signal repository. Id lists travel as one JSON parameter, so statements stay prepared.
 */
export function createSqliteForYouRepo(db: SqliteDb, now: () => Date): ForYouRepo {
  const q = {
    follow: db.prepare(
      'INSERT OR IGNORE INTO follows (user_id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    unfollow: db.prepare('DELETE FROM follows WHERE user_id = ? AND kind = ? AND target = ?'),
    follows: db.prepare<[number], MarkRow>(
      'SELECT kind, target, label, created_at FROM follows WHERE user_id = ? ORDER BY kind, label',
    ),
    mark: db.prepare(
      'INSERT OR IGNORE INTO not_interested (user_id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    unmark: db.prepare('DELETE FROM not_interested WHERE user_id = ? AND kind = ? AND target = ?'),
    marks: db.prepare<[number], MarkRow>(
      'SELECT kind, target, label, created_at FROM not_interested WHERE user_id = ? ORDER BY created_at DESC',
    ),
    addSearch: db.prepare(
      'INSERT OR IGNORE INTO saved_searches (user_id, query, created_at) VALUES (?, ?, ?)',
    ),
    search: db.prepare<[number, string], SavedSearchRow>(
      'SELECT id, query, created_at FROM saved_searches WHERE user_id = ? AND query = ?',
    ),
    removeSearch: db.prepare('DELETE FROM saved_searches WHERE user_id = ? AND id = ?'),
    searches: db.prepare<[number], SavedSearchRow>(
      'SELECT id, query, created_at FROM saved_searches WHERE user_id = ? ORDER BY id',
    ),
    seen: db.prepare('INSERT OR IGNORE INTO seen_papers (user_id, paper_id, seen_at) VALUES (?, ?, ?)'),
    seenAmong: db.prepare<[number, string], { paper_id: string }>(
      `SELECT paper_id FROM seen_papers WHERE user_id = ? AND paper_id IN (SELECT value FROM json_each(?))`,
    ),
    seenBetween: db.prepare<[number, string, string], { paper_id: string }>(
      `SELECT s.paper_id FROM seen_papers s JOIN papers p ON p.id = s.paper_id
       WHERE s.user_id = ? AND p.sort_date >= ? AND p.sort_date < ?`,
    ),
    addText: db.prepare(
      `INSERT OR IGNORE INTO interest_texts (user_id, title, title_key, abstract, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    trimTexts: db.prepare(
      `DELETE FROM interest_texts WHERE user_id = ? AND id NOT IN
         (SELECT id FROM interest_texts WHERE user_id = ? ORDER BY id DESC LIMIT ?)`,
    ),
    texts: db.prepare<[number, number], InterestText>(
      'SELECT title, abstract, source FROM interest_texts WHERE user_id = ? ORDER BY id DESC LIMIT ?',
    ),
    votes: db.prepare<[number, number], { paperId: string; atMs: number }>(
      `SELECT p.id AS paperId, v.cast_ms AS atMs FROM votes v JOIN papers p ON p.pk = v.paper_pk
       WHERE v.user_id = ? ORDER BY v.cast_ms DESC LIMIT ?`,
    ),
    visit: db.prepare<[number], { previous_at: string | null; last_at: string }>(
      'SELECT previous_at, last_at FROM foryou_visits WHERE user_id = ?',
    ),
    setVisit: db.prepare(
      `INSERT INTO foryou_visits (user_id, previous_at, last_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET previous_at = excluded.previous_at, last_at = excluded.last_at`,
    ),
    candidates: db.prepare<[string, string, number], CandidateRow>(
      `SELECT id, title, substr(sort_date, 1, 10) AS day, authors, categories FROM papers
       WHERE sort_date >= ? AND sort_date < ? ORDER BY sort_date DESC, pk DESC LIMIT ?`,
    ),
    windowPapers: db.prepare<[string, string, number], [string, string, string]>(
      `SELECT id, substr(sort_date, 1, 10), categories FROM papers
       WHERE sort_date >= ? AND sort_date < ? ORDER BY sort_date DESC, pk DESC LIMIT ?`,
    ),
    authorPapers: db.prepare<[string, string, string], AuthorPaper>(
      `SELECT p.id AS paperId, pa.position, a.name_key AS key FROM authors a
       JOIN paper_authors pa ON pa.author_pk = a.pk JOIN papers p ON p.pk = pa.paper_pk
       WHERE a.name_key IN (SELECT value FROM json_each(?)) AND p.sort_date >= ? AND p.sort_date < ?`,
    ),
    byArxiv: db.prepare<[string], { id: string }>('SELECT id FROM papers WHERE arxiv_id = ?'),
    byDoi: db.prepare<[string], { id: string }>('SELECT id FROM papers WHERE doi = ? ORDER BY pk LIMIT 1'),
    byTitleKey: db.prepare<[string], { id: string }>(
      'SELECT id FROM papers WHERE title_key = ? ORDER BY pk LIMIT 1',
    ),
  };
  const stamp = (): string => now().toISOString();
  const markSeenTx = db.transaction((userId: number, ids: readonly string[], at: string) => {
    let added = 0;
    for (const id of ids) added += q.seen.run(userId, id, at).changes;
    return added;
  });
  const addTextsTx = db.transaction(
    (userId: number, texts: readonly InterestText[], keep: number, at: string) => {
      let added = 0;
      for (const t of texts) {
        const key = normalizeTitle(t.title);
        if (key !== '') added += q.addText.run(userId, t.title, key, t.abstract, t.source, at).changes;
      }
      q.trimTexts.run(userId, userId, keep);
      return added;
    },
  );
  const visitTx = db.transaction((userId: number, gapMs: number, at: string) => {
    const row = q.visit.get(userId);
    if (!row) {
      q.setVisit.run(userId, null, at);
      return null;
    }
    const sameSession = Date.parse(at) - Date.parse(row.last_at) < gapMs;
    const previous = sameSession ? row.previous_at : row.last_at;
    q.setVisit.run(userId, previous, at);
    return previous;
  });
  return {
    async follow(userId, kind, key, label) {
      return q.follow.run(userId, kind, key, label, stamp()).changes > 0;
    },
    async unfollow(userId, kind, key) {
      return q.unfollow.run(userId, kind, key).changes > 0;
    },
    async follows(userId) {
      return q.follows.all(userId).map((r): Follow => toMark<FollowKind>(r));
    },
    async markNotInterested(userId, kind, key, label) {
      return q.mark.run(userId, kind, key, label, stamp()).changes > 0;
    },
    async undoNotInterested(userId, kind, key) {
      return q.unmark.run(userId, kind, key).changes > 0;
    },
    async notInterested(userId) {
      return q.marks.all(userId).map((r): NotInterested => toMark<NotInterestedKind>(r));
    },
    async addSavedSearch(userId, query) {
      q.addSearch.run(userId, query, stamp());
      const row = q.search.get(userId, query);
      if (!row) throw new Error('saved search vanished after insert');
      return toSavedSearch(row);
    },
    async removeSavedSearch(userId, id) {
      return q.removeSearch.run(userId, id).changes > 0;
    },
    async savedSearches(userId) {
      return q.searches.all(userId).map(toSavedSearch);
    },
    async markSeen(userId, paperIds) {
      return markSeenTx(userId, paperIds, stamp());
    },
    async seenAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      return new Set(q.seenAmong.all(userId, JSON.stringify(paperIds)).map((r) => r.paper_id));
    },
    async seenBetween(userId, from, to) {
      return new Set(q.seenBetween.all(userId, from, to).map((r) => r.paper_id));
    },
    async addInterestTexts(userId, texts, keep) {
      return addTextsTx(userId, texts, keep, stamp());
    },
    async interestTexts(userId, limit) {
      return q.texts.all(userId, limit);
    },
    async votedPapers(userId, limit) {
      return q.votes.all(userId, limit);
    },
    async recordVisit(userId, sessionGapMs) {
      return visitTx(userId, sessionGapMs, stamp());
    },
    async candidates(from, to, limit) {
      return q.candidates.all(from, to, limit).map(toCandidate);
    },
    async windowPapers(from, to, limit) {
      return q.windowPapers
        .raw()
        .all(from, to, limit)
        .map(([id, day, cats]): WindowRow => ({ id, day, categories: JSON.parse(cats) as string[] }));
    },
    async authorPapers(keys, from, to) {
      return keys.length === 0 ? [] : q.authorPapers.all(JSON.stringify(keys), from, to);
    },
    async matchPapers(refs) {
      return refs.map(
        (r) =>
          (r.arxivId !== null ? q.byArxiv.get(r.arxivId)?.id : undefined) ??
          (r.doi !== null ? q.byDoi.get(r.doi)?.id : undefined) ??
          (r.titleKey !== null && !r.titleKey.startsWith('|')
            ? q.byTitleKey.get(r.titleKey)?.id
            : undefined) ??
          null,
      );
    },
  };
}
