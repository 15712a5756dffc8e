// Plain types for readers' collections of papers and their public profiles.

/** A named list of papers a reader curates; public ones can be shared, followed by feed and upvoted. */
export interface Collection {
  id: number;
  /** Stable public name in URLs (/collections/<slug>); never changes, even when the title does. */
  slug: string;
  ownerId: number;
  title: string;
  description: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  /** How many papers it holds. */
  papers: number;
  /** How many readers upvoted it. */
  votes: number;
}

/** One paper in a collection, in the owner's order, with the owner's note. */
export interface CollectionEntry {
  paperId: string;
  note: string;
  /** 0-based place in the collection. */
  position: number;
  addedAt: string;
}

/** A reader's public name and profile settings. */
export interface Profile {
  userId: number;
  /** As the reader typed it; unique ignoring case. */
  handle: string;
  /** The account's display name (may be empty). */
  name: string;
  /** Whether /u/<handle> lists the papers the reader upvoted (off until they turn it on). */
  showUpvotes: boolean;
}

/** Who submitted a paper, as shown publicly: null handle when the reader has not chosen one. */
export interface Submitter {
  userId: number;
  handle: string | null;
  name: string;
  submittedAt: string;
}
