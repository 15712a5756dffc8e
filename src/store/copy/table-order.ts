// The tables of Paperboy's schema in the order the migrations create them: parents before children.
import { SQLITE_MIGRATIONS } from '../migrations/sqlite.ts';

/**
 * Table names in creation order, read from the migrations (the schema's single source of truth).
 * @example schemaTables()[0] // 'papers'
 */
export function schemaTables(): string[] {
  const out: string[] = [];
  for (const m of SQLITE_MIGRATIONS) {
    for (const hit of m.sql.matchAll(/\b(CREATE|DROP) TABLE (?:IF (?:NOT )?EXISTS )?(\w+)/gi)) {
      const [, verb, name] = hit;
      if (name === undefined) continue;
      const at = out.indexOf(name);
      if (at >= 0) out.splice(at, 1);
      if (verb?.toUpperCase() === 'CREATE') out.push(name);
    }
  }
  return out;
}
