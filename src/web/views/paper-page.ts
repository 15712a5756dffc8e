// One paper's page: full abstract with math, authors, categories, dates and versions, vote, save, cite.
import { linkChips, summaryLine, thumbnail } from './paper-extras.ts';
import { href } from '../../domain/links.ts';
import { splitCategories, toBibtex, type LibraryEntry, type Paper } from '../../domain/index.ts';
import { actionButton } from './foryou-page.ts';
import { html, joinHtml, type SafeHtml } from './html.ts';
import { page, type PageOptions } from './layout.ts';
import { mathHtml } from './math.ts';
import { authorPath, bibtexPath, paperPath } from './paths.ts';
import { categoryLinks, voteControl } from './paper-card.ts';

export interface PaperView {
  paper: Paper;
  votes: number;
  voted: boolean;
  entry: LibraryEntry | null;
  similar: { paper: Paper }[] | null;
  /** The similar papers were answered while new papers were still being indexed (a notice says so). */
  similarIndexing?: boolean;
  csrf: string | null;
  /** The related-papers graph (pictures issue), when it could be made. */
  graph?: SafeHtml;
  /** False when the reader turned TL;DR summaries off in settings. */
  summaries?: boolean;
  /** Who submitted the paper, when that reader has a handle (community issue). */
  submittedBy?: { handle: string } | null;
  /** Public collections holding the paper and the "Add to collection" link (community issue). */
  collections?: SafeHtml;
  /** The discussion under the paper (community issue). */
  discussion?: SafeHtml;
}

/** For signed-in readers: hide this paper from For you, or follow its first author. */
function readerActions(v: PaperView, here: string): SafeHtml {
  const first = v.paper.authors[0];
  if (v.csrf === null) return html``;
  return html`<p class="foryou-actions">
    ${actionButton(
      '/foryou/not-interested',
      'Not interested',
      { kind: 'paper', ref: v.paper.id },
      v.csrf,
      here,
    )}
    ${first !== undefined
      ? actionButton('/foryou/follow', `Follow ${first}`, { kind: 'author', name: first }, v.csrf, here)
      : ''}
  </p>`;
}

function versions(p: Paper): SafeHtml {
  if (p.arxivId === null || p.version === null) return html``;
  const links = Array.from(
    { length: Math.min(p.version, 50) },
    (_, i) => html`<a href="https://arxiv.org/abs/${p.arxivId}v${i + 1}" rel="noopener">v${i + 1}</a>`,
  );
  return html`<dt>Versions</dt>
    <dd>${joinHtml(links, ' ')}</dd>`;
}

function row(label: string, value: string | null | SafeHtml): SafeHtml {
  return value === null || value === ''
    ? html``
    : html`<dt>${label}</dt>
        <dd>${value}</dd>`;
}

function facts(p: Paper): SafeHtml {
  return html`<dl class="facts">
    ${row('arXiv id', p.arxivId !== null ? `${p.arxivId}${p.version !== null ? `v${p.version}` : ''}` : null)}
    ${versions(p)} ${row('Submitted', p.published?.slice(0, 10) ?? null)}
    ${row('Updated', p.updated !== null && p.updated !== p.published ? p.updated.slice(0, 10) : null)}
    ${row('Announced', p.announced?.slice(0, 10) ?? null)} ${row('Comments', p.comment)}
    ${row('Journal reference', p.journalRef)}
    ${row(
      'DOI',
      p.doi !== null ? html`<a href="https://doi.org/${p.doi}" rel="noopener">${p.doi}</a>` : null,
    )}
    ${row(
      'License',
      p.license !== null
        ? /^https?:\/\//.test(p.license)
          ? html`<a href="${p.license}" rel="noopener license">${p.license}</a>`
          : p.license
        : null,
    )}
  </dl>`;
}

function saveForm(v: PaperView, next: string): SafeHtml {
  if (v.csrf === null)
    return html`<p>
      <a href="/signin?next=${encodeURIComponent(next)}">Sign in</a> to upvote and save papers with tags.
    </p>`;
  const id = v.paper.id;
  return html`<form method="post" action="/save" class="save-tags">
      <input type="hidden" name="_csrf" value="${v.csrf}" /><input
        type="hidden"
        name="paper"
        value="${id}"
      /><input type="hidden" name="next" value="${next}" />
      <label for="tags">Tags <span class="hint">(comma-separated)</span></label>
      <input
        id="tags"
        name="tags"
        value="${v.entry?.tags.join(', ') ?? ''}"
        maxlength="900"
        placeholder="to-read, vision"
      />
      <button type="submit">${v.entry ? 'Update tags' : 'Save to library'}</button>
    </form>
    ${v.entry
      ? html`<form method="post" action="/unsave" class="inline">
          <input type="hidden" name="_csrf" value="${v.csrf}" /><input
            type="hidden"
            name="paper"
            value="${id}"
          /><input type="hidden" name="next" value="${next}" /><button type="submit" class="link">
            Remove from library
          </button>
        </form>`
      : ''}`;
}

/**
 * Renders the paper page.
 */
export function paperPage(v: PaperView, opts: PageOptions): string {
  const p = v.paper;
  const here = paperPath(p.id);
  const authors = joinHtml(
    p.authors.map((a) => html`<a href="${authorPath(a)}">${a}</a>`),
    ', ',
  );
  const similar =
    v.similar && v.similar.length > 0
      ? html`<section class="similar">
          <h2>Similar papers</h2>
          ${v.similarIndexing === true
            ? html`<p class="notice" role="status">
                New papers are being indexed: some similar papers may be missing for a few seconds.
              </p>`
            : ''}
          <ul>
            ${v.similar.map(
              (s) => html`<li><a href="${paperPath(s.paper.id)}">${mathHtml(s.paper.title)}</a></li>`,
            )}
          </ul>
        </section>`
      : '';
  const { codes } = splitCategories(p.categories);
  const body = html`<article class="paper-full">
    <h1>${mathHtml(p.title)}</h1>
    <p class="authors">${authors}</p>
    ${v.submittedBy != null
      ? html`<p class="meta submitted">
          Submitted by <a href="/u/${encodeURIComponent(v.submittedBy.handle)}">@${v.submittedBy.handle}</a>
        </p>`
      : ''}
    <p class="cats">${categoryLinks(p.categories)}</p>
    ${codes.length > 0 ? html`<p class="meta codes">Classification (MSC/ACM): ${codes.join(', ')}</p>` : ''}
    <div class="paper-actions">
      ${voteControl(
        p,
        { votes: v.votes, voted: v.voted, saved: v.entry !== null },
        { csrf: v.csrf, next: here },
      )}
      ${href(p.absUrl) !== null
        ? html`<a class="button" href="${href(p.absUrl)}" rel="noopener">arXiv page</a>`
        : ''}
      ${href(p.pdfUrl) !== null
        ? html`<a class="button" href="${href(p.pdfUrl)}" rel="noopener">PDF</a>`
        : ''}
    </div>
    ${thumbnail(p)} ${linkChips(p, 'page')}
    <section aria-labelledby="abstract-h">
      ${summaryLine(p, v.summaries ?? true)}
      <h2 id="abstract-h">Abstract</h2>
      <p class="abstract-full">${mathHtml(p.abstract)}</p>
    </section>
    ${facts(p)}
    <section class="library" aria-label="Library">${saveForm(v, here)}</section>
    ${v.collections ?? ''} ${readerActions(v, here)}
    <details class="cite">
      <summary>Cite (BibTeX)</summary>
      <pre>${toBibtex(p)}</pre>
      <p><a href="${bibtexPath(p.id)}" download>Download .bib</a></p>
    </details>
    ${similar} ${v.graph ?? ''} ${v.discussion ?? ''}
  </article>`;
  return page({ ...opts, math: true, description: p.abstract.slice(0, 200) }, body);
}
