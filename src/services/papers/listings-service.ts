// Use cases for browsing: a day's, week's or month's papers ranked by trending, and author/category lists.
import { enrichPaper, githubRepoOf, linkKinds } from '../enrich/index.ts';
import {
  addDays,
  parseWindow,
  windowContaining,
  type DateWindow,
  type Paper,
  type Period,
  type ScoredId,
} from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { mostVoted, trending } from '../../rank/trending.ts';
import type { Store } from '../../store/store.ts';

/**
 * 'discussed': most visible comments first (community issue). 'stars': most GitHub stars gained in the last
 * STARS_WEEK days by the paper's code repositories first, then the rest in listing order.
 */
export type ListingSort = 'trending' | 'newest' | 'votes' | 'discussed' | 'stars';

/** "This week" of the stars sort: gains are counted against the first daily count in this many days. */
export const STARS_WEEK = 7;
/** "This week" moves with the clock, which no store version sees, so that ranking also expires. */
const STARS_CACHE_MS = 5 * 60_000;

export interface ListedPaper {
  paper: Paper;
  votes: number;
}

export interface WindowListing {
  window: DateWindow;
  sort: ListingSort;
  category: string | null;
  /** The link kind every listed paper has (`?has=code`), or null for all papers. */
  has: LinkFilter | null;
  total: number;
  items: ListedPaper[];
  /** The nearest earlier and later windows that hold papers. */
  prev: DateWindow | null;
  next: DateWindow | null;
}

export interface WindowQuery {
  period: Period;
  /** Window key from a URL (2026-07-01, 2026-W27, 2026-07); default: the one holding the latest papers. */
  key?: string;
  sort: ListingSort;
  category?: string;
  /** Only papers with a link of this kind ("with code"). */
  has?: string;
  limit: number;
  offset: number;
}

/** The link kinds a listing can be narrowed to. */
export const LINK_FILTERS = ['code', 'data', 'model'] as const;
export type LinkFilter = (typeof LINK_FILTERS)[number];

/** BAD_INPUT unless `has` is one of LINK_FILTERS. */
export function checkLinkFilter(has: string): LinkFilter {
  const found = LINK_FILTERS.find((k) => k === has);
  if (found === undefined)
    throw new AppError(
      'BAD_INPUT',
      `"has" is one of ${LINK_FILTERS.join(', ')}; "${has.slice(0, 20)}" is not.`,
    );
  return found;
}

/** Papers are read this many at a time when a listing is narrowed by link kind. */
const LINK_SCAN_BATCH = 500;

export interface ListingsService {
  window(q: WindowQuery): Promise<WindowListing>;
  author(name: string, limit: number, offset: number): Promise<{ items: ListedPaper[]; total: number }>;
  category(category: string, limit: number, offset: number): Promise<{ items: ListedPaper[]; total: number }>;
  /** A number that changes whenever stored papers, votes or anything else change (for response caches). */
  dataVersion(): Promise<number>;
}

interface Ranked {
  version: number;
  /** When a stars ranking must be recomputed (ms since epoch); Infinity for the others. */
  expires: number;
  order: ScoredId[];
  counts: Map<string, number>;
}

const CACHE_SIZE = 64;
const BAD_KEY = 'Dates look like 2026-07-01, weeks like 2026-W27 and months like 2026-07.';

/** BAD_INPUT unless `c` looks like an arXiv category (cs.CL, math.AG, hep-th). */
export function checkCategory(c: string): string {
  if (!/^[a-z-]{2,20}(\.[A-Za-z-]{1,10})?$/.test(c))
    throw new AppError('BAD_INPUT', `"${c.slice(0, 40)}" is not an arXiv category such as cs.CL.`);
  return c;
}

export function createListingsService(store: Store, now: () => Date): ListingsService {
  const cache = new Map<string, Ranked>();

  async function ranked(
    w: DateWindow,
    sort: ListingSort,
    category: string | undefined,
    has: LinkFilter | undefined,
  ): Promise<Ranked> {
    const version = await store.listings.version();
    const key = `${w.period}|${w.from}|${sort}|${category ?? ''}|${has ?? ''}`;
    const hit = cache.get(key);
    if (hit && hit.version === version && now().getTime() < hit.expires) return hit;
    const q = { from: w.from, to: w.to, category };
    const candidates: ScoredId[] = (await store.listings.windowIds(q)).map((id) => [id, 0] as const);
    const votes = await store.listings.windowVotes(q);
    const counts = new Map<string, number>();
    for (const [id, , n] of votes) counts.set(id, (counts.get(id) ?? 0) + n);
    // The same count-then-listing-order ranking as votes, over the papers' visible comments.
    const discussed =
      sort === 'discussed' ? await store.discussion.counts(candidates.map(([id]) => id)) : null;
    const gained = sort === 'stars' ? await starsGained(candidates.map(([id]) => id)) : null;
    const ordered =
      discussed !== null
        ? mostVoted(candidates, discussed)
        : gained !== null
          ? mostVoted(candidates, gained)
          : sort === 'trending'
            ? trending(candidates, votes, w.period)
            : sort === 'votes'
              ? mostVoted(candidates, counts)
              : candidates;
    const order = has === undefined ? ordered : await withLinkKind(ordered, has);
    const expires = sort === 'stars' ? now().getTime() + STARS_CACHE_MS : Infinity;
    const entry = { version, expires, order, counts };
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return entry;
  }

  /**
   * Stars gained in the last STARS_WEEK days, by paper: its repositories' current count (the last check) less
   * their first daily count on or after the week's start; the best of a paper's repositories counts. A repository
   * first checked today has gained nothing yet, and losses count as no gain.
   */
  async function starsGained(ids: string[]): Promise<Map<string, number>> {
    const today = now().toISOString().slice(0, 10);
    const since = await store.enrichment.starsSince(addDays(today, -STARS_WEEK));
    const gain = new Map<string, number>();
    for (const f of await store.enrichment.repoFacts()) {
      const first = since.get(f.repo);
      if (f.status === 'ok' && f.stars !== null && first !== undefined && f.stars > first)
        gain.set(f.repo, f.stars - first);
    }
    const byPaper = new Map<string, number>();
    if (gain.size === 0) return byPaper;
    for (let i = 0; i < ids.length; i += LINK_SCAN_BATCH)
      for (const p of await store.papers.getMany(ids.slice(i, i + LINK_SCAN_BATCH)))
        for (const l of enrichPaper(p).links) {
          const g = l.kind === 'code' ? gain.get(githubRepoOf(l.url) ?? '') : undefined;
          if (g !== undefined && g > (byPaper.get(p.id) ?? 0)) byPaper.set(p.id, g);
        }
    return byPaper;
  }

  /**
   * The entries whose paper has a link of kind `has`. Links are derived from the stored text, so the window's
   * papers are read once per store version (the result is cached with the ranking).
   */
  async function withLinkKind(order: ScoredId[], has: LinkFilter): Promise<ScoredId[]> {
    const keep = new Set<string>();
    for (let i = 0; i < order.length; i += LINK_SCAN_BATCH) {
      const papers = await store.papers.getMany(order.slice(i, i + LINK_SCAN_BATCH).map(([id]) => id));
      for (const p of papers) if (linkKinds(p).includes(has)) keep.add(p.id);
    }
    return order.filter(([id]) => keep.has(id));
  }

  async function resolveWindow(period: Period, key: string | undefined): Promise<DateWindow> {
    if (key !== undefined) {
      const w = parseWindow(period, key);
      if (!w) throw new AppError('BAD_INPUT', BAD_KEY);
      return w;
    }
    const today = now().toISOString().slice(0, 10);
    return windowContaining(period, (await store.listings.latestDay(today)) ?? today);
  }

  async function withVotes(papers: Paper[]): Promise<ListedPaper[]> {
    const counts = await store.votes.counts(papers.map((p) => p.id));
    return papers.map((paper) => ({ paper, votes: counts.get(paper.id) ?? 0 }));
  }

  return {
    dataVersion: () => store.listings.version(),
    async window(q) {
      const category = q.category !== undefined ? checkCategory(q.category) : undefined;
      const w = await resolveWindow(q.period, q.key);
      const has = q.has !== undefined ? checkLinkFilter(q.has) : undefined;
      const r = await ranked(w, q.sort, category, has);
      const papers = await store.papers.getMany(
        r.order.slice(q.offset, q.offset + q.limit).map(([id]) => id),
      );
      const { prev } = await store.listings.neighbours(w.from);
      const { next } = await store.listings.neighbours(addDays(w.to, -1));
      return {
        window: w,
        sort: q.sort,
        category: category ?? null,
        has: has ?? null,
        total: r.order.length,
        items: papers.map((paper) => ({ paper, votes: r.counts.get(paper.id) ?? 0 })),
        prev: prev !== null ? windowContaining(q.period, prev) : null,
        next: next !== null ? windowContaining(q.period, next) : null,
      };
    },
    async author(name, limit, offset) {
      const n = name.trim();
      if (n === '' || n.length > 200) throw new AppError('BAD_INPUT', 'Give an author name.');
      const r = await store.listings.byAuthor(n, limit, offset);
      return { items: await withVotes(r.papers), total: r.total };
    },
    async category(category, limit, offset) {
      const r = await store.listings.byCategory(checkCategory(category), limit, offset);
      return { items: await withVotes(r.papers), total: r.total };
    },
  };
}
