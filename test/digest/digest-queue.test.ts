// A queue pass shares each window's work across subscribers yet keeps serve responsive: other callbacks run
// between subscribers, each subscriber gets what a lone preview shows, and one failing subscriber stops no one else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/platform/secure-random.ts';
import { readerEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof readerEnv>>;
let e: Env;
const DAY = '2026-07-02';

beforeAll(async () => {
  e = await readerEnv({ DIGEST_SKIP_EMPTY: 'false' });
  await e.addPapers(
    Array.from({ length: 12 }, (_, i) =>
      paper({ arxivId: `2607.${String(i + 1).padStart(5, '0')}`, title: `Paper ${i + 1}`, announced: DAY }),
    ),
  );
  for (let i = 0; i < 8; i++) {
    const email = `r${i}@example.org`;
    await e.temp.store.digest.upsertPending(email, null, tokenHash(email));
    await e.temp.store.digest.confirm(tokenHash(email), '2000-01-01');
  }
});
afterAll(async () => {
  e.services.digest.close();
  await e.cleanup();
});

describe('a digest queue pass', () => {
  it('lets other callbacks run while it works through the subscribers', async () => {
    const preview = await e.services.digest.delivery.preview('r0@example.org', DAY);
    let turns = 0;
    const tick = (): void => {
      turns += 1;
      if (turns < 1000) setImmediate(tick);
    };
    setImmediate(tick);
    const sum = await e.services.digest.delivery.queue({ date: DAY });
    const seen = turns;
    turns = 1000; // stop the ticker
    expect(sum.queued).toBe(8);
    expect(seen).toBeGreaterThanOrEqual(8);
    // Shared window work gives each subscriber what a lone preview shows.
    const [item] = await e.temp.store.digest.outbox(1);
    const ids = item?.content.sections.flatMap((s) => s.paperIds) ?? [];
    expect(ids).toHaveLength(10);
    for (const id of ids) expect(preview.text).toContain(`/papers/${id}`);
  });

  it('queues everyone else when one subscriber’s sections fail, and tries that one again next run', async () => {
    let broken = true;
    const f = await readerEnv(
      { DIGEST_SKIP_EMPTY: 'false' },
      {
        digest: {
          personalSections: async (sub) => {
            if (broken && sub.email === 'a@example.org') throw new Error('ranking unavailable');
            return [];
          },
        },
      },
    );
    try {
      await f.addPapers([paper({ arxivId: '2607.00001', announced: DAY })]);
      for (const email of ['a@example.org', 'b@example.org']) {
        const user = await f.temp.store.users.create(email, email, 'not-a-hash');
        const sub = await f.temp.store.digest.upsertPending(email, user?.id ?? null, tokenHash(email));
        await f.temp.store.digest.confirm(tokenHash(email), '2000-01-01');
        const settings = {
          frequency: 'daily',
          sendHour: 7,
          timeZone: 'UTC',
          weekday: 1,
          maxPapers: 5,
        } as const;
        await f.temp.store.digest.updateSettings(sub.id, { ...settings, sections: ['trending', 'alerts'] });
      }
      expect(await f.services.digest.delivery.queue({ date: DAY })).toMatchObject({ queued: 1, errors: 1 });
      broken = false;
      expect(await f.services.digest.delivery.queue({ date: DAY })).toMatchObject({
        queued: 1,
        existing: 1,
        errors: 0,
      });
    } finally {
      f.services.digest.close();
      await f.cleanup();
    }
  });
});
