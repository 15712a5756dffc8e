// A signed-in subscriber who chose the "For you" section gets their ranked new papers, with reasons, in the digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { webEnv } from '../helpers/reader-env.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let e: Env;

beforeAll(async () => {
  e = await webEnv({ PAPERBOY_BASE_URL: 'https://papers.example.org', DIGEST_SKIP_EMPTY: 'false' });
  const corpus = topicCorpus(10);
  // Every paper announced on the digest day, so the day's window holds all four topics.
  await e.addPapers(corpus.papers.map((p) => ({ ...p, announced: '2026-07-02', published: '2026-07-02' })));
});
afterAll(async () => {
  e.services.digest.close();
  await e.cleanup();
});

describe('digest personal section', () => {
  it('adds "For you" for a subscriber with an account who chose it, and not for one without', async () => {
    const user = await e.temp.store.users.create('reader@example.org', 'Reader', 'not-a-hash');
    if (user === null) throw new Error('user not created');
    await e.services.library.save(user.id, '2607.00021', 'robots'); // a robotics paper
    const { subscriptions, delivery } = e.services.digest;
    await subscriptions.subscribe('reader@example.org', 'test', user.id);
    await subscriptions.subscribe('anon@example.org', 'test');
    const subs = [];
    for (const email of ['reader@example.org', 'anon@example.org']) {
      await e.mailed();
      const sub = await subscriptions.confirm(e.lastLink(email).split('/').at(-1) ?? '');
      const manage = subscriptions.links(sub).manageUrl.split('/').at(-1) ?? '';
      await subscriptions.updateSettings(manage, {
        frequency: 'daily',
        sendHour: '7',
        timeZone: 'UTC',
        weekday: '1',
        maxPapers: '5',
        sections: ['trending', 'foryou'],
      });
      subs.push(sub);
    }
    await delivery.queue({ date: '2026-07-02' });
    const [mine] = await e.temp.store.digest.outbox(subs[0]!.id);
    const forYou = mine?.content.sections.find((s) => s.name === 'foryou');
    expect(forYou?.paperIds.length).toBeGreaterThan(0);
    expect(forYou?.paperIds).not.toContain('2607.00021');
    const robotics = forYou?.paperIds.filter((id) => Number(id.slice(5)) > 20 && Number(id.slice(5)) <= 30);
    expect(robotics?.length).toBe(forYou?.paperIds.length);
    const [anon] = await e.temp.store.digest.outbox(subs[1]!.id);
    expect(anon?.content.sections.map((s) => s.name)).not.toContain('foryou');
  });
});
