// Row shapes of the enrichment tables and their mapping to store types (shared by both engines).
import type { RepoFact, StoredThumbnail } from '../enrichment.ts';

export interface RepoFactRow {
  repo: string;
  status: string;
  stars: number | null;
  pushed_at: string | null;
  archived: number;
  etag: string | null;
  checked_at: string;
}

export interface ThumbnailRow {
  paper_id: string;
  image: Uint8Array | null;
  width: number | null;
  height: number | null;
  error: string | null;
  created_at: string;
}

export function toRepoFact(r: RepoFactRow): RepoFact {
  const status = r.status === 'ok' || r.status === 'missing' ? r.status : 'error';
  return {
    repo: r.repo,
    status,
    stars: r.stars,
    pushedAt: r.pushed_at,
    archived: r.archived === 1,
    etag: r.etag,
    checkedAt: r.checked_at,
  };
}

export function repoFactParams(f: RepoFact): (string | number | null)[] {
  return [f.repo, f.status, f.stars, f.pushedAt, f.archived ? 1 : 0, f.etag, f.checkedAt];
}

export function toThumbnail(r: ThumbnailRow): StoredThumbnail {
  return {
    paperId: r.paper_id,
    image: r.image === null ? null : new Uint8Array(r.image),
    width: r.width,
    height: r.height,
    error: r.error,
    createdAt: r.created_at,
  };
}
