// The related-papers graph on a paper page: an SVG of neighbours (size by upvotes, colour by year, edges by
// similarity), each node a link, with the same papers as a plain list beside it.
import type { PaperGraph } from '../../services/graph/index.ts';
import { html, type SafeHtml } from './html.ts';
import { paperPath } from './paths.ts';

/** Colours from older (cool) to newer (warm) years. */
const YEAR_COLOURS = ['#6366f1', '#0ea5e9', '#14b8a6', '#84cc16', '#f59e0b', '#ef4444'];

function yearColour(year: number | null, newest: number): string {
  if (year === null) return '#9ca3af';
  const age = Math.max(0, Math.min(YEAR_COLOURS.length - 1, newest - year));
  return YEAR_COLOURS[YEAR_COLOURS.length - 1 - age] ?? '#9ca3af';
}

export function paperGraphSection(g: PaperGraph): SafeHtml {
  if (g.nodes.length < 2) return html``;
  const W = 480;
  const H = 360;
  const newest = Math.max(...g.nodes.map((n) => n.year ?? 0));
  const years = [...new Set(g.nodes.map((n) => n.year).filter((y): y is number => y !== null))].sort();
  const px = (v: number): string => (v * W).toFixed(1);
  const py = (v: number): string => (v * H).toFixed(1);
  const radius = (votes: number, ring: number): number => (ring === 0 ? 10 : 5) + 2.5 * Math.sqrt(votes);
  return html`<link rel="stylesheet" href="/static/pictures.css" />
    <section class="related-graph" aria-labelledby="graph-h">
      <h2 id="graph-h">Related papers graph</h2>
      <div class="graph-box">
        <svg
          viewBox="0 0 ${W} ${H}"
          role="group"
          aria-label="Graph of related papers; the list beside it has the same papers"
        >
          ${g.edges.map((e) => {
            const a = g.nodes[e.source]!;
            const b = g.nodes[e.target]!;
            return html`<line
              x1="${px(a.x)}"
              y1="${py(a.y)}"
              x2="${px(b.x)}"
              y2="${py(b.y)}"
              stroke="currentColor"
              stroke-opacity="${(0.15 + 0.6 * e.weight).toFixed(2)}"
              stroke-width="${(0.5 + 2 * e.weight).toFixed(1)}"
            />`;
          })}
          ${g.nodes.map(
            (n) =>
              html`<a href="${paperPath(n.id)}"
                ><circle
                  cx="${px(n.x)}"
                  cy="${py(n.y)}"
                  r="${radius(n.votes, n.ring).toFixed(1)}"
                  fill="${yearColour(n.year, newest)}"
                  stroke="${n.ring === 0 ? '#111' : 'none'}"
                  stroke-width="2"
                  ><title>
                    ${n.title} (${n.year ?? 'undated'}, ${n.votes} ${n.votes === 1 ? 'upvote' : 'upvotes'})
                  </title></circle
                ></a
              >`,
          )}
        </svg>
        <div>
          <ol>
            ${g.nodes
              .slice(1)
              .map(
                (n) =>
                  html`<li>
                    <a href="${paperPath(n.id)}">${n.title}</a> <span class="size">${n.year ?? ''}</span>
                  </li>`,
              )}
          </ol>
          <p class="size">
            <a href="/map?paper=${encodeURIComponent(g.nodes[0]!.id)}">Where this paper sits on the map</a>.
            Size: upvotes. Colour: year
            (${years.map(
              (y, i) =>
                html`${i > 0 ? ', ' : ''}<svg width="10" height="10" aria-hidden="true">
                    <rect width="10" height="10" fill="${yearColour(y, newest)}" />
                  </svg>
                  ${y}`,
            )}).
            Lines: similarity.
          </p>
        </div>
      </div>
    </section>`;
}
