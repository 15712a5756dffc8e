// The search results page: the query's hits with matched terms marked, filters, sort and paging.
import type { SearchHit, SearchResult } from '../../services/search/index.ts';
import { foldFilters } from '../query-filters.ts';
import { html, type SafeHtml } from './html.ts';
import { paperCard, type CardContext } from './paper-card.ts';
import { pager } from './pager.ts';

export type SearchSort = 'relevance' | 'newest' | 'votes';

export interface SearchView {
  q: string;
  sort: SearchSort;
  category: string;
  since: string;
  before: string;
  /** 'code' when the query has `has:code`. */
  has?: string;
  result: SearchResult | null;
  votes: Map<string, number>;
  states: Map<string, { voted: boolean; saved: boolean }>;
  card: CardContext;
  pageNo: number;
  perPage: number;
  categories: readonly string[];
}

const TIPS = html`<section class="empty">
  <h2>Search tips</h2>
  <ul>
    <li>
      Words find papers that use them in the title, abstract or author list:
      <code>contrastive retrieval</code>
    </li>
    <li>
      <code>"exact phrase"</code>, <code>-exclude</code>, <code>author:hinton</code>, <code>cat:cs.CL</code>
    </li>
    <li>An arXiv id or a paper's exact title finds that paper first.</li>
  </ul>
</section>`;

function filters(v: SearchView): SafeHtml {
  const opt = (value: string, label: string, current: string): SafeHtml =>
    html`<option value="${value}" ${value === current ? html` selected` : ''}>${label}</option>`;
  const categories =
    v.category === '' || v.categories.includes(v.category) ? v.categories : [...v.categories, v.category];
  // The query goes without its cat:/since:/before: words: the fields below carry them (see query-filters.ts).
  const rest = foldFilters(v.q, { category: '', since: '', before: '' });
  return html`<form class="filters" method="get" action="/search">
    <input type="hidden" name="q" value="${rest}" />
    <label
      >Sort
      <select name="sort">
        ${opt('relevance', 'Relevance', v.sort)}${opt('newest', 'Newest', v.sort)}${opt(
          'votes',
          'Most upvoted',
          v.sort,
        )}
      </select></label
    >
    <label
      >Category
      <select name="category">
        ${opt('', 'All', v.category)}${categories.map((c) => opt(c, c, v.category))}
      </select></label
    >
    <label>From <input type="date" name="since" value="${v.since}" /></label>
    <label>Before <input type="date" name="before" value="${v.before}" /></label>
    <label class="toggle"
      ><input type="checkbox" name="has" value="code" ${v.has === 'code' ? html` checked` : ''} /> With
      code</label
    >
    <button type="submit">Apply</button>
  </form>`;
}

/** The start of a pasted text, for the heading of "papers like this text". */
function excerpt(q: string): string {
  const flat = q.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

/** "Showing results for …, search instead for …" or "Did you mean …?". */
function correction(r: SearchResult): SafeHtml | string {
  const c = r.correction;
  if (c === null) return '';
  const link = (q: string, extra = ''): string => `/search?q=${encodeURIComponent(q)}${extra}`;
  return c.applied
    ? html`<p class="notice spelling" role="status">
        Showing results for <a href="${link(c.query)}"><strong>${c.query}</strong></a
        >; search instead for <a href="${link(c.original, '&correct=off')}">${c.original}</a>.
      </p>`
    : html`<p class="hint spelling">
        Did you mean <a href="${link(c.query)}"><strong>${c.query}</strong></a
        >?
      </p>`;
}

/**
 * Renders the search page body.
 */
export function searchBody(v: SearchView): SafeHtml {
  if (v.q === '')
    return html`<h1>Search</h1>
      ${TIPS}`;
  const r = v.result;
  if (r === null)
    return html`<h1>Search</h1>
      <section class="empty"><p>Search is not available on this server yet.</p></section>`;
  const card = (h: SearchHit): SafeHtml =>
    paperCard(
      h.paper,
      {
        votes: v.votes.get(h.paper.id) ?? 0,
        voted: v.states.get(h.paper.id)?.voted ?? false,
        saved: v.states.get(h.paper.id)?.saved ?? false,
      },
      { ...v.card, highlight: h.matchedTerms },
    );
  const named = r.hits.filter((h) => h.similarTo === undefined);
  const similar = r.hits.filter((h) => h.similarTo !== undefined);
  const feed = `/feeds/search.atom?q=${encodeURIComponent(v.q)}`;
  const count = r.more ? `${r.total}+ results` : `${r.total} result${r.total === 1 ? '' : 's'}`;
  const heading = r.long
    ? html`Papers like this text <small>${count}</small>`
    : html`Search <small>${count} for “${v.q}”</small>`;
  return html`<h1>${heading}</h1>
    ${r.long ? html`<p class="hint query-excerpt">“${excerpt(v.q)}”</p>` : ''} ${correction(r)}
    ${r.notice !== null ? html`<p class="notice" role="status">${r.notice}</p>` : ''}
    ${r.warnings.map((w) => html`<p class="hint">${w}</p>`)} ${filters(v)}
    ${r.long ? '' : html`<p class="hint"><a href="${feed}">Atom feed of this search</a></p>`}
    ${named.length > 0 ? html`<div class="cards">${named.map(card)}</div>` : ''}
    ${similar.length > 0
      ? html`<h2 class="similar-heading">Papers similar to ${similar[0]?.similarTo ?? ''}</h2>
          <div class="cards">${similar.map(card)}</div>`
      : ''}
    ${r.hits.length === 0
      ? html`<section class="empty">
          <p>No paper matches. Try fewer or other words, or remove a filter.</p>
        </section>`
      : ''}
    ${pager(
      '/search',
      {
        q: v.q,
        sort: v.sort === 'relevance' ? undefined : v.sort,
        category: v.category || undefined,
        since: v.since || undefined,
        before: v.before || undefined,
      },
      v.pageNo,
      Math.min(r.total, 1000),
      v.perPage,
    )}`;
}
