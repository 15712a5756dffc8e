// For you on a historical corpus: an empty window widens to the newest papers, and ?since= picks the window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env;
let ada: WebClient;

function order(page: string): string[] {
  return [...page.matchAll(/<article class="card" id="paper-([^"]+)"/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([
    paper({ arxivId: '2607.00001', title: 'Newest parsing paper', announced: '2026-07-01' }),
    paper({ arxivId: '2606.00030', title: 'Late June parsing', announced: '2026-06-28' }),
    paper({ arxivId: '2603.00001', title: 'An old paper from March', announced: '2026-03-02' }),
  ]);
  // Months after the corpus ends, as with the bundled 75k corpus.
  env.clock.set('2026-12-01T12:00:00Z');
  ada = new WebClient(env.app);
  await signUpVia(ada, env, 'ada@example.org');
});
afterAll(async () => env.cleanup());

describe('For you on a corpus that ended months ago', () => {
  it('widens an empty default window to the newest week the store has, and says so', async () => {
    const page = (await (await ada.get('/foryou')).text()).replace(/\s+/g, ' ');
    expect(order(page).sort()).toEqual(['2606.00030', '2607.00001']);
    expect(page).toContain('so this shows the newest papers the');
    expect(page).toContain('2026-06-25 to 2026-07-01');
    expect(page).not.toContain('No new papers in this window');
  });

  it('widens an empty Week window too, in the API as well', async () => {
    const res = await ada.json('GET', '/api/foryou?days=7');
    const body = (await res.json()) as {
      from: string;
      widenedFrom: { from: string } | null;
      items: unknown[];
    };
    expect(body.from).toBe('2026-06-25');
    expect(body.widenedFrom?.from).toBe('2026-11-25');
    expect(body.items).toHaveLength(2);
  });

  it('honours ?since= on the web page like the API', async () => {
    const page = await (await ada.get('/foryou?since=2026-03-01')).text();
    expect(order(page).sort()).toEqual(['2603.00001', '2606.00030', '2607.00001']);
    expect(page).not.toContain('so this shows the newest papers');
    expect(page).toMatch(/<small>2026-03-01 to 2026-12-01<\/small>/);
  });

  it('offers "Latest in the store" and "All" windows', async () => {
    const latest = await (await ada.get('/foryou?since=latest')).text();
    expect(latest).toMatch(/href="\/foryou\?since=latest"\s+aria-current="page"/);
    expect(order(latest).sort()).toEqual(['2606.00030', '2607.00001']);
    expect(latest).not.toContain('so this shows the newest papers');
    const all = await (await ada.get('/foryou?since=all')).text();
    expect(all).toContain('href="/foryou?since=all"');
    expect(order(all)).toHaveLength(3);
  });

  it('rejects a since that is neither a day nor a window name', async () => {
    const res = await ada.get('/foryou?since=yesterday');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('&quot;latest&quot; or &quot;all&quot;');
  });
});
