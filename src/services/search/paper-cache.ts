// Recently shown papers kept in memory for search pages, forgotten as soon as the store's change log names them.
import type { Paper } from '../../domain/index.ts';

export interface PaperCache {
  /**
   * The papers of `ids` that exist, by id: cached ones from memory, the rest in one store read.
   */
  getMany(ids: readonly string[]): Promise<Map<string, Paper>>;
  /** Drops the given papers (changed or deleted in the store); null drops everything. */
  forget(ids: readonly string[] | null): void;
}

/**
 * A bounded cache in front of `load` (the store's getMany): a search page shows 20 papers, and the papers
 * that answer popular words recur across distinct queries. Oldest entries go first once `max` are held.
 * Its owner must call `forget` for every change it applies, so a page never shows a paper older than the
 * search index it was ranked with.
 */
export function createPaperCache(load: (ids: string[]) => Promise<Paper[]>, max = 2000): PaperCache {
  const entries = new Map<string, Paper>();
  // Bumped by every forget: a read that overlapped one may hold papers older than the change, so it is not kept.
  let generation = 0;
  return {
    async getMany(ids) {
      const out = new Map<string, Paper>();
      const missing: string[] = [];
      for (const id of ids) {
        const p = entries.get(id);
        if (p !== undefined) out.set(id, p);
        else if (!out.has(id)) missing.push(id);
      }
      if (missing.length === 0) return out;
      const before = generation;
      const loaded = await load(missing);
      const keep = generation === before;
      for (const p of loaded) {
        out.set(p.id, p);
        if (!keep) continue;
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(p.id, p);
      }
      return out;
    },
    forget(ids) {
      generation++;
      if (ids === null) entries.clear();
      else for (const id of ids) entries.delete(id);
    },
  };
}
