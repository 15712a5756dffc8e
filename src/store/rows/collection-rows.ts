// Row shapes of collections and profiles shared by the SQLite and PostgreSQL engines, and their mappings.
import type { Collection, CollectionEntry, Profile, Submitter } from '../../domain/index.ts';

export interface CollectionRow {
  id: number;
  slug: string;
  user_id: number;
  title: string;
  description: string;
  public: number;
  created_at: string;
  updated_at: string;
  papers: number;
  votes: number;
}

/**
 * Maps a collection row (with counts) to a Collection.
 * @example toCollection(row).public // true when the column is 1
 */
export function toCollection(r: CollectionRow): Collection {
  return {
    id: r.id,
    slug: r.slug,
    ownerId: r.user_id,
    title: r.title,
    description: r.description,
    public: r.public === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    papers: r.papers,
    votes: r.votes,
  };
}

export interface CollectionEntryRow {
  id: string;
  note: string;
  added_at: string;
}

/** Maps entry rows, already in order, to entries numbered from 0 (gaps left by removals close up). */
export function toEntries(rows: readonly CollectionEntryRow[]): CollectionEntry[] {
  return rows.map((r, i) => ({ paperId: r.id, note: r.note, position: i, addedAt: r.added_at }));
}

export interface ProfileRow {
  user_id: number;
  handle: string;
  name: string;
  show_upvotes: number;
}

export function toProfile(r: ProfileRow): Profile {
  return { userId: r.user_id, handle: r.handle, name: r.name, showUpvotes: r.show_upvotes === 1 };
}

export interface SubmitterRow {
  id: string;
  user_id: number;
  handle: string | null;
  name: string;
  submitted_at: string;
}

export function toSubmitter(r: SubmitterRow): Submitter {
  return { userId: r.user_id, handle: r.handle, name: r.name, submittedAt: r.submitted_at };
}

/** The handle's key for uniqueness and lookups: handles are ASCII, so lower-casing ignores case exactly. */
export function handleKey(handle: string): string {
  return handle.toLowerCase();
}
