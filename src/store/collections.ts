// Store interfaces for collections (papers with notes, in order, and their upvotes) and reader profiles.
import type { Collection, CollectionEntry, Profile, Submitter } from '../domain/index.ts';

export interface NewCollection {
  slug: string;
  userId: number;
  title: string;
  description: string;
  public: boolean;
}

export interface CollectionRepo {
  /** Creates a collection; null when the slug is taken. */
  create(c: NewCollection): Promise<Collection | null>;
  bySlug(slug: string): Promise<Collection | null>;
  /** Changes title, description and visibility (the slug stays). */
  update(id: number, c: { title: string; description: string; public: boolean }): Promise<void>;
  delete(id: number): Promise<boolean>;
  /** A reader's collections, most recently changed first (public ones only with `publicOnly`). */
  byOwner(userId: number, q: { publicOnly: boolean; limit: number; offset: number }): Promise<Collection[]>;
  countByOwner(userId: number): Promise<number>;
  /** Public collections with at least one paper: by upvotes ('popular') or by last change ('recent'). */
  listPublic(q: {
    order: 'popular' | 'recent';
    limit: number;
    offset: number;
  }): Promise<{ collections: Collection[]; total: number }>;
  /** Public collections holding a paper, most upvoted first. */
  publicWithPaper(paperId: string, limit: number): Promise<Collection[]>;
  /** The papers of a collection in the owner's order. */
  entries(collectionId: number): Promise<CollectionEntry[]>;
  /**
   * Adds a paper at the end, or with a note already there, replaces its note (null keeps it);
   * null when the paper is unknown.
   */
  putPaper(collectionId: number, paperId: string, note: string | null): Promise<'added' | 'updated' | null>;
  removePaper(collectionId: number, paperId: string): Promise<boolean>;
  /** Puts the papers in this order; false (and nothing changed) unless `paperIds` is exactly its papers. */
  reorder(collectionId: number, paperIds: readonly string[]): Promise<boolean>;
  /** Sets or clears a reader's upvote; returns the new count. */
  vote(userId: number, collectionId: number, on: boolean): Promise<number>;
  votedBy(userId: number, collectionIds: readonly number[]): Promise<Set<number>>;
}

export interface ProfileRepo {
  get(userId: number): Promise<Profile | null>;
  /** The profile whose handle equals `handle` ignoring case. */
  byHandle(handle: string): Promise<Profile | null>;
  /** Sets or changes the reader's handle; false when another reader has it (ignoring case). */
  setHandle(userId: number, handle: string): Promise<boolean>;
  /** Turns the public upvote list on or off; false when the reader has no profile (no handle) yet. */
  setShowUpvotes(userId: number, on: boolean): Promise<boolean>;
  /** Handles of these readers (readers without one are absent). */
  handlesOf(userIds: readonly number[]): Promise<Map<number, string>>;
  /** Records that a reader submitted a paper; the first submitter stays. False for an unknown paper. */
  recordSubmission(userId: number, paperId: string): Promise<boolean>;
  submitter(paperId: string): Promise<Submitter | null>;
  /** Submitters of these papers, by paper id. */
  submitters(paperIds: readonly string[]): Promise<Map<string, Submitter>>;
  /** Papers a reader submitted, newest first. */
  submittedBy(userId: number, limit: number, offset: number): Promise<{ paperIds: string[]; total: number }>;
  /** Papers a reader upvoted, newest vote first. */
  upvotedBy(userId: number, limit: number, offset: number): Promise<{ paperIds: string[]; total: number }>;
}
