// Chooses a subscriber's papers: trending since their last digest, then the personal sections, never a paper
// they were already sent.
import { addDays, type ScoredId } from '../../domain/index.ts';
import { trending } from '../../rank/trending.ts';
import type { DigestContentRef, DigestSectionName, Subscription } from '../../store/digest.ts';
import type { Store } from '../../store/store.ts';

/**
 * Work shared by every subscriber of one queue pass: a window's trending order and candidate papers are
 * computed once per pass, not once per subscriber. A failed computation is forgotten, so the next asks again.
 */
export class DigestRunMemo {
  private readonly entries = new Map<string, Promise<unknown>>();

  /** The value under `key`, made by `make` the first time. */
  get<T>(key: string, make: () => Promise<T>): Promise<T> {
    let hit = this.entries.get(key) as Promise<T> | undefined;
    if (hit === undefined) {
      hit = make();
      this.entries.set(key, hit);
      hit.catch(() => this.entries.delete(key));
    }
    return hit;
  }
}

/** The papers one digest is about: the window since the subscriber's last digest. */
export interface DigestWindow {
  digestDate: string;
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Day after the last, exclusive. */
  to: string;
  /** The window's papers, best first by trending; personal sections choose among them. */
  paperIds: readonly string[];
  memo: DigestRunMemo;
}

export interface PersonalSection {
  name: Exclude<DigestSectionName, 'trending'>;
  title: string;
  /** Best first. */
  paperIds: string[];
  /** One line per paper ("by Ada Lovelace"), in the order of `paperIds`. */
  reasons?: string[];
}

/**
 * Personal sections (saved-search alerts, followed authors, for you): see digest-personal.ts. Sections come in
 * the order they claim papers; the digest drops papers already sent and shares the paper budget among them.
 */
export type PersonalSections = (sub: Subscription, window: DigestWindow) => Promise<PersonalSection[]>;

/** One choice's bookkeeping: the papers taken so far, and which ids were sent before (each asked once). */
interface Picking {
  sub: Subscription;
  taken: Set<string>;
  wasSent: Map<string, boolean>;
}

export interface DigestSelector {
  /** Pass one `memo` to every call of a queue pass; without it, nothing is shared. */
  choose(sub: Subscription, digestDate: string, memo?: DigestRunMemo): Promise<DigestContentRef>;
}

export function createDigestSelector(store: Store, personal?: PersonalSections): DigestSelector {
  function ranked(memo: DigestRunMemo, from: string, to: string, weekly: boolean): Promise<string[]> {
    return memo.get(`trending|${from}|${to}|${weekly}`, async () => {
      const q = { from, to };
      const candidates: ScoredId[] = (await store.listings.windowIds(q)).map((id) => [id, 0] as const);
      const votes = await store.listings.windowVotes(q);
      return trending(candidates, votes, weekly ? 'week' : 'day').map(([id]) => id);
    });
  }

  /** Trending ids since the last digest; when that window holds no papers, the latest days that do. */
  async function window(sub: Subscription, date: string, memo: DigestRunMemo): Promise<DigestWindow> {
    const weekly = sub.frequency === 'weekly';
    const lookback = weekly ? 7 : 3;
    const last = await store.digest.lastDigestDate(sub.id);
    const from = last !== null && last < date ? last : addDays(date, -lookback);
    const to = addDays(date, 1);
    const ids = await ranked(memo, from, to, weekly);
    if (ids.length > 0) return { digestDate: date, from, to, paperIds: ids, memo };
    const latest = await memo.get(`latest|${date}`, () => store.listings.latestDay(date));
    if (latest === null) return { digestDate: date, from, to, paperIds: [], memo };
    const [f, t] = [addDays(latest, 1 - lookback), addDays(latest, 1)];
    return { digestDate: date, from: f, to: t, paperIds: await ranked(memo, f, t, weekly), memo };
  }

  /** Of `ids`, in order, up to `max` not taken yet and never sent to the subscriber; takes them. */
  async function fresh(p: Picking, ids: readonly string[], max: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length && out.length < max; i += 200) {
      const chunk = ids.slice(i, i + 200).filter((id) => !p.taken.has(id));
      const unknown = chunk.filter((id) => !p.wasSent.has(id));
      if (unknown.length > 0) {
        const sent = await store.digest.sentAmong(p.sub.id, unknown);
        for (const id of unknown) p.wasSent.set(id, sent.has(id));
      }
      for (const id of chunk) {
        if (out.length >= max) break;
        if (p.wasSent.get(id) === false) out.push(id);
      }
    }
    for (const id of out) p.taken.add(id);
    return out;
  }

  /** Each personal section in turn gets a fair share of what is left; what one leaves goes to the next. */
  async function personalPart(p: Picking, wanted: readonly PersonalSection[]) {
    const out: DigestContentRef['sections'] = [];
    for (const [i, s] of wanted.entries()) {
      const left = p.sub.maxPapers - p.taken.size;
      if (left <= 0) break;
      const ids = await fresh(p, s.paperIds, Math.ceil(left / (wanted.length - i)));
      if (ids.length === 0) continue;
      const why = new Map(s.paperIds.map((id, j) => [id, s.reasons?.[j] ?? '']));
      const reasons = s.reasons ? ids.map((id) => why.get(id) ?? '') : undefined;
      out.push({ name: s.name, title: s.title, paperIds: ids, ...(reasons ? { reasons } : {}) });
    }
    return out;
  }

  return {
    async choose(sub, date, memo = new DigestRunMemo()) {
      const p: Picking = { sub, taken: new Set(), wasSent: new Map() };
      const personalOn =
        personal !== undefined && sub.userId !== null && sub.sections.some((n) => n !== 'trending');
      const withTrending = sub.sections.includes('trending');
      if (!personalOn && !withTrending) return { sections: [] };
      const w = await window(sub, date, memo);
      const wanted = personalOn ? (await personal(sub, w)).filter((s) => sub.sections.includes(s.name)) : [];
      // With personal sections, trending keeps half the papers at first (leaving the papers a personal section
      // lists to that section, which says why) and tops up what they leave.
      const claimed = new Set(wanted.flatMap((s) => s.paperIds));
      const trendingIds = withTrending ? w.paperIds : [];
      const half = personalOn ? Math.ceil(sub.maxPapers / 2) : sub.maxPapers;
      await fresh(p, claimed.size > 0 ? trendingIds.filter((id) => !claimed.has(id)) : trendingIds, half);
      const trendingTaken = new Set(p.taken);
      const personalSections = await personalPart(p, wanted);
      for (const id of await fresh(p, trendingIds, sub.maxPapers - p.taken.size)) trendingTaken.add(id);
      const sections: DigestContentRef['sections'] = [];
      const top = trendingIds.filter((id) => trendingTaken.has(id));
      if (top.length > 0) sections.push({ name: 'trending', title: 'Trending', paperIds: top });
      sections.push(...personalSections);
      return { sections };
    },
  };
}
