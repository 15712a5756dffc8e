// The map page: a canvas drawn by /static/map.js, with the same topics as a plain list for screen readers
// and browsers without JavaScript.
import type { TopicInfo } from '../../services/topics/index.ts';
import { html, type SafeHtml } from './html.ts';
import { paperPath } from './paths.ts';

export interface MapView {
  topics: TopicInfo[];
  /** A search whose results the map highlights. */
  q: string;
  /** A paper to mark ("where this paper sits"). */
  paper: string;
  signedIn: boolean;
}

/** The topics, largest first, each with its terms and central papers: the map in words. */
export function topicList(topics: readonly TopicInfo[]): SafeHtml {
  const sorted = [...topics].sort((a, b) => b.size - a.size);
  return html`<ol class="topic-list">
    ${sorted.map(
      (t) =>
        html`<li>
          <a href="/topics/${t.id}">${t.label}</a>
          <span class="size">${t.size.toLocaleString('en-US')} papers</span>
          <span class="terms"
            >${t.terms
              .slice(0, 6)
              .map((x) => x.term)
              .join(' · ')}</span
          >
          ${t.central.length > 0
            ? html`<span class="terms"
                >central:
                ${t.central
                  .slice(0, 2)
                  .map((id, i) => html`${i > 0 ? ', ' : ''}<a href="${paperPath(id)}">${id}</a>`)}</span
              >`
            : ''}
        </li>`,
    )}
  </ol>`;
}

export function mapPage(v: MapView): SafeHtml {
  const papers = v.topics.reduce((a, t) => a + t.size, 0);
  if (v.topics.length === 0)
    return html`<h1>Map of the field</h1>
      <p>
        No topics yet. Once papers are embedded, run <code>paperboy topics</code> to cluster them; the map
        then shows every paper.
      </p>`;
  return html`<link rel="stylesheet" href="/static/pictures.css" />
    <h1>Map of the field</h1>
    <p class="muted">
      ${papers.toLocaleString('en-US')} papers in ${v.topics.length} topics; nearby points are papers about
      similar things. Scroll or pinch to zoom, drag to pan, hover for a title, click to open a paper.
    </p>
    <form class="map-tools" method="get" action="/map">
      <label for="map-q">Highlight a search</label>
      <input id="map-q" name="q" type="search" value="${v.q}" maxlength="300" />
      <button type="submit">Highlight</button>
      ${v.signedIn ? html`<label><input id="map-library" type="checkbox" /> Show my library</label>` : ''}
      <span class="map-status" id="map-status" role="status"></span>
    </form>
    <div class="map-wrap" id="map" data-q="${v.q}" data-paper="${v.paper}">
      <canvas
        aria-label="Map of ${papers} papers in ${v.topics
          .length} topics; the list below names the same topics"
        role="img"
      ></canvas>
      <div class="map-tip" id="map-tip" hidden></div>
    </div>
    <script src="/static/map.js" defer></script>
    <h2>Topics on the map</h2>
    ${topicList(v.topics)}`;
}
