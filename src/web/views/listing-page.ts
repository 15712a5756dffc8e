// The daily-papers page (home): one day, week or month of papers ranked by trending, with navigation.
import { windowContaining, type DateWindow, type Period } from '../../domain/index.ts';
import type { WindowListing } from '../../services/papers/index.ts';
import { html, type SafeHtml } from './html.ts';
import { page, type PageOptions } from './layout.ts';
import { paperCard, type CardContext } from './paper-card.ts';
import { pager } from './pager.ts';
import { windowPath } from './paths.ts';

export const PER_PAGE = 30;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Wednesday, 1 July 2026", "Week 27, 2026 (29 June – 5 July)" or "July 2026". */
export function windowLabel(w: DateWindow): string {
  if (w.period === 'day') return dayLabel(w.from);
  const first = new Date(`${w.from}T00:00:00Z`);
  if (w.period === 'month') return `${MONTHS[first.getUTCMonth()]} ${first.getUTCFullYear()}`;
  const last = new Date(Date.parse(`${w.to}T00:00:00Z`) - 86_400_000);
  const [year, week] = w.key.split('-W');
  return `Week ${Number(week)}, ${year} (${first.getUTCDate()} ${MONTHS[first.getUTCMonth()]} – ${last.getUTCDate()} ${MONTHS[last.getUTCMonth()]})`;
}

export interface ListingView {
  listing: WindowListing;
  states: Map<string, { voted: boolean; saved: boolean }>;
  card: CardContext;
  pageNo: number;
  categories: readonly string[];
  /** No paper in the whole store: show how to fill it. */
  storeEmpty: boolean;
  /** "Rising this week" (pictures issue), shown on the home page only. */
  rising?: SafeHtml;
}

const EMPTY_STORE = html`<section class="empty">
  <h1>No papers yet</h1>
  <p>Paperboy shows the papers its store holds. Import a corpus or harvest arXiv, then reload this page:</p>
  <pre>
npx paperboy ingest ../shared/data/arxiv-cs-2025-2026.jsonl.gz
npx paperboy harvest arxiv --categories cs.CL,cs.LG --since 2026-11-01</pre
  >
  <p>Signed-in readers can also <a href="/submit">submit a paper by its arXiv id</a>.</p>
</section>`;

function controls(v: ListingView): SafeHtml {
  const { window: w, sort, category, has } = v.listing;
  const q = {
    sort: sort === 'trending' ? undefined : sort,
    category: category ?? undefined,
    has: has ?? undefined,
  };
  const tab = (p: Period, label: string): SafeHtml => {
    const href = windowPath(p === w.period ? w : windowContaining(p, w.from), q);
    return html`<li><a href="${href}" ${p === w.period ? html` aria-current="page"` : ''}>${label}</a></li>`;
  };
  const opt = (value: string, label: string, current: string): SafeHtml =>
    html`<option value="${value}" ${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<nav class="periods" aria-label="Period">
      <ul>
        ${tab('day', 'Day')}${tab('week', 'Week')}${tab('month', 'Month')}
      </ul>
    </nav>
    <nav class="days" aria-label="Earlier and later">
      ${v.listing.prev
        ? html`<a rel="prev" href="${windowPath(v.listing.prev, q)}">← ${windowLabel(v.listing.prev)}</a>`
        : html`<span></span>`}
      ${v.listing.next
        ? html`<a rel="next" href="${windowPath(v.listing.next, q)}">${windowLabel(v.listing.next)} →</a>`
        : html`<span></span>`}
    </nav>
    <form class="filters" method="get" action="${windowPath(w)}">
      <label
        >Sort
        <select name="sort">
          ${opt('trending', 'Trending', sort)}${opt('newest', 'Newest', sort)}${opt(
            'votes',
            'Most upvoted',
            sort,
          )}${opt('discussed', 'Most discussed', sort)}${opt('stars', 'Stars this week', sort)}
        </select></label
      >
      <label
        >Category
        <select name="category">
          ${opt('', 'All', category ?? '')}${v.categories.map((c) => opt(c, c, category ?? ''))}
        </select></label
      >
      <label class="toggle"
        ><input type="checkbox" name="has" value="code" ${has === 'code' ? html` checked` : ''} /> With
        code</label
      >
      <button type="submit">Apply</button>
    </form>`;
}

/**
 * Renders the listing page.
 */
export function listingPage(v: ListingView, opts: PageOptions): string {
  if (v.storeEmpty) return page(opts, EMPTY_STORE);
  const { listing } = v;
  const heading =
    listing.window.period === 'day'
      ? 'Daily papers'
      : listing.window.period === 'week'
        ? 'Papers of the week'
        : 'Papers of the month';
  const cards = listing.items.map((i) =>
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
  const body = html`<h1>${heading} <small>${windowLabel(listing.window)}</small></h1>
    ${controls(v)} ${v.rising ?? ''}
    ${cards.length > 0
      ? html`<div class="cards">${cards}</div>`
      : html`<section class="empty">
          <h2>No papers ${listing.window.period === 'day' ? 'on this day' : 'in this period'}</h2>
          <p>Try an earlier or later ${listing.window.period}, or another category.</p>
        </section>`}
    ${pager(
      windowPath(listing.window),
      {
        sort: listing.sort === 'trending' ? undefined : listing.sort,
        category: listing.category ?? undefined,
        has: listing.has ?? undefined,
      },
      v.pageNo,
      listing.total,
      PER_PAGE,
    )}`;
  return page(opts, body);
}
