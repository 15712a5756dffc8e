// Use cases of "For you": the ranked feed, follows, not-interested marks, saved searches, seen papers, library import.
import { stripUnsafeChars } from '../../ingest/sanitize.ts';
import { addDays, isDay, normalizeAuthorName, titleKey, type Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { parseQuery } from '../../index/lexical/query.ts';
import type { ReasonKind } from '../../rank/foryou.ts';
import type {
  Follow,
  FollowKind,
  NotInterested,
  NotInterestedKind,
  SavedSearch,
} from '../../store/foryou.ts';
import { checkEmail, checkTag, checkTags, createPacer } from '../../platform/index.ts';
import { rankFeed, readerSignals, syncIndexes, type FeedDeps } from './foryou-feed.ts';
import { readLibraryInWorker, type LibraryFormat, type ParsedLibrary } from '../ingest/index.ts';
import { noSuchPaper, paperIdOf } from '../papers/index.ts';
import { sessionMerge } from './visit-session.ts';

export type {
  Follow,
  FollowKind,
  NotInterested,
  NotInterestedKind,
  SavedSearch,
} from '../../store/foryou.ts';

export interface ForYouRequest {
  /** The last N days (1–365), ending today. */
  days?: number;
  /**
   * From this day (YYYY-MM-DD) on; `latest`: the newest week the store holds; `all`: every paper.
   * Default: since the last visit, else the last 7 days.
   */
  since?: string;
  /** Recommend for one library tag (from that tag's papers only). */
  tag?: string;
  limit?: number;
  offset?: number;
}

export interface ForYouEntry {
  paper: Paper;
  score: number;
  reason: string;
  reasonKind: ReasonKind;
  seen: boolean;
}

export interface ForYouPage {
  items: ForYouEntry[];
  total: number;
  /** The window: first day, inclusive, and the day after the last. */
  from: string;
  to: string;
  mode: 'vectors' | 'lexical';
  /** Advice when the reader has given nothing to learn from yet; null otherwise. */
  notice: string | null;
  /**
   * Set when the asked window held no papers and the newest week the store holds is shown instead (a
   * historical corpus): the window that was asked for, empty.
   */
  widenedFrom: { from: string; to: string } | null;
}

export interface ImportReport {
  format: LibraryFormat;
  /** Readable entries in the file. */
  entries: number;
  /** Matched papers newly saved to the library. */
  saved: number;
  alreadySaved: number;
  /** Unmatched entries kept as interests (they have a title); at most MAX_INTEREST_TEXTS. */
  interests: number;
  /** Entries that matched nothing and have no title (e.g. arXiv ids this store lacks). */
  unmatched: { location: string; ref: string }[];
  rejected: { location: string; reason: string }[];
}

export interface ForYouService {
  forYou(userId: number, req?: ForYouRequest): Promise<ForYouPage>;
  follow(userId: number, kind: FollowKind, name: string): Promise<Follow>;
  unfollow(userId: number, kind: FollowKind, name: string): Promise<void>;
  follows(userId: number): Promise<Follow[]>;
  notInterested(userId: number, kind: NotInterestedKind, ref: string): Promise<NotInterested>;
  undoNotInterested(userId: number, kind: NotInterestedKind, ref: string): Promise<void>;
  notInterestedList(userId: number): Promise<NotInterested[]>;
  addSavedSearch(userId: number, query: string): Promise<SavedSearch>;
  removeSavedSearch(userId: number, id: number): Promise<void>;
  savedSearches(userId: number): Promise<SavedSearch[]>;
  markSeen(userId: number, paperRefs: readonly string[]): Promise<number>;
  /** The account id for an e-mail address (for the CLI); NOT_FOUND when there is none. */
  userIdByEmail(email: string): Promise<number>;
  /** Imports a BibTeX, CSL-JSON or arXiv-id list export into the library and the reader's interests. */
  /** `text` is the file's text or its UTF-8 bytes (decoded off the event loop, with the parsing). */
  importLibrary(
    userId: number,
    text: string | Uint8Array,
    opts?: { source?: string; format?: LibraryFormat; tags?: readonly string[] },
  ): Promise<ImportReport>;
}

export interface ForYouDeps extends FeedDeps {
  now: () => Date;
}

const DEFAULT_DAYS = 7;
const MAX_DAYS = 365;
const MAX_SINCE_VISIT_DAYS = 30;
/** The first day of the `all` window: before any arXiv paper. */
const ALL_FROM = '1990-01-01';
/** Visits closer than this are one visit, so a reload keeps showing the same window. */
const SESSION_GAP_MS = 3 * 3_600_000;
const MAX_SEARCHES = 100;
const MAX_SEARCH_CHARS = 500;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
/** A reader keeps at most this many imported interest texts (the newest); the feed reads the newest 200. */
export const MAX_INTEREST_TEXTS = 1000;
/** Library imports match and save references in batches of this size, letting other requests run between. */
const IMPORT_BATCH = 250;

function checkInt(v: number | undefined, name: string, min: number, max: number, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AppError('BAD_INPUT', `${name} must be a whole number from ${min} to ${max}, got ${n}.`);
  return n;
}

function checkName(kind: string, raw: string): string {
  const s = stripUnsafeChars(raw).replace(/\s+/g, ' ').trim();
  if (s === '' || s.length > 200)
    throw new AppError('BAD_INPUT', `Give the ${kind}'s name (at most 200 characters).`);
  return s;
}

function followKey(kind: FollowKind, raw: string): { key: string; label: string } {
  if (kind === 'category') {
    const cat = raw.trim();
    if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(cat))
      throw new AppError(
        'BAD_INPUT',
        `"${cat.slice(0, 40)}" is not an arXiv category; write one such as cs.CL.`,
      );
    return { key: cat, label: cat };
  }
  const label = checkName('author', raw);
  const key = normalizeAuthorName(label);
  if (key === '')
    throw new AppError('BAD_INPUT', `"${label.slice(0, 40)}" has no letters to match authors by.`);
  return { key, label };
}

/** A topic's follow key: its id, a positive whole number. */
function topicKey(raw: string): string {
  const id = raw.trim();
  if (!/^[1-9]\d{0,8}$/.test(id))
    throw new AppError(
      'BAD_INPUT',
      `"${id.slice(0, 40)}" is not a topic id; topics are numbered, see /topics.`,
    );
  return id;
}

/** A saved search must look for something: words, a phrase, an author or a category, not only exclusions. */
function checkSavedSearch(raw: string): string {
  // Shown on pages and in digests: no control characters or bidi overrides, as in paper records.
  const text = stripUnsafeChars(raw).replace(/\s+/g, ' ').trim();
  if (text === '')
    throw new AppError(
      'BAD_INPUT',
      'A saved search needs words to look for, e.g. "diffusion -survey cat:cs.CV".',
    );
  if (text.length > MAX_SEARCH_CHARS)
    throw new AppError('BAD_INPUT', `A saved search is limited to ${MAX_SEARCH_CHARS} characters.`);
  const q = parseQuery(text);
  if (q.words.length + q.phrases.length + q.authors.length + q.categories.length === 0)
    throw new AppError(
      'BAD_INPUT',
      `"${text.slice(0, 60)}" only excludes; add at least one word, "phrase", author: or cat: to look for.`,
    );
  return text;
}

export function createForYouService(deps: ForYouDeps): ForYouService {
  const { store } = deps;
  const today = (): string => deps.now().toISOString().slice(0, 10);

  /** The newest DEFAULT_DAYS days that hold papers (a corpus that stopped growing still shows something). */
  async function latestWindow(): Promise<{ from: string; to: string }> {
    const last = (await store.listings.latestDay(today())) ?? today();
    return { from: addDays(last, 1 - DEFAULT_DAYS), to: addDays(last, 1) };
  }

  async function windowOf(userId: number, req: ForYouRequest): Promise<{ from: string; to: string }> {
    const to = addDays(today(), 1);
    if (req.since === 'latest') return latestWindow();
    if (req.since === 'all') return { from: ALL_FROM, to };
    if (req.since !== undefined) {
      if (!isDay(req.since))
        throw new AppError(
          'BAD_INPUT',
          `since must be a day such as 2026-07-01, "latest" or "all", got "${req.since.slice(0, 20)}".`,
        );
      return { from: req.since, to };
    }
    if (req.days !== undefined)
      return { from: addDays(to, -checkInt(req.days, 'days', 1, MAX_DAYS, DEFAULT_DAYS)), to };
    const previous = await store.forYou.recordVisit(userId, sessionMerge(SESSION_GAP_MS));
    const floor = addDays(to, -MAX_SINCE_VISIT_DAYS);
    if (previous === null) return { from: addDays(to, -DEFAULT_DAYS), to };
    const day = previous.slice(0, 10);
    return { from: day < floor ? floor : day, to };
  }

  /** A topic to follow: its id, which must exist, and its name now (kept as the follow's label). */
  async function topicToFollow(raw: string): Promise<{ key: string; label: string }> {
    const key = topicKey(raw);
    const topic = (await store.topics.list()).find((t) => String(t.id) === key);
    if (topic === undefined) throw new AppError('NOT_FOUND', `No topic ${key}; see /topics for the list.`);
    return { key, label: topic.label };
  }

  return {
    async forYou(userId, req = {}) {
      const limit = checkInt(req.limit, 'limit', 1, MAX_LIMIT, 20);
      const offset = checkInt(req.offset, 'offset', 0, MAX_OFFSET, 0);
      const tag = req.tag !== undefined ? checkTag(req.tag) : undefined;
      let w = await windowOf(userId, req);
      await syncIndexes(deps);
      // Read once for both windows below (and the notice): each read is a round trip on PostgreSQL.
      const reader = readerSignals(deps, userId, tag);
      let feed = await rankFeed(deps, userId, w, tag, offset + limit, reader);
      let widenedFrom: ForYouPage['widenedFrom'] = null;
      if (feed.total === 0 && req.since !== 'all') {
        const latest = await latestWindow();
        if (latest.from !== w.from || latest.to !== w.to) {
          widenedFrom = w;
          w = latest;
          feed = await rankFeed(deps, userId, w, tag, offset + limit, reader);
        }
      }
      const page = feed.items.slice(offset, offset + limit);
      const ids = page.map((i) => i.id);
      const [stored, seen, signals] = await Promise.all([
        store.papers.getMany(ids),
        store.forYou.seenAmong(userId, ids),
        reader,
      ]);
      const papers = new Map(stored.map((p) => [p.id, p]));
      const items = page.flatMap((i) => {
        const paper = papers.get(i.id);
        return paper
          ? [{ paper, score: i.score, reason: i.reason, reasonKind: i.reasonKind, seen: seen.has(i.id) }]
          : [];
      });
      // A tag's feed reads no saved searches: asked here as before, only then.
      const learns =
        feed.positives > 0 ||
        signals.follows.length > 0 ||
        (tag === undefined ? signals.searches : await store.forYou.savedSearches(userId)).length > 0;
      const notice = learns
        ? null
        : 'Nothing to learn from yet: save or upvote a paper, follow an author or a category, save a search, or import your library.';
      return { items, total: feed.total, from: w.from, to: w.to, mode: feed.mode, notice, widenedFrom };
    },
    async follow(userId, kind, name) {
      const { key, label } = kind === 'topic' ? await topicToFollow(name) : followKey(kind, name);
      await store.forYou.follow(userId, kind, key, label);
      return (await store.forYou.follows(userId)).find((f) => f.kind === kind && f.key === key) as Follow;
    },
    async unfollow(userId, kind, name) {
      // A topic may be gone after a recompute: it can still be unfollowed by its id.
      const { key, label } =
        kind === 'topic' ? { key: topicKey(name), label: `topic ${name}` } : followKey(kind, name);
      if (!(await store.forYou.unfollow(userId, kind, key)))
        throw new AppError('NOT_FOUND', `You do not follow ${label}.`);
    },
    follows: (userId) => store.forYou.follows(userId),
    async notInterested(userId, kind, ref) {
      let key: string;
      let label: string;
      if (kind === 'paper') {
        key = paperIdOf(ref);
        const paper = await store.papers.get(key);
        if (!paper) throw noSuchPaper(key);
        label = paper.title;
      } else ({ key, label } = followKey('author', ref));
      await store.forYou.markNotInterested(userId, kind, key, label);
      return (await store.forYou.notInterested(userId)).find(
        (m) => m.kind === kind && m.key === key,
      ) as NotInterested;
    },
    async undoNotInterested(userId, kind, ref) {
      const key = kind === 'paper' ? paperIdOf(ref) : followKey('author', ref).key;
      if (!(await store.forYou.undoNotInterested(userId, kind, key)))
        throw new AppError('NOT_FOUND', `"${ref.slice(0, 100)}" is not marked not interested.`);
    },
    notInterestedList: (userId) => store.forYou.notInterested(userId),
    async addSavedSearch(userId, query) {
      const text = checkSavedSearch(query);
      const existing = await store.forYou.savedSearches(userId);
      if (existing.length >= MAX_SEARCHES && !existing.some((s) => s.query === text))
        throw new AppError(
          'BAD_INPUT',
          `You have ${MAX_SEARCHES} saved searches, the most there can be; delete one first.`,
        );
      return store.forYou.addSavedSearch(userId, text);
    },
    async removeSavedSearch(userId, id) {
      if (!(await store.forYou.removeSavedSearch(userId, id)))
        throw new AppError('NOT_FOUND', `You have no saved search ${id}.`);
    },
    savedSearches: (userId) => store.forYou.savedSearches(userId),
    async markSeen(userId, refs) {
      if (refs.length > 1000) throw new AppError('BAD_INPUT', 'Mark at most 1,000 papers as seen at once.');
      return store.forYou.markSeen(userId, refs.map(paperIdOf));
    },
    async userIdByEmail(email) {
      const found = await store.users.byEmail(checkEmail(email));
      if (!found)
        throw new AppError('NOT_FOUND', `No account with the address ${email.slice(0, 254)}; sign up first.`);
      return found.user.id;
    },
    importLibrary: (userId, text, opts = {}) => importInto(deps, userId, text, opts),
  };
}

async function importInto(
  deps: ForYouDeps,
  userId: number,
  text: string | Uint8Array,
  opts: { source?: string; format?: LibraryFormat; tags?: readonly string[] },
): Promise<ImportReport> {
  const { store } = deps;
  const tags = checkTags(opts.tags ?? []);
  const pace = createPacer();
  // Parsing runs in a worker; its pages are matched (reads only) as they come. Nothing is written until
  // the whole file has parsed, so a file refused halfway (too many entries) changes nothing.
  const lib: ParsedLibrary = {
    format: opts.format ?? 'ids',
    refs: [],
    rejected: [],
  };
  const ids: (string | null)[] = [];
  for await (const page of readLibraryInWorker(text, opts.source ?? 'upload', opts.format, IMPORT_BATCH)) {
    lib.format = page.format;
    lib.rejected.push(...page.rejected);
    for (let at = 0; at < page.refs.length; at += IMPORT_BATCH) {
      const batch = page.refs.slice(at, at + IMPORT_BATCH).map(({ paper: p }) => ({
        arxivId: p.arxivId,
        doi: p.doi,
        titleKey: p.title.trim() !== '' ? titleKey(p.title, p.authors) : null,
      }));
      ids.push(...(await store.forYou.matchPapers(batch)));
      await pace();
    }
    lib.refs.push(...page.refs);
  }
  const matched = [...new Set(ids.filter((id): id is string => id !== null))];
  const already = await store.library.savedAmong(userId, matched);
  // One transaction per batch, not per paper: a commit each made SQLite checkpoint its log mid-import,
  // a pause of ~85 ms for every other request (docs/BENCHMARKS.md, library import).
  const toSave = matched.filter((id) => !already.has(id));
  let saved = 0;
  for (let at = 0; at < toSave.length; at += IMPORT_BATCH) {
    saved += (await store.library.saveMany(userId, toSave.slice(at, at + IMPORT_BATCH), tags)).length;
    await pace();
  }
  const unmatchedRefs = lib.refs.filter((_, i) => ids[i] === null);
  const withTitle = unmatchedRefs.filter((r) => r.paper.title.trim() !== '');
  // Only the newest MAX_INTEREST_TEXTS are kept anyway, so only the file's last ones are written.
  const texts = withTitle
    .slice(-MAX_INTEREST_TEXTS)
    .map((r) => ({ title: r.paper.title, abstract: r.paper.abstract, source: r.location }));
  for (let at = 0; at < texts.length; at += IMPORT_BATCH) {
    await store.forYou.addInterestTexts(userId, texts.slice(at, at + IMPORT_BATCH), MAX_INTEREST_TEXTS);
    await pace();
  }
  return {
    format: lib.format,
    entries: lib.refs.length,
    saved,
    alreadySaved: already.size,
    interests: Math.min(withTitle.length, MAX_INTEREST_TEXTS),
    unmatched: unmatchedRefs
      .filter((r) => r.paper.title.trim() === '')
      .map((r) => ({ location: r.location, ref: r.paper.arxivId ?? r.paper.doi ?? '(no title)' })),
    rejected: lib.rejected,
  };
}
