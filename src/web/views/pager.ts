// Previous/next page links for long lists.
import { html, type SafeHtml } from './html.ts';

/**
 * Page links for a list of `total` items shown `perPage` at a time; `page` is 1-based.
 */
export function pager(
  path: string,
  query: Record<string, string | undefined>,
  page: number,
  total: number,
  perPage: number,
): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return html``;
  const href = (n: number): string => {
    const qs = new URLSearchParams(
      Object.entries({ ...query, page: n === 1 ? undefined : String(n) }).filter(
        (e): e is [string, string] => e[1] !== undefined && e[1] !== '',
      ),
    );
    const s = qs.toString();
    return s === '' ? path : `${path}?${s}`;
  };
  return html`<nav class="pager" aria-label="Pages">
    ${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">← Previous page</a>` : ''}
    <span>Page ${page} of ${pages}</span>
    ${page < pages ? html`<a rel="next" href="${href(page + 1)}">Next page →</a>` : ''}
  </nav>`;
}
