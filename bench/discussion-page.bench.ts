// In-process benchmark of a paper page with 200 comments (signed in, so the page cache is skipped): the
// app's own time to answer, without sockets or load generator. Usage: node --import tsx bench/discussion-page.bench.ts [-- --runs 200]
import { parseArgs } from 'node:util';
import { paper } from '../test/helpers/temp-store.ts';
import { webEnv } from '../test/helpers/reader-env.ts';

const P = '2607.00001';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const runs = Number(values.runs ?? 200);
  const env = await webEnv({ LOG_LEVEL: 'warn' });
  try {
    await env.addPapers([paper({ arxivId: P, title: 'A discussed paper', announced: '2026-07-01' })]);
    const store = env.temp.store;
    const authors = [];
    for (let u = 0; u < 40; u++)
      authors.push((await store.users.create(`commenter${u}@bench.invalid`, `Commenter ${u}`, 'x'))!);
    const ids: number[] = [];
    // The same mix as bench:web: a third replies, a quarter with math, the rest with lists and quotes.
    for (let i = 0; i < 200; i++) {
      const parent = i % 3 === 2 && ids.length > 0 ? (ids[(i * 7) % ids.length] ?? null) : null;
      const body =
        i % 4 === 0
          ? `Comment ${i}: the bound $O(n \\log n)$ holds when $$\\sum_i x_i^2 \\le 1$$ and the *step* is small.`
          : `Comment ${i}: I tried this on **my data**.\n\n- it converged\n- see section ${i % 9}\n\n> quoting the abstract`;
      const made = await store.discussion.add({
        paperId: P,
        userId: authors[i % 40]!.id,
        parentId: parent,
        body,
      });
      if (made) ids.push(made.id);
    }
    const reader = authors[0]!;
    const { token } = await env.services.apiTokens.create(reader.id, 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const page = async (path: string): Promise<number> => {
      const t = performance.now();
      const res = await env.app.request(path, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.text();
      return performance.now() - t;
    };
    const p50 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const bare = '2607.00002';
    await env.addPapers([paper({ arxivId: bare, title: 'A quiet paper', announced: '2026-07-01' })]);
    for (let i = 0; i < 5; i++) await Promise.all([page(`/papers/${P}`), page(`/papers/${bare}`)]);
    const withC: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < runs; i++) {
      withC.push(await page(`/papers/${P}`));
      without.push(await page(`/papers/${bare}`));
    }
    console.log(`| paper page, 200 comments (signed in) | ${p50(withC).toFixed(1)} ms p50 |`);
    console.log(`| paper page, no comments (signed in, peer) | ${p50(without).toFixed(1)} ms p50 |`);
  } finally {
    await env.cleanup();
  }
}

await main();
