// Replays recorded arXiv responses as a fetch, and a fake clock, so harvest tests run offline and instantly.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchLike } from '../../src/ingest/http.ts';
import { fixturePath } from './fixtures.ts';

/** A recorded response: what arXiv answered for one URL. */
export interface Recording {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * Loads every `*.meta.json` + `*.xml` pair under test/fixtures/arxiv/atom-api, keyed by the request URL.
 * @example loadAtomRecordings().get('https://export.arxiv.org/api/query?...')?.status // 200
 */
export function loadAtomRecordings(): Map<string, Recording> {
  const dir = fixturePath('arxiv', 'atom-api');
  const out = new Map<string, Recording>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.meta.json'))) {
    const meta = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { url: string; status_code: number };
    const body = readFileSync(join(dir, name.replace(/\.meta\.json$/, '.xml')), 'utf8');
    out.set(meta.url, { status: meta.status_code, body });
  }
  return out;
}

/** A fetch that answers from recordings (404 for anything else) and logs the URLs it was asked for. */
export function replayFetch(recordings: Map<string, Recording>): FetchLike & { requested: string[] } {
  const requested: string[] = [];
  const fetch = async (url: string): Promise<Response> => {
    requested.push(url);
    const rec = recordings.get(url);
    if (rec === undefined) return new Response(`no recording for ${url}`, { status: 404 });
    return new Response(rec.body, { status: rec.status, headers: rec.headers });
  };
  return Object.assign(fetch, { requested });
}

/** A fetch that plays a script of responses (or thrown errors) in order, whatever the URL; the last step repeats. */
export function scriptedFetch(
  script: (Recording | Error)[],
  now: () => number = () => 0,
): FetchLike & { calls: { url: string; at: number; headers: Record<string, string> }[] } {
  const calls: { url: string; at: number; headers: Record<string, string> }[] = [];
  let i = 0;
  const fetch = async (url: string, init?: { headers?: Record<string, string> }): Promise<Response> => {
    calls.push({ url, at: now(), headers: init?.headers ?? {} });
    const step = script[Math.min(i++, script.length - 1)];
    if (step === undefined) throw new Error('empty script');
    if (step instanceof Error) throw step;
    return new Response(step.body, { status: step.status, headers: step.headers });
  };
  return Object.assign(fetch, { calls });
}

/** A clock whose sleep advances time instantly, recording each wait. */
export function fakeClock(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}
