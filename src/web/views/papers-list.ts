// The newest-papers page: a plain list of paper cards.
import type { Paper } from '../../domain/index.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';

const PREVIEW_CHARS = 400;

function authorsLine(authors: readonly string[]): string {
  return authors.length > 3 ? `${authors.slice(0, 3).join(', ')} et al.` : authors.join(', ');
}

function card(p: Paper): SafeHtml {
  const preview = p.abstract.length > PREVIEW_CHARS ? `${p.abstract.slice(0, PREVIEW_CHARS)}…` : p.abstract;
  return html`<article class="paper">
<h2><a href="${p.absUrl ?? '#'}">${p.title}</a></h2>
<p class="meta">${authorsLine(p.authors)} · ${p.categories.join(', ')} · ${p.announced ?? p.published ?? ''}</p>
<p class="abstract">${preview}</p>
<p class="links">${p.absUrl !== null ? html`<a href="${p.absUrl}">arXiv</a>` : ''} ${p.pdfUrl !== null ? html`<a href="${p.pdfUrl}">PDF</a>` : ''}</p>
</article>`;
}

const EMPTY = html`<section class="empty">
<h1>No papers yet</h1>
<p>Import a corpus or harvest arXiv, then reload this page:</p>
<pre>npx paperboy ingest ../shared/data/arxiv-cs-2025-2026.jsonl.gz
npx paperboy harvest arxiv --categories cs.CL,cs.LG --since 2026-11-01</pre>
</section>`;

/** Renders the newest papers, or an empty state telling a new user what to do. */
export function newestPage(papers: readonly Paper[]): string {
  if (papers.length === 0) return layout('Newest papers', EMPTY);
  return layout('Newest papers', html`<h1>Newest papers</h1>${papers.map(card)}`);
}
