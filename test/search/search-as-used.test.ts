// Search as people use it, through the service as serve wires it: pasted texts, relaxed phrases and exclusions,
// running-text dashes, spelling corrections, arXiv-id searches with similar papers, and honest fallbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

let env: ReaderEnv;

const EXTRA = [
  paper({
    arxivId: '2608.00001',
    title: 'E2F transcription factors in the cell cycle',
    abstract: 'E2f-1, -2, -3 are required for proliferation in 2 of 3 cell lines.',
    announced: '2026-08-01',
  }),
  paper({
    arxivId: '2608.00002',
    title: 'Interactive editors for structured documents',
    abstract: 'Direct manipulation systems that show the page as it will print.',
    announced: '2026-08-01',
  }),
  paper({
    arxivId: '2608.00003',
    title: 'A permutation test for ranking',
    abstract: 'Permutation tests compare two rankings of documents.',
    announced: '2026-08-01',
  }),
  paper({
    arxivId: '2608.00004',
    title: 'Permutation invariance in set encoders',
    abstract: 'Set encoders whose output ignores the order of their inputs.',
    announced: '2026-07-01',
  }),
];

beforeAll(async () => {
  env = await readerEnv();
  await env.addPapers([...topicCorpus(30).papers, ...EXTRA]);
});
afterAll(async () => env.cleanup());

const search = (q: string, req = {}) => env.services.search.search(q, req);

describe('long queries', () => {
  it('answers a pasted text of 20,000 characters as "papers like this text", keeping its filters', async () => {
    const text = 'robot grasping with a gripper arm and torque control on legged locomotion. '.repeat(270);
    const r = await search(`${text.slice(0, 19_980)} cat:cs.RO`, { k: 5 });
    expect(r.long).toBe(true);
    expect(r.hits.length).toBe(5);
    expect(r.hits.every((h) => h.paper.categories.includes('cs.RO'))).toBe(true);
  });

  it('refuses a query over 20,000 characters as too large', async () => {
    await expect(search('robot '.repeat(200_000))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('phrases and exclusions that leave nothing', () => {
  it('relaxes a quoted title no paper has, says so, and still finds the papers', async () => {
    const r = await search('interactive editors including "what you see is what you get" systems');
    expect(r.hits[0]?.paper.id).toBe('2608.00002');
    expect(r.notice).toContain(
      'No paper has the exact phrase “what you see is what you get”; showing results without it.',
    );
  });

  it('keeps a phrase that papers have, without a notice', async () => {
    const r = await search('"interactive editors"', { mode: 'lexical' });
    expect(r.hits.map((h) => h.paper.id)).toEqual(['2608.00002']);
    expect(r.notice).toBeNull();
  });

  it('relaxes an exclusion that leaves nothing, and says so', async () => {
    const r = await search('permutation -permutation');
    expect(r.hits[0]?.paper.id).toBe('2608.00003');
    expect(r.notice).toMatch(/No paper is left once “permutation” is excluded/);
  });
});

describe('running text', () => {
  it('reads "E2f-1, -2, -3 are required" as words: papers with 2 or 3 are not excluded', async () => {
    const r = await search('E2f-1, -2, -3 are required for proliferation');
    expect(r.hits[0]?.paper.id).toBe('2608.00001');
  });

  it('reads an unknown field as words with a warning, not an error', async () => {
    const r = await search('ranking by permutation:tests');
    expect(r.hits[0]?.paper.id).toBe('2608.00003');
    expect(r.warnings.join(' ')).toMatch(/"permutation:" is not a search field/);
  });
});

describe('spelling', () => {
  it('answers a misspelled query for its correction and says so', async () => {
    const r = await search('permutaton');
    expect(r.correction).toEqual({ query: 'permutation', original: 'permutaton', applied: true });
    expect(r.hits[0]?.paper.id).toBe('2608.00003');
    expect(r.query).toBe('permutaton');
  });

  it('answers the query as typed when asked to (search instead for …)', async () => {
    const r = await search('permutaton', { correct: false });
    expect(r.correction).toBeNull();
    expect(r.hits).toEqual([]);
  });

  it('only suggests a correction when the query as typed has results', async () => {
    const r = await search('robot gripperr');
    expect(r.hits.length).toBeGreaterThan(3);
    expect(r.correction).toEqual({ query: 'robot gripper', original: 'robot gripperr', applied: false });
  });
});

describe('an arXiv-id search', () => {
  it('shows that paper, then its similar papers labelled as such, not the newest papers', async () => {
    const r = await search('2608.00003', { k: 20 });
    expect(r.hits[0]?.paper.id).toBe('2608.00003');
    expect(r.hits[0]?.similarTo).toBeUndefined();
    const rest = r.hits.slice(1);
    expect(rest.every((h) => h.similarTo === '2608.00003')).toBe(true);
    // The newest other paper (E2F) shares no word with it: padding with the newest papers would list it.
    expect(rest.map((h) => h.paper.id)).not.toContain('2608.00001');
    expect(r.total).toBeLessThan(20);
  });
});

describe('semantic search that ends up answering by words', () => {
  it('says so when a filter-only query is answered without semantic search', async () => {
    const r = await search('cat:cs.RO', { mode: 'hybrid' });
    expect(r.mode).toBe('lexical');
    expect(r.notice).toMatch(/only filters/);
  });

  it('falls back to word matches in semantic mode instead of answering nothing', async () => {
    const r = await search('robot gripper', { mode: 'semantic' });
    expect(r.mode).toBe('lexical');
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.notice).toMatch(/paperboy train/);
  });

  describe('with a trained model', () => {
    beforeAll(async () => {
      await env.services.semantic.train({ epochs: 1, dim: 16 });
      await env.services.semantic.embed();
    }, 60_000);

    it('does not let semantic search answer a query with no word the model knows', async () => {
      const r = await search('qwzxv blorft', { mode: 'semantic', correct: false });
      expect(r.hits).toEqual([]);
      expect(r.notice).toMatch(/No word of this query is known to the semantic model/);
      const h = await search('qwzxv blorft', { mode: 'hybrid', correct: false });
      expect(h.hits).toEqual([]);
      expect(h.mode).toBe('lexical');
      expect(h.notice).toMatch(/No word of this query is known/);
    });

    it('still answers semantically when the words are known', async () => {
      const r = await search('robot gripper torque', { mode: 'semantic' });
      expect(r.mode).toBe('semantic');
      expect(r.notice).toBeNull();
    });
  });
});
