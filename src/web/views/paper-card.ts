// A paper as a card in lists: title, first authors, categories, abstract preview, vote and save, links.
import { href } from '../../domain/links.ts';
import { splitCategories, type Paper } from '../../domain/index.ts';
import { html, joinHtml, type SafeHtml } from './html.ts';
import { highlightHtml } from './highlight.ts';
import { hasMath, mathHtml, previewText } from './math.ts';
import { authorPath, categoryPath, paperPath } from './paths.ts';
import { linkChips, summaryLine, thumbnail } from './paper-extras.ts';

const PREVIEW_CHARS = 300;
const SHOWN_AUTHORS = 3;

/** What a card shows about the reader's relation to the paper. */
export interface CardState {
  votes: number;
  voted: boolean;
  saved: boolean;
}

/** Where the card is shown: the token for its forms (null when nobody is signed in) and the page to return to. */
export interface CardContext {
  csrf: string | null;
  next: string;
  /** Query terms to mark in the title and abstract (search results). */
  highlight?: readonly string[];
  /** False when the reader turned TL;DR summaries off in settings. */
  summaries?: boolean;
  /** Visible comments per paper id (community issue); absent: the card shows no count. */
  comments?: ReadonlyMap<string, number>;
}

/** Authors as links, the first three then "et al.". */
export function authorLinks(authors: readonly string[], max = SHOWN_AUTHORS): SafeHtml {
  const shown = authors.slice(0, max).map((a) => html`<a href="${authorPath(a)}">${a}</a>`);
  return html`${joinHtml(shown, ', ')}${authors.length > max ? ' et al.' : ''}`;
}

/** arXiv categories as links; MSC and ACM codes are left to the paper page. */
export function categoryLinks(categories: readonly string[]): SafeHtml {
  const { arxiv } = splitCategories(categories);
  return html`${arxiv.map((c) => html`<a class="cat" href="${categoryPath(c)}">${c}</a> `)}`;
}

/** The upvote control: a form for signed-in readers (enhanced by the script), a sign-in link otherwise. */
export function voteControl(p: Paper, s: CardState, ctx: CardContext): SafeHtml {
  const label = html`<span aria-hidden="true">▲</span> <span class="count">${s.votes}</span>`;
  if (ctx.csrf === null) {
    return html`<a
      class="vote"
      href="/signin?next=${encodeURIComponent(ctx.next)}"
      aria-label="Sign in to upvote (${s.votes} votes)"
      >${label}</a
    >`;
  }
  return html`<form method="post" action="/vote" class="vote-form" data-paper="${p.id}">
    <input type="hidden" name="_csrf" value="${ctx.csrf}" /><input
      type="hidden"
      name="paper"
      value="${p.id}"
    /><input type="hidden" name="next" value="${ctx.next}" />
    <button
      type="submit"
      class="vote"
      aria-pressed="${s.voted ? 'true' : 'false'}"
      aria-label="Upvote (${s.votes} votes)"
    >
      ${label}
    </button>
  </form>`;
}

function saveControl(p: Paper, s: CardState, ctx: CardContext): SafeHtml {
  if (ctx.csrf === null)
    return html`<a class="save" href="/signin?next=${encodeURIComponent(ctx.next)}">Save</a>`;
  return html`<form
    method="post"
    action="${s.saved ? '/unsave' : '/save'}"
    class="save-form inline"
    data-paper="${p.id}"
    data-saved="${s.saved ? 'true' : 'false'}"
  >
    <input type="hidden" name="_csrf" value="${ctx.csrf}" /><input
      type="hidden"
      name="paper"
      value="${p.id}"
    /><input type="hidden" name="next" value="${ctx.next}" />
    <button type="submit" class="save" aria-pressed="${s.saved ? 'true' : 'false'}">
      ${s.saved ? 'Saved' : 'Save'}
    </button>
  </form>`;
}

/** "3 comments" linking to the paper's discussion, when the page passed counts. */
function commentsLink(p: Paper, ctx: CardContext): SafeHtml | string {
  if (ctx.comments === undefined) return '';
  const n = ctx.comments.get(p.id) ?? 0;
  return html`<a class="comments-link" href="${paperPath(p.id)}#discussion"
    >${String(n)} comment${n === 1 ? '' : 's'}</a
  >`;
}

/** A preview of the abstract, cut at a sentence or a space outside math, never inside a formula. */
export function abstractPreview(abstract: string): string {
  return previewText(abstract, PREVIEW_CHARS);
}

/** Text with math rendered, or with search terms marked when there are terms and no math. */
function marked(text: string, ctx: CardContext): SafeHtml {
  return ctx.highlight !== undefined && ctx.highlight.length > 0 && !hasMath(text) && !text.includes('\\')
    ? highlightHtml(text, ctx.highlight)
    : mathHtml(text);
}

/**
 * Renders one card.
 */
export function paperCard(p: Paper, s: CardState, ctx: CardContext, extra: SafeHtml | string = ''): SafeHtml {
  const date = (p.announced ?? p.published ?? '').slice(0, 10);
  return html`<article class="card" id="paper-${p.id}">
    <div class="card-vote">${voteControl(p, s, ctx)}</div>
    <div class="card-body">
      ${thumbnail(p)}
      <h2><a href="${paperPath(p.id)}">${marked(p.title, ctx)}</a></h2>
      <p class="meta">
        ${authorLinks(p.authors)}${date !== '' ? html` · <time datetime="${date}">${date}</time>` : ''}
      </p>
      <p class="cats">${categoryLinks(p.categories)}</p>
      ${extra} ${summaryLine(p, ctx.summaries ?? true)}
      <p class="abstract">${marked(abstractPreview(p.abstract), ctx)}</p>
      ${linkChips(p, 'card')}
      <p class="actions">
        ${href(p.absUrl) !== null ? html`<a href="${href(p.absUrl)}" rel="noopener">arXiv</a>` : ''}
        ${href(p.pdfUrl) !== null ? html`<a href="${href(p.pdfUrl)}" rel="noopener">PDF</a>` : ''}
        ${commentsLink(p, ctx)} ${saveControl(p, s, ctx)}
        ${ctx.csrf !== null
          ? html`<a class="add-to" href="/collections/add?paper=${encodeURIComponent(p.id)}"
              >Add to collection</a
            >`
          : ''}
      </p>
    </div>
  </article>`;
}
