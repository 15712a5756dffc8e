// The "stars this week" sort: papers ranked by the GitHub stars their code repositories gained in 7 days,
// on the daily page and in the API, over a real SQLite store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoFact } from '../../src/store/enrichment.ts';
import { paper } from '../helpers/temp-store.ts';
import { webEnv } from '../helpers/reader-env.ts';

let env: Awaited<ReturnType<typeof webEnv>>;

/** One day's check of a repository, as the GitHub job stores it. */
async function checked(repo: string, day: string, stars: number): Promise<void> {
  const fact: RepoFact = {
    repo,
    status: 'ok',
    stars,
    pushedAt: null,
    archived: false,
    etag: null,
    checkedAt: `${day}T03:00:00Z`,
  };
  await env.temp.store.enrichment.putRepoFact(fact, day);
}

async function apiOrder(sort: string): Promise<string[]> {
  const res = await env.app.request(`/api/papers?date=2026-07-01&period=day&sort=${sort}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { papers: { id: string }[] }).papers.map((p) => p.id);
}

beforeAll(async () => {
  env = await webEnv();
  const code = (repo: string) => `Code: https://github.com/${repo}`;
  await env.addPapers([
    // Most stars of all, but none gained this week: first checked today.
    paper({
      arxivId: '2607.00001',
      title: 'Famous old repo',
      comment: code('org/famous'),
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00002',
      title: 'Steady repo',
      comment: code('org/steady'),
      announced: '2026-07-01',
    }),
    paper({
      arxivId: '2607.00003',
      title: 'Rising repo',
      comment: code('Org/Rising'),
      announced: '2026-07-01',
    }),
    paper({ arxivId: '2607.00004', title: 'No code at all', announced: '2026-07-01' }),
    paper({
      arxivId: '2607.00005',
      title: 'Losing repo',
      comment: code('org/losing'),
      announced: '2026-07-01',
    }),
  ]);
  // Today is 2026-07-02 (the test clock): the week starts on 2026-06-25.
  await checked('org/steady', '2026-06-20', 10); // before the week: not the baseline
  await checked('org/steady', '2026-06-26', 100);
  await checked('org/steady', '2026-07-02', 150); // +50
  await checked('org/rising', '2026-06-25', 5);
  await checked('org/rising', '2026-07-02', 500); // +495
  await checked('org/famous', '2026-07-02', 90_000); // +0
  await checked('org/losing', '2026-06-28', 300);
  await checked('org/losing', '2026-07-02', 200); // -100 counts as no gain
});
afterAll(async () => env.cleanup());

describe('stars gained this week', () => {
  it('ranks by stars gained in 7 days, then the rest in listing order, in the API and on the page', async () => {
    const newest = await apiOrder('newest');
    const rest = newest.filter((id) => id !== '2607.00003' && id !== '2607.00002');
    expect(await apiOrder('stars')).toEqual(['2607.00003', '2607.00002', ...rest]);
    const page = await (await env.app.request('/day/2026-07-01?sort=stars')).text();
    const order = [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['2607.00003', '2607.00002', ...rest]);
    expect(page).toMatch(/<option value="stars"\s+selected>Stars this week/);
  });

  it('follows a later check (the ranking is recomputed once its few minutes are up)', async () => {
    await checked('org/famous', '2026-07-03', 91_000); // +1,000 since the week's first count
    env.clock.set('2026-07-03T12:00:00Z');
    expect((await apiOrder('stars'))[0]).toBe('2607.00001');
  });

  it('refuses an unknown sort', async () => {
    expect((await env.app.request('/api/papers?date=2026-07-01&sort=starz')).status).toBe(400);
  });
});
