// How a stored paper and a newly ingested record of the same paper combine (pure, no I/O).
import type { PaperInput } from './paper.ts';

/** Outcome of upserting one record. */
export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

const TEXT_FIELDS = [
  'doi',
  'published',
  'updated',
  'announced',
  'comment',
  'journalRef',
  'license',
  'absUrl',
  'pdfUrl',
] as const satisfies readonly (keyof PaperInput)[];

/**
 * Merges an incoming record into the stored one. An older arXiv version never overwrites a
 * newer one; otherwise the incoming record's non-empty fields win and empty ones keep what
 * is stored, so a sparse source (BibTeX) cannot erase what a rich one (arXiv) provided.
 * The earliest announcement date is kept, since it is when the paper first appeared.
 * @example mergePaper(stored, { ...stored, version: 2, title: 'New title' }).title // 'New title'
 */
export function mergePaper(stored: PaperInput, incoming: PaperInput): PaperInput {
  if (stored.version !== null && incoming.version !== null && incoming.version < stored.version) {
    return { ...stored, announced: earliest(stored.announced, incoming.announced) };
  }
  const merged: PaperInput = { ...stored };
  merged.arxivId = incoming.arxivId ?? stored.arxivId;
  merged.version = incoming.version ?? stored.version;
  if (incoming.title !== '') merged.title = incoming.title;
  if (incoming.abstract !== '') merged.abstract = incoming.abstract;
  if (incoming.authors.length > 0) merged.authors = incoming.authors;
  if (incoming.categories.length > 0) merged.categories = incoming.categories;
  for (const f of TEXT_FIELDS) merged[f] = incoming[f] ?? stored[f];
  merged.announced = earliest(stored.announced, incoming.announced);
  return merged;
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/** The fields that define a paper's content, in a fixed order, for change detection. */
export function contentKey(p: PaperInput): string {
  return JSON.stringify([
    p.arxivId,
    p.version,
    p.doi,
    p.title,
    p.abstract,
    p.authors,
    p.categories,
    p.published,
    p.updated,
    p.announced,
    p.comment,
    p.journalRef,
    p.license,
    p.absUrl,
    p.pdfUrl,
  ]);
}
