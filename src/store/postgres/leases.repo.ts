// PostgreSQL repository for job leases: one row per job name, taken with a conditional upsert.
import type { LeaseHolder, LeaseRepo } from '../leases.ts';
import { execCount, queryOne, type PgDb } from './pg-db.ts';

interface LeaseRow {
  holder: string;
  lease_until: string;
  acquired_at: string;
}

/**
 * Creates the lease repository. The upsert is one atomic statement, so two nodes racing for a free lease
 * cannot both win; expiry compares ISO times from each node's clock (keep clocks in sync with NTP).
 * @example await createPgLeaseRepo(db, () => new Date()).acquire('harvest', 'node-a', 60_000);
 */
export function createPgLeaseRepo(db: PgDb, now: () => Date): LeaseRepo {
  return {
    async acquire(name, holder, ttlMs) {
      const t = now();
      const at = t.toISOString();
      const until = new Date(t.getTime() + ttlMs).toISOString();
      const n = await execCount(
        db,
        `INSERT INTO job_leases (name, holder, lease_until, acquired_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET
           lease_until = excluded.lease_until,
           acquired_at = CASE WHEN job_leases.holder = excluded.holder
                              THEN job_leases.acquired_at ELSE excluded.acquired_at END,
           holder = excluded.holder
         WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= $4`,
        [name, holder, until, at],
      );
      return n === 1;
    },
    async release(name, holder) {
      await db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
    async current(name): Promise<LeaseHolder | null> {
      const row = await queryOne<LeaseRow>(
        db,
        'SELECT holder, lease_until, acquired_at FROM job_leases WHERE name = $1 AND lease_until > $2',
        [name, now().toISOString()],
      );
      return row ? { holder: row.holder, until: row.lease_until, acquiredAt: row.acquired_at } : null;
    },
  };
}
