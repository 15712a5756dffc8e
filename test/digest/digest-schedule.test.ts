// When digests are due: local time zones, weekdays and hours with an injected clock, and the scheduler's tick.
import { afterEach, describe, expect, it } from 'vitest';
import { dueDate, localTime } from '../../src/digest/digest-schedule.ts';
import { readerEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { tokenHash } from '../../src/platform/secure-random.ts';

const daily = (timeZone: string, sendHour = 8) => ({
  frequency: 'daily' as const,
  sendHour,
  timeZone,
  weekday: 1,
});

describe('dueDate', () => {
  it('uses the subscriber\u2019s local date and hour', () => {
    const at = new Date('2026-07-02T23:30:00Z'); // Thu 23:30 UTC = Fri 08:30 in Tokyo, Thu 19:30 in New York
    expect(localTime(at, 'Asia/Tokyo')).toEqual({ date: '2026-07-03', hour: 8, weekday: 5 });
    expect(dueDate(daily('Asia/Tokyo'), at)).toBe('2026-07-03');
    expect(dueDate(daily('America/New_York'), at)).toBe('2026-07-02');
    expect(dueDate(daily('America/New_York', 20), at)).toBeNull();
    const fri = new Date('2026-07-03T10:30:00Z'); // Friday in UTC, already Saturday 00:30 at UTC+14
    expect(dueDate(daily('UTC', 0), fri)).toBe('2026-07-03');
    expect(dueDate(daily('Pacific/Kiritimati', 0), fri)).toBeNull();
  });

  it('sends daily digests Monday to Friday and weekly ones on the chosen day', () => {
    const sat = new Date('2026-07-04T12:00:00Z');
    const mon = new Date('2026-07-06T12:00:00Z');
    expect(dueDate(daily('UTC'), sat)).toBeNull();
    expect(dueDate(daily('UTC'), mon)).toBe('2026-07-06');
    const weekly = { frequency: 'weekly' as const, sendHour: 7, timeZone: 'Europe/Berlin', weekday: 6 };
    expect(dueDate(weekly, sat)).toBe('2026-07-04');
    expect(dueDate(weekly, mon)).toBeNull();
  });

  it('follows daylight saving time', () => {
    // 07:00 in Berlin is 06:00 UTC in winter and 05:00 UTC in summer.
    const t = daily('Europe/Berlin', 7);
    expect(dueDate(t, new Date('2026-01-05T05:30:00Z'))).toBeNull();
    expect(dueDate(t, new Date('2026-01-05T06:00:00Z'))).toBe('2026-01-05');
    expect(dueDate(t, new Date('2026-07-06T05:00:00Z'))).toBe('2026-07-06');
  });
});

describe('scheduler', () => {
  const envs: Awaited<ReturnType<typeof readerEnv>>[] = [];
  afterEach(async () => {
    for (const e of envs.splice(0)) await e.cleanup();
  });

  it('queues each subscriber once, at their local hour', async () => {
    const sent: string[] = [];
    const e = await readerEnv(
      {},
      { digest: { transport: { send: async (m) => void sent.push(m.to), close() {} } } },
    );
    envs.push(e);
    await e.addPapers([paper({ arxivId: '2607.00001', announced: '2026-07-02' })]);
    const store = e.temp.store;
    for (const [email, tz, hour] of [
      ['tokyo@example.org', 'Asia/Tokyo', 8],
      ['ny@example.org', 'America/New_York', 20],
    ] as const) {
      const s = await store.digest.upsertPending(email, null, tokenHash(email));
      await store.digest.confirm(tokenHash(email), '2000-01-01');
      await store.digest.updateSettings(s.id, { ...daily(tz, hour), sections: ['trending'], maxPapers: 5 });
    }
    const loop = e.services.digest.schedule({ debug() {}, info() {}, warn() {}, error() {} }, 60_000);
    e.clock.set('2026-07-02T22:30:00Z'); // 07:30 Fri in Tokyo, 18:30 Thu in New York: nobody yet
    await loop.tick();
    expect(sent).toEqual([]);
    e.clock.set('2026-07-02T23:05:00Z'); // 08:05 in Tokyo, 19:05 in New York
    await loop.tick();
    await loop.tick();
    expect(sent).toEqual(['tokyo@example.org']);
    e.clock.set('2026-07-03T00:10:00Z'); // 20:10 Thu in New York
    await loop.tick();
    expect(sent).toEqual(['tokyo@example.org', 'ny@example.org']);
    await loop.stop();
  });
});
