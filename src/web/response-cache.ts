// A small cache of rendered responses for anonymous reads, renewed when the store changes. A body is kept
// only for a URL asked for a second time: one-off URLs (distinct searches, a crawler's walk over paper pages)
// are rendered and sent without filling the cache, so they neither evict the pages people keep opening nor
// make the garbage collector trace and move a retained 40 KB body each (docs/BENCHMARKS.md).
// The key is the request's whole path and query, taken here from the request itself: a cached page is shared by
// every anonymous reader of that URL, so nothing a URL can carry may be left out of the key (a `?q=` or
// `?notice=` rendered into a page keyed without it was served to everyone). Renders must read nothing else
// of the request that differs between anonymous readers (headers, cookies).
import { enrichmentOverlay } from '../services/enrich/index.ts';
import type { Services } from '../services/services.ts';

/** A rendered body that must not be kept (an answer made while papers were still being indexed). */
export interface Unkept {
  readonly text: string;
  readonly keep: false;
}

export interface ResponseCache {
  /**
   * The cached body (UTF-8, encoded once) for the request's URL, else renders and returns it, and stores it when
   * that URL was asked for before (see `seen`). With `maxAgeMs`, an entry is also renewed once it is that old, even if the
   * store has not changed (for answers that depend on more than the store, such as a search that fell back to
   * words while the embedder was down). A render may return its body as `Unkept`: sent, never stored.
   */
  get(request: Request, render: () => Promise<string | Unkept>, maxAgeMs?: number): Promise<Uint8Array>;
}

export interface ResponseCacheOptions {
  /** Entries kept. */
  max: number;
  /**
   * How long an entry may outlive a change of the store (a vote, another process's ingest), in ms.
   * Anonymous pages then lag writes by at most this much, and a burst of votes costs one render a
   * second per page instead of one per vote. Signed-in readers never get cached pages.
   */
  staleMs: number;
  /** How many keys asked for only once are remembered, so that a second request stores its body (default 4 × max). */
  seen?: number;
  now?: () => number;
}

/** Longer keys (URLs) are never remembered or stored, so neither map can be grown to many megabytes by long URLs. */
const MAX_KEY_LENGTH = 2048;

/**
 * The cache key of a request: its path and whole query string, as the URL parser normalizes them (the form
 * the routes read their parameters from).
 * @example cacheKey(new Request('http://h/papers/1?q=a')) // '/papers/1?q=a'
 */
export function cacheKey(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** Drops the oldest (first inserted) keys of `keys` until there is room for one more under `max`. */
function makeRoom(keys: Map<string, unknown> | Set<string>, max: number): void {
  while (keys.size >= max && keys.size > 0) keys.delete(keys.keys().next().value as string);
}

interface Entry {
  version: string;
  at: number;
  body: Uint8Array;
}

/**
 * Caches rendered bodies by key, from a key's second request on; concurrent misses of one key share one render.
 */
export function createResponseCache(services: Services, opts: ResponseCacheOptions): ResponseCache {
  const now = opts.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Uint8Array>>();
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const seenMax = opts.seen ?? 4 * opts.max;

  /** True when `key` was asked for before (it is then forgotten here, its body being stored); else remembers it. */
  function askedBefore(key: string): boolean {
    if (seen.delete(key)) return true;
    makeRoom(seen, seenMax);
    seen.add(key);
    return false;
  }

  function store(key: string, entry: Entry): void {
    entries.delete(key);
    makeRoom(entries, opts.max);
    entries.set(key, entry);
  }

  return {
    async get(request, render, maxAgeMs) {
      const key = cacheKey(request);
      // Pages show the store and the enrichment overlay (stars, summaries, thumbnails) held in memory, which
      // a reload may change while the store's counter stands still (it moved earlier, on another node's write).
      const version = `${await services.listings.dataVersion()} ${enrichmentOverlay().generation}`;
      const hit = entries.get(key);
      const age = hit === undefined ? 0 : now() - hit.at;
      const fresh = maxAgeMs === undefined || age < maxAgeMs;
      if (hit !== undefined && ((hit.version === version && fresh) || age < opts.staleMs)) return hit.body;
      const flight = `${version} ${key}`;
      let pending = inFlight.get(flight);
      if (pending === undefined) {
        const at = now();
        const keep = hit !== undefined || (key.length <= MAX_KEY_LENGTH && askedBefore(key));
        let kept = keep;
        pending = render().then((out) => {
          if (typeof out === 'string') return encoder.encode(out);
          kept = false;
          return encoder.encode(out.text);
        });
        inFlight.set(flight, pending);
        void pending.then(
          (body) => {
            inFlight.delete(flight);
            if (kept) store(key, { version, at, body });
          },
          () => inFlight.delete(flight),
        );
      }
      return pending;
    },
  };
}
