// The library page: saved papers with tags, a tag filter, exports and per-tag feed links.
import type { LibraryPage } from '../../services/papers/index.ts';
import { csrfField } from './form-parts.ts';
import { html, type SafeHtml } from './html.ts';
import { paperCard, type CardContext } from './paper-card.ts';
import { pager } from './pager.ts';

export interface LibraryView {
  lib: LibraryPage;
  tag: string | null;
  votes: Map<string, number>;
  voted: Set<string>;
  card: CardContext;
  pageNo: number;
  perPage: number;
  /** Feed URL for a tag (signed, so a feed reader can fetch it without signing in). */
  feedFor(tag: string): string;
  csrf: string;
  /** The feed keys were just replaced. */
  rotated: boolean;
}

function tagFilter(v: LibraryView): SafeHtml {
  if (v.lib.tags.length === 0) return html``;
  const item = (tag: string | null, label: string, count?: number): SafeHtml =>
    html`<li>
      <a
        href="${tag === null ? '/library' : `/library?tag=${encodeURIComponent(tag)}`}"
        ${tag === v.tag ? html` aria-current="page"` : ''}
        >${label}${count !== undefined ? html` <span class="count">${count}</span>` : ''}</a
      >
    </li>`;
  return html`<nav class="tags" aria-label="Tags">
    <ul>
      ${item(null, 'All')}${v.lib.tags.map((t) => item(t.tag, t.tag, t.count))}
    </ul>
  </nav>`;
}

function exports(v: LibraryView): SafeHtml {
  const q = v.tag !== null ? `?tag=${encodeURIComponent(v.tag)}` : '';
  return html`<p class="exports">
      Export ${v.tag !== null ? html`“${v.tag}”` : 'everything'}:
      <a href="/library/export.bib${q}" download>BibTeX</a> ·
      <a href="/library/export.json${q}" download>CSL-JSON</a> ${v.tag !== null
        ? html` · <a href="${v.feedFor(v.tag)}">Atom feed of this tag</a>`
        : ''}
    </p>
    <form method="post" action="/library/feed-keys${q}" class="inline">
      ${csrfField(v.csrf)}<button type="submit">New feed links</button>
      <small>Makes every tag feed link you shared or subscribed to stop working.</small>
    </form>
    ${v.rotated
      ? html`<p class="notice" role="status">Your tag feeds have new links; the old ones no longer work.</p>`
      : ''}`;
}

/**
 * Renders the library body.
 */
export function libraryBody(v: LibraryView): SafeHtml {
  const heading = html`<h1>Your library${v.tag !== null ? html` <small>tagged “${v.tag}”</small>` : ''}</h1>`;
  if (v.lib.total === 0 && v.tag === null) {
    return html`${heading}
      <section class="empty">
        <h2>Nothing saved yet</h2>
        <p>
          Press <strong>Save</strong> on any paper to keep it here, and add tags on its page to sort your
          reading. Then export your library as BibTeX or CSL-JSON for your reference manager.
        </p>
        <p><a href="/">Browse today’s papers</a></p>
      </section>`;
  }
  const cards = v.lib.items.map((i) =>
    paperCard(
      i.paper,
      { votes: v.votes.get(i.paperId) ?? 0, voted: v.voted.has(i.paperId), saved: true },
      v.card,
      i.tags.length > 0
        ? html`<p class="tags">
            Tags:
            ${i.tags.map((t) => html`<a class="tag" href="/library?tag=${encodeURIComponent(t)}">${t}</a> `)}
          </p>`
        : '',
    ),
  );
  return html`${heading}${tagFilter(v)}${exports(v)}
  ${cards.length > 0 ? html`<div class="cards">${cards}</div>` : html`<p>No saved paper has this tag.</p>`}
  ${pager('/library', { tag: v.tag ?? undefined }, v.pageNo, v.lib.total, v.perPage)}`;
}
