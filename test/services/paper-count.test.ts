// The paper count health checks and the auto-train pass ask for is counted again only after the store changed:
// on PostgreSQL each count is a full scan (147 ms at 300k papers, called every 30 s pass and every probe; #23).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createPapersService } from '../../src/services/papers/papers-service.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => void (env = await tempStore()));
afterEach(() => env.cleanup());

it('counts once while nothing changes, and again after a paper is added or deleted', async () => {
  await env.store.papers.upsertMany([paper({ arxivId: '2503.00001' }), paper({ arxivId: '2503.00002' })]);
  const counts = vi.spyOn(env.store.papers, 'count');
  const papers = createPapersService(env.store);
  expect(await papers.count()).toBe(2);
  expect(await papers.count()).toBe(2);
  expect(counts).toHaveBeenCalledTimes(1);

  await env.store.papers.upsertMany([paper({ arxivId: '2503.00003' })]);
  expect(await papers.count()).toBe(3);
  expect(counts).toHaveBeenCalledTimes(2);

  await env.store.papers.delete('2503.00001');
  expect(await papers.count()).toBe(2);
  expect(await papers.count()).toBe(2);
  expect(counts).toHaveBeenCalledTimes(3);
});
