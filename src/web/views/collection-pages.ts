// Collection pages: the public index, one collection (its papers with notes, owner controls), and "add to".
import type { Collection } from '../../domain/index.ts';
import {
  COLLECTION_LIMITS,
  type CollectionSummary,
  type CollectionView,
  type Owner,
} from '../../services/collections/index.ts';
import { csrfField, formError } from './form-parts.ts';
import { html, type SafeHtml } from './html.ts';
import { mathHtml } from './math.ts';
import { pager } from './pager.ts';
import { paperCard, type CardContext, type CardState } from './paper-card.ts';
import { paperPath } from './paths.ts';

/** @example collectionPath('vision-k3x9q2') // '/collections/vision-k3x9q2' */
export function collectionPath(slug: string): string {
  return `/collections/${encodeURIComponent(slug)}`;
}

/** @example profilePath('ada_l') // '/u/ada_l' */
export function profilePath(handle: string): string {
  return `/u/${encodeURIComponent(handle)}`;
}

/** The owner as a link to their profile, or their name when they have no handle yet. */
export function ownerLink(o: Owner): SafeHtml {
  if (o.handle !== null) return html`<a href="${profilePath(o.handle)}">@${o.handle}</a>`;
  return html`${o.name !== '' ? o.name : 'a reader'}`;
}

function badge(c: Collection): SafeHtml {
  return c.public ? html`` : html` <span class="badge">Private</span>`;
}

/** A list of collections, each with its owner (when given), size and votes. */
export function collectionList(list: readonly (Collection & { owner?: Owner })[]): SafeHtml {
  return html`<ul class="collection-list">
    ${list.map(
      (c) =>
        html`<li>
          <a class="title" href="${collectionPath(c.slug)}">${c.title}</a>${badge(c)}
          <span class="meta"
            >${c.owner !== undefined ? html`by ${ownerLink(c.owner)} · ` : ''}${c.papers}
            ${c.papers === 1 ? 'paper' : 'papers'} · ▲ ${c.votes}</span
          >
          ${c.description !== '' ? html`<p class="desc">${c.description.slice(0, 200)}</p>` : ''}
        </li>`,
    )}
  </ul>`;
}

/** The form that makes a new collection (optionally with a first paper). */
export function newCollectionForm(csrf: string, opts: { paper?: string; next?: string } = {}): SafeHtml {
  return html`<form method="post" action="/collections" class="collection-form">
    ${csrfField(csrf)}
    ${opts.paper !== undefined ? html`<input type="hidden" name="paper" value="${opts.paper}" />` : ''}
    <p class="field">
      <label for="c-title">Title</label>
      <input id="c-title" name="title" required maxlength="${COLLECTION_LIMITS.titleChars}" />
    </p>
    <p class="field">
      <label for="c-description">Description <span class="hint">(optional)</span></label>
      <textarea
        id="c-description"
        name="description"
        rows="3"
        maxlength="${COLLECTION_LIMITS.descriptionChars}"
      ></textarea>
    </p>
    ${opts.paper !== undefined
      ? html`<p class="field">
          <label for="c-note">Note on this paper <span class="hint">(optional)</span></label>
          <textarea id="c-note" name="note" rows="2" maxlength="${COLLECTION_LIMITS.noteChars}"></textarea>
        </p>`
      : ''}
    <p class="field check">
      <input type="checkbox" id="c-public" name="public" value="on" />
      <label for="c-public"
        >Public: anyone with the link can see it, and it is listed under Collections</label
      >
    </p>
    <button type="submit">Create collection</button>
  </form>`;
}

export interface CollectionsIndexView {
  order: 'popular' | 'recent';
  list: { collections: CollectionSummary[]; total: number };
  pageNo: number;
  perPage: number;
  /** The signed-in reader's own collections and the form's token; null for anonymous readers. */
  mine: { collections: Collection[]; csrf: string; error?: string } | null;
}

/** The /collections page: the reader's own, a new-collection form, then popular or recent public ones. */
export function collectionsIndexBody(v: CollectionsIndexView): SafeHtml {
  const tab = (order: 'popular' | 'recent', label: string): SafeHtml =>
    html`<li>
      <a
        href="/collections${order === 'recent' ? '?sort=recent' : ''}"
        ${v.order === order ? html`aria-current="page"` : ''}
        >${label}</a
      >
    </li>`;
  const mine =
    v.mine === null
      ? html`<p><a href="/signin?next=%2Fcollections">Sign in</a> to make your own collections.</p>`
      : html`<section aria-labelledby="mine-h">
          <h2 id="mine-h">Your collections</h2>
          ${v.mine.collections.length > 0 ? collectionList(v.mine.collections) : html`<p>None yet.</p>`}
          <details class="new-collection" ${v.mine.error !== undefined ? html`open` : ''}>
            <summary>New collection</summary>
            ${formError(v.mine.error)} ${newCollectionForm(v.mine.csrf)}
          </details>
        </section>`;
  return html`<h1>Collections <small>Reading lists readers curate and share</small></h1>
    ${mine}
    <section aria-labelledby="public-h">
      <h2 id="public-h">Public collections</h2>
      <nav class="periods" aria-label="Order">
        <ul>
          ${tab('popular', 'Popular')}${tab('recent', 'Recent')}
        </ul>
      </nav>
      ${v.list.collections.length > 0
        ? collectionList(v.list.collections)
        : html`<p>No public collections yet.</p>`}
      ${pager(
        '/collections',
        { sort: v.order === 'recent' ? 'recent' : undefined },
        v.pageNo,
        v.list.total,
        v.perPage,
      )}
    </section>`;
}

export interface CollectionPageView {
  view: CollectionView;
  states: Map<string, CardState>;
  card: CardContext;
  /** The form token for the owner's and voters' forms; null for anonymous readers. */
  csrf: string | null;
  error?: string;
}

function voteButton(v: CollectionPageView): SafeHtml {
  const c = v.view.collection;
  const label = html`<span aria-hidden="true">▲</span> <span class="count">${c.votes}</span>`;
  if (!c.public || v.view.mine)
    return html`<span class="vote static" aria-label="${c.votes} votes">${label}</span>`;
  if (v.csrf === null)
    return html`<a
      class="vote"
      href="/signin?next=${encodeURIComponent(collectionPath(c.slug))}"
      aria-label="Sign in to upvote (${c.votes} votes)"
      >${label}</a
    >`;
  return html`<form method="post" action="${collectionPath(c.slug)}/vote" class="inline">
    ${csrfField(v.csrf)}<input type="hidden" name="on" value="${v.view.voted ? '0' : '1'}" />
    <button
      type="submit"
      class="vote"
      aria-pressed="${v.view.voted ? 'true' : 'false'}"
      aria-label="Upvote collection (${c.votes} votes)"
    >
      ${label}
    </button>
  </form>`;
}

/** The owner's controls on one paper: its note, moving it, removing it. */
function ownerItemControls(
  slug: string,
  paperId: string,
  note: string,
  csrf: string,
  at: number,
  n: number,
): SafeHtml {
  const base = collectionPath(slug);
  const moveButton = (to: string, label: string, disabled: boolean): SafeHtml =>
    html`<button type="submit" name="to" value="${to}" ${disabled ? html`disabled` : ''}>${label}</button>`;
  return html`<div class="item-controls">
    <form method="post" action="${base}/note" class="note-form">
      ${csrfField(csrf)}<input type="hidden" name="paper" value="${paperId}" />
      <label for="note-${at}">Note</label>
      <textarea id="note-${at}" name="note" rows="2" maxlength="${COLLECTION_LIMITS.noteChars}">
${note}</textarea
      >
      <button type="submit">Save note</button>
    </form>
    <form method="post" action="${base}/move" class="inline move-form" aria-label="Move">
      ${csrfField(csrf)}<input type="hidden" name="paper" value="${paperId}" />
      ${moveButton('up', 'Move up', at === 0)} ${moveButton('down', 'Move down', at === n - 1)}
    </form>
    <form method="post" action="${base}/remove" class="inline">
      ${csrfField(csrf)}<input type="hidden" name="paper" value="${paperId}" />
      <button type="submit" class="link">Remove</button>
    </form>
  </div>`;
}

function ownerSettings(v: CollectionPageView, csrf: string): SafeHtml {
  const c = v.view.collection;
  const base = collectionPath(c.slug);
  return html`<details class="collection-settings" ${v.error !== undefined ? html`open` : ''}>
    <summary>Edit collection</summary>
    ${formError(v.error)}
    <form method="post" action="${base}/edit" class="collection-form">
      ${csrfField(csrf)}
      <p class="field">
        <label for="e-title">Title</label>
        <input
          id="e-title"
          name="title"
          required
          maxlength="${COLLECTION_LIMITS.titleChars}"
          value="${c.title}"
        />
      </p>
      <p class="field">
        <label for="e-description">Description</label>
        <textarea
          id="e-description"
          name="description"
          rows="3"
          maxlength="${COLLECTION_LIMITS.descriptionChars}"
        >
${c.description}</textarea
        >
      </p>
      <p class="field check">
        <input type="checkbox" id="e-public" name="public" value="on" ${c.public ? html`checked` : ''} />
        <label for="e-public">Public</label>
      </p>
      <button type="submit">Save</button>
    </form>
    <form method="post" action="${base}/delete" class="inline">
      ${csrfField(csrf)}<button type="submit" class="danger">Delete this collection</button>
    </form>
  </details>`;
}

/** One collection: header with owner, votes, share/feed/export links, then its papers with notes. */
export function collectionBody(v: CollectionPageView, baseUrl: string): SafeHtml {
  const { collection: c, owner, items, mine } = v.view;
  const base = collectionPath(c.slug);
  const cards = items.map((i, at) => {
    const note =
      i.note !== ''
        ? html`<blockquote class="note"><span class="visually-hidden">Note: </span>${i.note}</blockquote>`
        : '';
    const controls =
      mine && v.csrf !== null ? ownerItemControls(c.slug, i.paperId, i.note, v.csrf, at, items.length) : '';
    return html`<li class="collection-item" data-paper="${i.paperId}">
      ${paperCard(i.paper, v.states.get(i.paperId) ?? { votes: 0, voted: false, saved: false }, v.card, note)}
      ${controls}
    </li>`;
  });
  return html`<header class="collection-head">
      <div class="card-vote">${voteButton(v)}</div>
      <div>
        <h1>${c.title}${badge(c)}</h1>
        <p class="meta">
          By ${ownerLink(owner)} · ${c.papers} ${c.papers === 1 ? 'paper' : 'papers'} · updated
          <time datetime="${c.updatedAt}">${c.updatedAt.slice(0, 10)}</time>
        </p>
        ${c.description !== '' ? html`<p class="desc">${c.description}</p>` : ''}
      </div>
    </header>
    <p class="exports">
      ${c.public
        ? html`Share:
            <input
              class="share-url"
              aria-label="Link to this collection"
              readonly
              value="${baseUrl}${base}"
            />
            · `
        : ''}
      <a href="${base}/feed.atom">Atom feed</a> · <a href="${base}/export.bib" download>BibTeX</a> ·
      <a href="${base}/export.json" download>CSL-JSON</a>
    </p>
    ${mine && v.csrf !== null ? ownerSettings(v, v.csrf) : ''}
    ${items.length > 0
      ? html`<ol class="collection-items">
          ${cards}
        </ol>`
      : html`<section class="empty">
          <p>
            No papers
            yet.${mine
              ? html` Use <strong>Add to collection</strong> on any paper card or paper page to add one.`
              : ''}
          </p>
        </section>`}`;
}

export interface AddToCollectionView {
  paper: { id: string; title: string };
  mine: Collection[];
  csrf: string;
  error?: string;
}

/** Choose one of your collections (or make a new one) for a paper, with an optional note. */
export function addToCollectionBody(v: AddToCollectionView): SafeHtml {
  const pick =
    v.mine.length > 0
      ? html`<form method="post" action="/collections/add" class="collection-form">
          ${csrfField(v.csrf)}<input type="hidden" name="paper" value="${v.paper.id}" />
          <fieldset>
            <legend>Collection</legend>
            ${v.mine.map(
              (c, i) =>
                html`<p class="field check">
                  <input
                    type="radio"
                    id="pick-${i}"
                    name="collection"
                    value="${c.slug}"
                    ${i === 0 ? html`checked` : ''}
                  />
                  <label for="pick-${i}">${c.title}${badge(c)}</label>
                </p>`,
            )}
          </fieldset>
          <p class="field">
            <label for="a-note">Note <span class="hint">(optional)</span></label>
            <textarea id="a-note" name="note" rows="3" maxlength="${COLLECTION_LIMITS.noteChars}"></textarea>
          </p>
          <button type="submit">Add to collection</button>
        </form>`
      : html`<p>You have no collections yet: make one below.</p>`;
  return html`<section class="narrow">
    <h1>
      Add to a collection <small><a href="${paperPath(v.paper.id)}">${mathHtml(v.paper.title)}</a></small>
    </h1>
    ${formError(v.error)} ${pick}
    <details class="new-collection" ${v.mine.length === 0 ? html`open` : ''}>
      <summary>New collection with this paper</summary>
      ${newCollectionForm(v.csrf, { paper: v.paper.id })}
    </details>
  </section>`;
}

/** The paper page's part: public collections holding it, and (signed in) a link to add it to one. */
export function paperCollectionsSection(
  paperId: string,
  list: readonly CollectionSummary[],
  signedIn: boolean,
): SafeHtml {
  if (list.length === 0 && !signedIn) return html``;
  return html`<section class="paper-collections" aria-labelledby="collections-h">
    <h2 id="collections-h">In collections</h2>
    ${list.length > 0 ? collectionList(list) : html`<p>Not in any public collection yet.</p>`}
    ${signedIn
      ? html`<p>
          <a class="button" href="/collections/add?paper=${encodeURIComponent(paperId)}">Add to collection</a>
        </p>`
      : ''}
  </section>`;
}
