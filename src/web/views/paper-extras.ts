// A paper's link chips (Code, Data, Model, Project, Video) and its extractive TL;DR, for cards and the paper page.
import type { Paper } from '../../domain/index.ts';
import { href } from '../../domain/links.ts';
import { enrichmentOverlay, enrichPaper, type PaperLink } from '../../services/enrich/index.ts';
import { thumbnailPath } from './paths.ts';
import { html, type SafeHtml } from './html.ts';
import { mathHtml } from './math.ts';

const KIND_NAMES: Readonly<Record<PaperLink['kind'], string>> = {
  code: 'Code',
  model: 'Model',
  data: 'Data',
  project: 'Project',
  video: 'Video',
  other: 'Link',
};

/** Cards show at most this many chips; the paper page shows every link. */
const CARD_CHIPS = 3;

/** One chip: "Code · org/repo", opening the link (nofollow: the link comes from the paper, not from us). */
function chip(l: PaperLink): SafeHtml {
  const url = href(l.url);
  if (url === null) return html``;
  return html`<a class="chip chip-${l.kind}" href="${url}" rel="noopener nofollow ugc" title="${l.url}"
    ><span class="chip-kind">${KIND_NAMES[l.kind]}</span> ${l.label}${stars(l)}</a
  > `;
}

/** "★ 1.2k" (and "archived") after a GitHub repository's name, once GITHUB_ENRICH has checked it. */
function stars(l: PaperLink): SafeHtml | string {
  if (l.stars === undefined) return '';
  const n =
    l.stars >= 1000
      ? `${(l.stars / 1000).toFixed(l.stars >= 10_000 ? 0 : 1).replace(/\.0$/, '')}k`
      : String(l.stars);
  return html`<span
    class="chip-stars"
    title="${l.stars} GitHub stars${l.archived === true ? ', archived' : ''}"
    >★ ${n}${l.archived === true ? ' · archived' : ''}</span
  >`;
}

/**
 * The first-page thumbnail with fixed dimensions (no layout shift) and lazy loading, a quiet placeholder when
 * the paper has none, and nothing at all when THUMBNAILS is off.
 */
export function thumbnail(p: Paper): SafeHtml {
  const ids = enrichmentOverlay().thumbnails;
  if (ids === null) return html``;
  if (!ids.has(p.id)) return html`<span class="thumb thumb-none" aria-hidden="true">No preview</span>`;
  return html`<img
    class="thumb"
    src="${thumbnailPath(p.id)}"
    width="116"
    height="150"
    loading="lazy"
    decoding="async"
    alt="First page of the paper"
  />`;
}

/**
 * The link chips of a paper: on cards the first few classified links ("other" links stay on the paper page).
 */
export function linkChips(p: Paper, where: 'card' | 'page'): SafeHtml {
  const all = enrichPaper(p).links;
  const shown = where === 'card' ? all.filter((l) => l.kind !== 'other').slice(0, CARD_CHIPS) : all;
  return shown.length === 0 ? html`` : html`<p class="chips">${shown.map(chip)}</p>`;
}

/**
 * The TL;DR line, labelled with its kind: extractive (a sentence of the abstract) or AI (written by a language
 * model, named in the tooltip); nothing when the reader turned summaries off or there is none.
 */
export function summaryLine(p: Paper, show = true): SafeHtml {
  if (!show) return html``;
  const s = enrichPaper(p).summary;
  if (s === null) return html``;
  const label =
    s.kind === 'abstractive'
      ? html`<span
          class="tldr-label"
          title="Written by a language model (${s.model}) from the abstract; it can be wrong"
          >TL;DR <small>(AI)</small></span
        >`
      : html`<span
          class="tldr-label"
          title="Extractive: the abstract's most central sentence, not written by a model"
          >TL;DR <small>(extractive)</small></span
        >`;
  return html`<p class="tldr">${label} ${mathHtml(s.text)}</p>`;
}
