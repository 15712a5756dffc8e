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
/** A two-word title phrase becomes a topic once this many papers' titles hold it. */
const TOPIC_MIN_PAPERS = 5;
const STOP = new Set(
  'a an and are as at be by for from in into is of on or the to via with without using based towards toward its their our we'.split(
    ' ',
  ),
);

function words(text: string): string[] {
  return foldWord(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The words of a text `words` made and joined with single spaces ('' has none). */
function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}

/** Sorted distinct keys with the items each leads to, for prefix ranges by binary search. */
class PrefixTable<T> {
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

/**
 * In-memory suggestion tables: title words → papers, author name parts → authors, category codes and
 * names, and topics (two-word title phrases found in at least TOPIC_MIN_PAPERS titles). Every typed word
 * but the last must match a whole word; the last may be a prefix.
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
  private order = 0;

  constructor(private readonly categoryNames: ReadonlyMap<string, string> = new Map()) {
    for (const [code, name] of categoryNames) this.indexCategory(code, name);
  }

  /** Adds or replaces a paper (a replaced paper's old title words stay as harmless extra keys). */
  add(doc: SuggestDoc): void {
    const isNew = !this.titles.has(doc.id);
    const ws = words(doc.title);
    this.titles.set(doc.id, { title: doc.title, order: this.order++, text: ws.join(' ') });
    if (!isNew) {
      for (const w of ws) this.titleWords.add(w, doc.id);
      return;
    }
    for (const w of new Set(ws)) this.titleWords.addNew(w, doc.id);
    for (const a of doc.authors) {
      const name = a.trim();
      if (name === '') continue;
      this.authorPapers.set(name, (this.authorPapers.get(name) ?? 0) + 1);
      if (this.authorWords.has(name)) continue;
      const parts = words(name);
      this.authorWords.set(name, parts.join(' '));
      for (const part of new Set(parts)) if (part.length > 1) this.authorParts.addNew(part, name);
    }
    for (const c of doc.categories) {
      this.categories.set(c, (this.categories.get(c) ?? 0) + 1);
      this.indexCategory(c, this.categoryNames.get(c) ?? '');
    }
    const content = ws.filter((w) => !STOP.has(w) && w.length > 1);
    for (const pair of new Set(content.slice(1).map((w, i) => `${content[i] ?? ''} ${w}`))) {
      const n = (this.pairs.get(pair) ?? 0) + 1;
      this.pairs.set(pair, n);
      if (n === TOPIC_MIN_PAPERS) for (const w of new Set(pair.split(' '))) this.topicWords.addNew(w, pair);
    }
  }

  private indexCategory(code: string, name: string): void {
    this.categoryKeys.add(code.toLowerCase(), code);
    for (const w of words(name)) this.categoryKeys.add(w, code);
  }

  /** Suggestions for a half-typed query; nothing for fewer than two letters. */
  suggest(query: string): Suggestion[] {
    const typed = words(query);
    const last = typed.at(-1) ?? '';
    if (typed.length === 0 || (typed.length === 1 && last.length < 2)) return [];
    const done = typed.slice(0, -1);
    const code = query.trim().toLowerCase();
    return [
      ...this.suggestTitles(done, last),
      ...this.suggestAuthors(done, last),
      ...this.suggestCategories(code, done, last),
      ...this.suggestTopics(done, last),
    ];
  }

  private suggestTitles(done: string[], last: string): Suggestion[] {
    const seen = new Set<string>();
    const fits = (id: string): boolean => {
      const t = splitWords(this.titles.get(id)?.text ?? '');
      return done.every((w) => t.includes(w)) && t.some((w) => w.startsWith(last));
    };
    // Start from the shortest paper list: the rarest whole word's, or all of the last word's prefix words'.
    const whole = done
      .map((w) => this.titleWords.get(w))
      .sort((a, b) => a.length - b.length)
      .at(0);
    const sources =
      whole !== undefined && whole.length <= this.titleWords.prefixSize(last, whole.length)
        ? [whole]
        : this.prefixLists(this.titleWords, last);
    let scanned = 0;
    outer: for (const list of sources)
      for (const id of list) {
        if (!seen.has(id) && fits(id)) seen.add(id);
        if (seen.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
      }
    const phrase = [...done, last].join(' ');
    const ranked: { id: string; title: string; order: number; starts: number }[] = [];
    for (const id of seen) {
      const t = this.titles.get(id);
      if (t !== undefined)
        ranked.push({ id, title: t.title, order: t.order, starts: t.text.startsWith(phrase) ? 0 : 1 });
    }
    return ranked
      .sort((a, b) => a.starts - b.starts || b.order - a.order)
      .slice(0, LIMITS.title)
      .map((t) => ({ kind: 'title' as const, label: t.title, value: t.id }));
  }

  private *prefixLists(table: PrefixTable<string>, prefix: string): Generator<readonly string[]> {
    for (const key of table.withPrefix(prefix)) yield table.get(key);
  }

  private suggestAuthors(done: string[], last: string): Suggestion[] {
    const found = new Set<string>();
    // With whole words typed, the rarest one's names are the candidates; else the last word's prefix range.
    const whole = done
      .map((w) => this.authorParts.get(w))
      .sort((a, b) => a.length - b.length)
      .at(0);
    const sources = whole !== undefined ? [whole] : this.prefixLists(this.authorParts, last);
    let scanned = 0;
    outer: for (const list of sources)
      for (const name of list) {
        const parts = splitWords(this.authorWords.get(name) ?? '');
        if (done.every((w) => parts.includes(w)) && parts.some((p) => p.startsWith(last))) found.add(name);
        if (found.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
      }
    return [...found]
      .sort((a, b) => (this.authorPapers.get(b) ?? 0) - (this.authorPapers.get(a) ?? 0) || (a < b ? -1 : 1))
      .slice(0, LIMITS.author)
      .map((name) => ({
        kind: 'author' as const,
        label: name,
        value: `author:"${name}"`,
      }));
  }

  private suggestCategories(code: string, done: string[], last: string): Suggestion[] {
    const found = new Set<string>();
    for (const c of this.categoryKeys.withPrefix(code))
      for (const x of this.categoryKeys.get(c)) found.add(x);
    for (const list of this.prefixLists(this.categoryKeys, last))
      for (const c of list) {
        const name = words(this.categoryNames.get(c) ?? '');
        if (done.every((w) => name.includes(w))) found.add(c);
      }
    return [...found]
      .filter((c) => (this.categories.get(c) ?? 0) > 0)
      .sort((a, b) => (this.categories.get(b) ?? 0) - (this.categories.get(a) ?? 0))
      .slice(0, LIMITS.category)
      .map((c) => {
        const name = this.categoryNames.get(c);
        return { kind: 'category' as const, label: name ? `${c} – ${name}` : c, value: `cat:${c}` };
      });
  }

  private suggestTopics(done: string[], last: string): Suggestion[] {
    const found = new Set<string>();
    const whole = done
      .map((w) => this.topicWords.get(w))
      .sort((a, b) => a.length - b.length)
      .at(0);
    const sources = whole !== undefined ? [whole] : this.prefixLists(this.topicWords, last);
    let scanned = 0;
    outer: for (const list of sources)
      for (const pair of list) {
        const ws = pair.split(' ');
        if (done.every((w) => ws.includes(w)) && ws.some((w) => w.startsWith(last))) found.add(pair);
        if (found.size >= CANDIDATES || ++scanned >= SCAN_LIMIT) break outer;
      }
    return [...found]
      .sort((a, b) => (this.pairs.get(b) ?? 0) - (this.pairs.get(a) ?? 0) || (a < b ? -1 : 1))
      .slice(0, LIMITS.topic)
      .map((pair) => ({ kind: 'topic' as const, label: pair, value: `"${pair}"` }));
  }
}
