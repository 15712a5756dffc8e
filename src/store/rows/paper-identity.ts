// Which stored paper a record is, and which public id a new paper gets: the rules both engines share.
import { createHash } from 'node:crypto';
import {
  corroborates,
  idsConflict,
  normalizeTitle,
  titleKey,
  type ExternalId,
  type PaperInput,
} from '../../domain/index.ts';
import { publicId, rowToInput, type PaperRow } from './paper-rows.ts';

/** How a record found its stored paper; 'doi' and 'title' are merges of two records and get reported. */
export type MatchedBy = 'external' | 'arxiv' | 'doi' | 'title';

/** Stored papers sharing a normalized title that one lookup returns at most (the oldest first). */
export const TITLE_CANDIDATES = 50;

/**
 * The title_key range holding every first author for a title: keys are "<title>|<family>", and "|" sorts
 * after every character a normalized title holds, so the range is exact and an index range scan serves it.
 * @example titleRange('Erratum') // ['erratum|', 'erratum}']
 */
export function titleRange(title: string): [string, string] {
  const t = normalizeTitle(title);
  return [`${t}|`, `${t}}`];
}

/**
 * The first candidate (in stored order) that is the same work as `input`: same title with corroboration
 * (a shared author, or year and venue), or the very same record again (same title key and abstract) where
 * the stored paper holds no other id from the record's source. `sources(c)` lists the sources of c's external ids.
 */
export function pickTitleMatch<C>(
  input: PaperInput,
  ext: ExternalId | null,
  candidates: readonly C[],
  row: (c: C) => Omit<PaperRow, 'pk' | 'created_at'>,
  sources: (c: C) => ReadonlySet<string>,
): C | undefined {
  const key = titleKey(input.title, input.authors);
  for (const c of candidates) {
    const r = row(c);
    const stored = rowToInput({ ...r, pk: 0, created_at: '' });
    if (idsConflict(stored, input) || (stored.arxivId !== null && input.arxivId !== null)) continue;
    if (corroborates(stored, input)) return c;
    if (r.title_key !== key || stored.abstract !== input.abstract) continue;
    const held = sources(c);
    const again = input.abstract !== '' ? ext === null || !held.has(ext.source) : held.size === 0;
    if (again) return c;
  }
  return undefined;
}

/**
 * The public id for a new paper. Two papers may now share a title key (uncorroborated look-alikes), so when
 * the usual pb: id is taken the paper gets one salted with its source id (or, without one, its abstract and
 * date). `{ taken }` means even that id is held: by a record identical in everything it has, which is that paper.
 */
export function newPaperId(
  p: PaperInput,
  ext: ExternalId | null,
  isTaken: (id: string) => boolean,
): { id: string } | { taken: string } {
  const base = publicId(p);
  if (!base.startsWith('pb:') || !isTaken(base)) return { id: base };
  const alt = saltedId(p, ext);
  return isTaken(alt) ? { taken: alt } : { id: alt };
}

/** Both ids newPaperId may try, for engines that prefetch what is taken. */
export function candidateIds(p: PaperInput, ext: ExternalId | null): string[] {
  const base = publicId(p);
  return base.startsWith('pb:') ? [base, saltedId(p, ext)] : [base];
}

function saltedId(p: PaperInput, ext: ExternalId | null): string {
  const salt = ext !== null ? `${ext.source}\u0000${ext.id}` : `${p.abstract}\u0000${p.published ?? ''}`;
  const digest = createHash('sha1')
    .update(`${titleKey(p.title, p.authors)}\u0000${salt}`)
    .digest('hex');
  return `pb:${digest.slice(0, 16)}`;
}

/**
 * The id a stored paper keeps after a merge: a new arXiv or DOI id replaces it, but a pb: id stays, since
 * its title key may now be shared with a look-alike and links to it must keep working.
 * @example updatedId('pb:0123456789abcdef', merged) // 'pb:0123456789abcdef' unless merged has an arXiv id or DOI
 */
export function updatedId(existingId: string, merged: PaperInput): string {
  const next = publicId(merged);
  return next.startsWith('pb:') && existingId.startsWith('pb:') ? existingId : next;
}
