// The digest benchmark's subscribers: accounts with saved searches and followed authors drawn from the corpus
// (and, for a share, saved papers for For you), each subscribed and confirmed with its sections chosen.
import { addDays, normalizeAuthorName, type Paper } from '../../src/domain/index.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { tokenHash } from '../../src/platform/index.ts';
import type { DigestSectionName } from '../../src/store/digest.ts';
import type { Store } from '../../src/store/store.ts';

export interface SubscriberPlan {
  subscribers: number;
  /** false: address-only subscribers with the trending section (the first benchmark). */
  personal: boolean;
  /** Share (0–1) of subscribers who also chose For you (and saved three papers to learn from). */
  forYouShare: number;
  seed?: number;
}

export interface SubscriberCounts {
  accounts: number;
  savedSearches: number;
  /** Distinct saved-search texts: each is matched against the day's papers once per queue pass. */
  distinctQueries: number;
  followedAuthors: number;
  forYou: number;
}

/** Title words too common to make an alert of. */
const GENERIC = new Set([
  'towards',
  'learning',
  'models',
  'method',
  'methods',
  'approach',
  'through',
  'across',
]);

/** Two content words of a title, e.g. "segmentation diffusion", or one when the title has only one. */
function queryFrom(title: string, pick: (n: number) => number): string {
  const words = [
    ...new Set(
      title
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter((w) => w.length >= 6 && !GENERIC.has(w)),
    ),
  ];
  if (words.length <= 1) return words[0] ?? 'transformer';
  const a = pick(words.length);
  const b = (a + 1 + pick(words.length - 1)) % words.length;
  return `${words[a]} ${words[b]}`;
}

async function papersOf(store: Store, from: string, to: string): Promise<Paper[]> {
  return store.papers.getMany(await store.listings.windowIds({ from, to }));
}

/**
 * Creates the subscribers: with `personal`, accounts with 2 saved searches (title words of a paper of the last
 * 30 days), 3 followed authors (one with a paper on `day`) and the trending, alerts and authors sections.
 * @example const counts = await makeSubscribers(store, '2026-07-01', { subscribers: 10_000, personal: true, forYouShare: 0.1 });
 */
export async function makeSubscribers(
  store: Store,
  day: string,
  plan: SubscriberPlan,
): Promise<SubscriberCounts> {
  const rng = createRng(plan.seed ?? 1);
  const pick = (n: number): number => Math.min(n - 1, Math.floor(rng.next() * n));
  const today = await papersOf(store, day, addDays(day, 1));
  const month = await papersOf(store, addDays(day, -30), addDays(day, 1));
  if (today.length === 0 || month.length === 0) throw new Error(`no papers around ${day}`);
  const counts: SubscriberCounts = {
    accounts: 0,
    savedSearches: 0,
    distinctQueries: 0,
    followedAuthors: 0,
    forYou: 0,
  };
  const queries = new Set<string>();
  const author = (ps: readonly Paper[]): string => {
    const p = ps[pick(ps.length)];
    return p?.authors[pick(p.authors.length)] ?? 'Ada Lovelace';
  };
  for (let i = 0; i < plan.subscribers; i++) {
    const email = `reader${i}@example.org`;
    let userId: number | null = null;
    const sections: DigestSectionName[] = ['trending'];
    if (plan.personal) {
      const user = await store.users.create(email, `Reader ${i}`, 'bench-not-a-hash');
      if (user === null) throw new Error(`could not create ${email}`);
      userId = user.id;
      counts.accounts += 1;
      for (let k = 0; k < 2; k++) {
        const q = queryFrom(month[pick(month.length)]?.title ?? '', pick);
        await store.forYou.addSavedSearch(userId, q);
        queries.add(q);
        counts.savedSearches += 1;
      }
      for (const name of [author(today), author(month), author(month)]) {
        if (await store.forYou.follow(userId, 'author', normalizeAuthorName(name), name))
          counts.followedAuthors += 1;
      }
      sections.push('alerts', 'authors');
      if (rng.next() < plan.forYouShare) {
        for (let k = 0; k < 3; k++) await store.library.save(userId, month[pick(month.length)]?.id ?? '', []);
        sections.push('foryou');
        counts.forYou += 1;
      }
    }
    const sub = await store.digest.upsertPending(email, userId, tokenHash(email));
    await store.digest.confirm(tokenHash(email), '2000-01-01');
    const settings = { frequency: 'daily', sendHour: 7, timeZone: 'UTC', weekday: 1, maxPapers: 10 } as const;
    await store.digest.updateSettings(sub.id, { ...settings, sections });
  }
  counts.distinctQueries = queries.size;
  return counts;
}
