// URLs of the site's pages, built in one place so links and routes agree.
import type { DateWindow } from '../../domain/index.ts';

/** Percent-encodes each path segment of an id (ids may hold "/", as in hep-th/9901001). */
function encodeId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

/** @example paperPath('hep-th/9901001') // '/papers/hep-th/9901001' */
export function paperPath(id: string): string {
  return `/papers/${encodeId(id)}`;
}

/** @example thumbnailPath('2503.11677') // '/thumbnails/2503.11677.png' */
export function thumbnailPath(id: string): string {
  return `/thumbnails/${encodeId(id)}.png`;
}

/** @example bibtexPath('2503.11677') // '/bibtex/2503.11677' */
export function bibtexPath(id: string): string {
  return `/bibtex/${encodeId(id)}`;
}

/** @example authorPath('Ada Lovelace') // '/authors/Ada%20Lovelace' */
export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

/** @example categoryPath('cs.CL') // '/categories/cs.CL' */
export function categoryPath(category: string): string {
  return `/categories/${encodeURIComponent(category)}`;
}

/** @example windowPath({ period: 'week', key: '2026-W27', ... }) // '/week/2026-W27' */
export function windowPath(
  w: Pick<DateWindow, 'period' | 'key'>,
  query: Record<string, string | undefined> = {},
): string {
  const qs = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const s = qs.toString();
  return `/${w.period}/${w.key}${s === '' ? '' : `?${s}`}`;
}

/** @example searchPath('attention', { sort: 'newest' }) // '/search?q=attention&sort=newest' */
export function searchPath(q: string, query: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams({ q });
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, v);
  return `/search?${qs.toString()}`;
}
