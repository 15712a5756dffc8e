// The import's author-name cache: bounded, and names in steady use survive it filling up.
import { expect, test } from 'vitest';
import { createAuthorCache } from '../../src/store/sqlite/author-cache.ts';

test('holds at most its capacity, and a name in steady use stays while others come and go', () => {
  const cache = createAuthorCache(1000);
  cache.set('frequent', 1);
  for (let i = 0; i < 10_000; i++) {
    cache.set(`once ${i}`, i + 2);
    expect(cache.get('frequent')).toBe(1);
    expect(cache.size).toBeLessThanOrEqual(1000);
  }
  // Recent one-off names are still there; the oldest are gone.
  expect(cache.get('once 9999')).toBe(10_001);
  expect(cache.get('once 0')).toBeUndefined();
  cache.clear();
  expect(cache.get('frequent')).toBeUndefined();
});
