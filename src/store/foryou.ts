// Store interface for a reader's "For you" signals: follows, saved searches, not-interested marks, seen papers.

export type FollowKind = 'author' | 'category' | 'topic';
export type NotInterestedKind = 'paper' | 'author';

/**
 * A followed author (key: normalized name), category (key: "cs.CL") or topic (key: its id, "12"), with the
 * name as first given (a topic's label when it was followed).
 */
export interface Follow {
  kind: FollowKind;
  key: string;
  label: string;
  createdAt: string;
}

/** A paper (key: paper id) or an author (key: normalized name) the reader never wants to see. */
export interface NotInterested {
  kind: NotInterestedKind;
  key: string;
  label: string;
  createdAt: string;
}

/** A keyword alert in the search query language ("diffusion -survey cat:cs.CV"). */
export interface SavedSearch {
  id: number;
  query: string;
  createdAt: string;
}

/** An imported reference that matched no stored paper but still tells what the reader reads. */
export interface InterestText {
  title: string;
  abstract: string;
  source: string;
}

/** A paper of the ranking window, with what the ranking needs besides its vector. */
export interface ForYouCandidate {
  id: string;
  title: string;
  /** Announcement (else first-version) day, YYYY-MM-DD. */
  day: string;
  authors: string[];
  categories: string[];
}

/** A paper of the ranking window, as little as ranking all of them needs. */
export interface WindowRow {
  id: string;
  /** Announcement (else first-version) day, YYYY-MM-DD. */
  day: string;
  categories: string[];
}

/** A paper by an author looked up by normalized name (`normalizeAuthorName`). */
export interface AuthorPaper {
  paperId: string;
  /** The author's position in the byline, from 0. */
  position: number;
  key: string;
}

/** A reader's stored For-you visit: the latest one and the one kept as "before" it. */
export interface StoredVisit {
  previousAt: string | null;
  lastAt: string;
}

/** Given the stored visit (null on the first) and the time of this one, the visit to keep as "before". */
export type VisitRule = (stored: StoredVisit | null, at: string) => string | null;

/** Reference keys of an imported entry; any may be null. */
export interface PaperRefKeys {
  arxivId: string | null;
  doi: string | null;
  /** `titleKey(title, authors)` from the domain. */
  titleKey: string | null;
}

export interface ForYouRepo {
  /** Adds a follow; false when it was already there. */
  follow(userId: number, kind: FollowKind, key: string, label: string): Promise<boolean>;
  unfollow(userId: number, kind: FollowKind, key: string): Promise<boolean>;
  follows(userId: number): Promise<Follow[]>;
  /** Marks a paper or author as not interesting; false when it was already marked. */
  markNotInterested(userId: number, kind: NotInterestedKind, key: string, label: string): Promise<boolean>;
  undoNotInterested(userId: number, kind: NotInterestedKind, key: string): Promise<boolean>;
  notInterested(userId: number): Promise<NotInterested[]>;
  /** Adds a saved search, or returns the existing one with the same text. */
  addSavedSearch(userId: number, query: string): Promise<SavedSearch>;
  removeSavedSearch(userId: number, id: number): Promise<boolean>;
  savedSearches(userId: number): Promise<SavedSearch[]>;
  /** Records papers as seen (the first time counts); returns how many were new. */
  markSeen(userId: number, paperIds: readonly string[]): Promise<number>;
  seenAmong(userId: number, paperIds: readonly string[]): Promise<Set<string>>;
  /** The reader's seen papers dated in [from, to) (YYYY-MM-DD), like `candidates`. */
  seenBetween(userId: number, from: string, to: string): Promise<Set<string>>;
  /**
   * Stores interest texts, one per normalized title, then keeps only the reader's `keep` newest;
   * returns how many were new.
   */
  addInterestTexts(userId: number, texts: readonly InterestText[], keep: number): Promise<number>;
  interestTexts(userId: number, limit: number): Promise<InterestText[]>;
  /** The reader's upvoted papers, newest vote first. */
  votedPapers(userId: number, limit: number): Promise<{ paperId: string; atMs: number }[]>;
  /**
   * Records a visit to the For-you feed now, in one transaction: reads the stored visit, asks `previousOf`
   * which time to keep as "the visit before" (the session rule lives in the service), stores it with now
   * as the latest visit, and returns it.
   */
  recordVisit(userId: number, previousOf: VisitRule): Promise<string | null>;
  /** Papers dated in [from, to) (YYYY-MM-DD), newest first, at most `limit`. */
  candidates(from: string, to: string, limit: number): Promise<ForYouCandidate[]>;
  /** The same papers as `candidates`, in the same order, with only what ranking every one of them needs. */
  windowPapers(from: string, to: string, limit: number): Promise<WindowRow[]>;
  /** Papers dated in [from, to) with one of these normalized author names, and where it stands in the byline. */
  authorPapers(keys: readonly string[], from: string, to: string): Promise<AuthorPaper[]>;
  /** The stored paper id for each reference (arXiv id, then DOI, then title key), or null. */
  matchPapers(refs: readonly PaperRefKeys[]): Promise<(string | null)[]>;
}
