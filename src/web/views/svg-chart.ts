// Server-drawn SVG charts (no script needed): line charts with counts on hover, and small sparklines.
import { html, joinHtml, type SafeHtml } from './html.ts';

/** Series colours, distinct for up to four lines and readable on light and dark backgrounds. */
export const SERIES_COLOURS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'] as const;

export interface ChartSeries {
  name: string;
  points: { start: string; count: number }[];
}

/** A round upper bound for the y axis (1, 2 or 5 times a power of ten). */
function niceMax(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Width of one axis-label character at font size 11 (digits and dashes are narrower than this). */
const LABEL_CHAR_WIDTH = 6.6;

/**
 * The x-axis labels: about six, evenly spaced, always including the last period. Weeks are labelled by
 * their Monday (YYYY-MM-DD), since a month label would repeat for weeks of the same month.
 * @example axisLabels(['2025-03-03', '2025-03-10'], 'week') // [{ i: 0, text: '2025-03-03' }, { i: 1, … }]
 */
export function axisLabels(
  starts: readonly string[],
  interval: 'week' | 'month',
): { i: number; text: string }[] {
  const n = starts.length;
  const every = Math.max(1, Math.ceil(n / 6));
  const picked: number[] = [];
  for (let i = 0; i < n; i += every) picked.push(i);
  // The newest period is the one readers look for: label it, dropping a neighbour that would overlap it.
  if (n > 0 && picked.at(-1) !== n - 1) {
    if (picked.length > 1 && n - 1 - (picked.at(-1) ?? 0) < every * 0.75) picked.pop();
    picked.push(n - 1);
  }
  return picked.map((i) => ({
    i,
    text: interval === 'week' ? (starts[i] ?? '') : (starts[i] ?? '').slice(0, 7),
  }));
}

/**
 * A line chart of counts per period: one line per series, a dot per point whose tooltip gives the period
 * and count, axes with a few labels. `label` names the chart for screen readers.
 */
export function lineChart(
  series: readonly ChartSeries[],
  label: string,
  interval: 'week' | 'month' = 'week',
): SafeHtml {
  const W = 720;
  const H = 260;
  const L = 44;
  const R = 12;
  const T = 12;
  const B = 28;
  const n = Math.max(1, ...series.map((s) => s.points.length));
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.count))));
  const x = (i: number): number => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (v: number): number => T + (H - T - B) * (1 - v / max);
  const ticks = [0, max / 2, max];
  const starts = series[0]?.points.map((p) => p.start) ?? [];
  const xLabels = axisLabels(starts, interval).map(({ i, text }) => {
    // A label near an edge is anchored to its point's side so that it stays inside the picture.
    const half = (text.length * LABEL_CHAR_WIDTH) / 2;
    const at = x(i);
    const anchor = at + half > W ? 'end' : at - half < 0 ? 'start' : 'middle';
    return html`<text
      x="${at.toFixed(1)}"
      y="${H - 8}"
      text-anchor="${anchor}"
      font-size="11"
      fill="currentColor"
      >${text}</text
    >`;
  });
  const lines = series.map((s, k) => {
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length] ?? '#2563eb';
    const d = s.points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.count).toFixed(1)}`)
      .join('');
    const dots = s.points.map(
      (p, i) =>
        html`<circle cx="${x(i).toFixed(1)}" cy="${y(p.count).toFixed(1)}" r="3" fill="${colour}"
          ><title>${s.name} · ${p.start}: ${p.count} ${p.count === 1 ? 'paper' : 'papers'}</title></circle
        >`,
    );
    return html`<g class="series"
      ><path d="${d}" fill="none" stroke="${colour}" stroke-width="2" />${dots}</g
    >`;
  });
  return html`<svg
    class="chart"
    viewBox="0 0 ${W} ${H}"
    role="img"
    aria-label="${label}"
    width="100%"
    preserveAspectRatio="xMidYMid meet"
  >
    ${ticks.map(
      (t) =>
        html`<line
            x1="${L}"
            x2="${W - R}"
            y1="${y(t).toFixed(1)}"
            y2="${y(t).toFixed(1)}"
            stroke="currentColor"
            stroke-opacity="0.15"
          /><text
            x="${L - 6}"
            y="${(y(t) + 4).toFixed(1)}"
            text-anchor="end"
            font-size="11"
            fill="currentColor"
            >${Number.isInteger(t) ? t : t.toFixed(1)}</text
          >`,
    )}
    ${xLabels} ${lines}
  </svg>`;
}

/**
 * A small line of counts (oldest first) for lists; decorative, so the caller states the numbers in text.
 */
export function sparkline(values: readonly number[], colour: string = SERIES_COLOURS[0]): SafeHtml {
  const W = 80;
  const H = 20;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? W / (values.length - 1) : 0;
  const d = values
    .map(
      (v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(H - 2 - ((H - 4) * v) / max).toFixed(1)}`,
    )
    .join('');
  return html`<svg class="sparkline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-hidden="true">
    <path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5" />
  </svg>`;
}

/** A legend of series names in their colours. */
export function legend(names: readonly string[]): SafeHtml {
  return html`<ul class="legend">
    ${joinHtml(
      names.map(
        (n, k) =>
          html`<li>
            <svg width="14" height="14" aria-hidden="true">
              <rect
                width="14"
                height="14"
                rx="3"
                fill="${SERIES_COLOURS[k % SERIES_COLOURS.length] ?? '#2563eb'}"
              />
            </svg>
            ${n}
          </li>`,
      ),
      '',
    )}
  </ul>`;
}
