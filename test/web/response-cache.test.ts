// The anonymous response cache over a real store: admission on a key's second request, hits, renewal after
// writes within the stale bound, shared renders, and keys that no query parameter can poison.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, createResponseCache } from '../../src/web/response-cache.ts';
import { readerEnv, webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

let env: ReaderEnv;
let t = 0;
let renders = 0;
const render = async (): Promise<string> => `body ${++renders}`;
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const req = (path: string): Request => new Request(`http://localhost${path}`);

beforeEach(async () => {
  env = await readerEnv();
  t = 0;
  renders = 0;
});
afterEach(async () => env.cleanup());

describe('response cache', () => {
  it('keeps a body from the second request for its key on, so one-off keys never evict it', async () => {
    const cache = createResponseCache(env.services, { max: 2, staleMs: 1000, now: () => t });
    expect(text(await cache.get(req('/'), render))).toBe('body 1');
    expect(text(await cache.get(req('/'), render))).toBe('body 2');
    expect(text(await cache.get(req('/'), render))).toBe('body 2');
    for (let i = 0; i < 5; i++)
      expect(text(await cache.get(req(`/search?q=${i}`), render))).toBe(`body ${3 + i}`);
    expect(text(await cache.get(req('/'), render))).toBe('body 2');
  });

  it('sends a body rendered as unkept without storing it (an answer made while papers were being indexed)', async () => {
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, now: () => t });
    const unkept = async () => ({ text: `partial ${++renders}`, keep: false as const });
    expect(text(await cache.get(req('/search?q=a'), unkept))).toBe('partial 1');
    expect(text(await cache.get(req('/search?q=a'), unkept))).toBe('partial 2');
    // Then as any key: stored from its second request on.
    expect(text(await cache.get(req('/search?q=a'), render))).toBe('body 3');
    expect(text(await cache.get(req('/search?q=a'), render))).toBe('body 4');
    expect(text(await cache.get(req('/search?q=a'), render))).toBe('body 4');
  });

  it('forgets the oldest one-off key once it remembers `seen` of them', async () => {
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, seen: 2, now: () => t });
    await cache.get(req('/a'), render);
    await cache.get(req('/b'), render);
    await cache.get(req('/c'), render);
    expect(text(await cache.get(req('/a'), render))).toBe('body 4');
    expect(text(await cache.get(req('/a'), render))).toBe('body 5');
    expect(text(await cache.get(req('/c'), render))).toBe('body 6');
    expect(text(await cache.get(req('/c'), render))).toBe('body 6');
  });

  it('never stores the body of a key longer than 2 KB', async () => {
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, now: () => t });
    const long = `/search?q=${'x'.repeat(2100)}`;
    for (let i = 1; i <= 3; i++) expect(text(await cache.get(req(long), render))).toBe(`body ${i}`);
    const edge = `/search?q=${'x'.repeat(2048 - 10)}`;
    await cache.get(req(edge), render);
    expect(text(await cache.get(req(edge), render))).toBe('body 5');
    expect(text(await cache.get(req(edge), render))).toBe('body 5');
  });

  it('serves hits, renews an entry a store write outdated once the stale bound passes', async () => {
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, now: () => t });
    await cache.get(req('/'), async () => 'first sight');
    expect(text(await cache.get(req('/'), render))).toBe('body 1');
    expect(text(await cache.get(req('/'), render))).toBe('body 1');
    await env.temp.store.users.create('ada@example.org', '', 'x');
    t = 500;
    expect(text(await cache.get(req('/'), render))).toBe('body 1');
    t = 1001;
    expect(text(await cache.get(req('/'), render))).toBe('body 2');
    t = 5000;
    expect(text(await cache.get(req('/'), render))).toBe('body 2');
  });

  it('renews an entry once the enrichment overlay was reloaded, though the store did not change here', async () => {
    // Another node's GitHub job moved the store's counter before this process reloaded what pages show of it:
    // a page rendered in between must not stay cached with the old stars until the next write.
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, now: () => t });
    await cache.get(req('/?sort=stars'), async () => 'first sight');
    expect(text(await cache.get(req('/?sort=stars'), render))).toBe('body 1');
    await env.services.enrich.reload();
    t = 1001;
    expect(text(await cache.get(req('/?sort=stars'), render))).toBe('body 2');
    t = 5000;
    expect(text(await cache.get(req('/?sort=stars'), render))).toBe('body 2');
  });

  it('shares one render among concurrent misses and keeps at most `max` entries', async () => {
    const cache = createResponseCache(env.services, { max: 2, staleMs: 0, now: () => t });
    for (const key of ['/a', '/b', '/c']) await cache.get(req(key), async () => 'first sight');
    const bodies = await Promise.all([
      cache.get(req('/a'), render),
      cache.get(req('/a'), render),
      cache.get(req('/a'), render),
    ]);
    expect(bodies.map(text)).toEqual(['body 1', 'body 1', 'body 1']);
    await cache.get(req('/b'), render);
    await cache.get(req('/c'), render);
    expect(text(await cache.get(req('/a'), render))).toBe('body 4');
  });

  it('renews an entry past maxAgeMs even when the store did not change', async () => {
    const cache = createResponseCache(env.services, { max: 10, staleMs: 1000, now: () => t });
    await cache.get(req('/s'), async () => 'first sight');
    expect(text(await cache.get(req('/s'), render, 60_000))).toBe('body 1');
    t = 59_000;
    expect(text(await cache.get(req('/s'), render, 60_000))).toBe('body 1');
    t = 60_001;
    expect(text(await cache.get(req('/s'), render, 60_000))).toBe('body 2');
    expect(text(await cache.get(req('/s'), render))).toBe('body 2');
  });
});

describe('cache poisoning', () => {
  it('keys on the whole query, so a poisoned URL never colours the clean one (every cached route)', async () => {
    const web = await webEnv();
    try {
      await web.addPapers([paper({ arxivId: '2607.00001', title: 'Alpha paper', announced: '2026-07-01' })]);
      const poison = 'q=PAPER+RETRACTED+by+the+editors&notice=welcome';
      for (const clean of ['/', '/papers/2607.00001', '/search?q=alpha', '/day/2026-07-01', '/api/papers']) {
        const dirty = `${clean}${clean.includes('?') ? '&' : '?'}${poison}`;
        for (let i = 0; i < 3; i++) await web.app.request(dirty);
        for (let i = 0; i < 3; i++) {
          const body = await (await web.app.request(clean)).text();
          expect(body, clean).not.toContain('RETRACTED');
          expect(body, clean).not.toContain('Welcome! You are signed in.');
        }
      }
      // The poisoned URL itself still shows what it asked for, as it would uncached.
      const asked = await (await web.app.request(`/papers/2607.00001?${poison}`)).text();
      expect(asked).toContain('PAPER RETRACTED');
    } finally {
      await web.cleanup();
    }
  });

  it('derives the key from the request: path and whole query', () => {
    expect(cacheKey(req('/papers/1?q=a&notice=welcome'))).toBe('/papers/1?q=a&notice=welcome');
    expect(cacheKey(req('/papers/1'))).toBe('/papers/1');
  });
});
