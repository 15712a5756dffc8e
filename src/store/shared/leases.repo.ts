// Job leases (one row per job name, taken with a conditional upsert), written once for both engines.
import type { LeaseHolder, LeaseRepo } from '../leases.ts';
import { changed, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the lease repository. The upsert is one atomic statement on either engine, so two nodes racing for
 * a free lease cannot both win; expiry compares ISO times from each node's clock (keep clocks in sync with
 * NTP; the lease length should dwarf the skew).
 */
export function createLeaseRepo({ db }: QueryDb, now: () => Date): LeaseRepo {
  return {
    async acquire(name, holder, ttlMs) {
      const t = now();
      const at = t.toISOString();
      const until = new Date(t.getTime() + ttlMs).toISOString();
      const r = await db
        .insertInto('job_leases')
        .values({ name, holder, lease_until: until, acquired_at: at })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet((eb) => ({
              lease_until: eb.ref('excluded.lease_until'),
              // A renewal keeps the time the holder first took the lease.
              acquired_at: eb
                .case()
                .when('job_leases.holder', '=', eb.ref('excluded.holder'))
                .then(eb.ref('job_leases.acquired_at'))
                .else(eb.ref('excluded.acquired_at'))
                .end(),
              holder: eb.ref('excluded.holder'),
            }))
            .where((eb) =>
              eb.or([
                eb('job_leases.holder', '=', eb.ref('excluded.holder')),
                eb('job_leases.lease_until', '<=', at),
              ]),
            ),
        )
        .executeTakeFirst();
      return changed(r) === 1;
    },
    async release(name, holder) {
      await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
    },
    async current(name): Promise<LeaseHolder | null> {
      const row = await db
        .selectFrom('job_leases')
        .select(['holder', 'lease_until', 'acquired_at'])
        .where('name', '=', name)
        .where('lease_until', '>', now().toISOString())
        .executeTakeFirst();
      return row ? { holder: row.holder, until: row.lease_until, acquiredAt: row.acquired_at } : null;
    },
  };
}
