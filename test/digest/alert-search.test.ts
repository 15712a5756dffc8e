// A saved-search alert matches what the same query shows on the search page: every word (hyphen parts too), its exclusions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index/lexical/tokenizer.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let e: Env;
const DAY = '2026-07-02';
const on = { announced: DAY, published: DAY };
const PAPERS = [
  paper({
    arxivId: '2607.00011',
    title: 'Byte-level tokenizers for language models',
    abstract: 'Bytes.',
    ...on,
  }),
  paper({
    arxivId: '2607.00012',
    title: 'Multi-level tokenization of source code',
    abstract: 'Code.',
    ...on,
  }),
  paper({
    arxivId: '2607.00013',
    title: 'A byte-level tokenizer for vision transformers',
    abstract: 'Pixels.',
    ...on,
  }),
  paper({ arxivId: '2607.00014', title: 'Token merging at the byte level', abstract: 'Merges.', ...on }),
  paper({
    arxivId: '2607.00015',
    title: 'Level sets of byte streams',
    abstract: 'Streams without tokens.',
    ...on,
  }),
];

beforeAll(async () => {
  e = await webEnv({ PAPERBOY_BASE_URL: 'https://papers.example.org', DIGEST_SKIP_EMPTY: 'false' });
  await e.addPapers(PAPERS);
});
afterAll(async () => {
  e.services.digest.close();
  await e.cleanup();
});

/** The alert's papers for `query` in the day's digest of a reader with only that saved search. */
async function alertIds(query: string, email: string): Promise<string[]> {
  const user = await e.temp.store.users.create(email, 'Reader', 'not-a-hash');
  if (user === null) throw new Error('user not created');
  await e.services.forYou.addSavedSearch(user.id, query);
  const { subscriptions } = e.services.digest;
  await subscriptions.subscribe(email, 'test', user.id);
  await e.mailed();
  const sub = await subscriptions.confirm(e.lastLink(email).split('/').at(-1) ?? '');
  const manage = subscriptions.links(sub).manageUrl.split('/').at(-1) ?? '';
  const settings = { frequency: 'daily', sendHour: '7', timeZone: 'UTC', weekday: '1', maxPapers: '20' };
  await subscriptions.updateSettings(manage, { ...settings, sections: ['alerts'] });
  await e.services.digest.delivery.queue({ date: DAY, email });
  const item = (await e.temp.store.digest.outbox(sub.id)).find((i) => i.digestDate === DAY);
  return [...(item?.content.sections.find((s) => s.name === 'alerts')?.paperIds ?? [])].sort();
}

/** The search page's papers for the query on that day that hold every analyzed term of its words. */
async function searchIds(query: string, words: string): Promise<string[]> {
  const r = await e.services.search.search(`${query} since:${DAY} before:2026-07-03`, {
    k: 100,
    mode: 'lexical',
  });
  const terms = analyze(words);
  return r.hits
    .filter((h) => {
      const have = new Set([...analyze(h.paper.title), ...analyze(h.paper.abstract)]);
      return terms.every((t) => have.has(t));
    })
    .map((h) => h.paper.id)
    .sort();
}

describe('saved-search alerts', () => {
  it('match exactly the search page for "byte-level tokenizer -vision": byte, level and tokenizer, no vision', async () => {
    const alert = await alertIds('byte-level tokenizer -vision', 'a@example.org');
    // 00015 says "tokens": stemming is the search page's too (tokenizer and tokens are one term there).
    expect(alert).toEqual(['2607.00011', '2607.00014', '2607.00015']);
    expect(alert).toEqual(await searchIds('byte-level tokenizer -vision', 'byte-level tokenizer'));
    // Without "byte", or with "vision", a paper is on neither.
    expect(alert).not.toContain('2607.00012');
    expect(alert).not.toContain('2607.00013');
  });

  it('agree with the search page on a phrase', async () => {
    const alert = await alertIds('"byte level"', 'b@example.org');
    const page = await e.services.search.search(`"byte level" since:${DAY}`, { k: 100, mode: 'lexical' });
    expect(alert).toEqual(page.hits.map((h) => h.paper.id).sort());
  });
});
