// Chooses a subscriber's papers: trending since their last digest, never a paper they were already sent.
import { addDays, type ScoredId } from '../domain/index.ts';
import { trending } from '../rank/trending.ts';
import type { DigestContentRef, Subscription } from '../store/digest.ts';
import type { Store } from '../store/store.ts';

/**
 * Personal sections (for you, saved-search alerts, followed authors) come from elsewhere; this is the hook.
 * Return sections with paper ids best first; the digest drops papers already sent and caps the total.
 */
export type PersonalSections = (
  sub: Subscription,
  digestDate: string,
) => Promise<
  { name: 'foryou' | 'alerts' | 'authors'; title: string; paperIds: string[]; reasons?: string[] }[]
>;

export interface DigestSelector {
  choose(sub: Subscription, digestDate: string): Promise<DigestContentRef>;
}

/**
 * @example const content = await createDigestSelector(store).choose(sub, '2026-07-02');
 */
export function createDigestSelector(store: Store, personal?: PersonalSections): DigestSelector {
  const cache = new Map<string, { version: number; ids: string[] }>();

  async function ranked(from: string, to: string, weekly: boolean): Promise<string[]> {
    const version = await store.listings.version();
    const key = `${from}|${to}|${weekly}`;
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.ids;
    const q = { from, to };
    const candidates: ScoredId[] = (await store.listings.windowIds(q)).map((id) => [id, 0] as const);
    const votes = await store.listings.windowVotes(q);
    const ids = trending(candidates, votes, weekly ? 'week' : 'day').map(([id]) => id);
    if (cache.size > 32) cache.clear();
    cache.set(key, { version, ids });
    return ids;
  }

  /** Trending ids since the last digest; when that window holds no papers, the latest days that do. */
  async function window(sub: Subscription, date: string): Promise<string[]> {
    const weekly = sub.frequency === 'weekly';
    const lookback = weekly ? 7 : 3;
    const last = await store.digest.lastDigestDate(sub.id);
    const from = last !== null && last < date ? last : addDays(date, -lookback);
    const ids = await ranked(from, addDays(date, 1), weekly);
    if (ids.length > 0) return ids;
    const latest = await store.listings.latestDay(date);
    return latest === null ? [] : ranked(addDays(latest, 1 - lookback), addDays(latest, 1), weekly);
  }

  async function fresh(sub: Subscription, ids: string[], taken: Set<string>, max: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length && out.length < max; i += 200) {
      const chunk = ids.slice(i, i + 200).filter((id) => !taken.has(id));
      const sent = await store.digest.sentAmong(sub.id, chunk);
      for (const id of chunk) {
        if (out.length >= max) break;
        if (!sent.has(id)) out.push(id);
      }
    }
    return out;
  }

  return {
    async choose(sub, date) {
      const taken = new Set<string>();
      const sections: DigestContentRef['sections'] = [];
      const personalOn =
        personal !== undefined && sub.userId !== null && sub.sections.some((n) => n !== 'trending');
      // With personal sections, trending keeps half the papers at first and tops up what they leave.
      const trendingIds = sub.sections.includes('trending') ? await window(sub, date) : [];
      const first = await fresh(
        sub,
        trendingIds,
        taken,
        personalOn ? Math.ceil(sub.maxPapers / 2) : sub.maxPapers,
      );
      for (const id of first) taken.add(id);
      const personalSections: DigestContentRef['sections'] = [];
      for (const s of personalOn ? await personal(sub, date) : []) {
        if (!sub.sections.includes(s.name) || taken.size >= sub.maxPapers) continue;
        const ids = await fresh(sub, s.paperIds, taken, sub.maxPapers - taken.size);
        for (const id of ids) taken.add(id);
        const reasons = s.reasons ? ids.map((id) => s.reasons?.[s.paperIds.indexOf(id)] ?? '') : undefined;
        if (ids.length > 0) personalSections.push({ name: s.name, title: s.title, paperIds: ids, reasons });
      }
      const more = await fresh(sub, trendingIds, taken, sub.maxPapers - taken.size);
      const trending = [...first, ...more];
      if (trending.length > 0) sections.push({ name: 'trending', title: 'Trending', paperIds: trending });
      sections.push(...personalSections);
      return { sections };
    },
  };
}
