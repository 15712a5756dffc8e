// Topics over the real services: a trained model's vectors clustered into the known generated topics, named
// by their own words, new papers placed incrementally, an interrupted run resumed, and GET /api/topics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';
import { topicCorpus, TOPICS, type Topic } from '../fixtures/topic-corpus.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { createTopicsService } from '../../src/services/topics/index.ts';
import { createPaperGraphService } from '../../src/services/graph/index.ts';

let env: ReaderEnv & { app: Hono<WebEnv> };
const { papers, topicOf } = topicCorpus(40);

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers(papers.slice(0, 150));
  await env.services.semantic.train({ epochs: 3, dim: 32 });
  await env.services.semantic.embed();
}, 90_000);
afterAll(async () => env.cleanup());

describe('topics', () => {
  it('finds the generated topics and names them by their own words', async () => {
    const summary = await env.services.topics.recompute({ k: 4 });
    expect(summary).toMatchObject({ status: 'done', papers: 150, topics: 4, resumed: false });
    const points = await env.temp.store.topics.points();
    expect(points).toHaveLength(150);
    // Each found topic holds (nearly) one generated topic: purity far above a random split's ~0.3.
    const byTopic = new Map<number, Map<Topic, number>>();
    for (const p of points) {
      const m = byTopic.get(p.topicId) ?? new Map<Topic, number>();
      const truth = topicOf.get(p.paperId)!;
      m.set(truth, (m.get(truth) ?? 0) + 1);
      byTopic.set(p.topicId, m);
    }
    let agree = 0;
    for (const m of byTopic.values()) agree += Math.max(...m.values());
    expect(agree / points.length).toBeGreaterThan(0.9);
    const list = await env.services.topics.list();
    expect(list).toHaveLength(4);
    for (const t of list) {
      const majority = [...byTopic.get(t.id)!].sort((a, b) => b[1] - a[1])[0]![0];
      const own = new Set<string>(TOPICS[majority].words);
      expect(t.label.split(/, | /).every((w) => own.has(w))).toBe(true);
      expect(t.central.every((id) => topicOf.get(id) === majority)).toBe(true);
      expect(t.x).toBeGreaterThan(0);
    }
  });

  it('places papers embedded later into their nearest topic without moving the others', async () => {
    const before = await env.temp.store.topics.points();
    await env.addPapers(papers.slice(150));
    await env.services.semantic.embed();
    expect(await env.services.topics.update()).toBe(papers.length - 150);
    const after = await env.temp.store.topics.points();
    expect(after).toHaveLength(papers.length);
    const old = new Map(before.map((p) => [p.paperId, p]));
    for (const p of after) if (old.has(p.paperId)) expect(p).toEqual(old.get(p.paperId));
    const majority = new Map<number, Topic>();
    for (const t of await env.services.topics.list()) majority.set(t.id, topicOf.get(t.central[0]!)!);
    const fresh = after.filter((p) => !old.has(p.paperId));
    const right = fresh.filter((p) => majority.get(p.topicId) === topicOf.get(p.paperId)).length;
    expect(right / fresh.length).toBeGreaterThan(0.9);
    expect(await env.services.topics.update()).toBe(0);
  });

  it('continues an interrupted recompute from its checkpoint and keeps topic ids', async () => {
    const ids = (await env.services.topics.list()).map((t) => t.id).sort();
    const stop = new AbortController();
    const first = await env.services.topics.recompute({
      k: 4,
      seed: 5,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase.startsWith('cluster, pass 2')) stop.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    const second = await env.services.topics.recompute({ k: 4, seed: 5 });
    expect(second).toMatchObject({ status: 'done', resumed: true, papers: papers.length });
    expect((await env.services.topics.list()).map((t) => t.id).sort()).toEqual(ids);
  });

  it('answers GET /api/topics and /api/topics/:id', async () => {
    const res = await env.app.request('/api/topics');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      topics: { id: number; label: string; size: number; terms: unknown[] }[];
    };
    expect(body.topics).toHaveLength(4);
    expect(body.topics.reduce((a, t) => a + t.size, 0)).toBe(papers.length);
    const one = await env.app.request(`/api/topics/${body.topics[0]!.id}`);
    const detail = (await one.json()) as {
      weekly: { start: string; count: number }[];
      related: unknown[];
      papers: { id: string }[];
    };
    expect(detail.weekly.reduce((a, w) => a + w.count, 0)).toBe(body.topics[0]!.size);
    expect(detail.related).toHaveLength(3);
    expect(detail.papers.length).toBeGreaterThan(0);
    expect((await env.app.request('/api/topics/999')).status).toBe(404);
    expect((await env.app.request('/api/topics/abc')).status).toBe(404);
  });

  it('shows topic pages, and the topic that grew most this week as rising on the home page', async () => {
    const burst = Array.from({ length: 12 }, (_, i) =>
      paper({
        arxivId: `2607.9${String(i).padStart(4, '0')}`,
        title: `robot gripper grasping ${i}`,
        abstract: 'robot manipulation with a gripper arm and torque servo control for grasping.',
        categories: ['cs.RO'],
        announced: '2026-07-28',
        published: '2026-07-28',
      }),
    );
    await env.addPapers(burst);
    await env.services.semantic.embed();
    expect(await env.services.topics.update()).toBe(12);
    const rising = await env.services.topics.rising(5);
    expect(rising.length).toBeGreaterThan(0);
    const robotics = (await env.temp.store.topics.point(burst[0]!.arxivId!))!.topicId;
    expect(rising[0]!.id).toBe(robotics);
    expect(rising[0]!.growth).toBeGreaterThan(1.5);
    expect(rising[0]!.sparkline).toHaveLength(12);
    expect(rising[0]!.sparkline.at(-1)).toBeGreaterThanOrEqual(12);
    const home = await (await env.app.request('/')).text();
    expect(home).toContain('Rising this week');
    expect(home).toContain(`href="/topics/${robotics}"`);
    const list = await (await env.app.request('/topics')).text();
    expect(list).toContain('All topics');
    const one = await env.app.request(`/topics/${robotics}`);
    expect(one.status).toBe(200);
    const body = await one.text();
    expect(body).toMatch(/<svg\s+class="chart"/);
    expect(body).toContain('Related topics');
    expect(body).toContain('href="/papers/2607.');
    expect((await env.app.request('/topics/9999')).status).toBe(404);
  });

  it('gives the related-papers graph of a paper: neighbours, theirs, similarity edges, and the paper page draws it', async () => {
    const res = await env.app.request('/api/papers/2607.00001/graph');
    expect(res.status).toBe(200);
    const g = (await res.json()) as {
      nodes: { id: string; ring: number; x: number; y: number; year: number; votes: number }[];
      edges: { source: number; target: number; weight: number }[];
    };
    expect(g.nodes[0]).toMatchObject({ id: '2607.00001', ring: 0, year: 2026 });
    expect(g.nodes.filter((n) => n.ring === 1)).toHaveLength(8);
    expect(g.nodes.some((n) => n.ring === 2)).toBe(true);
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(g.nodes.length);
    // Its neighbours are of its own generated topic, and every edge joins two listed nodes.
    const own = topicOf.get('2607.00001');
    expect(g.nodes.filter((n) => n.ring === 1 && topicOf.get(n.id) === own).length).toBeGreaterThanOrEqual(7);
    for (const e of g.edges) {
      expect(g.nodes[e.source]).toBeDefined();
      expect(g.nodes[e.target]).toBeDefined();
      expect(e.weight).toBeGreaterThan(0);
    }
    for (const n of g.nodes) expect(n.x).toBeGreaterThanOrEqual(0);
    expect((await env.app.request('/api/papers/2607.99999/graph')).status).toBe(404);
    const pageHtml = await (await env.app.request('/papers/2607.00001')).text();
    expect(pageHtml).toContain('Related papers graph');
    expect(pageHtml).toContain('href="/map?paper=2607.00001"');
    for (const n of g.nodes.slice(1)) expect(pageHtml).toContain(`href="/papers/${n.id}"`);
  });

  it('keeps a paper graph between views, with fresh votes, until a paper changes', async () => {
    let searches = 0;
    const search = env.services.search;
    const counted = {
      ...search,
      similarSoon: (id: string, k?: number) => {
        searches++;
        return search.similarSoon(id, k);
      },
    };
    const graph = createPaperGraphService({
      store: env.temp.store,
      search: counted,
      indexes: env.services.searchIndexes,
    });
    const first = await graph.of('2607.00002');
    const built = searches;
    expect(built).toBeGreaterThan(0);
    const user = await env.temp.store.users.create('graph-voter@example.org', 'Voter', 'x');
    const neighbour = first.nodes[1]!.id;
    await env.temp.store.votes.set(user!.id, neighbour, true, Date.now());
    const second = await graph.of('2607.00002');
    expect(searches).toBe(built); // not rebuilt
    expect(second.edges).toEqual(first.edges);
    expect(second.nodes.map((n) => [n.id, n.x, n.y])).toEqual(first.nodes.map((n) => [n.id, n.x, n.y]));
    // Votes are read at each view, so a node grows as soon as it is upvoted.
    expect(second.nodes[1]!.votes).toBe(first.nodes[1]!.votes + 1);
    await env.addPapers([
      paper({
        arxivId: '2607.09999',
        title: 'one more paper',
        abstract: 'robot arm',
        announced: '2026-07-01',
      }),
    ]);
    await graph.of('2607.00002');
    expect(searches).toBeGreaterThan(built); // a paper changed: rebuilt
  });

  it('documents the picture endpoints in OpenAPI', async () => {
    const doc = (await (await env.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/topics',
      '/api/topics/{id}',
      '/api/trends',
      '/api/map',
      '/api/papers/{id}/graph',
    ])
      expect(doc.paths[path], path).toBeDefined();
  });

  it('reloads its points only when papers, placements or topics changed, also when another process recomputed', async () => {
    const other = createTopicsService({
      store: env.temp.store,
      model: async () => (await env.services.semantic.current())?.model ?? null,
      now: () => new Date(),
      refreshMs: 0,
    });
    const first = await other.points();
    expect(await other.points()).toBe(first); // nothing changed: the same arrays, not a reload
    await env.services.topics.recompute({ k: 3 });
    expect(await other.list()).toHaveLength(3);
    expect(await other.points()).not.toBe(first);
  });

  it('keeps papers and topics about where they were on the map when the topics are recomputed', async () => {
    const before = new Map((await env.temp.store.topics.points()).map((p) => [p.paperId, p]));
    const topicsBefore = new Map((await env.temp.store.topics.list()).map((t) => [t.id, t]));
    // Another seed and one topic more: the clustering and its raw layout come out differently.
    await env.services.topics.recompute({ k: 5, seed: 9 });
    const after = await env.temp.store.topics.points();
    let moved = 0;
    for (const p of after) {
      const b = before.get(p.paperId)!;
      moved += Math.hypot(p.x - b.x, p.y - b.y);
    }
    // The map is a unit square. Measured: 0.15 of its side on average with the alignment (one topic more
    // reshapes some discs), 0.48 without it (the fresh layout came out turned).
    expect(moved / after.length).toBeLessThan(0.2);
    for (const t of await env.temp.store.topics.list()) {
      const old = topicsBefore.get(t.id);
      if (old !== undefined) expect(Math.hypot(t.x - old.x, t.y - old.y), t.label).toBeLessThan(0.15);
      expect(t.x - t.radius).toBeGreaterThanOrEqual(0);
      expect(t.y + t.radius).toBeLessThanOrEqual(1);
    }
  });
});
