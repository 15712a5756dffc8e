// A bounded name → key map that keeps the names used lately: two generations, the older dropped when full.

export interface AuthorCache {
  get(name: string): number | undefined;
  set(name: string, pk: number): void;
  clear(): void;
  readonly size: number;
}

/**
 * Holds at most `capacity` names. A name is set in the young generation; when that holds half the capacity it
 * becomes the old one (the previous old one is dropped), and a name found only in the old generation moves
 * back to the young one. So names in steady use stay, unlike a cache emptied whole when full, and no
 * per-hit bookkeeping is needed, unlike a strict LRU.
 */
export function createAuthorCache(capacity: number): AuthorCache {
  const half = Math.max(1, Math.floor(capacity / 2));
  let young = new Map<string, number>();
  let old = new Map<string, number>();
  const set = (name: string, pk: number): void => {
    if (young.size >= half) {
      old = young;
      young = new Map();
    }
    young.set(name, pk);
  };
  return {
    get(name) {
      const hit = young.get(name);
      if (hit !== undefined) return hit;
      const aged = old.get(name);
      if (aged !== undefined) set(name, aged);
      return aged;
    },
    set,
    clear() {
      young = new Map();
      old = new Map();
    },
    get size() {
      return young.size + old.size;
    },
  };
}
