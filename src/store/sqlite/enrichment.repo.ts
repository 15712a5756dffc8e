// SQLite repository for GitHub repository facts, model summaries and thumbnails.
import type { EnrichmentRepo } from '../enrichment.ts';
import {
  repoFactParams,
  toRepoFact,
  toThumbnail,
  type RepoFactRow,
  type ThumbnailRow,
} from '../rows/enrichment-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the enrichment repository.
 * @example await createSqliteEnrichmentRepo(db).repoFacts();
 */
export function createSqliteEnrichmentRepo(db: SqliteDb): EnrichmentRepo {
  const q = {
    facts: db.prepare<[], RepoFactRow>(
      'SELECT repo, status, stars, pushed_at, archived, etag, checked_at FROM repo_facts',
    ),
    putFact: db.prepare(
      `INSERT INTO repo_facts (repo, status, stars, pushed_at, archived, etag, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo) DO UPDATE SET status = excluded.status, stars = excluded.stars,
         pushed_at = excluded.pushed_at, archived = excluded.archived, etag = excluded.etag,
         checked_at = excluded.checked_at`,
    ),
    putDay: db.prepare(
      `INSERT INTO repo_star_days (repo, day, stars) VALUES (?, ?, ?)
       ON CONFLICT (repo, day) DO UPDATE SET stars = excluded.stars`,
    ),
    starsSince: db.prepare<[string], { repo: string; stars: number }>(
      `SELECT d.repo, d.stars FROM repo_star_days d
       WHERE d.day = (SELECT min(day) FROM repo_star_days e WHERE e.repo = d.repo AND e.day >= ?)`,
    ),
    summaries: db.prepare<[string, string], { paper_id: string; text: string }>(
      `SELECT paper_id, text FROM paper_summaries
       WHERE model = ? AND prompt_version = ? AND text IS NOT NULL`,
    ),
    summarizedIds: db.prepare<[string, string, string], { paper_id: string }>(
      `SELECT paper_id FROM paper_summaries WHERE model = ? AND prompt_version = ?
         AND (text IS NOT NULL OR created_at >= ?)`,
    ),
    putSummary: db.prepare(
      `INSERT INTO paper_summaries (paper_id, model, prompt_version, text, error, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (paper_id, model, prompt_version) DO UPDATE SET text = excluded.text,
         error = excluded.error, created_at = excluded.created_at`,
    ),
    attempts: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM paper_summaries WHERE created_at >= ?',
    ),
    thumbnail: db.prepare<[string], ThumbnailRow>(
      'SELECT paper_id, image, width, height, error, created_at FROM paper_thumbnails WHERE paper_id = ?',
    ),
    thumbnailIds: db.prepare<[], { paper_id: string }>(
      'SELECT paper_id FROM paper_thumbnails WHERE image IS NOT NULL',
    ),
    triedIds: db.prepare<[], { paper_id: string }>('SELECT paper_id FROM paper_thumbnails'),
    putThumbnail: db.prepare(
      `INSERT INTO paper_thumbnails (paper_id, image, width, height, error, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (paper_id) DO UPDATE SET image = excluded.image, width = excluded.width,
         height = excluded.height, error = excluded.error, created_at = excluded.created_at`,
    ),
  };
  const ids = (rows: { paper_id: string }[]): Set<string> => new Set(rows.map((r) => r.paper_id));
  return {
    async repoFacts() {
      return q.facts.all().map(toRepoFact);
    },
    async putRepoFact(fact, day) {
      db.transaction(() => {
        q.putFact.run(...repoFactParams(fact));
        if (fact.stars !== null) q.putDay.run(fact.repo, day, fact.stars);
      })();
    },
    async starsSince(day) {
      return new Map(q.starsSince.all(day).map((r) => [r.repo, r.stars]));
    },
    async summaries(model, promptVersion) {
      return q.summaries.all(model, promptVersion).map((r) => ({ paperId: r.paper_id, text: r.text }));
    },
    async summarizedIds(model, promptVersion, failedSince) {
      return ids(q.summarizedIds.all(model, promptVersion, failedSince));
    },
    async putSummary(s) {
      q.putSummary.run(s.paperId, s.model, s.promptVersion, s.text, s.error, s.createdAt);
    },
    async summaryAttemptsSince(since) {
      return q.attempts.get(since)?.n ?? 0;
    },
    async thumbnail(paperId) {
      const r = q.thumbnail.get(paperId);
      return r === undefined ? null : toThumbnail(r);
    },
    async thumbnailIds() {
      return ids(q.thumbnailIds.all());
    },
    async thumbnailTriedIds() {
      return ids(q.triedIds.all());
    },
    async putThumbnail(t) {
      const image = t.image === null ? null : Buffer.from(t.image);
      q.putThumbnail.run(t.paperId, image, t.width, t.height, t.error, t.createdAt);
    },
  };
}
