// Trained models (bytes and info) and the small settings table, written once for both engines.
import type { ModelRepo, SettingsRepo, StoredModel } from '../vectors.ts';
import { toModelInfo } from '../rows/vector-rows.ts';
import type { QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the model repository; saving a name again replaces that model (SQLite's INSERT OR REPLACE did the
 * same, but also papered over NOT NULL violations with a delete and insert).
 */
export function createModelRepo({ db }: QueryDb, now: () => Date): ModelRepo {
  return {
    async save(m) {
      await db
        .insertInto('models')
        .values({
          name: m.name,
          kind: m.kind,
          created_at: now().toISOString(),
          info: JSON.stringify(m.info),
          data: m.data,
        })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            created_at: eb.ref('excluded.created_at'),
            info: eb.ref('excluded.info'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    },
    async get(name): Promise<StoredModel | null> {
      const r = await db.selectFrom('models').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? { ...toModelInfo(r), data: r.data } : null;
    },
    async list() {
      const rows = await db
        .selectFrom('models')
        .select(['name', 'kind', 'created_at', 'info'])
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toModelInfo);
    },
  };
}

/**
 * Creates the settings repository (a small key-value table).
 */
export function createSettingsRepo({ db }: QueryDb): SettingsRepo {
  return {
    async get(key) {
      return (
        (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ??
        null
      );
    },
    async set(key, value) {
      await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    },
  };
}
