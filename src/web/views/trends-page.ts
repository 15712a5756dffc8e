// The trends page: a form for up to four searches, their papers per week or month as a chart, a table.
import type { TrendSeries } from '../../services/trends/index.ts';
import { html, type SafeHtml } from './html.ts';
import { legend, lineChart } from './svg-chart.ts';

export interface TrendsView {
  queries: string[];
  interval: 'week' | 'month';
  series: TrendSeries[];
  /** The query string for the export links (q=…&interval=…). */
  exportQuery: string;
}

function form(v: TrendsView): SafeHtml {
  const slots = [0, 1, 2, 3].map((i) => v.queries[i] ?? '');
  return html`<form class="trends-form" method="get" action="/trends">
    ${slots.map(
      (q, i) =>
        html`<label
          >Search ${i + 1}
          <input
            name="q"
            type="search"
            value="${q}"
            maxlength="300"
            placeholder="${i === 0 ? 'e.g. "diffusion model"' : ''}"
        /></label>`,
    )}
    <label
      >Per
      <select name="interval">
        <option value="week" ${v.interval === 'week' ? 'selected' : ''}>week</option>
        <option value="month" ${v.interval === 'month' ? 'selected' : ''}>month</option>
      </select></label
    >
    <button type="submit">Compare</button>
  </form>`;
}

/** The counts as a table, the chart's accessible twin. */
function table(v: TrendsView): SafeHtml {
  const rows = v.series[0]?.points.map((p, i) => ({
    start: p.start,
    counts: v.series.map((s) => s.points[i]?.count ?? 0),
  }));
  return html`<details class="trend-table">
    <summary>Counts as a table</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">${v.interval === 'week' ? 'Week of' : 'Month'}</th>
          ${v.series.map((s) => html`<th scope="col">${s.q}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${(rows ?? []).map(
          (r) =>
            html`<tr>
              <th scope="row">${v.interval === 'week' ? r.start : r.start.slice(0, 7)}</th>
              ${r.counts.map((c) => html`<td>${c}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

export function trendsPage(v: TrendsView): SafeHtml {
  const names = v.series.map((s) => `${s.q} (${s.points.reduce((a, p) => a + p.count, 0)})`);
  return html`<link rel="stylesheet" href="/static/pictures.css" />
    <h1>Trends</h1>
    <p class="muted">
      Papers per ${v.interval} over the whole store for up to four searches: words (any of them; quote a
      "phrase" to require it), <code>cat:cs.CL</code>, <code>author:"Name"</code> or <code>topic:12</code>. A
      count is what the word search lists for that ${v.interval}.
    </p>
    ${form(v)}
    ${v.series.length === 0
      ? html`<p>Enter a search to see how many papers match it each ${v.interval}.</p>`
      : html`<figure class="trend">
            ${legend(names)}
            ${lineChart(
              v.series.map((s) => ({ name: s.q, points: s.points })),
              `Papers per ${v.interval}: ${names.join('; ')}`,
              v.interval,
            )}
            <figcaption>Hover a dot for its count.</figcaption>
          </figure>
          ${table(v)}
          <p>
            Download: <a href="/api/trends?${v.exportQuery}&amp;format=csv" download="trends.csv">CSV</a> ·
            <a href="/api/trends?${v.exportQuery}">JSON</a>
          </p>`}`;
}
