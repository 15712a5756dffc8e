// Plain types for votes and a reader's library of saved papers.
import type { Paper } from './paper.ts';

/** One saved paper in a reader's library, with the reader's tags. */
export interface LibraryEntry {
  paperId: string;
  tags: string[];
  savedAt: string;
}

/** A saved paper with its full record, as the library page and exports use it. */
export interface LibraryItem extends LibraryEntry {
  paper: Paper;
}

/** A tag and how many saved papers carry it. */
export interface TagCount {
  tag: string;
  count: number;
}

/** One upvote's paper and when it was cast (milliseconds since the epoch), the input of trending. */
export interface VoteAt {
  paperId: string;
  at: number;
}
