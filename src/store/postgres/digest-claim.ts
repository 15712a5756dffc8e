// PostgreSQL's outbox claim, hand-written: FOR UPDATE SKIP LOCKED lets nodes claiming at the same moment
// take disjoint rows without waiting on each other, which neither SQLite nor the query builder's common
// subset can say.
import type { DigestRepo } from '../digest.ts';
import { toOutboxItem, type OutboxRow } from '../rows/digest-rows.ts';
import { queryRows, withTransaction, type PgDb } from './pg-db.ts';

/** Rows anyone may take now: queued and due, or in flight under a lease that ran out. Locked as taken. */
const READY = `SELECT * FROM digest_outbox
  WHERE ((status = 'queued' AND next_attempt_at <= $1)
         OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= $1)))
    AND ($2 = 0 OR subscription_id = $2)
  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`;

/** Rows in flight under another owner's live lease: taken only when that owner is dead (checked in code). */
const IN_FLIGHT = `SELECT id, owner FROM digest_outbox
  WHERE status = 'sending' AND lease_until > $1 AND owner <> $2 AND ($3 = 0 OR subscription_id = $3)
  ORDER BY id LIMIT 500`;

/**
 * The claim of the digest repository: due rows, then rows of dead owners, at most `limit`, locked as taken.
 * @example const items = await pgDigestClaim(db, now)('host:42', 20, leaseIso, () => false);
 */
export function pgDigestClaim(db: PgDb, now: () => Date): DigestRepo['claim'] {
  return async (owner, limit, leaseUntil, isDead, only) => {
    const at = now().toISOString();
    return withTransaction(db, async (c) => {
      // Lock only rows this claim takes, so a node claiming at the same moment gets the others.
      const taken = await queryRows<OutboxRow>(c, READY, [at, only ?? 0, limit]);
      if (taken.length < limit) {
        const flying = await queryRows<{ id: number; owner: string }>(c, IN_FLIGHT, [at, owner, only ?? 0]);
        const dead = flying.filter((r) => isDead(r.owner)).map((r) => r.id);
        if (dead.length > 0)
          taken.push(
            ...(await queryRows<OutboxRow>(
              c,
              `SELECT * FROM digest_outbox WHERE id = ANY($1::bigint[]) AND status = 'sending'
               ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
              [dead, limit - taken.length],
            )),
          );
      }
      if (taken.length === 0) return [];
      const rows = await queryRows<OutboxRow>(
        c,
        `UPDATE digest_outbox SET status = 'sending', owner = $1, lease_until = $2, attempts = attempts + 1
         WHERE id = ANY($3::bigint[]) RETURNING *`,
        [owner, leaseUntil, taken.map((r) => r.id)],
      );
      return rows.sort((a, b) => a.id - b.id).map(toOutboxItem);
    });
  };
}
