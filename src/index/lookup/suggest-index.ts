// Suggestions as you type: titles, authors, categories and topics whose words start with what was typed.
import { foldWord } from './spelling-vocabulary.ts';

export type SuggestionKind = 'title' | 'author' | 'category' | 'topic';

export interface Suggestion {
  kind: SuggestionKind;
  /** What the list shows. */
  label: string;
  /** What choosing it does: a paper id for a title, else the search query to run. */
  value: string;
}

export interface SuggestDoc {
  id: string;
  title: string;
  authors: readonly string[];
  categories: readonly string[];
}

/** How many of each kind one answer holds at most. */
const LIMITS: Readonly<Record<SuggestionKind, number>> = { title: 5, author: 3, category: 2, topic: 3 };
/** Candidates looked at before ranking: enough for a good top 5, few enough for a millisecond. */
const CANDIDATES = 100;
/** Titles tested at most per keystroke; a rare combination past them is simply not suggested. */
const SCAN_LIMIT = 2000;
/** Longest list read whole to rule out a file's entries without reading them (see suggestTitles). */
const REF_SET_CAP = 4000;
/** A two-word title phrase becomes a topic once this many papers' titles hold it. */
export const TOPIC_MIN_PAPERS = 5;
const STOP = new Set(
  'a an and are as at be by for from in into is of on or the to via with without using based towards toward its their our we'.split(
    ' ',
  ),
);

export function words(text: string): string[] {
  return foldWord(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** True when `list[i]` (= `item`) is its first occurrence in `list`. */
function firstAt(list: readonly string[], item: string, i: number): boolean {
  for (let j = 0; j < i; j++) if (list[j] === item) return false;
  return true;
}

/** The words of a text `words` made and joined with single spaces ('' has none). */
function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}

/** Sorted distinct keys with the items each leads to, for prefix ranges by binary search. */
export class PrefixTable<T> {
  private keys: string[] = [];
  private readonly items = new Map<string, T[]>();
  private dirty = false;

  add(key: string, item: T): void {
    const list = this.items.get(key);
    if (list === undefined) {
      this.items.set(key, [item]);
      this.dirty = true;
    } else if (!list.includes(item)) list.push(item);
  }

  /**
   * `add` for an item the caller knows is not under `key` yet (a new paper's distinct words): no scan of the
   * key's list, which for a common word ("learning") holds thousands of items and made building the tables
   * quadratic.
   */
  addNew(key: string, item: T): void {
    const list = this.items.get(key);
    if (list === undefined) {
      this.items.set(key, [item]);
      this.dirty = true;
    } else list.push(item);
  }

  get(key: string): readonly T[] {
    return this.items.get(key) ?? [];
  }

  /** How many keys the table holds. */
  get size(): number {
    return this.items.size;
  }

  /** Every key with its items, in key order (what a lookup file stores). */
  *entries(): Generator<readonly [string, readonly T[]]> {
    for (const key of this.withPrefix('')) yield [key, this.get(key)];
  }

  /** How many items the keys starting with `prefix` lead to, counted up to `cap`. */
  prefixSize(prefix: string, cap: number): number {
    let n = 0;
    for (const key of this.withPrefix(prefix)) {
      n += this.get(key).length;
      if (n >= cap) return cap;
    }
    return n;
  }

  /** Keys starting with `prefix`, in key order. */
  *withPrefix(prefix: string): Generator<string> {
    if (this.dirty) {
      this.keys = [...this.items.keys()].sort();
      this.dirty = false;
    }
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.keys[mid] ?? '') < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.keys.length && (this.keys[i] ?? '').startsWith(prefix); i++)
      yield this.keys[i] ?? '';
  }
}

/** A paper's title as suggestions use it: `text` is its folded words joined by single spaces. */
export interface TitleEntry {
  readonly id: string;
  readonly title: string;
  readonly order: number;
  readonly text: string;
  /** Where a lookup file holds it (its record's offset); absent for a title held in memory. */
  readonly ref?: number;
}

/** An author name, its folded parts joined by spaces, and how many papers it is on. */
export interface AuthorEntry {
  name: string;
  text: string;
  papers: number;
}

/** A topic (two-word title phrase) and how many titles hold it. */
export interface TopicEntry {
  pair: string;
  papers: number;
}

/** Keys (folded words) leading to lists of entries, in key order, whether held in memory or in a file. */
export interface Postings<T> {
  size(key: string): number;
  list(key: string): Iterable<T>;
  /** How many entries the keys starting with `prefix` lead to, counted up to `cap`. */
  prefixSize(prefix: string, cap: number): number;
  /** The keys starting with `prefix`, in key order, each with its list. */
  prefixLists(prefix: string): Iterable<readonly [string, Iterable<T>]>;
  /**
   * The refs of every entry each key lists, for the keys listing at most `cap` (longer ones are left out): a
   * match rules out an entry held in a file without reading it when its ref is missing from one. Absent or
   * null: entries are read to be checked.
   */
  refSets?(keys: readonly string[], cap: number): Set<number>[] | null;
  /** The refs of every entry the keys starting with `prefix` list, or null when more than `cap`. */
  prefixRefSet?(prefix: string, cap: number): Set<number> | null;
}

/** What suggestions are made from: the tables of a SuggestIndex, of a lookup file, or of both merged. */
export interface SuggestSource {
  titles: Postings<TitleEntry>;
  authors: Postings<AuthorEntry>;
  topics: Postings<TopicEntry>;
  categoryKeys: PrefixTable<string>;
  categoryNames: ReadonlyMap<string, string>;
  categoryCount(code: string): number;
}

/**
 * What tables built elsewhere (a lookup file) already hold, for a SuggestIndex that only holds the papers added
 * since: a paper or author known there is not new here, and a pair's papers there count toward its topic.
 */
export interface SuggestBase {
  /** The order after the last paper's there (orders here continue from it). */
  nextOrder: number;
  hasPaper(id: string): boolean;
  hasAuthor(name: string): boolean;
  pairCount(pair: string): number;
}

function heapPostings<T>(table: PrefixTable<string>, resolve: (item: string) => T | undefined): Postings<T> {
  function* list(items: readonly string[]): Generator<T> {
    for (const item of items) {
      const e = resolve(item);
      if (e !== undefined) yield e;
    }
  }
  return {
    size: (key) => table.get(key).length,
    list: (key) => list(table.get(key)),
    prefixSize: (prefix, cap) => table.prefixSize(prefix, cap),
    *prefixLists(prefix) {
      for (const key of table.withPrefix(prefix)) yield [key, list(table.get(key))] as const;
    },
  };
}

/**
 * In-memory suggestion tables: title words → papers, author name parts → authors, category codes and
 * names, and topics (two-word title phrases found in at least TOPIC_MIN_PAPERS titles). Every typed word
 * but the last must match a whole word; the last may be a prefix. With a `base`, it holds only the papers
 * added after the base's tables were built (see merged-suggest.ts).
 * @example const s = new SuggestIndex(); s.add(doc); s.suggest('diffusion mod')
 */
export class SuggestIndex {
  /**
   * Each paper's title and its folded words joined by spaces (matching never re-folds a title). One string,
   * not an array of words beside it: at 300k papers the arrays were a third of these tables (#23).
   */
  private readonly titles = new Map<string, { title: string; order: number; text: string }>();
  private readonly titleWords = new PrefixTable<string>();
  private readonly authorParts = new PrefixTable<string>();
  private readonly authorPapers = new Map<string, number>();
  /** Each author name's folded parts joined by spaces (split when matched; see `titles`). */
  private readonly authorWords = new Map<string, string>();
  private readonly categories = new Map<string, number>();
  private readonly categoryKeys = new PrefixTable<string>();
  private readonly pairs = new Map<string, number>();
  private readonly topicWords = new PrefixTable<string>();
  private order: number;
  /** Papers of the base added here again (rewritten since): their entries there are out of date. */
  rewritten = 0;
  /** The tables as a SuggestSource (see suggestFrom). */
  readonly source: SuggestSource;

  constructor(
    private readonly categoryNames: ReadonlyMap<string, string> = new Map(),
    private readonly base: SuggestBase | null = null,
  ) {
    this.order = base?.nextOrder ?? 0;
    for (const [code, name] of categoryNames) this.indexCategory(code, name);
    this.source = {
      titles: heapPostings(this.titleWords, (id) => this.titleOf(id)),
      authors: heapPostings(this.authorParts, (name) => ({
        name,
        text: this.authorWords.get(name) ?? '',
        papers: this.authorPapers.get(name) ?? 0,
      })),
      topics: heapPostings(this.topicWords, (pair) => ({ pair, papers: this.pairPapers(pair) })),
      categoryKeys: this.categoryKeys,
      categoryNames: this.categoryNames,
      categoryCount: (code) => this.categories.get(code) ?? 0,
    };
  }

  /** Adds or replaces a paper (a replaced paper's old title words stay as harmless extra keys). */
  add(doc: SuggestDoc): void {
    const known = this.base?.hasPaper(doc.id) ?? false;
    const isNew = !this.titles.has(doc.id) && !known;
    if (known && !this.titles.has(doc.id)) this.rewritten++;
    const ws = words(doc.title);
    this.titles.set(doc.id, { title: doc.title, order: this.order++, text: ws.join(' ') });
    if (!isNew) {
      for (const w of ws) this.titleWords.add(w, doc.id);
      return;
    }
    // Distinct words by a look back over the few before (a title has about ten): no Set per paper, which with the
    // spelling counts' Sets was most of the lookup file's build (docs/BENCHMARKS.md "#23 reindex steps (h26l)").
    ws.forEach((w, i) => {
      if (firstAt(ws, w, i)) this.titleWords.addNew(w, doc.id);
    });
    for (const a of doc.authors) {
      const name = a.trim();
      if (name === '') continue;
      this.authorPapers.set(name, (this.authorPapers.get(name) ?? 0) + 1);
      if (this.authorWords.has(name) || (this.base?.hasAuthor(name) ?? false)) continue;
      const parts = words(name);
      this.authorWords.set(name, parts.join(' '));
      parts.forEach((part, i) => {
        if (part.length > 1 && firstAt(parts, part, i)) this.authorParts.addNew(part, name);
      });
    }
    for (const c of doc.categories) {
      const seen = this.categories.get(c) ?? 0;
      this.categories.set(c, seen + 1);
      // Indexed once, when first seen (again for each paper only re-folded its name to find it there already).
      if (seen === 0) this.indexCategory(c, this.categoryNames.get(c) ?? '');
    }
    const content = ws.filter((w) => !STOP.has(w) && w.length > 1);
    const pairs: string[] = [];
    for (let i = 1; i < content.length; i++) pairs.push(`${content[i - 1] ?? ''} ${content[i] ?? ''}`);
    pairs.forEach((pair, i) => {
      if (!firstAt(pairs, pair, i)) return;
      const n = (this.pairs.get(pair) ?? 0) + 1;
      this.pairs.set(pair, n);
      if (n + (this.base?.pairCount(pair) ?? 0) === TOPIC_MIN_PAPERS) {
        const [a = '', b = ''] = pair.split(' ');
        this.topicWords.addNew(a, pair);
        if (b !== a) this.topicWords.addNew(b, pair);
      }
    });
  }

  /** Makes a category code seen elsewhere (a lookup file) suggestible here too. */
  addCategory(code: string): void {
    this.indexCategory(code, this.categoryNames.get(code) ?? '');
  }

  private indexCategory(code: string, name: string): void {
    this.categoryKeys.add(code.toLowerCase(), code);
    for (const w of words(name)) this.categoryKeys.add(w, code);
  }

  /** The paper's title entry here, when it was added here. */
  titleOf(id: string): TitleEntry | undefined {
    const t = this.titles.get(id);
    return t === undefined ? undefined : { id, title: t.title, order: t.order, text: t.text };
  }

  /** Papers added here for an author name. */
  authorCount(name: string): number {
    return this.authorPapers.get(name) ?? 0;
  }

  /** Titles added here that hold a pair. */
  pairCount(pair: string): number {
    return this.pairs.get(pair) ?? 0;
  }

  /** Papers added here. */
  get papers(): number {
    return this.titles.size;
  }

  private pairPapers(pair: string): number {
    return (this.pairs.get(pair) ?? 0) + (this.base?.pairCount(pair) ?? 0);
  }

  /** The tables whole, for writing a lookup file (lookup-file.ts). */
  contents(): SuggestContents {
    return {
      titles: this.titles,
      titleWords: this.titleWords,
      authorParts: this.authorParts,
      authorPapers: this.authorPapers,
      authorWords: this.authorWords,
      categories: this.categories,
      pairs: this.pairs,
      topicWords: this.topicWords,
      nextOrder: this.order,
    };
  }

  /** Suggestions for a half-typed query; nothing for fewer than two letters. */
  suggest(query: string): Suggestion[] {
    return suggestFrom(this.source, query);
  }
}

/** What a SuggestIndex holds, read-only. */
export interface SuggestContents {
  titles: ReadonlyMap<string, { title: string; order: number; text: string }>;
  titleWords: PrefixTable<string>;
  authorParts: PrefixTable<string>;
  authorPapers: ReadonlyMap<string, number>;
  authorWords: ReadonlyMap<string, string>;
  categories: ReadonlyMap<string, number>;
  pairs: ReadonlyMap<string, number>;
  topicWords: PrefixTable<string>;
  nextOrder: number;
}

/** The key of the shortest list among `done`'s whole words (the first of equals), with its size. */
function rarest<T>(postings: Postings<T>, done: string[]): { key: string; size: number } | undefined {
  return done
    .map((key) => ({ key, size: postings.size(key) }))
    .sort((a, b) => a.size - b.size)
    .at(0);
}

function* listsOf<T>(ranges: Iterable<readonly [string, Iterable<T>]>): Generator<Iterable<T>> {
  for (const [, list] of ranges) yield list;
}

/**
 * Suggestions for a half-typed query from any tables; nothing for fewer than two letters.
 * @example suggestFrom(index.source, 'graph neu')
 */
export function suggestFrom(src: SuggestSource, query: string): Suggestion[] {
  const typed = words(query);
  const last = typed.at(-1) ?? '';
  if (typed.length === 0 || (typed.length === 1 && last.length < 2)) return [];
  const done = typed.slice(0, -1);
  const code = query.trim().toLowerCase();
  return [
    ...suggestTitles(src, done, last),
    ...suggestAuthors(src, done, last),
    ...suggestCategories(src, code, done, last),
    ...suggestTopics(src, done, last),
  ];
}

function suggestTitles(src: SuggestSource, done: string[], last: string): Suggestion[] {
  const seen = new Map<string, TitleEntry>();
  // Entries in a file are ruled out by the whole words' lists first: reading each one's title (a positional
  // read) for up to SCAN_LIMIT candidates made a keystroke slow (#23, h24s).
  const sets = done.length > 0 ? (src.titles.refSets?.(done, REF_SET_CAP) ?? []) : [];
  const lastSet = done.length > 0 ? (src.titles.prefixRefSet?.(last, REF_SET_CAP) ?? null) : null;
  if (lastSet !== null) sets.push(lastSet);
  const fits = (e: TitleEntry): boolean => {
    if (e.ref !== undefined && !sets.every((set) => set.has(e.ref ?? -1))) return false;
    const t = splitWords(e.text);
    return done.every((w) => t.includes(w)) && t.some((w) => w.startsWith(last));
  };
  // Start from the shortest paper list: the rarest whole word's, or all of the last word's prefix words'.
  const whole = rarest(src.titles, done);
  const sources =
    whole !== undefined && whole.size <= src.titles.prefixSize(last, whole.size)
      ? [src.titles.list(whole.key)]
      : listsOf(src.titles.prefixLists(last));
  let scanned = 0;
  outer: for (const list of sources)
    for (const e of list) {
      if (fits(e) && !seen.has(e.id)) seen.set(e.id, e);
      if (seen.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
    }
  const phrase = [...done, last].join(' ');
  const ranked = [...seen.values()].map((t) => ({
    id: t.id,
    title: t.title,
    order: t.order,
    starts: t.text.startsWith(phrase) ? 0 : 1,
  }));
  return ranked
    .sort((a, b) => a.starts - b.starts || b.order - a.order)
    .slice(0, LIMITS.title)
    .map((t) => ({ kind: 'title' as const, label: t.title, value: t.id }));
}

function suggestAuthors(src: SuggestSource, done: string[], last: string): Suggestion[] {
  const found = new Map<string, number>();
  // With whole words typed, the rarest one's names are the candidates; else the last word's prefix range.
  const whole = rarest(src.authors, done);
  const sources =
    whole !== undefined ? [src.authors.list(whole.key)] : listsOf(src.authors.prefixLists(last));
  let scanned = 0;
  outer: for (const list of sources)
    for (const e of list) {
      const parts = splitWords(e.text);
      if (!found.has(e.name) && done.every((w) => parts.includes(w)) && parts.some((p) => p.startsWith(last)))
        found.set(e.name, e.papers);
      if (found.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
    }
  return [...found]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, LIMITS.author)
    .map(([name]) => ({
      kind: 'author' as const,
      label: name,
      value: `author:"${name}"`,
    }));
}

function suggestCategories(src: SuggestSource, code: string, done: string[], last: string): Suggestion[] {
  const keys = src.categoryKeys;
  const found = new Set<string>();
  for (const c of keys.withPrefix(code)) for (const x of keys.get(c)) found.add(x);
  for (const key of keys.withPrefix(last))
    for (const c of keys.get(key)) {
      const name = words(src.categoryNames.get(c) ?? '');
      if (done.every((w) => name.includes(w))) found.add(c);
    }
  return [...found]
    .filter((c) => src.categoryCount(c) > 0)
    .sort((a, b) => src.categoryCount(b) - src.categoryCount(a))
    .slice(0, LIMITS.category)
    .map((c) => {
      const name = src.categoryNames.get(c);
      return { kind: 'category' as const, label: name ? `${c} – ${name}` : c, value: `cat:${c}` };
    });
}

function suggestTopics(src: SuggestSource, done: string[], last: string): Suggestion[] {
  const found = new Map<string, number>();
  const whole = rarest(src.topics, done);
  const sources = whole !== undefined ? [src.topics.list(whole.key)] : listsOf(src.topics.prefixLists(last));
  let scanned = 0;
  outer: for (const list of sources)
    for (const e of list) {
      const ws = e.pair.split(' ');
      if (!found.has(e.pair) && done.every((w) => ws.includes(w)) && ws.some((w) => w.startsWith(last)))
        found.set(e.pair, e.papers);
      if (found.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
    }
  return [...found]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, LIMITS.topic)
    .map(([pair]) => ({ kind: 'topic' as const, label: pair, value: `"${pair}"` }));
}
