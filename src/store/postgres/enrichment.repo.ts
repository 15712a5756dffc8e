// PostgreSQL repository for GitHub repository facts, model summaries and thumbnails.
import type { EnrichmentRepo } from '../enrichment.ts';
import {
  repoFactParams,
  toRepoFact,
  toThumbnail,
  type RepoFactRow,
  type ThumbnailRow,
} from '../rows/enrichment-rows.ts';
import { queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

const ids = (rows: { paper_id: string }[]): Set<string> => new Set(rows.map((r) => r.paper_id));

/**
 * Creates the enrichment repository.
 * @example await createPgEnrichmentRepo(db).repoFacts();
 */
export function createPgEnrichmentRepo(db: PgDb): EnrichmentRepo {
  return {
    async repoFacts() {
      const rows = await queryRows<RepoFactRow>(
        db,
        'SELECT repo, status, stars, pushed_at, archived, etag, checked_at FROM repo_facts',
      );
      return rows.map(toRepoFact);
    },
    async putRepoFact(fact, day) {
      await withTransaction(db, async (c) => {
        await c.query(
          `INSERT INTO repo_facts (repo, status, stars, pushed_at, archived, etag, checked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (repo) DO UPDATE SET status = excluded.status, stars = excluded.stars,
             pushed_at = excluded.pushed_at, archived = excluded.archived, etag = excluded.etag,
             checked_at = excluded.checked_at`,
          repoFactParams(fact),
        );
        if (fact.stars !== null)
          await c.query(
            `INSERT INTO repo_star_days (repo, day, stars) VALUES ($1, $2, $3)
             ON CONFLICT (repo, day) DO UPDATE SET stars = excluded.stars`,
            [fact.repo, day, fact.stars],
          );
      });
    },
    async starsSince(day) {
      const rows = await queryRows<{ repo: string; stars: number }>(
        db,
        `SELECT DISTINCT ON (repo) repo, stars FROM repo_star_days WHERE day >= $1 ORDER BY repo, day`,
        [day],
      );
      return new Map(rows.map((r) => [r.repo, r.stars]));
    },
    async summaries(model, promptVersion) {
      const rows = await queryRows<{ paper_id: string; text: string }>(
        db,
        `SELECT paper_id, text FROM paper_summaries
         WHERE model = $1 AND prompt_version = $2 AND text IS NOT NULL`,
        [model, promptVersion],
      );
      return rows.map((r) => ({ paperId: r.paper_id, text: r.text }));
    },
    async summarizedIds(model, promptVersion, failedSince) {
      const rows = await queryRows<{ paper_id: string }>(
        db,
        `SELECT paper_id FROM paper_summaries WHERE model = $1 AND prompt_version = $2
           AND (text IS NOT NULL OR created_at >= $3)`,
        [model, promptVersion, failedSince],
      );
      return ids(rows);
    },
    async putSummary(s) {
      await db.query(
        `INSERT INTO paper_summaries (paper_id, model, prompt_version, text, error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (paper_id, model, prompt_version) DO UPDATE SET text = excluded.text,
           error = excluded.error, created_at = excluded.created_at`,
        [s.paperId, s.model, s.promptVersion, s.text, s.error, s.createdAt],
      );
    },
    async summaryAttemptsSince(since) {
      const r = await queryOne<{ n: number }>(
        db,
        'SELECT count(*) AS n FROM paper_summaries WHERE created_at >= $1',
        [since],
      );
      return r?.n ?? 0;
    },
    async thumbnail(paperId) {
      const r = await queryOne<ThumbnailRow>(
        db,
        'SELECT paper_id, image, width, height, error, created_at FROM paper_thumbnails WHERE paper_id = $1',
        [paperId],
      );
      return r === undefined ? null : toThumbnail(r);
    },
    async thumbnailIds() {
      return ids(
        await queryRows<{ paper_id: string }>(
          db,
          'SELECT paper_id FROM paper_thumbnails WHERE image IS NOT NULL',
        ),
      );
    },
    async thumbnailTriedIds() {
      return ids(await queryRows<{ paper_id: string }>(db, 'SELECT paper_id FROM paper_thumbnails'));
    },
    async putThumbnail(t) {
      await db.query(
        `INSERT INTO paper_thumbnails (paper_id, image, width, height, error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (paper_id) DO UPDATE SET image = excluded.image, width = excluded.width,
           height = excluded.height, error = excluded.error, created_at = excluded.created_at`,
        [t.paperId, t.image === null ? null : Buffer.from(t.image), t.width, t.height, t.error, t.createdAt],
      );
    },
  };
}
