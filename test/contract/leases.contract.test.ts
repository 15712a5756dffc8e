// Behaviour every store engine must share for job leases: one holder at a time, renewals, expiry, release.
import { expect, it } from 'vitest';
import { forEachEngine } from './engines.ts';

forEachEngine('lease repository', (t) => {
  it('gives a free lease to one holder, renews it keeping the start, and passes it on once it expires', async () => {
    const start = t.now.toISOString();
    expect(await t.store.leases.acquire('harvest', 'node-a', 60_000)).toBe(true);
    expect(await t.store.leases.acquire('harvest', 'node-b', 60_000)).toBe(false);
    t.now = new Date(t.now.getTime() + 30_000);
    expect(await t.store.leases.acquire('harvest', 'node-a', 60_000)).toBe(true);
    expect(await t.store.leases.current('harvest')).toEqual({
      holder: 'node-a',
      until: new Date(t.now.getTime() + 60_000).toISOString(),
      acquiredAt: start,
    });
    t.now = new Date(t.now.getTime() + 60_000);
    expect(await t.store.leases.current('harvest')).toBeNull();
    expect(await t.store.leases.acquire('harvest', 'node-b', 60_000)).toBe(true);
    expect((await t.store.leases.current('harvest'))?.acquiredAt).toBe(t.now.toISOString());
    await t.store.leases.release('harvest', 'node-a');
    expect((await t.store.leases.current('harvest'))?.holder).toBe('node-b');
    await t.store.leases.release('harvest', 'node-b');
    expect(await t.store.leases.current('harvest')).toBeNull();
  });
});
