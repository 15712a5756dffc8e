// Mapping between Paper objects and rows of the papers table (the same columns in both engines).
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import { contentKey, titleKey, type Paper, type PaperInput } from '../../domain/index.ts';
import type { PapersTable } from '../kysely/database.ts';

/** One row of the papers table: the columns as typed once in the shared schema. */
export type PaperRow = Selectable<PapersTable>;

/** The public id a paper gets: its arXiv id, else its DOI, else a hash of its title key. */
export function publicId(p: PaperInput): string {
  if (p.arxivId !== null) return p.arxivId;
  if (p.doi !== null) return `doi:${p.doi}`;
  return `pb:${createHash('sha1').update(titleKey(p.title, p.authors)).digest('hex').slice(0, 16)}`;
}

export function contentHash(p: PaperInput): string {
  return createHash('sha1').update(contentKey(p)).digest('base64url');
}

/** Row values for an insert or update (without pk and created_at). */
export function toRowValues(p: PaperInput, now: string): Omit<PaperRow, 'pk' | 'created_at'> {
  return {
    id: publicId(p),
    arxiv_id: p.arxivId,
    version: p.version,
    doi: p.doi,
    title: p.title,
    title_key: titleKey(p.title, p.authors),
    abstract: p.abstract,
    authors: JSON.stringify(p.authors),
    categories: JSON.stringify(p.categories),
    primary_category: p.categories[0] ?? null,
    published: p.published,
    updated: p.updated,
    announced: p.announced,
    sort_date: p.announced ?? p.published ?? p.updated ?? now.slice(0, 10),
    comment: p.comment,
    journal_ref: p.journalRef,
    license: p.license,
    abs_url: p.absUrl,
    pdf_url: p.pdfUrl,
    content_hash: contentHash(p),
    modified_at: now,
  };
}

export function rowToInput(r: PaperRow): PaperInput {
  return {
    arxivId: r.arxiv_id,
    version: r.version,
    doi: r.doi,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
    published: r.published,
    updated: r.updated,
    announced: r.announced,
    comment: r.comment,
    journalRef: r.journal_ref,
    license: r.license,
    absUrl: r.abs_url,
    pdfUrl: r.pdf_url,
  };
}

export function rowToPaper(r: PaperRow): Paper {
  return { ...rowToInput(r), id: r.id, createdAt: r.created_at, modifiedAt: r.modified_at };
}
