// A paper's link chips (Code, Data, Model, Project, Video) and its extractive TL;DR, for cards and the paper page.
import type { Paper } from '../../domain/index.ts';
import { href } from '../../domain/links.ts';
import { enrichPaper, type PaperLink } from '../../services/enrich/index.ts';
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
    ><span class="chip-kind">${KIND_NAMES[l.kind]}</span> ${l.label}</a
  > `;
}

/**
 * The link chips of a paper: on cards the first few classified links ("other" links stay on the paper page).
 * @example linkChips(paper, 'card')
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
