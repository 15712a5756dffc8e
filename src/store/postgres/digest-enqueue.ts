// PostgreSQL's outbox enqueue, hand-written: the digest row and its sent papers in one transaction, the papers
// as one text array unnested by the server (one parameter whatever the count).
import type { DigestRepo } from '../digest.ts';
import { withTransaction, type PgDb } from './pg-db.ts';

/**
 * The enqueue of the digest repository on PostgreSQL: false when the subscription already has that date's digest.
 * @example const queued = await pgDigestEnqueue(db, now)(7, '2026-07-01', '<id@host>', content);
 */
export function pgDigestEnqueue(db: PgDb, now: () => Date): DigestRepo['enqueue'] {
  return async (subId, date, messageId, content, status = 'queued') => {
    const at = now().toISOString();
    return withTransaction(db, async (c) => {
      const r = await c.query(
        `INSERT INTO digest_outbox (subscription_id, digest_date, status, message_id, content, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (subscription_id, digest_date) DO NOTHING`,
        [subId, date, status, messageId, JSON.stringify(content), at],
      );
      if ((r.rowCount ?? 0) === 0) return false;
      const ids = content.sections.flatMap((s) => s.paperIds);
      if (ids.length > 0)
        await c.query(
          `INSERT INTO digest_sent_papers (subscription_id, paper_id, digest_date)
           SELECT $1, id, $3 FROM unnest($2::text[]) AS u(id)
           ON CONFLICT (subscription_id, paper_id) DO NOTHING`,
          [subId, ids, date],
        );
      return true;
    });
  };
}
