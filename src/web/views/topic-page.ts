// Topic pages: the list of topics (/topics), one topic (/topics/:id), and the home page's "Rising this week".
import type { RisingTopic, TopicArea, TopicDetail, TopicInfo } from '../../services/topics/index.ts';
import { html, type SafeHtml } from './html.ts';
import { topicList } from './map-page.ts';
import { paperPath } from './paths.ts';
import { actionButton } from './foryou-page.ts';
import { lineChart, sparkline } from './svg-chart.ts';

const STYLES = html`<link rel="stylesheet" href="/static/pictures.css" />`;

/** The rising topics as a short list with a sparkline each (empty when there are none). */
export function risingBlock(rising: readonly RisingTopic[]): SafeHtml {
  if (rising.length === 0) return html``;
  return html`${STYLES}
    <section class="rising" aria-labelledby="rising-h">
      <h2 id="rising-h">Rising this week</h2>
      <ol class="topic-list">
        ${rising.map(
          (t) =>
            html`<li>
              <a href="/topics/${t.id}">${t.label}</a>
              ${sparkline(t.sparkline)}
              <span class="size"
                >${t.recent} new ${t.recent === 1 ? 'paper' : 'papers'} this week, ${t.growth.toFixed(1)}× its
                usual share</span
              >
            </li>`,
        )}
      </ol>
      <p><a href="/topics">All topics</a> · <a href="/map">Map</a> · <a href="/trends">Trends</a></p>
    </section>`;
}

/** Every topic under its broad area (the hierarchy's upper level), with a contents list of the areas first. */
function areaSections(topics: readonly TopicInfo[], areas: readonly TopicArea[]): SafeHtml {
  return html`<h2>Areas</h2>
    <ol class="area-index">
      ${areas.map(
        (a) =>
          html`<li>
            <a href="#area-${a.id}">${a.label}</a>
            <span class="size">${a.topics.length} topics, ${a.size.toLocaleString('en-US')} papers</span>
          </li>`,
      )}
    </ol>
    ${areas.map(
      (a) =>
        html`<section class="area" aria-labelledby="area-${a.id}">
          <h3 id="area-${a.id}">${a.label}</h3>
          ${topicList(topics.filter((t) => t.area === a.id))}
        </section>`,
    )}`;
}

/**
 * /topics: rising topics, then every topic (grouped by area when there are areas).
 */
export function topicsIndexPage(
  topics: readonly TopicInfo[],
  rising: readonly RisingTopic[],
  areas: readonly TopicArea[] = [],
): SafeHtml {
  if (topics.length === 0)
    return html`<h1>Topics</h1>
      <p>No topics yet: once papers are embedded, run <code>paperboy topics</code>.</p>`;
  return html`${STYLES}
    <h1>Topics</h1>
    <p class="muted">
      ${topics.length} topics found in the papers' meaning (their vectors), each named by its most distinctive
      words. See them on the <a href="/map">map</a>.
    </p>
    ${risingBlock(rising)}
    ${areas.length === 0
      ? html`<h2>All topics</h2>
          ${topicList(topics)}`
      : areaSections(topics, areas)}`;
}

/** What the follow button needs: the signed-in reader's form token and whether they follow the topic. */
export interface TopicFollow {
  csrf: string;
  following: boolean;
  /** Where the form comes back to. */
  here: string;
}

/**
 * Follow (or unfollow) for signed-in readers; others are told what following does and where to sign in.
 * A followed topic's new papers rank higher in For you and get their own digest section. A div, not a p: the
 * HTML parser closes a p before a form, which would leave the button outside `.topic-follow`.
 */
function followButton(t: TopicDetail, f: TopicFollow | null): SafeHtml {
  if (f === null)
    return html`<div class="topic-follow muted">
      <a href="/signin?next=/topics/${t.id}">Sign in</a> to follow this topic in For you and your digest.
    </div>`;
  return html`<div class="topic-follow">
    ${actionButton(
      f.following ? '/foryou/unfollow' : '/foryou/follow',
      f.following ? 'Unfollow this topic' : 'Follow this topic',
      { kind: 'topic', name: String(t.id) },
      f.csrf,
      f.here,
    )}
    <span class="muted"
      >New papers in it rank higher in <a href="/foryou">For you</a> and in your digest.</span
    >
  </div>`;
}

/**
 * /topics/:id: name, size, papers per week, top papers, related topics.
 */
export function topicPage(
  t: TopicDetail,
  follow: TopicFollow | null = null,
  area: TopicArea | null = null,
): SafeHtml {
  return html`${STYLES}
    ${area === null
      ? ''
      : html`<p class="breadcrumb"><a href="/topics#area-${area.id}">${area.label}</a> ›</p>`}
    <h1>${t.label} <small>${t.size.toLocaleString('en-US')} papers</small></h1>
    ${followButton(t, follow)}
    <p class="terms">${t.terms.map((x) => x.term).join(' · ')}</p>
    <p>
      <a href="/map?paper=${encodeURIComponent(t.central[0] ?? '')}">On the map</a> ·
      <a href="/trends?q=topic%3A${t.id}">Trend</a>
    </p>
    <figure class="trend">
      ${lineChart([{ name: t.label, points: t.weekly }], `Papers per week in ${t.label}`, 'week')}
      <figcaption>Papers per week; hover a dot for its count.</figcaption>
    </figure>
    <h2>Top papers</h2>
    <ol>
      ${t.papers.map(
        (p) =>
          html`<li>
            <a href="${paperPath(p.paper.id)}">${p.paper.title}</a>
            <span class="size">${p.votes} ${p.votes === 1 ? 'upvote' : 'upvotes'}</span>
          </li>`,
      )}
    </ol>
    <h2>Related topics</h2>
    <ul>
      ${t.related.map(
        (r) =>
          html`<li><a href="/topics/${r.id}">${r.label}</a> <span class="size">${r.size} papers</span></li>`,
      )}
    </ul>`;
}
