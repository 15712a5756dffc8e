// SQLite's outbox claim, hand-written: one IMMEDIATE transaction takes the write lock before reading, which
// is how SQLite keeps two senders off the same row (PostgreSQL does it with FOR UPDATE SKIP LOCKED instead).
import type { DigestRepo } from '../digest.ts';
import { isClaimable, toOutboxItem, type OutboxRow } from '../rows/digest-rows.ts';
import type { SqliteDb } from './open.ts';
import { lockedTransaction, type WriteGate } from './write-lock.ts';

/**
 * The claim of the digest repository: due rows, then expired or orphaned leases, at most `limit`.
 * @example const items = await sqliteDigestClaim(db, now)('host:42', 20, leaseIso, () => false);
 */
export function sqliteDigestClaim(
  db: SqliteDb,
  now: () => Date,
  gate: WriteGate = (fn) => fn(),
): DigestRepo['claim'] {
  const due = db.prepare<[string, number, number, number], OutboxRow>(
    `SELECT * FROM digest_outbox
     WHERE ((status = 'queued' AND next_attempt_at <= ?) OR status = 'sending')
       AND (? = 0 OR subscription_id = ?) ORDER BY id LIMIT ?`,
  );
  const take = db.prepare(
    `UPDATE digest_outbox SET status = 'sending', owner = ?, lease_until = ?, attempts = attempts + 1
     WHERE id = ?`,
  );
  const claimTx = lockedTransaction(
    db,
    gate,
    (owner: string, limit: number, lease: string, isDead: (o: string) => boolean, only: number) => {
      const at = now().toISOString();
      const rows = due.all(at, only, only, limit * 4 + 10);
      const taken: OutboxRow[] = [];
      for (const r of rows) {
        if (taken.length >= limit) break;
        if (!isClaimable(r, owner, at, isDead)) continue;
        take.run(owner, lease, r.id);
        taken.push({ ...r, status: 'sending', owner, lease_until: lease, attempts: r.attempts + 1 });
      }
      return taken;
    },
  );
  return async (owner, limit, leaseUntil, isDead, only) =>
    (await claimTx(owner, limit, leaseUntil, isDead, only ?? 0)).map(toOutboxItem);
}
