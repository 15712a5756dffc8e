// Row shape of a library entry shared by the SQLite and PostgreSQL engines, and its mapping.
import type { LibraryEntry } from '../../domain/index.ts';

/** A library row joined with its paper's public id (tags as JSON text). */
export interface LibraryEntryRow {
  id: string;
  tags: string;
  saved_at: string;
}

/**
 * Maps a library row to a LibraryEntry, parsing its JSON tag list.
 * @example toLibraryEntry({ id: '2503.11677', tags: '["to-read"]', saved_at: t }).tags; // ['to-read']
 */
export function toLibraryEntry(r: LibraryEntryRow): LibraryEntry {
  return { paperId: r.id, tags: JSON.parse(r.tags) as string[], savedAt: r.saved_at };
}
