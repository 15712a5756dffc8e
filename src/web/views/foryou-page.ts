// The "For you" page: new papers ranked for the reader with a reason each, follows, alerts and library import.
import { addDays } from '../../domain/index.ts';
import type { Follow, ForYouPage, ImportReport, SavedSearch } from '../../services/foryou/index.ts';
import { csrfField } from './form-parts.ts';
import { html, type SafeHtml } from './html.ts';
import { paperCard, type CardContext } from './paper-card.ts';
import { pager } from './pager.ts';

export interface ForYouView {
  feed: ForYouPage;
  follows: Follow[];
  searches: SavedSearch[];
  votes: Map<string, number>;
  voted: Set<string>;
  card: CardContext & { csrf: string };
  days: number | null;
  /** The `since` asked for: a day, `latest` or `all`; null when none. */
  since: string | null;
  tag: string | null;
  tags: string[];
  pageNo: number;
  perPage: number;
  imported?: ImportReport;
  error?: string;
}

/** A one-button form posting `fields` to `action`, then coming back to `next`. */
export function actionButton(
  action: string,
  label: string,
  fields: Record<string, string>,
  csrf: string,
  next: string,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(csrf)}${Object.entries(fields).map(
      ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
    )}<input type="hidden" name="next" value="${next}" /><button type="submit" class="link">${label}</button>
  </form>`;
}

function cardExtra(item: ForYouPage['items'][number], v: ForYouView): SafeHtml {
  const { csrf, next } = v.card;
  const first = item.paper.authors[0];
  const followed = new Set(v.follows.filter((f) => f.kind === 'author').map((f) => f.label));
  return html`<p class="reason">${item.reason}${item.seen ? ' · seen' : ''}</p>
    <p class="foryou-actions">
      ${actionButton(
        '/foryou/not-interested',
        'Not interested',
        { kind: 'paper', ref: item.paper.id },
        csrf,
        next,
      )}
      ${first !== undefined && !followed.has(first)
        ? actionButton('/foryou/follow', `Follow ${first}`, { kind: 'author', name: first }, csrf, next)
        : ''}
      ${first !== undefined
        ? actionButton('/foryou/not-interested', `Hide ${first}`, { kind: 'author', ref: first }, csrf, next)
        : ''}
    </p>`;
}

const FOLLOW_NAMES: Record<Follow['kind'], string> = {
  author: 'Author',
  category: 'Category',
  topic: 'Topic',
};

/** "Author <strong>Ada</strong>", or a topic's name linking to its page. */
function followName(f: Follow): SafeHtml {
  const name = html`<strong>${f.label}</strong>`;
  const shown = f.kind === 'topic' ? html`<a href="/topics/${f.key}">${name}</a>` : name;
  return html`${FOLLOW_NAMES[f.kind]} ${shown}`;
}

function signals(v: ForYouView): SafeHtml {
  const { csrf, next } = v.card;
  const follows = v.follows.map(
    (f) =>
      html`<li>
        ${followName(f)}
        ${actionButton(
          '/foryou/unfollow',
          'Unfollow',
          { kind: f.kind, name: f.kind === 'topic' ? f.key : f.label },
          csrf,
          next,
        )}
      </li>`,
  );
  const searches = v.searches.map(
    (s) =>
      html`<li>
        <a href="/search?q=${encodeURIComponent(s.query)}">${s.query}</a>
        ${actionButton('/foryou/searches/delete', 'Delete', { id: String(s.id) }, csrf, next)}
      </li>`,
  );
  return html`<section class="foryou-signals" aria-label="What shapes this page">
    <h2>Following</h2>
    ${follows.length > 0
      ? html`<ul>
          ${follows}
        </ul>`
      : html`<p>Nobody yet: use “Follow” on a card or on a <a href="/topics">topic</a>.</p>`}
    <form method="post" action="/foryou/follow" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="next" value="${next}" />
      <label for="f-follow-kind" class="visually-hidden">Kind</label>
      <select id="f-follow-kind" name="kind">
        <option value="author">Author</option>
        <option value="category">Category</option>
      </select>
      <label for="f-follow-name" class="visually-hidden">Name or category</label>
      <input id="f-follow-name" name="name" maxlength="200" placeholder="Ada Lovelace or cs.CL" required />
      <button type="submit">Follow</button>
    </form>
    <h2>Saved searches</h2>
    ${searches.length > 0
      ? html`<ul>
          ${searches}
        </ul>`
      : ''}
    <form method="post" action="/foryou/searches" class="inline-form">
      ${csrfField(csrf)}<input type="hidden" name="next" value="${next}" />
      <label for="f-alert">Alert me to papers matching</label>
      <input id="f-alert" name="query" maxlength="500" placeholder="diffusion -survey cat:cs.CV" required />
      <button type="submit">Save search</button>
    </form>
  </section>`;
}

function importForm(v: ForYouView): SafeHtml {
  const r = v.imported;
  return html`<section class="foryou-import">
    <h2>Import your library</h2>
    ${r !== undefined
      ? html`<p class="notice" role="status">
            Read ${r.entries} entries (${r.format}): ${r.saved} saved to your library, ${r.alreadySaved}
            already there, ${r.interests} kept as interests, ${r.unmatched.length} not found,
            ${r.rejected.length} rejected.
          </p>
          ${r.rejected.length > 0
            ? html`<ul class="rejected">
                ${r.rejected.slice(0, 50).map((x) => html`<li>${x.location}: ${x.reason}</li>`)}
              </ul>`
            : ''}`
      : ''}
    <form method="post" action="/foryou/import" enctype="multipart/form-data">
      ${csrfField(v.card.csrf)}
      <p class="field">
        <label for="f-import-file">A BibTeX file, Zotero's CSL JSON export, or a list of arXiv ids</label>
        <input id="f-import-file" name="file" type="file" accept=".bib,.json,.txt,text/plain" />
      </p>
      <p class="field">
        <label for="f-import-text">…or paste it here</label>
        <textarea id="f-import-text" name="text" rows="4" maxlength="60000"></textarea>
      </p>
      <button type="submit">Import</button>
    </form>
  </section>`;
}

function windowNav(v: ForYouView): SafeHtml {
  const current = (days: number | null, since: string | null): boolean =>
    v.days === days && v.since === since && v.tag === null;
  const link = (href: string, on: boolean, label: string): SafeHtml =>
    html`<a href="${href}" ${on ? html` aria-current="page"` : ''}>${label}</a> `;
  const byDays = (days: number | null, label: string): SafeHtml =>
    link(days === null ? '/foryou' : `/foryou?days=${days}`, current(days, null), label);
  const bySince = (since: string, label: string): SafeHtml =>
    link(`/foryou?since=${since}`, current(null, since), label);
  const tagLinks = v.tags.map(
    (t) =>
      html`<a href="/foryou?tag=${encodeURIComponent(t)}" ${v.tag === t ? html` aria-current="page"` : ''}
        >“${t}”</a
      > `,
  );
  return html`<nav class="tags" aria-label="Window">
    ${byDays(null, 'Since your last visit')} ${byDays(1, 'Today')} ${byDays(7, 'Week')} ${byDays(30, 'Month')}
    ${bySince('latest', 'Latest in the store')} ${bySince('all', 'All')}
    ${tagLinks.length > 0 ? html`· For a tag: ${tagLinks}` : ''}
  </nav>`;
}

/** Says that the asked window was empty and which one is shown instead. */
function widenedNotice(f: ForYouView['feed']): SafeHtml {
  if (f.widenedFrom === null) return html``;
  return html`<p class="notice" role="status">
    No papers from ${f.widenedFrom.from} to ${addDays(f.widenedFrom.to, -1)}, so this shows the newest papers
    the store has (${f.from} to ${addDays(f.to, -1)}).
  </p>`;
}

/**
 * Renders the For-you body.
 */
export function forYouBody(v: ForYouView): SafeHtml {
  const f = v.feed;
  const cards = f.items.map((i) =>
    paperCard(
      i.paper,
      { votes: v.votes.get(i.paper.id) ?? 0, voted: v.voted.has(i.paper.id), saved: false },
      v.card,
      cardExtra(i, v),
    ),
  );
  const query = {
    days: v.days !== null ? String(v.days) : undefined,
    since: v.since ?? undefined,
    tag: v.tag ?? undefined,
  };
  return html`<h1>For you <small>${f.from} to ${addDays(f.to, -1)}</small></h1>
    ${windowNav(v)} ${widenedNotice(f)}
    ${v.error !== undefined ? html`<p class="error" role="alert">${v.error}</p>` : ''}
    ${f.notice !== null ? html`<p class="notice">${f.notice}</p>` : ''}
    ${cards.length > 0
      ? html`<div class="cards">${cards}</div>`
      : html`<p>No new papers in this window. Try a longer one.</p>`}
    ${pager('/foryou', query, v.pageNo, f.total, v.perPage)} ${signals(v)} ${importForm(v)}`;
}
