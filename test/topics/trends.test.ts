// Trends over the real services: each week's (month's) count equals what GET /api/search lists for it, and
// the CSV and JSON exports carry the same numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { paper } from '../helpers/temp-store.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';

let env: ReaderEnv & { app: Hono<WebEnv> };

interface Trends {
  interval: string;
  series: { q: string; points: { start: string; count: number }[] }[];
}

async function json<T>(path: string): Promise<T> {
  const res = await env.app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function nextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

beforeAll(async () => {
  env = await webEnv();
  const { papers } = topicCorpus(30);
  // A few papers months later, so that the span has empty weeks in between.
  const late = Array.from({ length: 5 }, (_, i) =>
    paper({
      arxivId: `2610.0000${i + 1}`,
      title: `robot gripper study ${i}`,
      abstract: 'robot arm grasping in clutter.',
      categories: ['cs.RO'],
      announced: `2026-10-0${i + 1}`,
      published: `2026-10-0${i + 1}`,
    }),
  );
  await env.addPapers([...papers, ...late]);
}, 60_000);
afterAll(async () => env.cleanup());

const QUERIES = [
  'robot',
  'image segmentation',
  '"lower bound"',
  'cat:cs.CL',
  'author:"Author vision 1"',
  'token -speech',
];

describe('GET /api/trends', () => {
  it('counts per week exactly what the search lists for each week', async () => {
    const path = `/api/trends?${QUERIES.slice(0, 4)
      .map((q) => `q=${encodeURIComponent(q)}`)
      .join('&')}&interval=week`;
    const body = await json<Trends>(path);
    expect(body.series.map((s) => s.q)).toEqual(QUERIES.slice(0, 4));
    const weeks = body.series[0]!.points;
    expect(weeks[0]!.start).toBe('2026-06-29'); // the Monday of the oldest paper's week
    expect(weeks.at(-1)!.start).toBe('2026-10-05');
    for (const s of body.series) {
      let total = 0;
      for (const p of s.points) {
        const search = await json<{ total: number }>(
          `/api/search?q=${encodeURIComponent(s.q)}&mode=lexical&relax=off&correct=off&k=1&since=${p.start}&before=${addDays(p.start, 7)}`,
        );
        expect(p.count, `${s.q} in the week of ${p.start}`).toBe(search.total);
        total += p.count;
      }
      expect(total).toBeGreaterThan(0);
    }
  });

  it('counts per month, for authors and exclusions too', async () => {
    const body = await json<Trends>(
      `/api/trends?q=${encodeURIComponent(QUERIES[4]!)}&q=${encodeURIComponent(QUERIES[5]!)}&interval=month`,
    );
    expect(body.series[0]!.points.map((p) => p.start)).toEqual([
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
    ]);
    for (const s of body.series)
      for (const p of s.points) {
        const search = await json<{ total: number }>(
          `/api/search?q=${encodeURIComponent(s.q)}&mode=lexical&relax=off&correct=off&k=1&since=${p.start}&before=${nextMonth(p.start)}`,
        );
        expect(p.count, `${s.q} in ${p.start}`).toBe(search.total);
      }
    expect(body.series[0]!.points[0]!.count).toBe(6);
  });

  it('exports the same counts as CSV', async () => {
    const qs = 'q=robot&q=cat%3Acs.CV&interval=month';
    const data = await json<Trends>(`/api/trends?${qs}`);
    const res = await env.app.request(`/api/trends?${qs}&format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('start,robot,cat:cs.CV');
    expect(lines.slice(1)).toEqual(
      data.series[0]!.points.map((p, i) => `${p.start},${p.count},${data.series[1]!.points[i]!.count}`),
    );
  });

  it('keeps counted series only until the store changes', async () => {
    const count = async (q: string): Promise<number> => {
      const { series } = await env.services.trends.series([q], 'month');
      return series[0]!.points.reduce((a, p) => a + p.count, 0);
    };
    const before = await count('gripper');
    expect(await count('gripper')).toBe(before); // asked again: the kept counts
    await env.addPapers([
      paper({
        arxivId: '2611.00001',
        title: 'a gripper for soft fruit',
        abstract: 'a soft gripper picks fruit.',
        categories: ['cs.RO'],
        announced: '2026-11-02',
        published: '2026-11-02',
      }),
    ]);
    // Once the index has applied the change (trends sync it at most every 200 ms; done here, not waited
    // for), the new paper counts and the span grows to its month.
    await env.services.searchIndexes.sync();
    expect(await count('gripper')).toBe(before + 1);
    const { series } = await env.services.trends.series(['gripper'], 'month');
    expect(series[0]!.points.at(-1)).toEqual({ start: '2026-11-01', count: 1 });
  });

  it('refuses more than four series, no series, and a bad interval', async () => {
    const five = Array.from({ length: 5 }, (_, i) => `q=w${i}`).join('&');
    for (const path of [`/api/trends?${five}`, '/api/trends', '/api/trends?q=x&interval=day']) {
      const res = await env.app.request(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_INPUT');
    }
  });

  it('draws the trends page with a chart, a table and export links', async () => {
    const res = await env.app.request('/trends?q=robot&q=%22lower+bound%22');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/<svg\s+class="chart"/);
    expect(page).toMatch(/<title>robot · 2026-07-\d\d: \d+ papers?<\/title>/);
    expect(page).toContain(
      'href="/api/trends?q=robot&amp;q=%22lower%20bound%22&amp;interval=week&amp;format=csv"',
    );
    expect(page).not.toContain('<script>');
    const empty = await (await env.app.request('/trends')).text();
    expect(empty).toContain('Enter a search');
  });
});
