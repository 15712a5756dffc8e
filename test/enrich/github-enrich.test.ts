// GitHub enrichment against a local server speaking GitHub's REST API: stars on chips, ETags, rate limits,
// errors and slow answers, and a run that stops on a spent limit and resumes where it stopped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubClient } from '../../src/services/enrich/github-client.ts';
import { refreshGithub } from '../../src/services/enrich/github-refresh.ts';
import {
  clearEnrichmentOverlay,
  reloadEnrichmentOverlay,
} from '../../src/services/enrich/enrichment-overlay.ts';
import { enrichPaper } from '../../src/services/enrich/index.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let gh: FakeGithub;
let t: TempStore;
/** Waits the client asked for; the fake clock moves by them instead of the test sleeping. */
let waits: number[];
let clock: number;
const now = (): Date => new Date(clock);
const sleep = async (ms: number): Promise<void> => {
  waits.push(ms);
  clock += ms;
  // A reset that has passed refills GitHub's quota.
  if (clock / 1000 >= gh.quota.reset) gh.quota.remaining = gh.quota.limit;
};
const client = (extra: Partial<Parameters<typeof createGithubClient>[0]> = {}) =>
  createGithubClient({ fetch: (u, i) => fetch(u, i), apiUrl: gh.url, token: '', now, sleep, ...extra });

beforeEach(async () => {
  gh = await startFakeGithub();
  t = await tempStore(now);
  waits = [];
  clock = Date.parse('2026-12-01T10:00:00Z');
  gh.quota.reset = clock / 1000 + 3600;
});
afterEach(async () => {
  clearEnrichmentOverlay();
  await gh.close();
  await t.cleanup();
});

describe('GitHub client', () => {
  it('reads stars, last push and archived from the real body, then revalidates with the ETag (304)', async () => {
    gh.repos.set('org/model', { stars: 1234, archived: true, pushedAt: '2026-11-30T08:00:00Z' });
    const c = client({ token: 'ghp_test' });
    const first = await c.repo('org/model', null);
    expect(first).toMatchObject({
      kind: 'ok',
      stars: 1234,
      archived: true,
      pushedAt: '2026-11-30T08:00:00Z',
    });
    const etag = first.kind === 'ok' ? first.etag : null;
    expect(etag).toMatch(/^W\/"/);
    expect(await c.repo('org/model', etag)).toEqual({ kind: 'unchanged' });
    expect(gh.requests[1]).toMatchObject({ ifNoneMatch: etag, auth: 'Bearer ghp_test' });
    expect(gh.requests[0]!.ua).toMatch(/Paperboy/);
    expect(gh.quota.remaining).toBe(59);
  });

  it('tells a missing repository (404) and a blocked one (451) from a failure', async () => {
    gh.repos.set('org/blocked', { status: 451 });
    expect(await client().repo('org/nothing', null)).toEqual({ kind: 'missing' });
    expect(await client().repo('org/blocked', null)).toEqual({ kind: 'missing' });
  });

  it('retries 502s with backoff, and gives the repository up after the retries', async () => {
    gh.repos.set('org/flaky', { stars: 3, failFirst: 2 });
    gh.repos.set('org/down', { stars: 3, failFirst: 99 });
    expect(await client().repo('org/flaky', null)).toMatchObject({ kind: 'ok', stars: 3 });
    expect(waits).toEqual([1000, 2000]);
    const down = await client({ retries: 1 }).repo('org/down', null);
    expect(down).toMatchObject({ kind: 'error' });
    expect(down.kind === 'error' && down.message).toMatch(/502/);
  });

  it('waits out a secondary limit by its Retry-After', async () => {
    gh.repos.set('org/busy', { stars: 8, secondaryLimitSeconds: 7 });
    expect(await client().repo('org/busy', null)).toMatchObject({ kind: 'ok', stars: 8 });
    expect(waits).toEqual([7000]);
  });

  it('pauses until X-RateLimit-Reset once the quota is spent, without spending a request on a 403', async () => {
    gh.repos.set('org/a', { stars: 1 });
    gh.repos.set('org/b', { stars: 2 });
    gh.quota.remaining = 1;
    gh.quota.reset = clock / 1000 + 120;
    const c = client();
    await c.repo('org/a', null);
    expect(await c.repo('org/b', null)).toMatchObject({ kind: 'ok', stars: 2 });
    expect(waits).toEqual([121_000]);
    expect(gh.requests).toHaveLength(2);
  });

  it('refuses a 200 whose body is not a repository, and a time-out is a network failure', async () => {
    gh.repos.set('org/garbage', { rawBody: '<html>oops</html>' });
    gh.repos.set('org/slow', { stars: 1, delayMs: 2000 });
    expect(await client().repo('org/garbage', null)).toMatchObject({ kind: 'error' });
    await expect(client({ timeoutMs: 100, retries: 0 }).repo('org/slow', null)).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });
});

describe('GitHub refresh job', () => {
  async function seed(): Promise<void> {
    await t.store.papers.upsertMany([
      paper({ arxivId: '2511.00001', comment: 'Code: https://github.com/Org/One', announced: '2026-11-30' }),
      paper({ arxivId: '2511.00002', abstract: 'See github.com/org/two.', announced: '2026-11-29' }),
      paper({ arxivId: '2511.00003', comment: 'https://github.com/org/gone', announced: '2026-11-28' }),
      paper({ arxivId: '2511.00004', comment: 'https://gitlab.com/org/three', announced: '2026-11-28' }),
    ]);
    gh.repos.set('org/one', { stars: 1500 });
    gh.repos.set('org/two', { stars: 7, archived: true });
  }

  it('stores each answer as it goes, stops on a long rate limit and resumes; stars reach the chips', async () => {
    await seed();
    gh.quota.remaining = 2;
    gh.quota.reset = clock / 1000 + 3600;
    const first = await refreshGithub({ store: t.store, client: client(), now });
    expect(first).toMatchObject({ due: 3, checked: 2, updated: 2 });
    expect(first.stopped?.reason).toBe('rate-limit');
    expect(first.stopped?.message).toMatch(/GITHUB_TOKEN/);
    clock += 3601_000;
    gh.quota.remaining = gh.quota.limit;
    const second = await refreshGithub({ store: t.store, client: client(), now });
    expect(second).toMatchObject({ due: 1, checked: 1, missing: 1, stopped: null });
    expect((await refreshGithub({ store: t.store, client: client(), now })).due).toBe(0);

    await reloadEnrichmentOverlay(t.store, { summarizer: null, thumbnails: false });
    const one = (await t.store.papers.get('2511.00001'))!;
    expect(enrichPaper(one).links[0]).toMatchObject({ label: 'Org/One', stars: 1500, archived: false });
    const two = (await t.store.papers.get('2511.00002'))!;
    expect(enrichPaper(two).links[0]).toMatchObject({ stars: 7, archived: true });
  });

  it('refreshes recent repositories a day later with their ETag, and keeps the last facts on a failure', async () => {
    await seed();
    await refreshGithub({ store: t.store, client: client(), now });
    clock += 21 * 3_600_000;
    gh.repos.set('org/two', { stars: 7, archived: true, failFirst: 99 });
    const again = await refreshGithub({ store: t.store, client: client({ retries: 0 }), now });
    expect(again).toMatchObject({ due: 3, unchanged: 1, failed: 1, missing: 1 });
    expect(gh.requests.filter((r) => r.path === '/repos/org/one').at(-1)!.ifNoneMatch).toMatch(/^W\//);
    const facts = await t.store.enrichment.repoFacts();
    expect(facts.find((f) => f.repo === 'org/two')).toMatchObject({ stars: 7, status: 'ok' });
  });

  it('stops with a clear message when GitHub cannot be reached at all', async () => {
    await seed();
    // A port nothing listens on any more: the fake's own, once closed.
    const closed = gh.url;
    await gh.close();
    const c = createGithubClient({ fetch: (u, i) => fetch(u, i), apiUrl: closed, token: '', now, sleep });
    const r = await refreshGithub({ store: t.store, client: c, now });
    expect(r.stopped).toMatchObject({ reason: 'network' });
    expect(r.stopped?.message).toMatch(/Could not reach 127\.0\.0\.1/);
    expect(await t.store.enrichment.repoFacts()).toEqual([]);
  });
});
