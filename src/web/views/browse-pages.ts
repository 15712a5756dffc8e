// Author and category pages, and the submit page: simple lists and forms around paper cards.
import type { ListedPaper } from '../../services/listings-service.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField, field, formError } from './form-parts.ts';
import { paperCard, type CardContext } from './paper-card.ts';
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
 * @example browseBodyPage({ heading: 'Ada Lovelace', items, total, ... })
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

/**
 * The submit form: an arXiv id or link.
 * @example submitBody({ csrf, error: 'arXiv has no paper 2501.99999' })
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
