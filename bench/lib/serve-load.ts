// Pieces the serve benches share: one timed request, latency quantiles, and a reader with a library and a token.
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/services.ts';
import { openStore } from '../../src/store/db.ts';
import { seededRandom } from './arxiv-corpus.ts';

/** p50, p95 and p99 of `ms` (nearest rank, one decimal). */
export function quantiles(ms: number[]): { p50: number; p95: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Milliseconds one GET takes, body read; anything but 200 throws. */
export async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t = performance.now();
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
  return performance.now() - t;
}

/**
 * A reader whose library holds 20 papers, with an API token, made in the store at `env.DATABASE_URL` before
 * serve starts; `label` names the user and the token.
 */
export async function prepareReader(env: Record<string, string>, label: string): Promise<string> {
  const store = await openStore(env.DATABASE_URL ?? '');
  const services = createServices(store, loadConfig({ ...env, LOG_LEVEL: 'warn' }));
  try {
    const user = (await store.users.create(`${label}-${Date.now()}@bench.invalid`, '', 'not-a-hash'))!;
    const latest = await services.listings.window({ period: 'month', sort: 'newest', limit: 200, offset: 0 });
    const rand = seededRandom(5);
    for (let i = 0; i < 20 && latest.items.length > 0; i++) {
      const item = latest.items[Math.floor(rand() * latest.items.length)];
      if (item) await services.library.save(user.id, item.paper.id, '');
    }
    return (await services.apiTokens.create(user.id, label)).token;
  } finally {
    await services.close();
  }
}

export type QueryKind = 'lexical' | 'hybrid' | 'similar';

/**
 * The i-th request of the serve benches' mixed load: every fifth `similar` (for one of `ids`), the rest lexical and
 * hybrid searches for `queries[i]` in turn; `subject` is the paper id or the query text. With `limit`, the searches
 * ask for that many results (`&limit=`); without, the API's default page of 20.
 */
export function mixedQuery(
  base: string,
  i: number,
  queries: readonly string[],
  ids: readonly string[],
  limit?: number,
): { kind: QueryKind; url: string; subject: string } {
  const kind: QueryKind = i % 5 === 4 && ids.length > 0 ? 'similar' : i % 2 === 0 ? 'lexical' : 'hybrid';
  // What was asked: the paper's id for `similar`, else the query's text (a bench's trace names it).
  const subject = kind === 'similar' ? (ids[i % ids.length] ?? '') : (queries[i] ?? '');
  const url =
    kind === 'similar'
      ? `${base}/api/papers/${encodeURIComponent(subject)}/similar?limit=10`
      : `${base}/api/search?mode=${kind}&q=${encodeURIComponent(subject)}${limit === undefined ? '' : `&limit=${limit}`}`;
  return { kind, url, subject };
}
