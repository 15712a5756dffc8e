// Saved-search alerts and followed authors in the digest: drawn from the reader's For-you data, each paper once
// per digest and never again in a later one, with reasons in both parts; nothing for address-only subscribers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/services/digest/digest-service.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let e: Env;

const DAY1 = '2026-07-02';
const DAY2 = '2026-07-03';
const on = (day: string) => ({ announced: day, published: day });
const PAPERS = [
  paper({
    arxivId: '2607.00001',
    title: 'Diffusion models for image synthesis',
    abstract: 'Denoising.',
    authors: ['Ada Lovelace'],
    categories: ['cs.CV'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00002',
    title: 'Segmenting pictures with transformers',
    abstract: 'Masks.',
    authors: ['Grace Hopper'],
    categories: ['cs.CV'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00003',
    title: 'Diffusion of innovations in language',
    abstract: 'Spread of words.',
    authors: ['Alan Turing'],
    categories: ['cs.CL'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00004',
    title: 'Robot grasping policies',
    abstract: 'Grippers.',
    authors: ['Kurt Goedel', 'Grace Hopper'],
    categories: ['cs.RO'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00005',
    title: 'Diffusion for images, revisited',
    abstract: 'Again.',
    authors: ['Edsger Dijkstra'],
    categories: ['cs.CV'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00006',
    title: 'Streaming speech recognition',
    abstract: 'Low latency.',
    authors: ['Barbara Liskov'],
    categories: ['cs.CL'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00007',
    title: 'A survey of speech recognition',
    abstract: 'Overview.',
    authors: ['John Backus'],
    categories: ['cs.CL'],
    ...on(DAY1),
  }),
  paper({
    arxivId: '2607.00008',
    title: 'Circuit lower bounds',
    abstract: 'Hardness.',
    authors: ['Leslie Valiant'],
    categories: ['cs.CC'],
    ...on(DAY1),
  }),
];

let userId = 0;

/** Subscribes and confirms `email` (with the account when `withAccount`), then sets its sections. */
async function subscriber(
  email: string,
  withAccount: boolean,
  sections: string[],
  maxPapers = 10,
): Promise<Subscription> {
  const { subscriptions } = e.services.digest;
  await subscriptions.subscribe(email, 'test', withAccount ? userId : null);
  await e.mailed();
  const sub = await subscriptions.confirm(e.lastLink(email).split('/').at(-1) ?? '');
  const manage = subscriptions.links(sub).manageUrl.split('/').at(-1) ?? '';
  const input = { frequency: 'daily', sendHour: '7', timeZone: 'UTC', weekday: '1', sections };
  return subscriptions.updateSettings(manage, { ...input, maxPapers: String(maxPapers) });
}

/** The sections of the subscriber's digest queued for `day`. */
async function queued(sub: Subscription, day: string) {
  await e.services.digest.delivery.queue({ date: day, email: sub.email });
  const item = (await e.temp.store.digest.outbox(sub.id)).find((i) => i.digestDate === day);
  return item?.content.sections ?? [];
}

beforeAll(async () => {
  e = await webEnv({ PAPERBOY_BASE_URL: 'https://papers.example.org', DIGEST_SKIP_EMPTY: 'false' });
  await e.addPapers(PAPERS);
  const user = await e.temp.store.users.create('reader@example.org', 'Reader', 'not-a-hash');
  if (user === null) throw new Error('user not created');
  userId = user.id;
  const fy = e.services.forYou;
  await fy.addSavedSearch(userId, 'diffusion images');
  await fy.addSavedSearch(userId, '"speech recognition" -survey');
  await fy.follow(userId, 'author', 'Grace Hopper');
  await fy.follow(userId, 'author', 'ada lovelace');
  await fy.notInterested(userId, 'paper', '2607.00005');
});
afterAll(async () => {
  e.services.digest.close();
  await e.cleanup();
});

describe('digest alerts and followed authors', () => {
  it('renders both sections with reasons in HTML and text, and a preview records nothing', async () => {
    const sub = await subscriber('preview@example.org', true, ['alerts', 'authors']);
    const m = await e.services.digest.delivery.preview(sub.email, DAY1);
    expect(m.html).toContain('>Saved-search alerts</h2>');
    expect(m.html).toContain('>Followed authors</h2>');
    expect(m.html).toContain('matches your alert &quot;diffusion images&quot;');
    expect(m.html).toContain('by Grace Hopper');
    expect(m.html).toContain('href="https://papers.example.org/papers/2607.00006"');
    expect(m.text).toContain('SAVED-SEARCH ALERTS');
    expect(m.text).toContain('FOLLOWED AUTHORS');
    expect(m.text).toContain('matches your alert "diffusion images"');
    expect(m.text).toContain('   by Grace Hopper');
    expect(m.html).not.toContain('Circuit lower bounds');
    expect(await e.temp.store.digest.outbox(sub.id)).toEqual([]);
    expect(await e.temp.store.digest.sentAmong(sub.id, ['2607.00001', '2607.00002'])).toEqual(new Set());
  });

  it('matches every word of an alert, honours phrases, exclusions and not-interested marks', async () => {
    const sub = await subscriber('alerts@example.org', true, ['alerts']);
    const [alerts, ...rest] = await queued(sub, DAY1);
    expect(rest).toEqual([]);
    expect(alerts?.name).toBe('alerts');
    // 00003 has "diffusion" but no image; 00005 is marked not interested; 00007 is a survey.
    expect([...(alerts?.paperIds ?? [])].sort()).toEqual(['2607.00001', '2607.00006']);
    const why = new Map(alerts?.paperIds.map((id, i) => [id, alerts.reasons?.[i]]));
    expect(why.get('2607.00001')).toBe('matches your alert "diffusion images"');
    expect(why.get('2607.00006')).toBe('matches your alert ""speech recognition" -survey"');
  });

  it('lists followed authors once per paper, after alerts claimed theirs, and shares the budget', async () => {
    const sub = await subscriber('authors@example.org', true, ['alerts', 'authors']);
    const sections = await queued(sub, DAY1);
    const ids = sections.flatMap((s) => s.paperIds);
    expect(new Set(ids).size).toBe(ids.length);
    const authors = sections.find((s) => s.name === 'authors');
    // 00001 is by a followed author too, but the alert section took it first.
    expect([...(authors?.paperIds ?? [])].sort()).toEqual(['2607.00002', '2607.00004']);
    expect(authors?.reasons).toEqual(['by Grace Hopper', 'by Grace Hopper']);

    const small = await subscriber('small@example.org', true, ['alerts', 'authors'], 2);
    const two = await queued(small, DAY1);
    expect(two.map((s) => [s.name, s.paperIds.length])).toEqual([
      ['alerts', 1],
      ['authors', 1],
    ]);
  });

  it('never repeats a paper in a later digest, and the next day brings only what is new', async () => {
    const sub = await subscriber('daily@example.org', true, ['trending', 'alerts', 'authors', 'foryou'], 20);
    const first = (await queued(sub, DAY1)).flatMap((s) => s.paperIds);
    expect(new Set(first).size).toBe(first.length);
    expect(first).toEqual(expect.arrayContaining(['2607.00001', '2607.00002', '2607.00004', '2607.00006']));
    await e.addPapers([
      paper({
        arxivId: '2607.00009',
        title: 'Latent diffusion for image editing',
        authors: ['Grace Hopper'],
        ...on(DAY2),
      }),
      paper({ arxivId: '2607.00010', title: 'Pictures of robots', authors: ['Grace Hopper'], ...on(DAY2) }),
    ]);
    const second = await queued(sub, DAY2);
    const ids = second.flatMap((s) => s.paperIds);
    expect(ids.filter((id) => first.includes(id))).toEqual([]);
    expect(second.find((s) => s.name === 'alerts')?.paperIds).toEqual(['2607.00009']);
    expect(second.find((s) => s.name === 'authors')?.paperIds).toEqual(['2607.00010']);
  });

  it('gives an address-only subscriber trending but no personal sections', async () => {
    const sub = await subscriber('anon@example.org', false, ['trending', 'alerts', 'authors']);
    expect(sub.userId).toBeNull();
    const sections = await queued(sub, DAY1);
    expect(sections.map((s) => s.name)).toEqual(['trending']);
  });
});
