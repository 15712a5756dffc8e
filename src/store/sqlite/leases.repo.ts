// SQLite repository for job leases: one row per job name, taken with a conditional upsert.
import type { LeaseHolder, LeaseRepo } from '../leases.ts';
import type { SqliteDb } from './open.ts';

interface LeaseRow {
  holder: string;
  lease_until: string;
  acquired_at: string;
}

/**
 * Creates the lease repository. Expiry compares ISO times from the store's clock, so every node must
 * keep its clock roughly right (NTP); the lease length should dwarf the skew.
 * @example await createSqliteLeaseRepo(db, () => new Date()).acquire('harvest', 'node-a', 60_000);
 */
export function createSqliteLeaseRepo(db: SqliteDb, now: () => Date): LeaseRepo {
  const q = {
    take: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO job_leases (name, holder, lease_until, acquired_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET
         lease_until = excluded.lease_until,
         acquired_at = CASE WHEN job_leases.holder = excluded.holder
                            THEN job_leases.acquired_at ELSE excluded.acquired_at END,
         holder = excluded.holder
       WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= ?`,
    ),
    release: db.prepare<[string, string]>('DELETE FROM job_leases WHERE name = ? AND holder = ?'),
    current: db.prepare<[string, string], LeaseRow>(
      'SELECT holder, lease_until, acquired_at FROM job_leases WHERE name = ? AND lease_until > ?',
    ),
  };
  return {
    async acquire(name, holder, ttlMs) {
      const t = now();
      const at = t.toISOString();
      const until = new Date(t.getTime() + ttlMs).toISOString();
      return q.take.run(name, holder, until, at, at).changes === 1;
    },
    async release(name, holder) {
      q.release.run(name, holder);
    },
    async current(name): Promise<LeaseHolder | null> {
      const row = q.current.get(name, now().toISOString());
      return row ? { holder: row.holder, until: row.lease_until, acquiredAt: row.acquired_at } : null;
    },
  };
}
