// The digest's personal sections for subscribers with an account: saved-search alerts and followed authors among
// the digest window's papers, then For you. Reads the reader's For-you data (saved searches, follows, marks);
// writes nothing, so a preview records nothing.
import { normalizeAuthorName } from '../../domain/index.ts';
import { parseQuery, type ParsedQuery } from '../../index/lexical/query.ts';
import { analyze, analyzeName } from '../../index/lexical/tokenizer.ts';
import type { Subscription } from '../../store/digest.ts';
import type { NotInterested, SavedSearch } from '../../store/foryou.ts';
import type { Store } from '../../store/store.ts';
import type { DigestWindow, PersonalSection, PersonalSections } from './digest-select.ts';
import { type ForYouService, topicMembers } from '../foryou/index.ts';
import type { SearchIndexes } from '../search/index.ts';

export interface PersonalDeps {
  store: Store;
  forYou: ForYouService;
  /** Tests what a saved search requires besides its words (phrases, author:, cat:, exclusions). */
  indexes: SearchIndexes;
}

/** The window's papers, prepared once per queue pass (every subscriber of a day shares them). */
interface WindowPapers {
  /** Best first, as in the window. */
  ids: readonly string[];
  /** Analyzed word of a title, abstract or author name → positions in `ids` of the papers with it, ascending. */
  postings: Map<string, number[]>;
  /** Paper id → normalized author names, in author order. */
  authorKeys: Map<string, string[]>;
  /** Normalized author name → the window's papers by that author, best first. */
  byAuthor: Map<string, string[]>;
}

/** Reasons quote a saved search like the For-you feed does. */
function quoted(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

/** Whether the query restricts papers beyond its words (then the lexical index's matcher decides those parts). */
function constrained(q: ParsedQuery): boolean {
  const lists = [q.phrases, q.excludeWords, q.excludePhrases, q.authors, q.excludeAuthors];
  return (
    [...lists, q.categories, q.excludeCategories, q.has, q.excludeHas].some((l) => l.length > 0) ||
    q.since !== null ||
    q.before !== null
  );
}

/**
 * The window's papers that have every analyzed term of `q`'s words and pass `accept`, best first. A word that
 * analyzes to several terms (`byte-level` → byte, level) needs all of them, as the search page's phrase-free
 * scoring of the same words would find them: any one part alone is not the word.
 */
function matching(wp: WindowPapers, q: ParsedQuery, accept: ((id: string) => boolean) | null): string[] {
  let hits: number[] | null = null;
  for (const term of new Set(q.words.flatMap((w) => analyze(w)))) {
    const has = new Set(wp.postings.get(term) ?? []);
    hits = (hits ?? [...has].sort((a, b) => a - b)).filter((i) => has.has(i));
    if (hits.length === 0) return [];
  }
  const ids = hits === null ? wp.ids : hits.map((i) => wp.ids[i] ?? '');
  return accept === null ? [...ids] : ids.filter(accept);
}

/** Takes the lists in turns (first of each, then second of each…), without repeats. */
function interleave(lists: readonly { ids: string[]; reason: string }[]): {
  ids: string[];
  reasons: string[];
} {
  const ids: string[] = [];
  const reasons: string[] = [];
  const seen = new Set<string>();
  const longest = Math.max(0, ...lists.map((l) => l.ids.length));
  for (let i = 0; i < longest; i++)
    for (const l of lists) {
      const id = l.ids[i];
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
      reasons.push(l.reason);
    }
  return { ids, reasons };
}

/**
 * The personal sections hook for the digest selector.
 */
export function createPersonalSections(deps: PersonalDeps): PersonalSections {
  const { store } = deps;

  function windowPapers(w: DigestWindow): Promise<WindowPapers> {
    return w.memo.get(`papers|${w.from}|${w.to}`, async () => {
      const postings = new Map<string, number[]>();
      const authorKeys = new Map<string, string[]>();
      const byAuthor = new Map<string, string[]>();
      const add = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
        const list = m.get(k);
        if (list === undefined) m.set(k, [v]);
        else list.push(v);
      };
      const papers = new Map((await store.papers.getMany(w.paperIds)).map((p) => [p.id, p]));
      for (const [i, id] of w.paperIds.entries()) {
        const p = papers.get(id);
        if (p === undefined) continue;
        const names = p.authors.flatMap(analyzeName);
        for (const t of new Set([...analyze(p.title), ...analyze(p.abstract), ...names])) add(postings, t, i);
        const keys = p.authors.map(normalizeAuthorName);
        authorKeys.set(id, keys);
        for (const k of new Set(keys)) add(byAuthor, k, id);
      }
      return { ids: w.paperIds, postings, authorKeys, byAuthor };
    });
  }

  /** The window's papers a saved search matches, best first; computed once per pass for each query text. */
  async function alertHits(w: DigestWindow, s: SavedSearch): Promise<string[]> {
    return w.memo.get(`alert|${w.from}|${w.to}|${s.query}`, async () => {
      let q: ParsedQuery;
      try {
        q = parseQuery(s.query);
      } catch {
        return []; // valid when saved; a stricter parser since then must not stop the digest
      }
      const wp = await windowPapers(w);
      if (!constrained(q)) return matching(wp, q, null);
      await w.memo.get('lexical-sync', () => deps.indexes.upToDate(undefined, 0));
      return matching(wp, q, deps.indexes.lexical.matcher(q));
    });
  }

  function hiddenTest(wp: WindowPapers, marks: readonly NotInterested[]): (id: string) => boolean {
    const papers = new Set(marks.filter((m) => m.kind === 'paper').map((m) => m.key));
    const authors = new Set(marks.filter((m) => m.kind === 'author').map((m) => m.key));
    return (id) => papers.has(id) || (wp.authorKeys.get(id) ?? []).some((k) => authors.has(k));
  }

  async function alerts(userId: number, w: DigestWindow, hidden: (id: string) => boolean) {
    const searches = await store.forYou.savedSearches(userId);
    const lists = [];
    for (const s of searches)
      lists.push({
        ids: (await alertHits(w, s)).filter((id) => !hidden(id)),
        reason: `matches your alert ${quoted(s.query)}`,
      });
    const { ids, reasons } = interleave(lists);
    return { name: 'alerts', title: 'Saved-search alerts', paperIds: ids, reasons } as const;
  }

  /**
   * The "followed" section: the window's papers by followed authors, then those in followed topics (a topic
   * is followed from its page; its papers are found through their stored topic, not words).
   */
  async function authors(userId: number, w: DigestWindow, wp: WindowPapers, hidden: (id: string) => boolean) {
    const all = await store.forYou.follows(userId);
    const follows = all.filter((f) => f.kind === 'author');
    const labels = new Map(follows.map((f) => [f.key, f.label]));
    const found = new Set(follows.flatMap((f) => wp.byAuthor.get(f.key) ?? []));
    const paperIds = wp.ids.filter((id) => found.has(id) && !hidden(id));
    const reasons = paperIds.map((id) => {
      const key = wp.authorKeys.get(id)?.find((k) => labels.has(k)) ?? '';
      return `by ${labels.get(key) ?? key}`;
    });
    const byTopic = await topicMembers(store, all, { from: w.from, to: w.to });
    const topicIds = wp.ids.filter((id) => byTopic.has(id) && !found.has(id) && !hidden(id));
    for (const id of topicIds) {
      paperIds.push(id);
      reasons.push(`in the topic ${quoted(byTopic.get(id) ?? '')}`);
    }
    const title =
      topicIds.length === 0
        ? 'Followed authors'
        : found.size === 0
          ? 'Followed topics'
          : 'Followed authors and topics';
    return { name: 'authors', title, paperIds, reasons } as const;
  }

  async function forYou(sub: Subscription, userId: number, w: DigestWindow): Promise<PersonalSection> {
    const page = await deps.forYou.forYou(userId, { since: w.from, limit: sub.maxPapers });
    return {
      name: 'foryou',
      title: 'For you',
      paperIds: page.items.map((i) => i.paper.id),
      reasons: page.items.map((i) => i.reason),
    };
  }

  return async (sub, w) => {
    const userId = sub.userId;
    if (userId === null) return [];
    const out: PersonalSection[] = [];
    const wants = (n: PersonalSection['name']) => sub.sections.includes(n);
    if (wants('alerts') || wants('authors')) {
      const wp = await windowPapers(w);
      const hidden = hiddenTest(wp, await store.forYou.notInterested(userId));
      if (wants('alerts')) out.push(await alerts(userId, w, hidden));
      if (wants('authors')) out.push(await authors(userId, w, wp, hidden));
    }
    if (wants('foryou')) out.push(await forYou(sub, userId, w));
    return out.filter((s) => s.paperIds.length > 0);
  };
}
