// Author and category pages, and the submit page: simple lists and forms around paper cards.
import { normalizeAuthorName, splitCategories } from '../../domain/index.ts';
import type { ListedPaper } from '../../services/papers/index.ts';
import { html, joinHtml, type SafeHtml } from './html.ts';
import { csrfField, field, formError } from './form-parts.ts';
import { paperCard, type CardContext } from './paper-card.ts';
import { authorPath, categoryPath } from './paths.ts';
import { pager } from './pager.ts';

export interface PaperListView {
  heading: SafeHtml | string;
  intro?: SafeHtml;
  items: ListedPaper[];
  total: number;
  states: Map<string, { voted: boolean; saved: boolean }>;
  card: CardContext;
  path: string;
  pageNo: number;
  perPage: number;
  empty: string;
}

/**
 * A titled, paged list of paper cards (author pages, category pages).
 */
export function browseBodyPage(v: PaperListView): SafeHtml {
  const cards = v.items.map((i) =>
    paperCard(
      i.paper,
      {
        votes: i.votes,
        voted: v.states.get(i.paper.id)?.voted ?? false,
        saved: v.states.get(i.paper.id)?.saved ?? false,
      },
      v.card,
    ),
  );
  return html`<h1>${v.heading}</h1>
    ${v.intro ?? ''}
    ${cards.length > 0
      ? html`<div class="cards">${cards}</div>`
      : html`<section class="empty"><p>${v.empty}</p></section>`}
    ${pager(v.path, {}, v.pageNo, v.total, v.perPage)}`;
}

const SHOWN_COAUTHORS = 8;
const SHOWN_CATEGORIES = 6;

/** The most frequent entries first (ties: first seen first), with their counts. */
function topCounts(values: Iterable<string>, max: number): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, max);
}

/**
 * What a reader expects at the top of an author page: how many papers, with whom and in which categories
 * (counted over the papers listed on this page).
 */
export function authorIntro(name: string, total: number, items: readonly ListedPaper[]): SafeHtml {
  const self = normalizeAuthorName(name);
  const coauthors = topCounts(
    items.flatMap((i) => i.paper.authors.filter((a) => normalizeAuthorName(a) !== self)),
    SHOWN_COAUTHORS,
  );
  const cats = topCounts(
    items.flatMap((i) => splitCategories(i.paper.categories).arxiv),
    SHOWN_CATEGORIES,
  );
  const count = (n: number): string => (n > 1 ? ` (${n})` : '');
  return html`<p>${total} paper${total === 1 ? '' : 's'} by ${name} in this collection, newest first.</p>
    ${coauthors.length > 0
      ? html`<p class="meta">
          Co-authors:
          ${joinHtml(
            coauthors.map(([a, n]) => html`<a href="${authorPath(a)}">${a}</a>${count(n)}`),
            ', ',
          )}
        </p>`
      : ''}
    ${cats.length > 0
      ? html`<p class="cats">
          Categories:
          ${cats.map(([c, n]) => html`<a class="cat" href="${categoryPath(c)}">${c}${count(n)}</a> `)}
        </p>`
      : ''}`;
}

/**
 * The submit form: an arXiv id or link.
 */
export function submitBody(v: { csrf: string; error?: string; value?: string }): SafeHtml {
  return html`<section class="narrow">
    <h1>Submit a paper</h1>
    <p>
      Add a paper from arXiv by its id or link. Paperboy fetches its metadata from arXiv and lists it with the
      day it was announced.
    </p>
    ${formError(v.error)}
    <form method="post" action="/submit">
      ${csrfField(v.csrf)}
      ${field('arXiv id or link', 'id', {
        value: v.value,
        required: true,
        maxlength: 200,
        hint: 'For example 2503.11677, 2503.11677v2 or https://arxiv.org/abs/2503.11677',
      })}
      <button type="submit">Fetch and add</button>
    </form>
  </section>`;
}
