// A reader's public profile (/u/<handle>) and the settings form for their handle and what it shows.
import type { Paper, Profile } from '../../domain/index.ts';
import { HANDLE_RULE, type ProfilePage } from '../../services/collections/index.ts';
import { collectionList, profilePath } from './collection-pages.ts';
import { csrfField, formError } from './form-parts.ts';
import { html, type SafeHtml } from './html.ts';
import { mathHtml } from './math.ts';
import { paperPath } from './paths.ts';

function paperList(papers: readonly Paper[]): SafeHtml {
  return html`<ul class="paper-links">
    ${papers.map((p) => html`<li><a href="${paperPath(p.id)}">${mathHtml(p.title)}</a></li>`)}
  </ul>`;
}

function more(shown: number, total: number): SafeHtml {
  return total > shown ? html`<p class="meta">and ${total - shown} more</p>` : html``;
}

/**
 * The profile body. `comments` is where the reader's public comments go (discussion issue): the integrator
 * passes the rendered list from the discussion service's listByAuthor; until then it is left out.
 */
export function profileBody(p: ProfilePage, comments?: SafeHtml): SafeHtml {
  const { profile } = p;
  return html`<header class="profile-head">
      <h1>@${profile.handle}${profile.name !== '' ? html` <small>${profile.name}</small>` : ''}</h1>
    </header>
    <section aria-labelledby="p-collections-h">
      <h2 id="p-collections-h">Collections</h2>
      ${p.collections.length > 0 ? collectionList(p.collections) : html`<p>No public collections.</p>`}
    </section>
    <section aria-labelledby="p-submitted-h">
      <h2 id="p-submitted-h">Submitted papers</h2>
      ${p.submitted.papers.length > 0 ? paperList(p.submitted.papers) : html`<p>None yet.</p>`}
      ${more(p.submitted.papers.length, p.submitted.total)}
    </section>
    ${p.upvoted !== null
      ? html`<section aria-labelledby="p-upvoted-h">
          <h2 id="p-upvoted-h">Upvoted papers</h2>
          ${p.upvoted.papers.length > 0 ? paperList(p.upvoted.papers) : html`<p>None yet.</p>`}
          ${more(p.upvoted.papers.length, p.upvoted.total)}
        </section>`
      : ''}
    ${comments !== undefined
      ? html`<section aria-labelledby="p-comments-h" class="profile-comments">
          <h2 id="p-comments-h">Comments</h2>
          ${comments}
        </section>`
      : ''}`;
}

export interface ProfileSettingsView {
  profile: Profile | null;
  csrf: string;
  error?: string;
  /** The handle typed, shown again after an error. */
  handle?: string;
  saved?: boolean;
}

/** Settings → Profile: choose or change the handle, show or hide upvotes. */
export function profileSettingsBody(v: ProfileSettingsView): SafeHtml {
  const handle = v.handle ?? v.profile?.handle ?? '';
  return html`<section class="narrow">
    <h1>
      Profile <small><a href="/settings">Back to settings</a></small>
    </h1>
    ${formError(v.error)}
    ${v.saved === true ? html`<p class="notice" role="status">Your profile is saved.</p>` : ''}
    ${v.profile !== null
      ? html`<p>
          Your public page: <a href="${profilePath(v.profile.handle)}">${profilePath(v.profile.handle)}</a>
        </p>`
      : html`<p>
          You have no handle yet, so you have no public page and your submissions are not credited.
        </p>`}
    <form method="post" action="/settings/profile" class="collection-form">
      ${csrfField(v.csrf)}
      <p class="field">
        <label for="f-handle">Handle</label>
        <input
          id="f-handle"
          name="handle"
          value="${handle}"
          required
          maxlength="30"
          autocomplete="nickname"
          aria-describedby="f-handle-hint"
        />
        <span class="hint" id="f-handle-hint">${HANDLE_RULE} Changing it changes your page's address.</span>
      </p>
      <p class="field check">
        <input
          type="checkbox"
          id="f-upvotes"
          name="show_upvotes"
          value="on"
          ${v.profile?.showUpvotes === true ? html`checked` : ''}
        />
        <label for="f-upvotes">Show the papers I upvote on my public page</label>
      </p>
      <button type="submit">Save profile</button>
    </form>
  </section>`;
}
